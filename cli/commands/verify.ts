/**
 * `platform verify <suite.yaml|dir|'glob'>...`: runs Gatekeeper suites with the offline CEL engine.
 * One line per case (`ok`, `FAIL`, `skip`), then `N passed, N failed, N skipped`.
 * Exit 0 all passed, 1 any failed, 2 bad input (missing file, bad YAML, not a Suite).
 */
import { expandSuiteArgs, runSuite } from '../../lib/policy/verify';

export async function run(args: string[]): Promise<number> {
  const suites = expandSuiteArgs(args);
  const counts = { ok: 0, FAIL: 0, skip: 0 };
  const lines: string[] = [];
  for (const suite of suites) {
    for (const r of runSuite(suite)) {
      counts[r.status]++;
      const label = `${r.suite}: ${r.test}/${r.case}`;
      lines.push(r.status === 'ok' ? `ok   ${label}` : `${r.status === 'FAIL' ? 'FAIL' : 'skip'} ${label}: ${r.detail ?? ''}`);
    }
  }
  lines.push(`${counts.ok} passed, ${counts.FAIL} failed, ${counts.skip} skipped`);
  process.stdout.write(lines.join('\n') + '\n');
  return counts.FAIL > 0 ? 1 : 0;
}

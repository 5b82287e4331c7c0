/**
 * `platform check <file-or-dir>... [--json]`: evaluates the built-in policy library, plus any
 * ConstraintTemplates and constraints among the inputs, against every other input object.
 * One line per violation: `<file>: <Kind>/<namespace>/<name>: <constraint>: <message>` (`-` as the
 * namespace of cluster-scoped objects); violations of `warn`/`dryrun` constraints carry a `[warn]`
 * or `[dryrun]` tag before the message and do not fail the check. Files found under a directory
 * that hold no Kubernetes objects (no document with a `kind`: Helm values, Chart.yaml) are skipped
 * and counted in the summary; files named explicitly are read strictly. Exit 0 clean, 1 deny
 * violations, 2 bad input.
 */
import { checkManifests, type CheckViolation } from '../../lib/policy/check';

export interface CheckOptions {
  readonly json?: boolean;
}

function line(v: CheckViolation): string {
  const tag = v.enforcementAction === 'deny' ? '' : `[${v.enforcementAction}] `;
  return `${v.file}: ${v.kind}/${v.namespace || '-'}/${v.name}: ${v.constraint}: ${tag}${v.message}`;
}

export async function run(paths: string[], opts: CheckOptions = {}): Promise<number> {
  const result = checkManifests(paths);
  if (opts.json) {
    process.stdout.write(JSON.stringify(result.violations, null, 2) + '\n');
  } else if (result.violations.length > 0) {
    process.stdout.write(result.violations.map(line).join('\n') + '\n');
  }
  for (const t of result.skippedTemplates) process.stderr.write(`platform: skipped template ${t}: no K8sNativeValidation code\n`);
  const denied = result.violations.filter((v) => v.enforcementAction === 'deny').length;
  const skipped = result.skippedFiles.length;
  const skippedNote = skipped === 0 ? '' : `; skipped ${skipped} ${skipped === 1 ? 'file that holds' : 'files that hold'} no Kubernetes objects`;
  process.stderr.write(
    `${result.violations.length} violation(s) (${denied} deny) in ${result.objectCount} object(s) from ${result.fileCount} file(s), ${result.constraintCount} constraint(s)${skippedNote}\n`,
  );
  return denied > 0 ? 1 : 0;
}

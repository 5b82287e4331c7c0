/** `platform plan`: the Pulumi program run offline under mocks; inventory and findings. */
import { writeFileAtomic } from '../../lib/fs';
import { loadStack } from '../../lib/stack';
import { readStackConfigFileRaw } from '../../infra/config';

export interface PlanOptions {
  readonly stack?: string;
  readonly config?: string;
  readonly json?: string;
}

export async function run(opts: PlanOptions): Promise<number> {
  const loaded = loadStack(opts);
  const { runProgramUnderMocks } = await import('../../lib/run-program');
  const run = await runProgramUnderMocks({ stack: loaded.stack, rawConfig: readStackConfigFileRaw(loaded.configFile), config: loaded.config });
  const resources = run.resources.filter((r) => r.type !== 'pulumi:pulumi:Stack');
  const counts = new Map<string, number>();
  for (const r of resources) counts.set(r.type, (counts.get(r.type) ?? 0) + 1);
  const lines = [`plan: stack ${loaded.stack} (${loaded.configFile}): ${resources.length} resources`];
  for (const [type, n] of [...counts].sort()) lines.push(`  ${String(n).padStart(4)}  ${type}`);
  process.stdout.write(`${lines.join('\n')}\n`);
  if (opts.json) {
    const doc = { resources: resources.map((r) => ({ type: r.type, name: r.name, urn: r.urn, props: r.props })), findings: [] };
    writeFileAtomic(opts.json, `${JSON.stringify(doc, null, 2)}\n`);
  }
  return 0;
}

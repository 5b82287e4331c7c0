/** `platform synth`: see ../shared/DESIGN.md (CLI contract). */
import * as path from 'node:path';
import { loadStack } from '../../lib/stack';
import { writeDirectoryAtomic } from '../../lib/fs';
import { placeholderInputs, SYNTH_MARKER, synthesizePlatform } from '../../charts';

export interface SynthOptions {
  readonly stack?: string;
  readonly config?: string;
  readonly out?: string;
}

export async function run(opts: SynthOptions): Promise<number> {
  const { stack, config, configFile } = loadStack(opts);
  const out = opts.out ?? path.join('dist', stack);
  const { files, charts } = synthesizePlatform(config, placeholderInputs(config), { stack });
  writeDirectoryAtomic(out, files, SYNTH_MARKER);
  const total = charts.reduce((n, c) => n + c.objects.length, 0);
  const width = Math.max(...charts.map((c) => c.id.length));
  const lines = [`synth ${stack} (${configFile}) -> ${out}/`];
  for (const c of charts.filter((chart) => chart.objects.length > 0)) lines.push(`  ${`${c.id}.yaml`.padEnd(width + 5)} ${String(c.objects.length).padStart(5)} objects`);
  const values = [...files.keys()].filter((f) => f.startsWith('values/'));
  lines.push(`  ${values.length} Helm values files: ${values.map((v) => path.basename(v, '.yaml')).join(', ')}`);
  lines.push(`${files.size} files, ${total} objects`);
  process.stdout.write(`${lines.join('\n')}\n`);
  return 0;
}

/**
 * `platform plan`: the Pulumi program run offline under mocks with a stack's config; prints the
 * inventory, posture findings (lib/posture.ts) and version findings (lib/versions/findings.ts,
 * judged on `--as-of`, PLATFORM_AS_OF or today), optionally writes them as JSON and, with `--out`,
 * the rendered charts and Helm values the program built (the files `platform synth` writes, same
 * marker, same atomic replacement): the whole offline job in one process.
 * Exit 0 ok, 1 blocking findings, 2 invalid config or date (thrown as UserError before anything runs).
 */
import type { PlatformObjects } from '../../charts';
import { writeDirectoryAtomic, writeFileAtomic } from '../../lib/fs';
import { formatPlan } from '../../lib/plan-report';
import { evaluatePosture } from '../../lib/posture';
import { TYPES } from '../../lib/resource-types';
import { compareFindings } from '../../lib/rules';
import { loadStack } from '../../lib/stack';
import { resolveAsOf } from '../../lib/versions/dates';
import { versionFindings } from '../../lib/versions/findings';

export interface PlanOptions {
  readonly stack?: string;
  readonly config?: string;
  readonly json?: string;
  /** Also write the rendered output (what `platform synth` writes) into this directory. @default nothing written */
  readonly out?: string;
  /** Date the version findings are judged on (`YYYY-MM-DD`). @default PLATFORM_AS_OF, else today */
  readonly asOf?: string;
  /** Keep Pulumi's promise stack traces (the global --debug). */
  readonly debug?: boolean;
}

export async function run(opts: PlanOptions): Promise<number> {
  const asOf = resolveAsOf(opts.asOf);
  const loaded = loadStack(opts);
  const { runProgramUnderMocks } = await import('../../lib/run-program');
  let synthesized: PlatformObjects | undefined;
  const run = await runProgramUnderMocks({
    // The program reports the objects it synthesized for the in-cluster half (the plan always applies it).
    program: async () => {
      const { program } = await import('../../infra/program');
      return (options) => program({ ...options, onSynthesized: (objects) => (synthesized = objects) });
    },
    stack: loaded.stack,
    rawConfig: loaded.rawConfig,
    config: loaded.config,
    promiseStackTraces: opts.debug,
  });
  const resources = run.resources.filter((r) => r.type !== TYPES.stack);
  const findings = [...evaluatePosture(resources, loaded.config), ...versionFindings(resources, asOf)].sort(compareFindings);
  const count = (prefix: string) => resources.filter((r) => r.type.startsWith(prefix)).length;
  // A split environment plans as one: the AWS stack's resources and its in-cluster stack's.
  const split = loaded.config.delivery.inClusterStack === 'separate' ? ` (Kubernetes side applied by the in-cluster stack ${loaded.clusterStack?.stack ?? `${loaded.stack}-cluster`})` : '';
  const header = `plan: stack ${loaded.stack} (${loaded.configFile}): ${count('aws:')} AWS resources, ${count('kubernetes:')} Kubernetes objects and Helm releases${split}; versions judged as of ${asOf}`;
  let rendered = '';
  if (opts.out !== undefined) {
    // The plan always applies the in-cluster half, which synthesizes every chart of the stack.
    if (!synthesized) throw new Error('the program synthesized no in-cluster objects: nothing to write');
    const { platformFiles, SYNTH_MARKER } = await import('../../charts');
    const { files } = platformFiles(synthesized, loaded.stack);
    writeDirectoryAtomic(opts.out, files, SYNTH_MARKER);
    rendered = `\nrendered: ${files.size} files -> ${opts.out}/\n`;
  }
  process.stdout.write(`${formatPlan(header, resources, findings)}${rendered}`);
  if (opts.json) {
    const doc = { resources: resources.map((r) => ({ type: r.type, name: r.name, urn: r.urn, props: r.props })), findings };
    writeFileAtomic(opts.json, `${JSON.stringify(doc, null, 2)}\n`);
  }
  return findings.some((f) => f.blocking) ? 1 : 0;
}

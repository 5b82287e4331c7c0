/**
 * `platform plan`: the Pulumi program run offline under mocks with a stack's config; prints the
 * inventory and posture findings (lib/posture.ts), optionally writes them as JSON.
 * Exit 0 ok, 1 blocking findings, 2 invalid config (thrown as UserError before anything runs).
 */
import { writeFileAtomic } from '../../lib/fs';
import { formatPlan } from '../../lib/plan-report';
import { evaluatePosture } from '../../lib/posture';
import { loadStack } from '../../lib/stack';

export interface PlanOptions {
  readonly stack?: string;
  readonly config?: string;
  readonly json?: string;
  /** Keep Pulumi's promise stack traces (the global --debug). */
  readonly debug?: boolean;
}

export async function run(opts: PlanOptions): Promise<number> {
  const loaded = loadStack(opts);
  const { runProgramUnderMocks } = await import('../../lib/run-program');
  const run = await runProgramUnderMocks({ stack: loaded.stack, rawConfig: loaded.rawConfig, config: loaded.config, promiseStackTraces: opts.debug });
  const resources = run.resources.filter((r) => r.type !== 'pulumi:pulumi:Stack');
  const findings = evaluatePosture(resources, loaded.config);
  const count = (prefix: string) => resources.filter((r) => r.type.startsWith(prefix)).length;
  // A split environment plans as one: the AWS stack's resources and its in-cluster stack's.
  const split = loaded.config.delivery.inClusterStack === 'separate' ? ` (Kubernetes side applied by the in-cluster stack ${loaded.clusterStack?.stack ?? `${loaded.stack}-cluster`})` : '';
  const header = `plan: stack ${loaded.stack} (${loaded.configFile}): ${count('aws:')} AWS resources, ${count('kubernetes:')} Kubernetes objects and Helm releases${split}`;
  process.stdout.write(formatPlan(header, resources, findings));
  if (opts.json) {
    const doc = { resources: resources.map((r) => ({ type: r.type, name: r.name, urn: r.urn, props: r.props })), findings };
    writeFileAtomic(opts.json, `${JSON.stringify(doc, null, 2)}\n`);
  }
  return findings.some((f) => f.blocking) ? 1 : 0;
}

/**
 * Pulumi components take `(name, args, opts)`, name every child from their own name and register
 * their outputs: two instances of each under mocks register no URN twice, only the instance existing
 * stacks hold carries aliases (infra/component.ts), and every component completes with registerOutputs.
 */
import type * as pulumiType from '@pulumi/pulumi';
import { parseStackConfig } from '../../lib/config/load';
import { runProgramUnderMocks, type ProgramRun } from '../../lib/run-program';
import { stackConfig } from '../helpers/pulumi';

const rawConfig = stackConfig('prod');
const config = parseStackConfig(rawConfig, 'Pulumi.prod.yaml');
const SECOND = '-second';

let run: ProgramRun;
const outputsRegistered = new Set<string>();

/** Every infra/ component, wired as main.ts wires them, under names ending in `suffix`. */
async function buildAll(suffix: string): Promise<void> {
  const { Keys } = await import('../../infra/kms');
  const { Network } = await import('../../infra/network');
  const { Cluster } = await import('../../infra/cluster');
  const { PlatformSecrets } = await import('../../infra/secrets');
  const { WorkloadIdentities } = await import('../../infra/identity');
  const { EksAddons } = await import('../../infra/addons');
  const { SystemNodes } = await import('../../infra/nodes');
  const { Karpenter } = await import('../../infra/karpenter');
  const { Ingress } = await import('../../infra/ingress');
  const { PlatformDeployment } = await import('../../infra/platform');
  const account = { accountId: config.accountId, region: config.region, partition: 'aws' };
  const keys = new Keys(`keys${suffix}`, { config, account });
  const network = new Network(`network${suffix}`, { config, account, logsKeyArn: keys.logsKeyArn });
  const cluster = new Cluster(`cluster${suffix}`, { config, privateSubnetIds: network.privateSubnetIds, secretsKeyArn: keys.secretsKeyArn, logsKeyArn: keys.logsKeyArn });
  new PlatformSecrets(`platform-secrets${suffix}`, { config, secretsKeyArn: keys.secretsKeyArn });
  const identity = { config, account, clusterName: cluster.name, clusterArn: cluster.arn, oidcProviderArn: cluster.oidcProviderArn, oidcIssuerUrl: cluster.oidcIssuerUrl };
  const identities = new WorkloadIdentities(`workload-identities${suffix}`, { context: identity, roles: [{ component: 'vpc-cni', managedPolicyArns: ['arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy'] }, { component: 'external-secrets' }] });
  const addons = new EksAddons(`addons${suffix}`, { config, clusterName: cluster.name, serviceAccountRoleArns: { 'vpc-cni': identities.role('vpc-cni').roleArn } });
  const nodes = new SystemNodes(`system-nodes${suffix}`, { config, clusterName: cluster.name, privateSubnetIds: network.privateSubnetIds, ebsKeyArn: keys.ebsKeyArn, dependsOn: addons.beforeNodes });
  addons.installOnNodes([nodes.nodeGroup]);
  new Karpenter(`karpenter${suffix}`, { identity, clusterSecurityGroupId: cluster.clusterSecurityGroupId, ebsKeyArn: keys.ebsKeyArn });
  new Ingress(`ingress${suffix}`, { identity, vpcId: network.vpcId });
  new PlatformDeployment(`platform${suffix}`, { config, stack: 'prod', kubeconfig: '{}', aws: { ebsKmsKeyArn: keys.ebsKeyArn }, clusterReady: [] });
}

beforeAll(async () => {
  run = await runProgramUnderMocks({
    program: async () => {
      const pulumi: typeof pulumiType = await import('@pulumi/pulumi');
      return async () => {
        // Which components complete with registerOutputs (the mocks answer the call; we listen in).
        const monitor = pulumi.runtime.getMonitor() as unknown as { registerResourceOutputs(req: { getUrn(): string }, cb: unknown): unknown };
        const original = monitor.registerResourceOutputs.bind(monitor);
        monitor.registerResourceOutputs = (req, cb) => {
          outputsRegistered.add(req.getUrn());
          return original(req, cb);
        };
        await buildAll('');
        await buildAll(SECOND);
        return {};
      };
    },
    stack: 'prod',
    rawConfig,
    config,
  });
});

const nameOf = (urn: string) => urn.slice(urn.lastIndexOf('::') + 2);
const components = () => run.resources.filter((r) => r.type.startsWith('platform:'));

describe('infra components', () => {
  it('GIVEN two instances of every component WHEN registered THEN no URN is registered twice', () => {
    const urns = run.resources.map((r) => r.urn);
    expect(urns.filter((u, i) => urns.indexOf(u) !== i)).toEqual([]);
    // Ten components, each twice, plus one object group per chart in each deployment.
    expect(components().filter((c) => !c.type.endsWith(':Objects'))).toHaveLength(20);
  });

  it('GIVEN any child of a component WHEN named THEN its name starts with its component\'s name', () => {
    const parents = new Map(components().map((c) => [c.urn, c.name]));
    const children = run.resources.filter((r) => r.parent !== undefined && parents.has(r.parent));
    expect(children.length).toBeGreaterThan(400);
    expect(children.filter((r) => !r.name.startsWith(parents.get(r.parent!)!)).map((r) => `${r.name} under ${parents.get(r.parent!)}`)).toEqual([]);
  });

  it('GIVEN the second instances WHEN registered THEN none of their resources aliases a former name; the first ones do', () => {
    const second = run.resources.filter((r) => r.name.includes(SECOND) || (r.parent !== undefined && nameOf(r.parent).includes(SECOND)));
    expect(second.length).toBeGreaterThan(200);
    const named = (r: (typeof second)[number]) => (r.aliases ?? []).filter((a) => a.split('::')[2] === r.urn.split('::')[2]);
    expect(second.filter((r) => named(r).length > 0).map((r) => r.urn)).toEqual([]);
    const first = run.resources.filter((r) => !second.includes(r));
    expect(first.filter((r) => named(r).length > 0).length).toBeGreaterThan(150);
  });

  it('GIVEN every component WHEN the program completes THEN each registered its outputs', () => {
    expect(components().filter((c) => !outputsRegistered.has(c.urn)).map((c) => c.urn)).toEqual([]);
  });
});

/**
 * Which Karpenter NodePool a pending pod gets: tenants the `general` pool (spot first), platform
 * add-ons the on-demand `system-adjacent` pool, judged with Karpenter's pool choice
 * (test/charts/upstream/scheduling.ts) over the NodePools the karpenter chart synthesizes.
 */
import * as path from 'node:path';
import { type PlatformConfig } from '../../model/config';
import { parseStackConfig, readStackConfigFile, readStackConfigFileRaw } from '../../lib/config/load';
import { REPO_ROOT } from '../../lib/stack';
import { placeholderInputs, synthesizePlatform } from '../../charts';
import { PLATFORM_POOL, PLATFORM_POOL_TAINT, TENANT_POOL } from '../../charts/placement';
import { HardenedDeployment } from '@eks-platform-blueprint/constructs';
import { Chart, Size, Testing } from 'cdk8s';
import { testApp } from '../constructs/fixtures';
import * as kplus from 'cdk8s-plus-28';
import { renderReleases, type WorkloadModel } from './upstream';
import { chosenPool, poolFits } from './upstream/scheduling';

type NodePool = Parameters<typeof chosenPool>[1][number];

const configs: Record<'dev' | 'prod', PlatformConfig> = {
  dev: readStackConfigFile(path.join(REPO_ROOT, 'Pulumi.dev.yaml')),
  prod: readStackConfigFile(path.join(REPO_ROOT, 'Pulumi.prod.yaml')),
};

const nodePools = (config: PlatformConfig) =>
  (synthesizePlatform(config, placeholderInputs(config)).charts.find((c) => c.id === 'karpenter')?.objects ?? []).filter((o) => o.kind === 'NodePool') as unknown as NodePool[];

/** A tenant workload as engineers write it with the platform's constructs: no tolerations, no node selector. */
function tenantPod(): WorkloadModel['pod'] {
  const chart = new Chart(testApp(), 'tenant');
  new HardenedDeployment(chart, 'web', {
    namespace: 'payments',
    containers: [{ image: 'public.ecr.aws/example/web:1.0.0', resources: { cpu: { request: kplus.Cpu.millis(100) }, memory: { request: Size.mebibytes(64), limit: Size.mebibytes(128) } } }],
  });
  const deployment = Testing.synth(chart).find((o) => o.kind === 'Deployment') as { spec: { template: { spec: WorkloadModel['pod'] } } };
  return deployment.spec.template.spec;
}

describe.each(['dev', 'prod'] as const)('%s: NodePool choice', (stack) => {
  const config = configs[stack];
  const pools = nodePools(config);
  const platformPods = renderReleases(config).flatMap((r) => r.workloads).filter((w) => w.createdBy !== undefined);

  test('GIVEN the two pools THEN the platform pool is tainted, the tenant pool is not, and the tenant pool weighs more', () => {
    const byName = Object.fromEntries(pools.map((p) => [p.metadata.name, p]));
    expect(Object.keys(byName).sort()).toEqual([TENANT_POOL, PLATFORM_POOL].sort());
    expect(byName[PLATFORM_POOL].spec.template.spec.taints).toEqual([{ key: 'platform.eks-blueprint.io/pool', value: 'system-adjacent', effect: 'NoSchedule' }]);
    expect(byName[TENANT_POOL].spec.template.spec.taints).toBeUndefined();
    expect(byName[TENANT_POOL].spec.weight).toBeGreaterThan(byName[PLATFORM_POOL].spec.weight ?? 0);
  });

  test('GIVEN a tenant pod with no toleration or selector WHEN Karpenter provisions for it THEN it gets the general pool, never the on-demand platform pool', () => {
    const pod = tenantPod();
    expect(pod.tolerations).toBeUndefined();
    expect(chosenPool(pod, pools)).toBe(TENANT_POOL);
    expect(poolFits(pod, pools.find((p) => p.metadata.name === PLATFORM_POOL)!)).toBe(false);
  });

  test('GIVEN a pod tolerating every taint, with no selector WHEN Karpenter provisions for it THEN the weights send it to the general pool', () => {
    const pod = { ...tenantPod(), tolerations: [{ operator: 'Exists' }] };
    expect(pools.filter((p) => poolFits(pod, p)).map((p) => p.metadata.name).sort()).toEqual([TENANT_POOL, PLATFORM_POOL].sort());
    expect(chosenPool(pod, pools)).toBe(TENANT_POOL);
  });

  test('GIVEN Prometheus and Alertmanager as the operator creates them WHEN Karpenter provisions for them THEN they get the on-demand platform pool only', () => {
    expect(platformPods.map((w) => w.createdBy).sort()).toEqual(['Alertmanager', 'Prometheus']);
    for (const w of platformPods) {
      expect({ pod: w.name, pool: chosenPool(w.pod, pools) }).toEqual({ pod: w.name, pool: PLATFORM_POOL });
      expect({ pod: w.name, tenantPool: poolFits(w.pod, pools.find((p) => p.metadata.name === TENANT_POOL)!) }).toEqual({ pod: w.name, tenantPool: false });
    }
    const capacity = pools.find((p) => p.metadata.name === PLATFORM_POOL)!.spec.template.spec.requirements?.find((r) => r.key === 'karpenter.sh/capacity-type');
    expect(capacity?.values).toEqual(['on-demand']);
  });
});

describe('without Karpenter', () => {
  test('GIVEN karpenter disabled WHEN monitoring is rendered THEN Prometheus and Alertmanager go to the system nodes, the only capacity there is', () => {
    const config = parseStackConfig(
      { ...readStackConfigFileRaw(path.join(REPO_ROOT, 'Pulumi.dev.yaml')), 'platform:addons': { gatekeeper: true, argocd: true, monitoring: true, externalSecrets: true, karpenter: false } },
      'test',
    );
    const later = renderReleases(config).flatMap((r) => r.workloads).filter((w) => w.createdBy !== undefined);
    expect(later.map((w) => w.pod.nodeSelector)).toEqual([{ 'platform.io/node-pool': 'system' }, { 'platform.io/node-pool': 'system' }]);
    expect(later.every((w) => (w.pod.tolerations ?? []).some((t) => t.key === 'CriticalAddonsOnly'))).toBe(true);
    expect(later.some((w) => (w.pod.tolerations ?? []).some((t) => t.key === PLATFORM_POOL_TAINT.key))).toBe(false);
  });
});

/**
 * Where the add-on pods run. Two kinds of capacity exist:
 * - the system managed node group (infra/nodes.ts): exists before any Helm release, labelled
 *   `platform.io/node-pool=system` and tainted `CriticalAddonsOnly`. Everything a release waits for
 *   at install (its Deployments, DaemonSets and hook Jobs) runs here, so no release depends on
 *   Karpenter having launched a node, and Karpenter itself can run.
 * - Karpenter's `system-adjacent` NodePool (charts/karpenter/chart.ts): on-demand, tainted so that
 *   only platform workloads land there. Heavy platform pods that no release waits for (Prometheus and
 *   Alertmanager, created by the Prometheus operator after the release is done) run here.
 * Tenants get the untainted `general` pool (spot first), which no platform pod selects.
 */
import type { PlatformConfig } from '../model/config';
import { SYSTEM_NODE_LABELS, SYSTEM_NODE_TOLERATION } from '../model/names';

/** Label every Karpenter node carries with its NodePool's name (set by the NodePool template). */
export const POOL_LABEL = 'platform.eks-blueprint.io/pool';

/** Karpenter NodePool for platform add-ons (on-demand) and the one for tenants (spot first). */
export const PLATFORM_POOL = 'system-adjacent';
export const TENANT_POOL = 'general';

/** Taint of the platform pool's nodes: pods that do not tolerate it (tenants) never land there. */
export const PLATFORM_POOL_TAINT = { key: POOL_LABEL, value: PLATFORM_POOL, effect: 'NoSchedule' } as const;

export interface Placement {
  readonly nodeSelector: Record<string, string>;
  readonly tolerations: Record<string, string>[];
}

/** On the system node group: what must run before, and independently of, Karpenter's capacity. */
export function systemNodes(): Placement {
  return { nodeSelector: { ...SYSTEM_NODE_LABELS }, tolerations: [{ ...SYSTEM_NODE_TOLERATION }] };
}

/**
 * On Karpenter's platform pool, or on the system nodes when the stack runs without Karpenter (then
 * they are the only capacity a platform pod may use).
 */
export function platformPool(config: PlatformConfig): Placement {
  if (!config.addons.karpenter) return systemNodes();
  return {
    nodeSelector: { [POOL_LABEL]: PLATFORM_POOL },
    tolerations: [{ key: PLATFORM_POOL_TAINT.key, operator: 'Equal', value: PLATFORM_POOL_TAINT.value, effect: PLATFORM_POOL_TAINT.effect }],
  };
}

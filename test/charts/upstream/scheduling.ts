/**
 * Where a modelled pod can run: the scheduler's node selector, required node affinity and taint
 * rules (Kubernetes "Assigning Pods to Nodes" and "Taints and Tolerations"), Karpenter's choice of
 * NodePool, and the resource arithmetic of the capacity checks.
 */
import type { PodSpecModel } from './helm';

type Obj = Record<string, unknown>;

export interface NodeShape {
  readonly labels: Readonly<Record<string, string>>;
  readonly taints: readonly { key: string; value?: string; effect: string }[];
}

/** A toleration matches a taint: same key (an empty key with Exists matches every key), same value unless Exists, same effect unless empty. */
function tolerates(toleration: Obj, taint: NodeShape['taints'][number]): boolean {
  const key = (toleration.key as string | undefined) ?? '';
  const operator = (toleration.operator as string | undefined) ?? 'Equal';
  const effect = (toleration.effect as string | undefined) ?? '';
  if (effect !== '' && effect !== taint.effect) return false;
  if (key === '') return operator === 'Exists';
  if (key !== taint.key) return false;
  return operator === 'Exists' || ((toleration.value as string | undefined) ?? '') === (taint.value ?? '');
}

function matchesExpression(labels: Readonly<Record<string, string>>, e: Obj): boolean {
  const value = labels[e.key as string];
  const values = (e.values as string[] | undefined) ?? [];
  switch (e.operator) {
    case 'In':
      return value !== undefined && values.includes(value);
    case 'NotIn':
      return value === undefined || !values.includes(value);
    case 'Exists':
      return value !== undefined;
    case 'DoesNotExist':
      return value === undefined;
    default:
      throw new Error(`node affinity operator ${String(e.operator)} is not modelled`);
  }
}

/** The pod may be scheduled on the node: nodeSelector, required node affinity, NoSchedule/NoExecute taints. */
export function schedulesOn(pod: PodSpecModel, node: NodeShape): boolean {
  for (const [k, v] of Object.entries(pod.nodeSelector ?? {})) if (node.labels[k] !== v) return false;
  const terms = ((((pod.affinity ?? {}) as Obj).nodeAffinity as Obj | undefined)?.requiredDuringSchedulingIgnoredDuringExecution as Obj | undefined)?.nodeSelectorTerms as Obj[] | undefined;
  if (terms && !terms.some((t) => ((t.matchExpressions as Obj[] | undefined) ?? []).every((e) => matchesExpression(node.labels, e)))) return false;
  return node.taints.filter((t) => t.effect !== 'PreferNoSchedule').every((t) => (pod.tolerations ?? []).some((tol) => tolerates(tol, t)));
}

/** The pod must run on a node of its own: required pod anti-affinity on the host name. */
export function onePerNode(pod: PodSpecModel): boolean {
  const required = ((((pod.affinity ?? {}) as Obj).podAntiAffinity as Obj | undefined)?.requiredDuringSchedulingIgnoredDuringExecution as Obj[] | undefined) ?? [];
  return required.some((t) => t.topologyKey === 'kubernetes.io/hostname');
}

interface NodePoolObj {
  metadata: { name: string };
  spec: {
    weight?: number;
    template: { metadata?: { labels?: Record<string, string> }; spec: { requirements?: Obj[]; taints?: NodeShape['taints'] } };
  };
}

/**
 * Whether Karpenter can launch a node of this NodePool for the pod: every NodePool taint is
 * tolerated, and every nodeSelector label is one the pool's nodes get (its template labels, or a key
 * its requirements allow the value of). Labels a NodePool neither sets nor requires are not on its
 * nodes, so a pod selecting them is not compatible.
 */
export function poolFits(pod: PodSpecModel, pool: NodePoolObj): boolean {
  const template = pool.spec.template;
  const labels: Record<string, string> = { ...(template.metadata?.labels ?? {}), 'karpenter.sh/nodepool': pool.metadata.name };
  const taints = template.spec.taints ?? [];
  if (!taints.every((t) => (pod.tolerations ?? []).some((tol) => tolerates(tol, t)))) return false;
  const requirements = template.spec.requirements ?? [];
  for (const [k, v] of Object.entries(pod.nodeSelector ?? {})) {
    if (labels[k] !== undefined) {
      if (labels[k] !== v) return false;
      continue;
    }
    const requirement = requirements.find((r) => r.key === k);
    if (!requirement || requirement.operator !== 'In' || !(requirement.values as string[]).includes(String(v))) return false;
  }
  return true;
}

/**
 * The NodePool Karpenter provisions the pod from: the compatible pool with the highest weight
 * (aws/karpenter-provider-aws website/content/en/v1.14/concepts/nodepools.md at 1d927085: "If
 * multiple NodePools are matched, Karpenter will use the NodePool with the highest weight";
 * "Specifying no weight is equivalent to specifying a weight of 0").
 */
export function chosenPool(pod: PodSpecModel, pools: readonly NodePoolObj[]): string | undefined {
  const fitting = pools.filter((p) => poolFits(pod, p)).sort((a, b) => (b.spec.weight ?? 0) - (a.spec.weight ?? 0));
  return fitting[0]?.metadata.name;
}

/** Kubernetes quantity to millicores (cpu) or MiB (memory). */
export function cpuMillis(q: unknown): number {
  if (q === undefined) return 0;
  const s = String(q);
  return s.endsWith('m') ? Number(s.slice(0, -1)) : Number(s) * 1000;
}

export function memoryMiB(q: unknown): number {
  if (q === undefined) return 0;
  const s = String(q);
  const units: Record<string, number> = { Ki: 1 / 1024, Mi: 1, Gi: 1024, Ti: 1024 * 1024 };
  const unit = Object.keys(units).find((u) => s.endsWith(u));
  if (!unit) throw new Error(`memory quantity ${s} is not in binary units`);
  return Number(s.slice(0, -unit.length)) * units[unit];
}

export interface Requests {
  readonly cpu: number;
  readonly memory: number;
}

/**
 * What the scheduler reserves for the pod: the larger of the sum over its containers and the largest
 * init container (Kubernetes "Resource sharing within containers": effective init request).
 */
export function podRequests(pod: PodSpecModel): Requests {
  const req = (c: { resources?: Obj }) => ((c.resources ?? {}) as Obj).requests as Obj | undefined;
  const sum = pod.containers.reduce((a, c) => ({ cpu: a.cpu + cpuMillis(req(c)?.cpu), memory: a.memory + memoryMiB(req(c)?.memory) }), { cpu: 0, memory: 0 });
  const init = (pod.initContainers ?? []).reduce((a, c) => ({ cpu: Math.max(a.cpu, cpuMillis(req(c)?.cpu)), memory: Math.max(a.memory, memoryMiB(req(c)?.memory)) }), { cpu: 0, memory: 0 });
  return { cpu: Math.max(sum.cpu, init.cpu), memory: Math.max(sum.memory, init.memory) };
}

/** Containers (init ones included) without a cpu or memory request: the scheduler would reserve nothing for them. */
export function withoutRequests(pod: PodSpecModel): string[] {
  return [...pod.containers, ...(pod.initContainers ?? [])]
    .filter((c) => {
      const requests = ((c.resources ?? {}) as Obj).requests as Obj | undefined;
      return requests?.cpu === undefined || requests?.memory === undefined;
    })
    .map((c) => c.name);
}

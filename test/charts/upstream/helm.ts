/**
 * A small model of what an upstream Helm chart renders for the fields the platform's tests judge:
 * the pods of every workload (pod and container security contexts, host namespaces, volume types,
 * ports, placement, resources), and the keys of its values. Each chart's model (the sibling files) is
 * transcribed from the pinned chart's values.yaml and templates, cited next to each fact; this file
 * holds what is common: Helm's value merge and the Pod a workload's template amounts to.
 */
import type { RecordedValuesKeys } from './values-keys';

export type Values = Record<string, unknown>;
type Obj = Record<string, unknown>;

const isMap = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);

/**
 * Helm's coalescing of values (helm/helm pkg/chartutil/coalesce.go): maps merge key by key, any other
 * value (lists included) replaces the default, and `null` deletes the key. `layers` go from the chart's
 * own defaults to the user's values.
 */
export function mergeValues(...layers: (Values | undefined)[]): Values {
  const merge = (base: Obj, over: Obj): Obj => {
    const out: Obj = { ...base };
    for (const [k, v] of Object.entries(over)) {
      if (v === null) delete out[k];
      else if (isMap(v) && isMap(out[k])) out[k] = merge(out[k] as Obj, v);
      else out[k] = structuredClone(v);
    }
    return out;
  };
  return layers.reduce<Obj>((acc, layer) => (layer ? merge(acc, layer) : acc), {});
}

/**
 * A parent chart's values with its subcharts': Helm gives each subchart, under its name, its own
 * values.yaml, then the parent's values.yaml for it, then the user's.
 */
export function withSubcharts(parentDefaults: Values, subchartDefaults: Readonly<Record<string, Values>>, user: Values): Values {
  const merged = mergeValues(parentDefaults, user);
  for (const [name, own] of Object.entries(subchartDefaults)) merged[name] = mergeValues(own, parentDefaults[name] as Values | undefined, user[name] as Values | undefined);
  return merged;
}

/** The value at a dotted path (`controllerManager.securityContext`), or undefined. */
export function at(values: Values, path: string): unknown {
  let v: unknown = values;
  for (const k of path.split('.')) v = isMap(v) ? v[k] : undefined;
  return v;
}

/** Go template truthiness (`if`, `with`, `default`): false, 0, "", nil and empty maps and lists are empty. */
export function truthy(v: unknown): boolean {
  if (v === undefined || v === null || v === false || v === 0 || v === '') return false;
  if (Array.isArray(v)) return v.length > 0;
  if (isMap(v)) return Object.keys(v).length > 0;
  return true;
}

/** `{{ a | default b }}`. */
export function orDefault<T>(value: unknown, fallback: T): T {
  return (truthy(value) ? value : fallback) as T;
}

/** A map value, or {} when absent. */
export function map(values: Values, path: string): Obj {
  const v = at(values, path);
  return isMap(v) ? v : {};
}

/** A list value, or [] when absent. */
export function list(values: Values, path: string): Obj[] {
  const v = at(values, path);
  return Array.isArray(v) ? (v as Obj[]) : [];
}

export interface ContainerSpec {
  readonly name: string;
  /** Modelled where the platform's Gatekeeper constraints review the pod (namespaces they do not exempt). */
  readonly image?: string;
  readonly securityContext?: Obj;
  readonly resources?: Obj;
  readonly ports?: readonly { containerPort: number; hostPort?: number }[];
}

export interface PodSpecModel {
  /** Modelled, with the token automount, where the platform's Gatekeeper constraints review the pod. */
  readonly serviceAccountName?: string;
  readonly automountServiceAccountToken?: boolean;
  readonly securityContext?: Obj;
  readonly hostNetwork?: boolean;
  readonly hostPID?: boolean;
  readonly hostIPC?: boolean;
  readonly volumes?: readonly Obj[];
  readonly containers: readonly ContainerSpec[];
  readonly initContainers?: readonly ContainerSpec[];
  readonly nodeSelector?: Obj;
  readonly tolerations?: readonly Obj[];
  readonly affinity?: Obj;
}

export interface WorkloadModel {
  readonly kind: 'Deployment' | 'StatefulSet' | 'DaemonSet' | 'Job';
  /** Object name as the chart renders it for the platform's release name. */
  readonly name: string;
  /** When the chart puts it in another namespace than the release's (a subchart's namespaceOverride). */
  readonly namespace?: string;
  /** Replicas (DaemonSets: one per node they tolerate). */
  readonly replicas: number | 'per-node';
  /** `helm.sh/hook` of a Job the chart runs around install/upgrade/delete. */
  readonly hook?: string;
  /** Created by an operator from a custom resource after the release, not by Helm (Helm does not wait for it). */
  readonly createdBy?: string;
  /** Template (and repository and tag) the fields are read from. */
  readonly source: string;
  /** Labels of the pod template, modelled where the platform's Gatekeeper constraints review the pod. */
  readonly podLabels?: Readonly<Record<string, string>>;
  readonly pod: PodSpecModel;
}

/** A template that renders a workload only when `when(values)` holds, which the model does not transcribe. */
export interface UnmodelledWorkload {
  readonly source: string;
  readonly when: (values: Values) => boolean;
}

export interface ChartModel {
  readonly chart: string;
  /** Chart version the model is read at: a pin that moves away from it fails the tests until the model is re-read. */
  readonly version: string;
  /** Repository and tag the model is read from. */
  readonly readAt: string;
  /** The workloads rendered for the merged values. */
  readonly workloads: (values: Values, releaseNamespace: string) => WorkloadModel[];
  /** Optional workloads left out of the model; tests require each to be off with the platform's values. */
  readonly unmodelled: readonly UnmodelledWorkload[];
  /** Merges the chart's defaults (and its subcharts') with the user's values. */
  readonly values: (user: Values) => Values;
  /** The keys of the chart's values the platform may set (values-keys.ts). */
  readonly valuesKeys: RecordedValuesKeys;
}

/**
 * The Pod a workload's template creates, as Pod Security admission sees it: host-network pods get
 * each container port's hostPort defaulted to it by the API server (kubernetes/kubernetes
 * pkg/apis/core/v1/defaults.go, SetDefaults_PodSpec -> defaultHostNetworkPorts).
 */
export function podOf(workload: WorkloadModel, namespace: string): Obj {
  const hostPorts = (c: ContainerSpec): ContainerSpec =>
    workload.pod.hostNetwork && c.ports ? { ...c, ports: c.ports.map((p) => ({ ...p, hostPort: p.hostPort ?? p.containerPort })) } : c;
  const spec: Obj = { ...workload.pod, containers: workload.pod.containers.map(hostPorts) };
  if (workload.pod.initContainers) spec.initContainers = workload.pod.initContainers.map(hostPorts);
  for (const [k, v] of Object.entries(spec)) if (v === undefined) delete spec[k];
  const metadata = { name: workload.name, namespace: workload.namespace ?? namespace, ...(workload.podLabels ? { labels: { ...workload.podLabels } } : {}) };
  return { apiVersion: 'v1', kind: 'Pod', metadata, spec };
}

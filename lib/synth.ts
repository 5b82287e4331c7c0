/**
 * From synthesized charts to files: orders objects stably, refuses duplicates across the whole app,
 * schema-validates every object, and renders one multi-document YAML file per chart. Pure: no I/O.
 */
import { UserError } from './errors';
import { constraintKindsOf, validateObject, type KubeObject } from './schema';
import { toYaml, toYamlDocuments } from './synth-yaml';
import { parseApiVersion } from './api-version';

export interface SynthChart {
  /** Chart id; also the output file name (`<id>.yaml`). */
  readonly id: string;
  readonly objects: readonly KubeObject[];
}

/** Apply order inside one file: namespaces, CRDs, RBAC, identities, config, workloads, then custom resources. */
const KIND_ORDER = [
  'Namespace', 'CustomResourceDefinition', 'ClusterRole', 'ClusterRoleBinding', 'Role', 'RoleBinding', 'ServiceAccount',
  'StorageClass', 'ResourceQuota', 'LimitRange', 'NetworkPolicy', 'ConfigMap', 'Secret', 'PersistentVolumeClaim', 'Service',
  'Deployment', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob', 'PodDisruptionBudget', 'HorizontalPodAutoscaler',
];
const KIND_RANK = new Map(KIND_ORDER.map((k, i) => [k, i]));

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Stable object order: kind rank (custom resources after core kinds, by kind), then namespace, then name. */
export function compareObjects(a: KubeObject, b: KubeObject): number {
  const ra = KIND_RANK.get(a.kind) ?? KIND_ORDER.length;
  const rb = KIND_RANK.get(b.kind) ?? KIND_ORDER.length;
  return (
    ra - rb ||
    compare(a.kind, b.kind) ||
    compare(a.apiVersion, b.apiVersion) ||
    compare(a.metadata.namespace ?? '', b.metadata.namespace ?? '') ||
    compare(a.metadata.name ?? '', b.metadata.name ?? '')
  );
}

/** `Kind/namespace/name` (or `Kind/name` when cluster-scoped), as messages and `platform check` name objects. */
export function objectRef(o: KubeObject): string {
  return o.metadata.namespace ? `${o.kind}/${o.metadata.namespace}/${o.metadata.name}` : `${o.kind}/${o.metadata.name}`;
}

function identity(o: KubeObject): string {
  const { group } = parseApiVersion(o.apiVersion);
  return `${group}|${o.kind}|${o.metadata.namespace ?? ''}|${o.metadata.name}`;
}

/**
 * Validates and orders every chart's objects. Throws a UserError naming chart, kind/name and field
 * for the first invalid object, or naming both charts for a duplicate kind/namespace/name.
 */
export function prepareCharts(charts: readonly SynthChart[]): SynthChart[] {
  const all = charts.flatMap((c) => c.objects);
  const context = { constraintKinds: constraintKindsOf(all) };
  const seen = new Map<string, string>();
  const ids = new Set<string>();
  return charts.map((chart) => {
    if (ids.has(chart.id)) throw new UserError(`synth: two charts share the id ${chart.id} (each chart writes ${chart.id}.yaml)`);
    ids.add(chart.id);
    for (const o of chart.objects) {
      const issues = validateObject(o, context);
      if (issues.length > 0) {
        const first = issues[0];
        const more = issues.length > 1 ? ` (and ${issues.length - 1} more issue${issues.length > 2 ? 's' : ''})` : '';
        throw new UserError(`synth: chart ${chart.id}: ${objectRef(o)} (${o.apiVersion}): ${first.path}: ${first.message}${more}`);
      }
      const id = identity(o);
      const other = seen.get(id);
      if (other !== undefined) {
        throw new UserError(`synth: chart ${chart.id}: ${objectRef(o)} is also defined by chart ${other} (kind, namespace and name must be unique across the platform)`);
      }
      seen.set(id, chart.id);
    }
    return { id: chart.id, objects: [...chart.objects].sort(compareObjects) };
  });
}

/**
 * `<id>.yaml` per chart and `values/<name>.yaml` per Helm release, each starting with `header`.
 * `charts` as prepareCharts returns them (validated and ordered).
 */
export function renderFiles(charts: readonly SynthChart[], helmValues: Readonly<Record<string, unknown>>, header: string): Map<string, string> {
  const files = new Map<string, string>();
  const comment = header
    .split('\n')
    .map((l) => `# ${l}`.trimEnd())
    .join('\n');
  for (const chart of charts) {
    // A chart with nothing to apply (e.g. argocd in pulumi delivery mode) writes no file.
    if (chart.objects.length === 0) continue;
    files.set(`${chart.id}.yaml`, `${comment}\n${toYamlDocuments(chart.objects)}`);
  }
  for (const name of Object.keys(helmValues).sort()) {
    files.set(`values/${name}.yaml`, `${comment}\n${toYaml(helmValues[name])}`);
  }
  return files;
}

/**
 * Workload exemptions (`spec.parameters.exemptions` of a library constraint): the objects a
 * constraint skips, each named by namespace (absent: cluster-scoped) and by names and/or labels,
 * with its reason. The templates decide in CEL (their `exempt` variable); this reads the same
 * entries in TypeScript so that `platform check` can say how many objects each one skipped, and so
 * that an exemption of a whole namespace is refused.
 */
import { UserError } from '../errors';

export interface Exemption {
  /** Empty for cluster-scoped objects. */
  readonly namespace: string;
  readonly kinds?: readonly string[];
  readonly names?: readonly string[];
  readonly labels?: Readonly<Record<string, string>>;
  readonly reason: string;
}

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);
const strings = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string');

/** The exemptions of a constraint's parameters; a malformed entry, or one naming no workload, is bad input. */
export function readExemptions(parameters: unknown, where: string): Exemption[] {
  const list = isObj(parameters) ? parameters.exemptions : undefined;
  if (list === undefined) return [];
  if (!Array.isArray(list)) throw new UserError(`${where}: spec.parameters.exemptions must be a list`);
  return list.map((e: unknown, i) => {
    const at = `${where}: spec.parameters.exemptions[${i}]`;
    if (!isObj(e)) throw new UserError(`${at} must be an object`);
    if (typeof e.reason !== 'string' || e.reason.trim() === '') throw new UserError(`${at}: reason is required (say why the workload needs what the policy forbids)`);
    if (e.namespace !== undefined && typeof e.namespace !== 'string') throw new UserError(`${at}: namespace must be a string`);
    if (e.kinds !== undefined && !strings(e.kinds)) throw new UserError(`${at}: kinds must be a list of strings`);
    if (e.names !== undefined && !strings(e.names)) throw new UserError(`${at}: names must be a list of strings`);
    if (e.labels !== undefined && !(isObj(e.labels) && Object.values(e.labels).every((v) => typeof v === 'string'))) throw new UserError(`${at}: labels must map label keys to strings`);
    // A whole namespace is what exemptions replace: name the workload.
    if ((e.names === undefined || e.names.length === 0) && (e.labels === undefined || Object.keys(e.labels).length === 0)) {
      throw new UserError(`${at}: names or labels are required (an exemption names workloads, never a whole namespace)`);
    }
    return { namespace: (e.namespace as string | undefined) ?? '', kinds: e.kinds as string[] | undefined, names: e.names as string[] | undefined, labels: e.labels as Record<string, string> | undefined, reason: e.reason };
  });
}

/** Index of the first exemption covering `object` (the same test as the templates' `exempt` variable), or -1. */
export function exemptionIndex(exemptions: readonly Exemption[], object: Obj): number {
  const meta = isObj(object.metadata) ? object.metadata : {};
  const namespace = typeof meta.namespace === 'string' ? meta.namespace : '';
  const name = typeof meta.name === 'string' ? meta.name : '';
  const labels = isObj(meta.labels) ? meta.labels : {};
  return exemptions.findIndex(
    (e) =>
      e.namespace === namespace &&
      (e.kinds === undefined || e.kinds.includes(String(object.kind))) &&
      (e.names === undefined || e.names.includes(name)) &&
      (e.labels === undefined || Object.entries(e.labels).every(([k, v]) => (labels[k] ?? '') === v)),
  );
}

/** `monitoring/DaemonSet name=a,b app=x`: how an exemption is named in output. */
export function describeExemption(e: Exemption): string {
  const parts = [e.namespace === '' ? '(cluster)' : e.namespace];
  if (e.kinds) parts.push(e.kinds.join(','));
  if (e.names) parts.push(`name=${e.names.join(',')}`);
  if (e.labels) parts.push(Object.entries(e.labels).map(([k, v]) => `${k}=${v}`).join(','));
  return parts.join(' ');
}

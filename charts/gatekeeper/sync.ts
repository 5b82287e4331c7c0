/**
 * What Gatekeeper must replicate for the library's referential templates (those reading other objects of
 * the cluster, in Rego, from `data.inventory`): each template names it in its
 * `metadata.gatekeeper.sh/requires-sync-data` annotation, and the gatekeeper chart turns the union into
 * the one sync Config Gatekeeper reads.
 *
 * Facts (open-policy-agent/gatekeeper v3.23.0): the annotation holds a JSON list of requirements, each a
 * list of clauses `{groups, versions, kinds}` of which any one combination satisfies it; Gatekeeper strips
 * leading and trailing newlines and quotes before decoding, and refuses unknown keys
 * (pkg/cachemanager/parser/syncannotationreader.go ReadSyncRequirements; website/docs/gator.md "gator sync
 * test"). The Config is `config.gatekeeper.sh/v1alpha1` Config named `config` in Gatekeeper's namespace,
 * `spec.sync.syncOnly` a list of `{group, version, kind}` (website/docs/sync.md; pkg/keys/config.go;
 * charts/gatekeeper/crds/config-customresourcedefinition.yaml). The chart renders no Config of its own
 * (charts/gatekeeper/templates at v3.23.0), so this one is the only one.
 */
import { UserError } from '../../lib/errors';
import { NAMESPACES } from '../../model/namespaces';

export const SYNC_ANNOTATION = 'metadata.gatekeeper.sh/requires-sync-data';
export const GATEKEEPER_CONFIG_API = 'config.gatekeeper.sh/v1alpha1';
/** Gatekeeper reconciles only the Config of this name in its own namespace. */
export const GATEKEEPER_CONFIG_NAME = 'config';

export interface SyncedKind {
  readonly group: string;
  readonly version: string;
  readonly kind: string;
}

const isStrings = (v: unknown): v is string[] => Array.isArray(v) && v.length > 0 && v.every((x) => typeof x === 'string');

/**
 * A template's sync requirements, read as Gatekeeper reads them: each requirement as its clauses'
 * combinations (any one satisfies it). None without the annotation; a malformed one is bad input.
 */
export function syncRequirements(template: Record<string, unknown>): SyncedKind[][] {
  const meta = (template.metadata ?? {}) as { name?: string; annotations?: Record<string, string> };
  const raw = meta.annotations?.[SYNC_ANNOTATION];
  if (raw === undefined) return [];
  const where = `ConstraintTemplate ${meta.name ?? '(unnamed)'}: annotation ${SYNC_ANNOTATION}`;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw.replace(/^[\n"]+|[\n"]+$/g, ''));
  } catch (err) {
    throw new UserError(`${where}: not JSON (${(err as Error).message})`);
  }
  if (!Array.isArray(parsed)) throw new UserError(`${where}: must be a list of requirements, each a list of {groups, versions, kinds} clauses`);
  return parsed.map((requirement: unknown, i) => {
    if (!Array.isArray(requirement) || requirement.length === 0) throw new UserError(`${where}: requirement ${i} must be a non-empty list of clauses`);
    return requirement.flatMap((clause: unknown, j) => {
      const c = (clause ?? {}) as Record<string, unknown>;
      const extra = Object.keys(c).filter((k) => !['groups', 'versions', 'kinds'].includes(k));
      if (typeof clause !== 'object' || Array.isArray(clause) || extra.length > 0 || !isStrings(c.groups) || !isStrings(c.versions) || !isStrings(c.kinds)) {
        throw new UserError(`${where}: requirement ${i} clause ${j} must be {groups, versions, kinds}, each a non-empty list of strings (got ${JSON.stringify(clause)})`);
      }
      return (c.groups as string[]).flatMap((group) => (c.versions as string[]).flatMap((version) => (c.kinds as string[]).map((kind) => ({ group, version, kind }))));
    });
  });
}

const key = (k: SyncedKind): string => `${k.group}/${k.version}/${k.kind}`;

/**
 * The kinds to replicate so that every requirement of the templates is met: per requirement, its first
 * combination unless another requirement's choice already meets it; deduplicated and sorted.
 */
export function syncedKinds(templates: readonly Record<string, unknown>[]): SyncedKind[] {
  const chosen = new Map<string, SyncedKind>();
  for (const template of templates) {
    for (const requirement of syncRequirements(template)) {
      if (requirement.some((k) => chosen.has(key(k)))) continue;
      chosen.set(key(requirement[0]), requirement[0]);
    }
  }
  return [...chosen.values()].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

/** Gatekeeper's sync Config for these templates, or undefined when none reads replicated data. */
export function gatekeeperSyncConfig(templates: readonly Record<string, unknown>[]): Record<string, unknown> | undefined {
  const kinds = syncedKinds(templates);
  if (kinds.length === 0) return undefined;
  return {
    apiVersion: GATEKEEPER_CONFIG_API,
    kind: 'Config',
    metadata: { name: GATEKEEPER_CONFIG_NAME, namespace: NAMESPACES.gatekeeper },
    spec: { sync: { syncOnly: kinds.map((k) => ({ group: k.group, version: k.version, kind: k.kind })) } },
  };
}

/**
 * Gatekeeper constraint matching (`spec.match`): kinds, scope, namespaces, excludedNamespaces,
 * name, labelSelector and namespaceSelector, with Gatekeeper's prefix, suffix and infix `*` globs
 * (pkg/wildcard). `name` also matches an object's generateName, as Gatekeeper does.
 * A Namespace object is matched as if it lived in itself; other cluster-scoped objects, and objects
 * that name no namespace (gator reads files the API server has not defaulted), are not filtered by
 * the namespace criteria and do not match `scope: Namespaced`, as in Gatekeeper's pkg/mutation/match.
 */

export interface LabelSelector {
  readonly matchLabels?: Record<string, string>;
  readonly matchExpressions?: readonly { key: string; operator: string; values?: string[] }[];
}

export interface ConstraintMatch {
  readonly kinds?: readonly { apiGroups?: string[]; kinds?: string[] }[];
  readonly scope?: string;
  readonly namespaces?: readonly string[];
  readonly excludedNamespaces?: readonly string[];
  readonly name?: string;
  readonly labelSelector?: LabelSelector;
  readonly namespaceSelector?: LabelSelector;
}

/** What matching needs to know about the object under review. */
export interface MatchTarget {
  readonly group: string;
  readonly kind: string;
  readonly name: string;
  /** metadata.generateName, empty when absent. */
  readonly generateName: string;
  /** Empty for cluster-scoped objects. */
  readonly namespace: string;
  readonly labels: Readonly<Record<string, string>>;
  /** Labels of the object's namespace (of the object itself for a Namespace); undefined when unknown. */
  readonly namespaceLabels: Readonly<Record<string, string>> | undefined;
}

/** Gatekeeper's glob: `*` alone, a `prefix*`, a `*suffix`, a `*infix*`, or an exact name. */
export function globMatch(pattern: string, value: string): boolean {
  const leading = pattern.startsWith('*');
  const trailing = pattern.endsWith('*') && pattern.length > 1;
  if (leading && trailing) return value.includes(pattern.slice(1, -1));
  if (leading) return value.endsWith(pattern.slice(1));
  if (trailing) return value.startsWith(pattern.slice(0, -1));
  return pattern === value;
}

/**
 * Gatekeeper's `match.name` against an object that has only a generateName: a `prefix*` or
 * `*infix*` pattern matches when the generateName starts with the prefix (contains the infix).
 */
export function globMatchesGenerateName(pattern: string, generateName: string): boolean {
  if (generateName === '' || !pattern.endsWith('*')) return false;
  return pattern.startsWith('*') ? generateName.includes(pattern.slice(1, -1)) : generateName.startsWith(pattern.slice(0, -1));
}

/** Kubernetes label selector semantics; an empty selector matches everything. */
export function selectorMatches(selector: LabelSelector, labels: Readonly<Record<string, string>>): boolean {
  for (const [k, v] of Object.entries(selector.matchLabels ?? {})) if (labels[k] !== v) return false;
  for (const expr of selector.matchExpressions ?? []) {
    const has = Object.prototype.hasOwnProperty.call(labels, expr.key);
    const values = expr.values ?? [];
    switch (expr.operator) {
      case 'In':
        if (!has || !values.includes(labels[expr.key])) return false;
        break;
      case 'NotIn':
        if (has && values.includes(labels[expr.key])) return false;
        break;
      case 'Exists':
        if (!has) return false;
        break;
      case 'DoesNotExist':
        if (has) return false;
        break;
      default:
        return false;
    }
  }
  return true;
}

/** A constraint's `spec.match`, checked and compiled once; semantics in the file comment. */
export interface CompiledMatch {
  /** The `kinds` criterion, which depends on the object's group and kind alone. */
  matchesKind(group: string, kind: string): boolean;
  /** Every other criterion. */
  matchesRest(target: MatchTarget): boolean;
}

/** A list of Gatekeeper globs as a set of exact names plus the few real globs. */
function globSet(patterns: readonly string[]): (value: string) => boolean {
  const exact = new Set(patterns.filter((p) => !p.startsWith('*') && !p.endsWith('*')));
  const globs = patterns.filter((p) => !exact.has(p));
  if (globs.length === 0) return (value) => exact.has(value);
  return (value) => exact.has(value) || globs.some((p) => globMatch(p, value));
}

function stringList(v: unknown, field: string): string[] {
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) throw new TypeError(`${field} must be a list of strings (got ${JSON.stringify(v)})`);
  return v as string[];
}

function checkSelector(v: unknown, field: string): LabelSelector {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new TypeError(`${field} must be a label selector object (got ${JSON.stringify(v)})`);
  const sel = v as Record<string, unknown>;
  const labels = sel.matchLabels;
  if (labels !== undefined && (labels === null || typeof labels !== 'object' || Array.isArray(labels) || Object.values(labels).some((x) => typeof x !== 'string'))) {
    throw new TypeError(`${field}.matchLabels must map label names to strings (got ${JSON.stringify(labels)})`);
  }
  const exprs = sel.matchExpressions;
  if (exprs !== undefined) {
    if (!Array.isArray(exprs)) throw new TypeError(`${field}.matchExpressions must be a list (got ${JSON.stringify(exprs)})`);
    exprs.forEach((e: unknown, i) => {
      const x = e as Record<string, unknown> | null;
      if (x === null || typeof x !== 'object' || typeof x.key !== 'string' || !['In', 'NotIn', 'Exists', 'DoesNotExist'].includes(x.operator as string)) {
        throw new TypeError(`${field}.matchExpressions[${i}] needs a string key and an operator In, NotIn, Exists or DoesNotExist (got ${JSON.stringify(e)})`);
      }
      if (x.values !== undefined) stringList(x.values, `${field}.matchExpressions[${i}].values`);
    });
  }
  return sel as LabelSelector;
}

/**
 * Checks and compiles `spec.match`. Malformed criteria throw a TypeError naming the field (the
 * caller turns it into a UserError naming the constraint): a check that silently ignored a
 * criterion would evaluate constraints where the cluster would not.
 */
export function compileMatch(match: ConstraintMatch | undefined): CompiledMatch {
  if (!match) return { matchesKind: () => true, matchesRest: () => true };
  const m = match as Record<string, unknown>;
  let kinds: { groups: Set<string> | undefined; kinds: Set<string> | undefined }[] | undefined;
  if (m.kinds !== undefined) {
    if (!Array.isArray(m.kinds)) throw new TypeError(`spec.match.kinds must be a list (got ${JSON.stringify(m.kinds)})`);
    kinds = m.kinds.map((k: unknown, i) => {
      const entry = (k ?? {}) as Record<string, unknown>;
      const groups = entry.apiGroups === undefined ? ['*'] : stringList(entry.apiGroups, `spec.match.kinds[${i}].apiGroups`);
      const names = entry.kinds === undefined ? ['*'] : stringList(entry.kinds, `spec.match.kinds[${i}].kinds`);
      return { groups: groups.includes('*') ? undefined : new Set(groups), kinds: names.includes('*') ? undefined : new Set(names) };
    });
    if (kinds.length === 0) kinds = undefined;
  }
  const kindEntries = kinds;
  const matchesKind = (group: string, kind: string): boolean =>
    kindEntries === undefined || kindEntries.some((k) => (k.groups === undefined || k.groups.has(group)) && (k.kinds === undefined || k.kinds.has(kind)));

  if (m.scope !== undefined && !['*', 'Cluster', 'Namespaced'].includes(m.scope as string)) throw new TypeError(`spec.match.scope must be one of *, Cluster, Namespaced (got ${JSON.stringify(m.scope)})`);
  if (m.name !== undefined && typeof m.name !== 'string') throw new TypeError(`spec.match.name must be a string (got ${JSON.stringify(m.name)})`);
  const scope = m.scope as string | undefined;
  const name = m.name as string | undefined;
  const included = m.namespaces === undefined ? undefined : globSet(stringList(m.namespaces, 'spec.match.namespaces'));
  const excluded = m.excludedNamespaces === undefined ? undefined : globSet(stringList(m.excludedNamespaces, 'spec.match.excludedNamespaces'));
  const namespaceSelector = m.namespaceSelector === undefined ? undefined : checkSelector(m.namespaceSelector, 'spec.match.namespaceSelector');
  const labelSelector = m.labelSelector === undefined ? undefined : checkSelector(m.labelSelector, 'spec.match.labelSelector');

  const matchesRest = (target: MatchTarget): boolean => {
    const isNamespace = target.kind === 'Namespace' && target.group === '';
    const clusterScoped = target.namespace === '' && !isNamespace;
    if (scope === 'Cluster' && target.namespace !== '') return false;
    if (scope === 'Namespaced' && target.namespace === '') return false;
    if (name !== undefined && name !== '' && !globMatch(name, target.name) && !globMatchesGenerateName(name, target.generateName)) return false;
    if (!clusterScoped) {
      const ns = isNamespace ? target.name : target.namespace;
      if (included && !included(ns)) return false;
      if (excluded && excluded(ns)) return false;
      if (namespaceSelector && !selectorMatches(namespaceSelector, target.namespaceLabels ?? {})) return false;
    }
    if (labelSelector && !selectorMatches(labelSelector, target.labels)) return false;
    return true;
  };
  return { matchesKind, matchesRest };
}

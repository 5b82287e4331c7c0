/**
 * Gatekeeper constraint matching (`spec.match`): kinds, scope, namespaces, excludedNamespaces,
 * name, labelSelector and namespaceSelector, with Gatekeeper's prefix/suffix `*` globs.
 * A Namespace object is matched as if it lived in itself; other cluster-scoped objects are not
 * filtered by the namespace criteria, as in Gatekeeper.
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
  /** Empty for cluster-scoped objects. */
  readonly namespace: string;
  readonly labels: Readonly<Record<string, string>>;
  /** Labels of the object's namespace (of the object itself for a Namespace); undefined when unknown. */
  readonly namespaceLabels: Readonly<Record<string, string>> | undefined;
}

/** Gatekeeper's glob: `*` alone, a `prefix*`, a `*suffix`, or an exact name. */
export function globMatch(pattern: string, value: string): boolean {
  if (pattern === '*') return true;
  if (pattern.endsWith('*')) return value.startsWith(pattern.slice(0, -1));
  if (pattern.startsWith('*')) return value.endsWith(pattern.slice(1));
  return pattern === value;
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

function kindsMatch(kinds: ConstraintMatch['kinds'], target: MatchTarget): boolean {
  if (!kinds || kinds.length === 0) return true;
  return kinds.some((k) => {
    const groups = k.apiGroups ?? ['*'];
    const names = k.kinds ?? ['*'];
    return (groups.includes('*') || groups.includes(target.group)) && (names.includes('*') || names.includes(target.kind));
  });
}

export function constraintMatches(match: ConstraintMatch | undefined, target: MatchTarget): boolean {
  if (!match) return true;
  if (!kindsMatch(match.kinds, target)) return false;
  const isNamespace = target.kind === 'Namespace' && target.group === '';
  const clusterScoped = target.namespace === '' && !isNamespace;
  if (match.scope === 'Cluster' && target.namespace !== '') return false;
  if (match.scope === 'Namespaced' && target.namespace === '') return false;
  if (match.name !== undefined && !globMatch(match.name, target.name)) return false;
  if (!clusterScoped) {
    const ns = isNamespace ? target.name : target.namespace;
    if (match.namespaces && !match.namespaces.some((p) => globMatch(p, ns))) return false;
    if (match.excludedNamespaces && match.excludedNamespaces.some((p) => globMatch(p, ns))) return false;
    if (match.namespaceSelector && !selectorMatches(match.namespaceSelector, target.namespaceLabels ?? {})) return false;
  }
  if (match.labelSelector && !selectorMatches(match.labelSelector, target.labels)) return false;
  return true;
}

/**
 * IAM, KMS and trust policy documents inside property values (JSON strings, as Pulumi passes them):
 * parsing, and a statement-by-statement diff so a reviewer sees which grant changed.
 */

export interface Statement {
  readonly Sid?: string;
  readonly Effect?: string;
  readonly Principal?: unknown;
  readonly NotPrincipal?: unknown;
  readonly Action?: unknown;
  readonly NotAction?: unknown;
  readonly Resource?: unknown;
  readonly NotResource?: unknown;
  readonly Condition?: unknown;
}

/** The statements of a policy document given as JSON text or object; undefined when it is not one. */
export function readStatements(value: unknown): Statement[] | undefined {
  let doc: unknown = value;
  if (typeof value === 'string') {
    const t = value.trim();
    if (!t.startsWith('{')) return undefined;
    try {
      doc = JSON.parse(t);
    } catch {
      return undefined;
    }
  }
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) return undefined;
  const st = (doc as { Statement?: unknown }).Statement;
  if (Array.isArray(st)) return st.filter((s): s is Statement => !!s && typeof s === 'object');
  if (st && typeof st === 'object') return [st as Statement];
  return undefined;
}

export function isPolicyDocument(value: unknown): boolean {
  return readStatements(value) !== undefined;
}

/** A string or list field of a statement as a list. */
export function listOf(v: unknown): string[] {
  if (typeof v === 'string') return [v];
  if (Array.isArray(v)) return v.filter((e): e is string => typeof e === 'string');
  return [];
}

/** Every principal a statement names, as `AWS:<arn>`, `Service:<name>`, `Federated:<arn>`, or `*`. */
export function principalsOf(s: Statement): string[] {
  const p = s.Principal;
  if (p === '*') return ['*'];
  if (!p || typeof p !== 'object') return [];
  const out: string[] = [];
  for (const [kind, v] of Object.entries(p as Record<string, unknown>)) {
    for (const e of listOf(v)) out.push(e === '*' ? '*' : `${kind}:${e}`);
  }
  return out.sort();
}

export function hasCondition(s: Statement): boolean {
  return !!s.Condition && typeof s.Condition === 'object' && Object.keys(s.Condition).length > 0;
}

export function isAllow(s: Statement): boolean {
  return s.Effect === 'Allow';
}

/** A stable text form: keys sorted at every level. */
export function canonical(v: unknown): string {
  return JSON.stringify(v, (_k, e: unknown) =>
    e && typeof e === 'object' && !Array.isArray(e) ? Object.fromEntries(Object.entries(e).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : e,
  );
}

export type StatementStatus = 'added' | 'removed' | 'changed' | 'unchanged';

export interface StatementChange {
  readonly status: StatementStatus;
  /** `Sid` when the statement has one, else its position (`#0`) in the new (or old) document. */
  readonly label: string;
  readonly before?: Statement;
  readonly after?: Statement;
}

/**
 * Pairs old and new statements: by Sid, then identical statements, then the rest in order.
 * Result order: new document order, removed statements last.
 */
export function diffStatements(before: readonly Statement[], after: readonly Statement[]): StatementChange[] {
  const pairOfNew = new Map<number, number>();
  const usedOld = new Set<number>();
  const sidIndex = new Map<string, number>();
  before.forEach((s, i) => {
    if (typeof s.Sid === 'string' && s.Sid !== '' && !sidIndex.has(s.Sid)) sidIndex.set(s.Sid, i);
  });
  after.forEach((s, j) => {
    const i = typeof s.Sid === 'string' ? sidIndex.get(s.Sid) : undefined;
    if (i !== undefined && !usedOld.has(i)) {
      pairOfNew.set(j, i);
      usedOld.add(i);
    }
  });
  after.forEach((s, j) => {
    if (pairOfNew.has(j)) return;
    const c = canonical(s);
    const i = before.findIndex((o, k) => !usedOld.has(k) && canonical(o) === c);
    if (i >= 0) {
      pairOfNew.set(j, i);
      usedOld.add(i);
    }
  });
  const restOld = before.map((_s, i) => i).filter((i) => !usedOld.has(i) && !(typeof before[i].Sid === 'string' && before[i].Sid !== ''));
  after.forEach((s, j) => {
    if (pairOfNew.has(j) || (typeof s.Sid === 'string' && s.Sid !== '')) return;
    const i = restOld.shift();
    if (i !== undefined) {
      pairOfNew.set(j, i);
      usedOld.add(i);
    }
  });
  const label = (s: Statement, index: number): string => (typeof s.Sid === 'string' && s.Sid !== '' ? s.Sid : `#${index}`);
  const changes: StatementChange[] = after.map((s, j) => {
    const i = pairOfNew.get(j);
    if (i === undefined) return { status: 'added', label: label(s, j), after: s };
    const same = canonical(before[i]) === canonical(s);
    return { status: same ? 'unchanged' : 'changed', label: label(s, j), before: before[i], after: s };
  });
  before.forEach((s, i) => {
    if (!usedOld.has(i)) changes.push({ status: 'removed', label: label(s, i), before: s });
  });
  return changes;
}

/**
 * IAM, KMS and trust policy documents: the types the program writes them with (serialized with
 * JSON.stringify, never `aws.iam.getPolicyDocument`: see DESIGN.md), reading them back from property
 * values (JSON text as Pulumi passes them, or objects), the facts about actions the rules need, and a
 * statement-by-statement diff so a reviewer sees which grant changed. The one home of all of it:
 * infra/ writes with these types, lib/rules judges and lib/audit diffs what this module reads.
 */
import { stringsOf } from './untyped';

/** A statement as the program writes it. */
export interface PolicyStatement {
  readonly Sid?: string;
  readonly Effect: 'Allow' | 'Deny';
  readonly Principal?: '*' | Readonly<Record<string, string | readonly string[]>>;
  readonly Action?: string | readonly string[];
  readonly NotAction?: string | readonly string[];
  readonly Resource?: string | readonly string[];
  readonly NotResource?: string | readonly string[];
  readonly Condition?: Readonly<Record<string, Readonly<Record<string, string | boolean | readonly string[]>>>>;
}

/** A policy document as the program writes it. */
export interface PolicyDocument {
  readonly Version: '2012-10-17';
  readonly Statement: readonly PolicyStatement[];
}

/** A document of these statements, in the 2012-10-17 policy language. */
export function policyDocument(...statements: PolicyStatement[]): PolicyDocument {
  return { Version: '2012-10-17', Statement: statements };
}

/** A statement as read from a property value: any field may hold anything. */
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

/** Every principal a statement names, as `AWS:<arn>`, `Service:<name>`, `Federated:<arn>`, or `*`. */
export function principalsOf(s: Statement): string[] {
  const p = s.Principal;
  if (p === '*') return ['*'];
  if (!p || typeof p !== 'object') return [];
  const out: string[] = [];
  for (const [kind, v] of Object.entries(p as Record<string, unknown>)) {
    for (const e of stringsOf(v)) out.push(e === '*' ? '*' : `${kind}:${e}`);
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

/** Whether an IAM action pattern (`ec2:Authorize*`, `route53:*`) covers `action`; IAM matches case-insensitively. */
export function actionCovers(pattern: string, action: string): boolean {
  const re = new RegExp(`^${pattern.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`, 'i');
  return re.test(action);
}

/** An action that grants a whole service or everything: `*`, `s3:*`. Prefixes like `kms:Describe*` are fine. */
export function isWildcardAction(action: string): boolean {
  return action === '*' || /^[a-z0-9-]+:\*$/i.test(action);
}

/** Security group rule changes and deletion: without a Condition they can open or remove any group of the account. */
export const SECURITY_GROUP_WRITE_ACTIONS = [
  'ec2:AuthorizeSecurityGroupEgress', 'ec2:AuthorizeSecurityGroupIngress', 'ec2:DeleteSecurityGroup', 'ec2:ModifySecurityGroupRules',
  'ec2:RevokeSecurityGroupEgress', 'ec2:RevokeSecurityGroupIngress',
] as const;

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

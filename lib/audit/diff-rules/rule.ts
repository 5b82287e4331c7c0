/** What a change rule is, and the small readers every rule shares. */
import type { RuleContext } from '../../rules';
import type { Severity } from '../../severity';
import type { ResourceChange } from '../changes';
import { SECRET, UNKNOWN } from '../preview';

/** A finding of a change rule: `id` is always the rule's own. */
export interface ChangeFinding {
  readonly id: string;
  readonly severity: Severity;
  readonly control: string;
  readonly message: string;
  /** Property path the finding is about, when there is one. */
  readonly path?: string;
}

/** What a rule reports about one change; checkChange stamps the rule's id on it. */
export type ChangeIssue = Omit<ChangeFinding, 'id'>;

/**
 * One change rule: one finding id, what makes it, which resource types it reads. A rule never reports
 * under another id, so an id in a report always leads to one rule (`DIFF_RULES`).
 */
export interface DiffRule {
  /** The id of every finding it reports. */
  readonly id: string;
  readonly description: string;
  /** Whether the rule reads changes of this resource type. */
  readonly appliesTo: (type: string) => boolean;
  check(change: ResourceChange, ctx: RuleContext): ChangeIssue[];
}

export type Props = Readonly<Record<string, unknown>>;

/** A value the preview knows (not "known after apply", not a secret). */
export function known(v: unknown): boolean {
  return v !== UNKNOWN && v !== SECRET;
}

export function oneOf(...types: string[]): (type: string) => boolean {
  return (t) => types.includes(t);
}

/** A rule judged on the old and new inputs of one change. */
export interface ComparingRule {
  readonly id: string;
  readonly description: string;
  readonly appliesTo: (type: string) => boolean;
  /** Judge creates too, against empty old inputs. @default false (updates and replaces only) */
  readonly onCreate?: boolean;
  compare(before: Props, after: Props, change: ResourceChange, ctx: RuleContext): ChangeIssue[];
}

/** A DiffRule from a ComparingRule: changes without both sides (deletes, reads; creates unless `onCreate`) report nothing. */
export function comparing(rule: ComparingRule): DiffRule {
  const { compare, onCreate, ...meta } = rule;
  return {
    ...meta,
    check(c, ctx) {
      const s = sides(c, onCreate);
      return s ? compare(s[0], s[1], c, ctx) : [];
    },
  };
}

/** Old and new props of an update or replace; for a create (when allowed) old is empty. */
export function sides(c: ResourceChange, onCreate = false): [Props, Props] | undefined {
  if (c.after === undefined) return undefined;
  if (c.before === undefined) return onCreate && (c.op === 'create' || c.op === 'import') ? [{}, c.after] : undefined;
  return [c.before, c.after];
}

/**
 * From preview steps to one change per resource: replacement steps (`replace`, `create-replacement`,
 * `delete-replaced`, shown with --show-replacement-steps) are grouped per URN so a replace reads as one
 * change, and old and new inputs are diffed property by property (Pulumi's JSON has no old/new value
 * per path, only which paths differ).
 */
import { parseUrn, type PreviewDigest, type PreviewStep, type PropertyDiff, type ResourceState } from './preview';
import { diffStatements, readStatements, type StatementChange } from '../iam-document';
import { deepEqual, getPath, joinPath, sanitize } from './values';

export type ChangeOp = 'create' | 'update' | 'delete' | 'replace' | 'same' | 'read' | 'import' | 'refresh' | 'discard' | 'remove-pending-replace' | (string & {});

/** Display order of operations. */
export const OP_ORDER: readonly string[] = ['create', 'update', 'replace', 'delete', 'import', 'read', 'refresh', 'discard', 'remove-pending-replace', 'same'];

export interface PropertyChange {
  readonly path: string;
  readonly kind: 'add' | 'delete' | 'update';
  readonly before?: unknown;
  readonly after?: unknown;
  /** This property forces the resource to be replaced. */
  readonly replace: boolean;
  /** Present when both sides are policy documents: the statement-by-statement diff. */
  readonly statements?: readonly StatementChange[];
}

export interface ResourceChange {
  readonly urn: string;
  readonly type: string;
  readonly name: string;
  readonly stack: string;
  readonly op: ChangeOp;
  /** Raw step operations for this URN, in preview order. */
  readonly stepOps: readonly string[];
  /** Masked inputs before and after the change (undefined for creates and deletes respectively). */
  readonly before?: Readonly<Record<string, unknown>>;
  readonly after?: Readonly<Record<string, unknown>>;
  readonly diffReasons: readonly string[];
  readonly replaceReasons: readonly string[];
  readonly deleteBeforeReplace: boolean;
  readonly protect: boolean;
  /** The old resource is only dropped from the stack, not deleted in the cloud (`retainOnDelete`). */
  readonly retainOnDelete: boolean;
  readonly properties: readonly PropertyChange[];
}

/** Path of the row that reports a change of the `protect` resource option (not an input property). */
export const PROTECT_PATH = '(resource option) protect';

const REPLACEMENT_OPS = new Set(['replace', 'create-replacement', 'delete-replaced', 'import-replacement']);

function logicalOp(ops: readonly string[]): ChangeOp {
  if (ops.some((o) => REPLACEMENT_OPS.has(o))) return 'replace';
  if (ops.includes('read-replacement')) return 'read';
  if (ops.includes('discard-replaced')) return 'discard';
  return ops[0];
}

function stateProps(state: ResourceState | undefined, outputsFirst = false): Record<string, unknown> | undefined {
  if (!state) return undefined;
  const raw = outputsFirst ? (state.outputs ?? state.inputs) : (state.inputs ?? state.outputs);
  return (sanitize(raw ?? {}, state.type) as Record<string, unknown>);
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Recursive diff; whole values below the point where structure stops matching. */
export function diffProperties(before: unknown, after: unknown, path = ''): Omit<PropertyChange, 'replace'>[] {
  if (deepEqual(before, after)) return [];
  if (before === undefined) return [{ path, kind: 'add', after }];
  if (after === undefined) return [{ path, kind: 'delete', before }];
  if (isPlainObject(before) && isPlainObject(after)) {
    const keys = [...Object.keys(after), ...Object.keys(before).filter((k) => !(k in after))];
    return keys.flatMap((k) => diffProperties(before[k], after[k], joinPath(path, k)));
  }
  if (Array.isArray(before) && Array.isArray(after) && before.length === after.length && before.some(isPlainObject)) {
    return before.flatMap((b, i) => diffProperties(b, after[i], joinPath(path, i)));
  }
  const oldStatements = readStatements(before);
  const newStatements = oldStatements ? readStatements(after) : undefined;
  if (oldStatements && newStatements) return [{ path, kind: 'update', before, after, statements: diffStatements(oldStatements, newStatements) }];
  return [{ path, kind: 'update', before, after }];
}

function topKey(path: string): string {
  return /^[^.[]*/.exec(path)?.[0] ?? path;
}

function related(a: string, b: string): boolean {
  return a === b || a.startsWith(`${b}.`) || a.startsWith(`${b}[`) || b.startsWith(`${a}.`) || b.startsWith(`${a}[`);
}

function buildChange(urn: string, steps: readonly PreviewStep[]): ResourceChange {
  const parsed = parseUrn(urn);
  const ops = steps.map((s) => s.op);
  const op = logicalOp(ops);
  const pick = (...wanted: string[]): PreviewStep | undefined => wanted.map((w) => steps.find((s) => s.op === w)).find((s) => s !== undefined);
  const oldState = (pick('replace', 'delete-replaced', 'update', 'delete', 'same', 'refresh', 'discard', 'discard-replaced', 'import-replacement') ?? steps[0]).oldState ?? steps.find((s) => s.oldState)?.oldState;
  const newState = (pick('replace', 'create-replacement', 'import-replacement', 'update', 'create', 'same', 'read', 'read-replacement', 'import') ?? steps[0]).newState ?? steps.find((s) => s.newState)?.newState;
  const type = newState?.type ?? oldState?.type ?? parsed?.type ?? '';
  const before = op === 'create' || op === 'read' || op === 'import' ? undefined : stateProps(oldState);
  const after = op === 'delete' || op === 'discard' || op === 'remove-pending-replace' ? undefined : stateProps(newState);
  const union = (key: 'diffReasons' | 'replaceReasons'): string[] => [...new Set(steps.flatMap((s) => s[key] ?? []))];
  const diffReasons = union('diffReasons');
  const replaceReasons = union('replaceReasons');
  const detailed: Record<string, PropertyDiff> = {};
  for (const s of steps) Object.assign(detailed, s.detailedDiff ?? {});
  const dd = Object.entries(detailed);
  const forcesReplace = (path: string): boolean =>
    replaceReasons.includes(topKey(path)) || replaceReasons.includes(path) || dd.some(([p, d]) => d.kind.endsWith('-replace') && related(p, path));

  let rows: Omit<PropertyChange, 'replace'>[];
  if (op === 'same' || op === 'refresh') rows = [];
  else if (before === undefined && after !== undefined) rows = Object.keys(after).map((k) => ({ path: joinPath('', k), kind: 'add' as const, after: after[k] }));
  else if (after === undefined && before !== undefined) rows = Object.keys(before).map((k) => ({ path: joinPath('', k), kind: 'delete' as const, before: before[k] }));
  else rows = diffProperties(before ?? {}, after ?? {});
  if (before !== undefined && after !== undefined) {
    // Paths Pulumi reports as different that the input diff misses: drift against the old outputs,
    // or a secret whose masked text is the same on both sides.
    const oldOutputs = stateProps(oldState, true);
    for (const [path, d] of dd.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      if (rows.some((r) => related(r.path, path))) continue;
      const kind = d.kind.startsWith('add') ? 'add' : d.kind.startsWith('delete') ? 'delete' : 'update';
      rows.push({ path, kind, before: getPath(d.inputDiff ? before : oldOutputs, path), after: getPath(after, path) });
    }
  }
  // Pulumi lists a `same` step when only `protect` changed: that flip is the change to show.
  if (oldState && newState && !!oldState.protect !== !!newState.protect) {
    rows.push({ path: PROTECT_PATH, kind: 'update', before: !!oldState.protect, after: !!newState.protect });
  }
  const firstDelete = ops.indexOf('delete-replaced');
  const firstCreate = ops.indexOf('create-replacement');
  return {
    urn,
    type,
    name: parsed?.name ?? urn,
    stack: parsed?.stack ?? '',
    op,
    stepOps: ops,
    before,
    after,
    diffReasons,
    replaceReasons,
    deleteBeforeReplace: firstDelete >= 0 && (firstCreate < 0 || firstDelete < firstCreate),
    protect: !!(oldState?.protect || newState?.protect),
    retainOnDelete: !!oldState?.retainOnDelete,
    properties: rows.map((r) => ({ ...r, replace: op === 'replace' && forcesReplace(r.path) })),
  };
}

/**
 * True when the change does something: not a `same` or a `refresh` that found nothing (Pulumi turns a
 * refresh that finds drift into an update or delete step), unless a resource option such as
 * `protect` changed.
 */
export function isChange(change: ResourceChange): boolean {
  return (change.op !== 'same' && change.op !== 'refresh') || change.properties.length > 0;
}

/** One change per URN, in the order the preview first mentions each. */
export function groupChanges(preview: PreviewDigest): ResourceChange[] {
  const byUrn = new Map<string, PreviewStep[]>();
  for (const step of preview.steps) {
    const list = byUrn.get(step.urn);
    if (list) list.push(step);
    else byUrn.set(step.urn, [step]);
  }
  return [...byUrn].map(([urn, steps]) => buildChange(urn, steps));
}

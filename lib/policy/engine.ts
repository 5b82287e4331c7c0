/**
 * The offline Gatekeeper engine for `K8sNativeValidation` (CEL) ConstraintTemplates, evaluating the
 * way Gatekeeper does:
 * - `variables` are lazy (evaluated when first used, once per review), `variables.params` is the
 *   constraint's spec.parameters (null when absent) and `variables.anyObject` is `object`, or
 *   `oldObject` when `object` is null (DELETE);
 * - `object`, `oldObject`, `request`, `params` (the constraint) and `namespaceObject` are bound;
 * - `matchCondition` entries that are false skip the template (Gatekeeper's source field is spelled
 *   `matchCondition`: gatekeeper v3.23.0 pkg/drivers/k8scel/schema/schema.go, `json:"matchCondition"`;
 *   a `matchConditions` list would be dropped by Gatekeeper, so it is refused here);
 * - a validation that is false is a violation with its messageExpression's value, falling back to
 *   its message, then to "failed expression: <expression>"; a validation that errors is a violation.
 * Each template is compiled once; a review is converted to CEL values once and shared by all
 * constraints, and what only some templates read (`request`, `namespaceObject`) is converted when
 * first read. Variables that depend on the review alone (e.g. the pod spec) are evaluated once per
 * review for every template defining the same expression.
 */
import { CelCompileError, CelCompiler, CelErr, type Frame, newMap, type Program, toCel } from '../cel';
import { UserError } from '../errors';
import { readExemptions, type Exemption } from './exemptions';
import { compileMatch, type CompiledMatch, type ConstraintMatch, type MatchTarget } from './match';
import { parseApiVersion } from '../api-version';
import { asObject as asObj, type Obj } from '../untyped';
import { inventoryRuleFor, type InventoryRule } from './inventory-rules';

export const K8S_NATIVE_VALIDATION = 'K8sNativeValidation';

/** What evaluate returns when nothing is violated: shared, never written to. */
const NO_MESSAGES: readonly string[] = [];
const GLOBALS = ['object', 'oldObject', 'request', 'params', 'namespaceObject'] as const;

/** An admission request to evaluate: a bare object is a CREATE of it. */
export interface Review {
  readonly object: Obj | null;
  readonly oldObject?: Obj | null;
  readonly operation?: string;
  readonly userInfo?: Obj;
  /** The Namespace object of a namespaced object, when known (namespaceObject, namespaceSelector). */
  readonly namespaceObject?: Obj | null;
}

/** A review converted once into CEL values and match data. */
export interface PreparedReview {
  readonly target: MatchTarget;
  readonly object: unknown;
  readonly oldObject: unknown;
  /** Built when first read: few templates read `request`. */
  readonly request: unknown;
  readonly namespaceObject: unknown;
  /**
   * Values of variables that depend on the review only (not on parameters), by share id: shared by
   * every template defining the same expression over the same dependencies (e.g. the pod spec).
   */
  readonly shared: unknown[];
}

export interface PreparedConstraint {
  readonly name: string;
  readonly kind: string;
  readonly enforcementAction: string;
  readonly match: ConstraintMatch | undefined;
  /** `match`, checked and compiled. */
  readonly matcher: CompiledMatch;
  readonly params: unknown;
  readonly constraint: unknown;
  /** spec.parameters.exemptions, read for counting (the template's CEL decides). */
  readonly exemptions: readonly Exemption[];
}

export interface Violation {
  readonly constraint: string;
  readonly constraintKind: string;
  readonly enforcementAction: string;
  readonly message: string;
}

interface CompiledValidation {
  readonly expression: string;
  readonly program: Program;
  readonly message: string | undefined;
  readonly messageExpression: Program | undefined;
}

export interface CompiledTemplate {
  readonly name: string;
  /** The constraint kind the template defines (spec.crd.spec.names.kind). */
  readonly kind: string;
  /** False when the template has no K8sNativeValidation code (e.g. Rego only). */
  readonly hasCel: boolean;
  /**
   * For a template without CEL whose Rego reads the cluster's other objects: the offline equivalent of
   * exactly that Rego (inventory-rules.ts), which `platform check` evaluates over its inputs instead.
   */
  readonly inventoryRule?: InventoryRule;
  /**
   * Messages of the violations of one constraint of this template for one review. `constants` keeps
   * the values of the variables that depend on the constraint alone across reviews: pass the same
   * array for the same constraint (an empty one at first).
   */
  evaluate(constraint: PreparedConstraint, review: PreparedReview, constants?: unknown[]): readonly string[];
}

function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

function stringMap(v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, x] of Object.entries(asObj(v) ?? {})) if (typeof x === 'string') out[k] = x;
  return out;
}

/** Group of an apiVersion (`apps/v1` -> `apps`, `v1` -> ``). */
export function apiGroup(apiVersion: unknown): string {
  return parseApiVersion(str(apiVersion)).group;
}

/** What matching reads of the object under review; labels are collected when a selector asks. */
class Target implements MatchTarget {
  private labelsValue: Record<string, string> | undefined;
  private namespaceLabelsValue: Record<string, string> | undefined | null = null;
  constructor(
    readonly group: string,
    readonly kind: string,
    readonly name: string,
    readonly generateName: string,
    readonly namespace: string,
    private readonly meta: Obj,
    private readonly namespaceMeta: Obj | undefined,
    private readonly isNamespace: boolean,
  ) {}
  get labels(): Record<string, string> {
    return (this.labelsValue ??= stringMap(this.meta.labels));
  }
  get namespaceLabels(): Record<string, string> | undefined {
    if (this.namespaceLabelsValue === null) {
      this.namespaceLabelsValue = this.isNamespace ? this.labels : this.namespaceMeta ? stringMap(this.namespaceMeta.labels) : undefined;
    }
    return this.namespaceLabelsValue;
  }
}

class Prepared implements PreparedReview {
  readonly shared: unknown[] = [];
  private requestValue: unknown;
  private namespaceObjectValue: unknown;
  constructor(
    readonly target: Target,
    readonly object: unknown,
    readonly oldObject: unknown,
    private readonly apiVersion: string,
    private readonly operation: string,
    private readonly review: Review,
  ) {}

  get request(): unknown {
    if (this.requestValue === undefined) {
      const { group, kind, name, namespace } = this.target;
      const { version } = parseApiVersion(this.apiVersion);
      this.requestValue = Object.assign(newMap(), {
        uid: '',
        kind: Object.assign(newMap(), { group, version, kind }),
        resource: Object.assign(newMap(), { group, version, resource: `${kind.toLowerCase()}s` }),
        name,
        namespace,
        operation: this.operation,
        userInfo: toCel(this.review.userInfo ?? {}),
        object: this.object,
        oldObject: this.oldObject,
        dryRun: false,
      });
    }
    return this.requestValue;
  }

  get namespaceObject(): unknown {
    return (this.namespaceObjectValue ??= toCel(this.review.namespaceObject ?? null));
  }
}

/** Converts a review once for evaluation by any number of constraints. */
export function prepareReview(review: Review): PreparedReview {
  const object = review.object ?? null;
  const oldObject = review.oldObject ?? null;
  const subject = object ?? oldObject ?? {};
  const meta = asObj(subject.metadata) ?? {};
  const apiVersion = str(subject.apiVersion);
  const group = apiGroup(apiVersion);
  const kind = str(subject.kind);
  const isNamespace = kind === 'Namespace' && group === '';
  const nsMeta = review.namespaceObject ? asObj(review.namespaceObject.metadata) ?? {} : undefined;
  const target = new Target(group, kind, str(meta.name), str(meta.generateName), str(meta.namespace), meta, nsMeta, isNamespace);
  return new Prepared(target, toCel(object), oldObject === null ? null : toCel(oldObject), apiVersion, review.operation ?? 'CREATE', review);
}

/** Reads a constraint (constraints.gatekeeper.sh) into what evaluation needs; `where` names it in errors. */
export function prepareConstraint(constraint: Obj, where: string): PreparedConstraint {
  const meta = asObj(constraint.metadata);
  const name = str(meta?.name);
  if (name === '') throw new UserError(`${where}: constraint has no metadata.name`);
  const spec = asObj(constraint.spec) ?? {};
  const action = spec.enforcementAction ?? 'deny';
  if (typeof action !== 'string' || !['deny', 'warn', 'dryrun'].includes(action)) {
    throw new UserError(`${where}: constraint ${name}: spec.enforcementAction ${JSON.stringify(action)} is not one of deny, warn, dryrun`);
  }
  if (spec.match !== undefined && asObj(spec.match) === undefined) throw new UserError(`${where}: constraint ${name}: spec.match must be an object`);
  let matcher: CompiledMatch;
  try {
    matcher = compileMatch(spec.match as ConstraintMatch | undefined);
  } catch (err) {
    if (err instanceof TypeError) throw new UserError(`${where}: constraint ${name}: ${err.message}`);
    throw err;
  }
  return {
    name,
    kind: str(constraint.kind),
    enforcementAction: action,
    match: spec.match as ConstraintMatch | undefined,
    matcher,
    params: toCel(spec.parameters ?? null),
    constraint: toCel(constraint),
    exemptions: readExemptions(spec.parameters, `${where}: constraint ${name}`),
  };
}

/** A template's K8sNativeValidation source. */
export interface CelSource {
  variables: { name: string; expression: string }[];
  validations: { expression: string; message?: string; messageExpression?: string }[];
  matchConditions: { name: string; expression: string }[];
}

/** The K8sNativeValidation source of a template named `name`, or undefined when it has none. */
export function readCelSource(name: string, template: Obj): CelSource | undefined {
  const targets = (asObj(template.spec)?.targets ?? []) as unknown[];
  if (!Array.isArray(targets)) throw new UserError(`template ${name}: spec.targets must be a list`);
  for (const target of targets) {
    const code = asObj(target)?.code;
    if (!Array.isArray(code)) continue;
    for (const entry of code) {
      const e = asObj(entry);
      if (e?.engine !== K8S_NATIVE_VALIDATION) continue;
      const source = asObj(e.source) ?? {};
      const list = (key: string): Obj[] => {
        const v = source[key] ?? [];
        if (!Array.isArray(v) || v.some((x) => asObj(x) === undefined)) throw new UserError(`template ${name}: ${K8S_NATIVE_VALIDATION} source.${key} must be a list of objects`);
        return v as Obj[];
      };
      const named = (key: string): { name: string; expression: string }[] =>
        list(key).map((v, i) => {
          if (typeof v.name !== 'string' || typeof v.expression !== 'string') throw new UserError(`template ${name}: source.${key}[${i}] needs a string name and expression`);
          return { name: v.name, expression: v.expression };
        });
      const validations = list('validations').map((v, i) => {
        if (typeof v.expression !== 'string') throw new UserError(`template ${name}: source.validations[${i}].expression must be a string`);
        return { expression: v.expression, message: typeof v.message === 'string' ? v.message : undefined, messageExpression: typeof v.messageExpression === 'string' ? v.messageExpression : undefined };
      });
      if (source.matchConditions !== undefined) {
        throw new UserError(`template ${name}: ${K8S_NATIVE_VALIDATION} source.matchConditions is not a Gatekeeper field (Gatekeeper reads source.matchCondition and would ignore it)`);
      }
      return { variables: named('variables'), validations, matchConditions: named('matchCondition') };
    }
  }
  return undefined;
}

/**
 * Compiles a ConstraintTemplate once. Invalid templates and expressions that fail to compile are
 * UserErrors naming the template, the expression and the reason.
 */
export function compileTemplate(template: Obj): CompiledTemplate {
  const name = str(asObj(template.metadata)?.name) || '(unnamed)';
  const kind = str(asObj(asObj(asObj(asObj(template.spec)?.crd)?.spec)?.names)?.kind);
  if (kind === '') throw new UserError(`template ${name}: spec.crd.spec.names.kind is required`);
  const source = readCelSource(name, template);
  if (!source) {
    const inventoryRule = inventoryRuleFor(template);
    return { name, kind, hasCel: false, ...(inventoryRule ? { inventoryRule } : {}), evaluate: () => [] };
  }

  const variableNames = ['anyObject', 'params', ...source.variables.map((v) => v.name)];
  const compiler = new CelCompiler({ globals: GLOBALS, variables: variableNames });
  const compile = (what: string, expression: string): Program => {
    try {
      return compiler.compile(expression);
    } catch (err) {
      if (err instanceof CelCompileError) throw new UserError(`template ${name}: ${what} ${JSON.stringify(expression.trim())} does not compile: ${err.message}`);
      throw err;
    }
  };
  const anyObject = compile('variable "anyObject"', 'object == null ? oldObject : object');
  // variables.params is preset per evaluation (see bind), so its program never runs.
  const variables: Program[] = [anyObject, () => null, ...source.variables.map((v) => compile(`variable "${v.name}"`, v.expression))];
  const conditions = source.matchConditions.map((c) => ({ name: c.name, program: compile(`matchCondition "${c.name}"`, c.expression) }));
  const validations: CompiledValidation[] = source.validations.map((v, i) => ({
    expression: v.expression,
    program: compile(`validations[${i}].expression`, v.expression),
    message: v.message,
    messageExpression: v.messageExpression === undefined ? undefined : compile(`validations[${i}].messageExpression`, v.messageExpression),
  }));
  const slotCount = compiler.slotCount;
  const shareIds = shareableKeys(variableNames, ['', '', ...source.variables.map((v) => v.expression)]).map((key) => (key === undefined ? -1 : shareId(key)));
  const constant = constantVariables(variableNames, ['', '', ...source.variables.map((v) => v.expression)]);
  let constants: unknown[] = [];
  const usesRequest = compiler.usesGlobal('request');
  const usesNamespaceObject = compiler.usesGlobal('namespaceObject');

  // One frame per template, rebound for each evaluation: evaluation is synchronous and a template's
  // programs never evaluate another review, so nothing outlives bind()'s caller.
  const slots: unknown[] = new Array(slotCount);
  const memo: unknown[] = new Array(variables.length);
  const EVALUATING = memo; // a sentinel no CEL value can equal
  let current: PreparedReview | undefined;
  const frame: Frame = {
    slots,
    variable(index: number): unknown {
      const cached = memo[index];
      if (cached !== undefined) {
        return cached === EVALUATING ? new CelErr(`variable "${variableNames[index]}" refers to itself`) : cached;
      }
      if (constant[index] && constants[index] !== undefined) return (memo[index] = constants[index]);
      const id = shareIds[index];
      const shared = (current as PreparedReview).shared;
      if (id !== -1 && shared[id] !== undefined) return (memo[index] = shared[id]);
      memo[index] = EVALUATING;
      const value = variables[index](frame);
      memo[index] = value;
      if (id !== -1) shared[id] = value;
      if (constant[index]) constants[index] = value;
      return value;
    },
  };
  const bind = (constraint: PreparedConstraint, review: PreparedReview, cache: unknown[] | undefined): void => {
    current = review;
    slots[0] = review.object;
    slots[1] = review.oldObject;
    slots[2] = usesRequest ? review.request : null;
    slots[3] = constraint.constraint;
    slots[4] = usesNamespaceObject ? review.namespaceObject : null;
    memo.fill(undefined);
    memo[1] = constraint.params;
    constants = cache ?? [];
  };

  return {
    name,
    kind,
    hasCel: true,
    evaluate(constraint, review, cache) {
      bind(constraint, review, cache);
      for (const c of conditions) {
        const ok = c.program(frame);
        if (ok === false) return NO_MESSAGES;
        if (ok !== true) return [`matchCondition '${c.name}' resulted in error: ${ok instanceof CelErr ? ok.message : 'expected a bool'}`];
      }
      // Most reviews pass: no array is allocated for them.
      let messages: string[] | undefined;
      for (const v of validations) {
        const ok = v.program(frame);
        if (ok === true) continue;
        if (ok !== false) {
          const why = ok instanceof CelErr ? ok.message : `expected a bool, got ${JSON.stringify(ok)}`;
          (messages ??= []).push(`expression '${v.expression.trim()}' resulted in error: ${why}`);
          continue;
        }
        (messages ??= []).push(violationMessage(v, frame));
      }
      return messages ?? NO_MESSAGES;
    },
  };
}

/**
 * For each variable, a key identifying its value across templates when it depends on the review
 * alone: its expression plus the keys of the variables it reads. Anything mentioning params (or
 * depending on something that does) is not shared. `anyObject` is index 0, `params` index 1.
 */
function shareableKeys(names: readonly string[], expressions: readonly string[]): (string | undefined)[] {
  const keys = new Map<number, string | undefined>([
    [0, 'anyObject'],
    [1, undefined],
  ]);
  const visiting = new Set<number>();
  const keyOf = (i: number): string | undefined => {
    if (keys.has(i)) return keys.get(i);
    if (visiting.has(i)) return undefined;
    visiting.add(i);
    const src = expressions[i];
    let key: string | undefined = /\bparams\b/.test(src) ? undefined : src;
    for (const m of src.matchAll(/\bvariables\s*\.\s*([A-Za-z_][A-Za-z0-9_]*)/g)) {
      if (key === undefined) break;
      const dep = names.indexOf(m[1]);
      const depKey = dep === -1 ? undefined : keyOf(dep);
      key = depKey === undefined ? undefined : `${key}\u0000${m[1]}=${depKey}`;
    }
    if (/\bvariables\b(?!\s*\.)/.test(src)) key = undefined;
    visiting.delete(i);
    keys.set(i, key);
    return key;
  };
  return names.map((_, i) => keyOf(i));
}

/**
 * Which variables depend on the constraint alone (its parameters, other such variables), never on
 * the review: their values are computed once per constraint (e.g. a normalized registry list). A
 * variable naming object, oldObject, request or namespaceObject anywhere, or reading a variable that
 * is not constant, is not; `anyObject` is index 0 (not constant), `params` index 1 (constant).
 */
function constantVariables(names: readonly string[], expressions: readonly string[]): boolean[] {
  const known = new Map<number, boolean>([
    [0, false],
    [1, true],
  ]);
  const visiting = new Set<number>();
  const isConstant = (i: number): boolean => {
    const k = known.get(i);
    if (k !== undefined) return k;
    if (visiting.has(i)) return false;
    visiting.add(i);
    const src = expressions[i];
    let result = !/\b(object|oldObject|request|namespaceObject)\b/.test(src) && !/\bvariables\b(?!\s*\.)/.test(src);
    for (const m of src.matchAll(/\bvariables\s*\.\s*([A-Za-z_][A-Za-z0-9_]*)/g)) {
      if (!result) break;
      const dep = names.indexOf(m[1]);
      result = dep !== -1 && isConstant(dep);
    }
    visiting.delete(i);
    known.set(i, result);
    return result;
  };
  return names.map((_, i) => isConstant(i));
}

/** Share keys as small integers, so that a review's shared values are an array. */
const SHARE_IDS = new Map<string, number>();
function shareId(key: string): number {
  let id = SHARE_IDS.get(key);
  if (id === undefined) SHARE_IDS.set(key, (id = SHARE_IDS.size));
  return id;
}

function violationMessage(v: CompiledValidation, frame: Frame): string {
  if (v.messageExpression) {
    const m = v.messageExpression(frame);
    if (typeof m === 'string' && m.trim() !== '' && !m.includes('\n')) return m;
  }
  if (v.message !== undefined && v.message.trim() !== '') return v.message;
  return `failed expression: ${v.expression.trim()}`;
}

/**
 * Compiles CEL source into JavaScript closures, once; the closures then evaluate against many
 * inputs. Parsing (and macro expansion) is @bufbuild/cel's; evaluation is ours, so that it can add
 * what Kubernetes CEL needs: optional values and syntax, `cel.bind`, lazily evaluated
 * `variables.<name>`, and the Kubernetes function libraries (functions.ts).
 *
 * Unknown identifiers, unknown functions and unknown `variables.<name>` are compile errors, as
 * they are for Kubernetes' type-checked CEL.
 */
import { parse } from '@bufbuild/cel';
import type { Constant, Expr, Expr_Call, Expr_Comprehension, Expr_CreateList, Expr_CreateStruct, Expr_Select } from '@bufbuild/cel-spec/cel/expr/syntax_pb.js';
import { add, arith, callMethod, GLOBALS, isKnownFunction, METHODS, type MethodFn } from './functions';
import { compileRegex } from './k8s';
import { OPT_ELEM_FN, OPT_FIELD_PREFIX, OPT_INDEX_FN, rewriteOptionalSyntax } from './syntax';
import { celCompare, celEquals, CelErr, CelThrow, CelTypeValue, CelUint, isMap, mapGet, mapHas, mapKeys, newMap, Optional, typeName } from './values';

/** The state of one evaluation: slots for globals and comprehension variables, and lazy variables. */
export interface Frame {
  readonly slots: unknown[];
  /** Value of `variables.<names[index]>`, evaluated at most once per frame. */
  variable(index: number): unknown;
}

/** A compiled expression: returns a CEL value or a CelErr; never throws. */
export type Program = (frame: Frame) => unknown;

export class CelCompileError extends Error {}

export interface CompileEnv {
  /** Identifiers bound per evaluation, in slot order (slot i = globals[i]). */
  readonly globals: readonly string[];
  /** Names reachable as `variables.<name>`, by index. */
  readonly variables?: readonly string[];
}

type Scope = ReadonlyMap<string, number>;

/** Parsed ASTs by source: templates share many expressions (e.g. the pod-spec variables). */
const parsed = new Map<string, Expr>();

/**
 * What an optional select chain walks to when a field is absent: a private sentinel that no CEL
 * value can be, so that `x.?a.b.orValue(d)` needs no Optional per step.
 */
const ABSENT: unique symbol = Symbol('absent');

const TYPE_NAMES = new Set(['int', 'uint', 'double', 'string', 'bool', 'bytes', 'list', 'map', 'null_type', 'type']);

/** A thrown CEL error (or a RangeError/TypeError from BigInt or string handling) as an error value. */
function asCelErr(err: unknown): CelErr {
  if (err instanceof CelThrow || err instanceof RangeError || err instanceof TypeError) return new CelErr(err.message);
  throw err;
}

/** Runs a function implementation, turning thrown CEL errors into error values. */
function guard(fn: () => unknown): unknown {
  try {
    return fn();
  } catch (err) {
    return asCelErr(err);
  }
}

/** Compiles expressions sharing one slot layout (e.g. every expression of one template). */
export class CelCompiler {
  private nextSlot: number;
  private readonly globals: Scope;
  private readonly globalCount: number;
  /** Global slots some compiled expression reads. */
  private readonly usedGlobals = new Set<number>();
  private readonly variables: ReadonlyMap<string, number>;

  constructor(env: CompileEnv) {
    this.globals = new Map(env.globals.map((name, i) => [name, i]));
    this.variables = new Map((env.variables ?? []).map((name, i) => [name, i]));
    this.nextSlot = env.globals.length;
    this.globalCount = env.globals.length;
  }

  /** Whether any expression compiled so far reads the global `name` (so a caller may skip binding it). */
  usesGlobal(name: string): boolean {
    const slot = this.globals.get(name);
    return slot !== undefined && this.usedGlobals.has(slot);
  }

  /** Number of slots a Frame for this compiler's programs needs. */
  get slotCount(): number {
    return this.nextSlot;
  }

  /** Parses and compiles `source`; syntax errors, unknown names and functions throw CelCompileError. */
  compile(source: string): Program {
    let expr = parsed.get(source);
    if (expr === undefined) {
      try {
        expr = parse(rewriteOptionalSyntax(source)).expr;
      } catch (err) {
        throw new CelCompileError(`syntax error: ${String((err as Error).message).split('\n')[0]}`);
      }
      parsed.set(source, expr);
    }
    return this.node(expr, this.globals);
  }

  private node(e: Expr, scope: Scope): Program {
    const k = e.exprKind;
    switch (k.case) {
      case 'constExpr': {
        const value = constant(k.value);
        return () => value;
      }
      case 'identExpr':
        return this.ident(k.value.name, scope);
      case 'selectExpr':
        return this.select(k.value, scope);
      case 'callExpr':
        return this.call(k.value, scope);
      case 'listExpr':
        return constantLiteral(e, this.list(k.value, scope));
      case 'structExpr':
        return constantLiteral(e, this.struct(k.value, scope));
      case 'comprehensionExpr':
        return this.comprehension(k.value, scope);
      default:
        throw new CelCompileError('unsupported expression');
    }
  }

  private ident(name: string, scope: Scope): Program {
    const slot = scope.get(name);
    if (slot !== undefined) {
      if (slot < this.globalCount) this.usedGlobals.add(slot);
      return (f) => f.slots[slot];
    }
    if (name === 'variables' && this.variables.size > 0) {
      const names = [...this.variables.keys()];
      return (f) => {
        const out = newMap();
        for (let i = 0; i < names.length; i++) {
          const v = f.variable(i);
          if (v instanceof CelErr) return v;
          out[names[i]] = v;
        }
        return out;
      };
    }
    if (TYPE_NAMES.has(name)) {
      const type = new CelTypeValue(name);
      return () => type;
    }
    throw new CelCompileError(`undeclared reference to '${name}'`);
  }

  private select(s: Expr_Select, scope: Scope): Program {
    const operandExpr = s.operand as Expr;
    // variables.<name>: lazily evaluated, memoized per frame.
    if (operandExpr.exprKind.case === 'identExpr' && operandExpr.exprKind.value.name === 'variables' && !scope.has('variables')) {
      const index = this.variables.get(s.field);
      if (index === undefined) throw new CelCompileError(`undefined field 'variables.${s.field}'`);
      if (!s.testOnly) return (f) => f.variable(index);
      // has(variables.x): x is declared; it is "present" unless null (e.g. params of a constraint without parameters).
      return (f) => {
        const v = f.variable(index);
        return v instanceof CelErr ? v : v !== null;
      };
    }
    if (!s.testOnly) {
      const walk = this.optionalChain(s, scope);
      if (walk) {
        return (f) => {
          const r = walk(f);
          return r === ABSENT ? Optional.NONE : r instanceof CelErr ? r : Optional.of(r);
        };
      }
    }
    const operand = this.node(operandExpr, scope);
    const optional = s.field.startsWith(OPT_FIELD_PREFIX);
    const field = optional ? s.field.slice(OPT_FIELD_PREFIX.length) : s.field;
    if (s.testOnly) {
      return (f) => {
        const v = operand(f);
        if (v instanceof CelErr) return v;
        if (isMap(v)) return mapHas(v, field);
        if (v === null) return false;
        return new CelErr(`invalid type for field selection: ${typeName(v)}`);
      };
    }
    if (optional) return (f) => optionalSelect(operand(f), field);
    return (f) => {
      const v = operand(f);
      if (isMap(v)) {
        const r = mapGet(v, field);
        return r === undefined ? new CelErr(`no such key: ${field}`) : r;
      }
      if (v instanceof CelErr) return v;
      if (v instanceof Optional) return optionalSelect(v, field);
      return new CelErr(v === null ? `no such key: ${field}` : `invalid type for field selection: ${typeName(v)}`);
    };
  }

  /**
   * `base.?f1.f2...fn` (a select chain whose innermost optional select is `.?f1`) compiled as one
   * walk returning the value, ABSENT, or an error: the same results as selecting step by step
   * (every select above an optional one acts on an optional), without an Optional per step.
   * Undefined when `s` is not such a chain.
   */
  private optionalChain(s: Expr_Select, scope: Scope): ((f: Frame) => unknown) | undefined {
    const chain: Expr_Select[] = [];
    let node: Expr_Select = s;
    let innermostOptional = -1;
    for (;;) {
      if (node.testOnly) return undefined;
      const operand = node.operand as Expr;
      if (operand.exprKind.case === 'identExpr' && operand.exprKind.value.name === 'variables' && !scope.has('variables')) break;
      chain.push(node);
      if (node.field.startsWith(OPT_FIELD_PREFIX)) innermostOptional = chain.length - 1;
      if (operand.exprKind.case !== 'selectExpr') break;
      node = operand.exprKind.value;
    }
    if (innermostOptional === -1) return undefined;
    const fields = chain
      .slice(0, innermostOptional + 1)
      .reverse()
      .map((n) => (n.field.startsWith(OPT_FIELD_PREFIX) ? n.field.slice(OPT_FIELD_PREFIX.length) : n.field));
    const base = this.node(chain[innermostOptional].operand as Expr, scope);
    const n = fields.length;
    return (f) => {
      let cur = base(f);
      if (cur instanceof CelErr) return cur;
      if (cur instanceof Optional) {
        if (!cur.present) return ABSENT;
        cur = cur.value;
      }
      for (let i = 0; i < n; i++) {
        if (isMap(cur)) {
          const r = mapGet(cur, fields[i]);
          if (r === undefined) return ABSENT;
          cur = r;
        } else if (cur === null) {
          return ABSENT;
        } else {
          return new CelErr(`invalid type for field selection: ${typeName(cur)}`);
        }
      }
      return cur;
    };
  }

  /** `<optional chain>.orValue(d)`, `.hasValue()`, `.value()` without materializing the optional. */
  private optionalChainMethod(c: Expr_Call, target: Expr, scope: Scope): Program | undefined {
    const fn = c.function;
    const arity = fn === 'orValue' ? 1 : fn === 'hasValue' || fn === 'value' ? 0 : -1;
    if (arity === -1 || c.args.length !== arity || target.exprKind.case !== 'selectExpr') return undefined;
    const walk = this.optionalChain(target.exprKind.value, scope);
    if (!walk) return undefined;
    if (fn === 'hasValue') {
      return (f) => {
        const r = walk(f);
        return r instanceof CelErr ? r : r !== ABSENT;
      };
    }
    if (fn === 'value') {
      return (f) => {
        const r = walk(f);
        return r === ABSENT ? new CelErr('optional.none() dereference') : r;
      };
    }
    const fallback = this.node(c.args[0], scope);
    return (f) => {
      const r = walk(f);
      if (r instanceof CelErr) return r;
      // Arguments are evaluated strictly, as in the unfused call: an erroring default is an error.
      const d = fallback(f);
      if (d instanceof CelErr) return d;
      return r === ABSENT ? d : r;
    };
  }

  private call(c: Expr_Call, scope: Scope): Program {
    const fn = c.function;
    const target = c.target;
    if (target) {
      const special = this.specialMethod(c, target, scope) ?? this.optionalChainMethod(c, target, scope);
      if (special) return special;
    }
    switch (fn) {
      case '_&&_':
      case '_||_':
        return logical(fn === '_&&_', this.node(c.args[0], scope), this.node(c.args[1], scope));
      case '_?_:_': {
        const [cond, yes, no] = c.args.map((a) => this.node(a, scope));
        return (f) => {
          const v = cond(f);
          if (v === true) return yes(f);
          if (v === false) return no(f);
          return v instanceof CelErr ? v : new CelErr(`no matching overload for '_?_:_' applied to '(${typeName(v)}, ...)'`);
        };
      }
      case '@not_strictly_false': {
        const arg = this.node(c.args[0], scope);
        return (f) => arg(f) !== false;
      }
      case '_[_]':
        return this.index(c, scope);
      default:
    }
    if (!target && (fn === OPT_INDEX_FN || fn === OPT_ELEM_FN)) throw new CelCompileError('optional syntax used outside an index or list');
    const args = c.args.map((a) => this.node(a, scope));
    const op = operator(fn, args);
    if (op) return op;
    if (target) {
      const qualified = qualifiedName(target, scope);
      if (qualified !== undefined && `${qualified}.${fn}` in GLOBALS) return globalCall(GLOBALS[`${qualified}.${fn}`], args);
      if (!isKnownFunction(fn)) throw new CelCompileError(`undeclared reference to '${fn}'`);
      const recv = this.node(target, scope);
      const regex = fn === 'matches' ? constantRegex(c.args) : undefined;
      if (regex) {
        return (f) => {
          const t = recv(f);
          if (typeof t === 'string') return regex.test(t);
          if (t instanceof CelErr) return t;
          return guard(() => callMethod(fn, t, [regex.pattern]));
        };
      }
      // Methods of strings, lists and maps are resolved here; optional, quantity and url receivers
      // choose their implementation by type at run time.
      const method = METHODS[fn] as MethodFn | undefined;
      return (f) => {
        const t = recv(f);
        if (t instanceof CelErr) return t;
        const vals = evalArgs(args, f);
        if (vals instanceof CelErr) return vals;
        try {
          return method !== undefined && (typeof t !== 'object' || Array.isArray(t) || isMap(t)) ? method(t, vals) : callMethod(fn, t, vals);
        } catch (err) {
          return asCelErr(err);
        }
      };
    }
    const impl = GLOBALS[fn];
    if (!impl) throw new CelCompileError(`undeclared reference to '${fn}'`);
    return globalCall(impl, args);
  }

  /** Macros that bind a name: cel.bind(name, init, expr), opt.optMap(name, expr), opt.optFlatMap(name, expr). */
  private specialMethod(c: Expr_Call, target: Expr, scope: Scope): Program | undefined {
    const nameOf = (e: Expr | undefined): string => {
      if (e?.exprKind.case !== 'identExpr') throw new CelCompileError(`${c.function}: expected an identifier as the variable to bind`);
      return e.exprKind.value.name;
    };
    if (c.function === 'bind' && qualifiedName(target, scope) === 'cel' && c.args.length === 3) {
      const slot = this.nextSlot++;
      const init = this.node(c.args[1], scope);
      const body = this.node(c.args[2], new Map(scope).set(nameOf(c.args[0]), slot));
      return (f) => {
        f.slots[slot] = init(f);
        return body(f);
      };
    }
    if ((c.function === 'optMap' || c.function === 'optFlatMap') && c.args.length === 2) {
      const slot = this.nextSlot++;
      const recv = this.node(target, scope);
      const body = this.node(c.args[1], new Map(scope).set(nameOf(c.args[0]), slot));
      const flat = c.function === 'optFlatMap';
      return (f) => {
        const t = recv(f);
        if (t instanceof CelErr) return t;
        if (!(t instanceof Optional)) return new CelErr(`${c.function} applied to ${typeName(t)}, expected an optional`);
        if (!t.present) return t;
        f.slots[slot] = t.value;
        const r = body(f);
        if (r instanceof CelErr || !flat) return r instanceof CelErr ? r : Optional.of(r);
        return r instanceof Optional ? r : new CelErr('optFlatMap expression must return an optional');
      };
    }
    return undefined;
  }

  /**
   * The `map` and `filter` macros expand to folds that append to a list accumulator
   * (`@result + [e]`, possibly under a condition); evaluated as such that is quadratic, so they run
   * as a loop pushing into one array, with the same results and errors.
   */
  private appendComprehension(c: Expr_Comprehension, scope: Scope): Program | undefined {
    const init = c.accuInit;
    if (init?.exprKind.case !== 'listExpr' || init.exprKind.value.elements.length !== 0) return undefined;
    if (c.loopCondition?.exprKind.case !== 'constExpr' || c.loopCondition.exprKind.value.constantKind.value !== true) return undefined;
    if (c.result?.exprKind.case !== 'identExpr' || c.result.exprKind.value.name !== c.accuVar) return undefined;
    const step = c.loopStep;
    let condExpr: Expr | undefined;
    let elemExpr = appendedElement(step, c.accuVar);
    if (!elemExpr && step?.exprKind.case === 'callExpr' && step.exprKind.value.function === '_?_:_') {
      const [cond, yes, no] = step.exprKind.value.args;
      if (no?.exprKind.case === 'identExpr' && no.exprKind.value.name === c.accuVar) {
        condExpr = cond;
        elemExpr = appendedElement(yes, c.accuVar);
      }
    }
    if (!elemExpr) return undefined;
    const range = this.node(c.iterRange as Expr, scope);
    const iterSlot = this.nextSlot++;
    // The accumulator is not read by these shapes; it still shadows outer names, with an unused slot.
    const loopScope = new Map(scope).set(c.accuVar, this.nextSlot++).set(c.iterVar, iterSlot);
    const cond = condExpr ? this.node(condExpr, loopScope) : undefined;
    const elem = this.node(elemExpr, loopScope);
    return (f) => {
      const r = range(f);
      if (r instanceof CelErr) return r;
      let items: readonly unknown[];
      if (Array.isArray(r)) items = r;
      else if (isMap(r)) items = mapKeys(r);
      else return new CelErr(`expression of type '${typeName(r)}' cannot be range of a comprehension (must be list, map, or dynamic)`);
      const out: unknown[] = [];
      const slots = f.slots;
      for (let i = 0; i < items.length; i++) {
        slots[iterSlot] = items[i];
        if (cond) {
          const ok = cond(f);
          if (ok === false) continue;
          if (ok !== true) return ok instanceof CelErr ? ok : new CelErr(`no matching overload for '_?_:_' applied to '(${typeName(ok)}, ...)'`);
        }
        const v = elem(f);
        if (v instanceof CelErr) return v;
        out.push(v);
      }
      return out;
    };
  }

  private index(c: Expr_Call, scope: Scope): Program {
    const operand = this.node(c.args[0], scope);
    const idxExpr = c.args[1];
    if (idxExpr.exprKind.case === 'callExpr' && idxExpr.exprKind.value.function === OPT_INDEX_FN && !idxExpr.exprKind.value.target) {
      const key = this.node(idxExpr.exprKind.value.args[0], scope);
      return (f) => {
        const k = key(f);
        return k instanceof CelErr ? k : optionalIndex(operand(f), k);
      };
    }
    const key = this.node(idxExpr, scope);
    return (f) => {
      const v = operand(f);
      if (v instanceof CelErr) return v;
      const k = key(f);
      if (k instanceof CelErr) return k;
      if (v instanceof Optional) return optionalIndex(v, k);
      return indexValue(v, k);
    };
  }

  private list(l: Expr_CreateList, scope: Scope): Program {
    const elems = l.elements.map((e) => {
      if (e.exprKind.case === 'callExpr' && e.exprKind.value.function === OPT_ELEM_FN && !e.exprKind.value.target) {
        return { optional: true, fn: this.node(e.exprKind.value.args[0], scope) };
      }
      return { optional: false, fn: this.node(e, scope) };
    });
    if (elems.length === 0) return () => [];
    return (f) => {
      const out: unknown[] = [];
      for (const el of elems) {
        const v = el.fn(f);
        if (v instanceof CelErr) return v;
        if (el.optional) {
          if (!(v instanceof Optional)) return new CelErr(`optional list element must be an optional, got ${typeName(v)}`);
          if (v.present) out.push(v.value);
        } else out.push(v);
      }
      return out;
    };
  }

  private struct(s: Expr_CreateStruct, scope: Scope): Program {
    if (s.messageName !== '') throw new CelCompileError(`message construction is not supported: ${s.messageName}`);
    const entries = s.entries.map((e) => {
      if (e.keyKind.case !== 'mapKey' || !e.value) throw new CelCompileError('invalid map entry');
      if (e.optionalEntry) throw new CelCompileError('optional map entries are not supported');
      return { key: this.node(e.keyKind.value, scope), value: this.node(e.value, scope) };
    });
    return (f) => {
      const keys: unknown[] = [];
      const values: unknown[] = [];
      for (const en of entries) {
        const k = en.key(f);
        if (k instanceof CelErr) return k;
        const v = en.value(f);
        if (v instanceof CelErr) return v;
        if (!(typeof k === 'string' || typeof k === 'bigint' || typeof k === 'boolean' || k instanceof CelUint)) return new CelErr(`unsupported map key type: ${typeName(k)}`);
        if (keys.some((x) => celEquals(x, k))) return new CelErr(`map key conflict: ${String(k)}`);
        keys.push(k);
        values.push(v);
      }
      if (keys.every((k) => typeof k === 'string')) {
        const out = newMap();
        keys.forEach((k, i) => (out[k as string] = values[i]));
        return out;
      }
      return new Map(keys.map((k, i) => [k, values[i]]));
    };
  }

  /**
   * The `exists` and `all` macros (a fold of `||` or `&&` over the elements, stopping once the
   * result is decided) as a plain loop, with the same results and errors as the fold.
   */
  private quantifierComprehension(c: Expr_Comprehension, scope: Scope): Program | undefined {
    const init = c.accuInit?.exprKind;
    if (init?.case !== 'constExpr' || init.value.constantKind.case !== 'boolValue') return undefined;
    const isAnd = init.value.constantKind.value;
    const accu = c.accuVar;
    const isAccu = (e: Expr | undefined): boolean => e?.exprKind.case === 'identExpr' && e.exprKind.value.name === accu;
    if (!isAccu(c.result)) return undefined;
    const step = c.loopStep?.exprKind;
    if (step?.case !== 'callExpr' || step.value.function !== (isAnd ? '_&&_' : '_||_') || step.value.target || step.value.args.length !== 2 || !isAccu(step.value.args[0])) return undefined;
    const cond = c.loopCondition?.exprKind;
    if (cond?.case !== 'callExpr' || cond.value.function !== '@not_strictly_false' || cond.value.args.length !== 1) return undefined;
    const condArg = cond.value.args[0];
    // exists: @not_strictly_false(!@result); all: @not_strictly_false(@result).
    const condOk = isAnd
      ? isAccu(condArg)
      : condArg.exprKind.case === 'callExpr' && condArg.exprKind.value.function === '!_' && !condArg.exprKind.value.target && isAccu(condArg.exprKind.value.args[0]);
    if (!condOk) return undefined;
    const range = this.node(c.iterRange as Expr, scope);
    const accuSlot = this.nextSlot++;
    const iterSlot = this.nextSlot++;
    const pred = this.node(step.value.args[1], new Map(scope).set(accu, accuSlot).set(c.iterVar, iterSlot));
    const decisive = !isAnd;
    return (f) => {
      const r = range(f);
      if (r instanceof CelErr) return r;
      let items: readonly unknown[];
      if (Array.isArray(r)) items = r;
      else if (isMap(r)) items = mapKeys(r);
      else return new CelErr(`expression of type '${typeName(r)}' cannot be range of a comprehension (must be list, map, or dynamic)`);
      const slots = f.slots;
      let acc: unknown = isAnd;
      for (let i = 0; i < items.length; i++) {
        // The fold's loop condition: stop once the accumulator is the deciding value.
        if (acc === decisive) break;
        slots[accuSlot] = acc;
        slots[iterSlot] = items[i];
        acc = combine(isAnd, acc, pred(f));
      }
      return acc;
    };
  }

  private comprehension(c: Expr_Comprehension, scope: Scope): Program {
    const fast = this.appendComprehension(c, scope) ?? this.quantifierComprehension(c, scope);
    if (fast) return fast;
    const range = this.node(c.iterRange as Expr, scope);
    const accuSlot = this.nextSlot++;
    const iterSlot = this.nextSlot++;
    const accuScope = new Map(scope).set(c.accuVar, accuSlot);
    const init = this.node(c.accuInit as Expr, scope);
    const loopScope = new Map(accuScope).set(c.iterVar, iterSlot);
    const cond = this.node(c.loopCondition as Expr, loopScope);
    const step = this.node(c.loopStep as Expr, loopScope);
    const result = this.node(c.result as Expr, accuScope);
    return (f) => {
      const r = range(f);
      if (r instanceof CelErr) return r;
      let items: readonly unknown[];
      if (Array.isArray(r)) items = r;
      else if (isMap(r)) items = mapKeys(r);
      else return new CelErr(`expression of type '${typeName(r)}' cannot be range of a comprehension (must be list, map, or dynamic)`);
      const slots = f.slots;
      slots[accuSlot] = init(f);
      for (let i = 0; i < items.length; i++) {
        slots[iterSlot] = items[i];
        const go = cond(f);
        if (go === false) break;
        if (go instanceof CelErr) return go;
        slots[accuSlot] = step(f);
      }
      return result(f);
    };
  }
}

/** Whether `e` is a literal built only from constants, e.g. `{}`, `["RuntimeDefault", "Localhost"]`. */
function isConstantLiteral(e: Expr): boolean {
  const k = e.exprKind;
  if (k.case === 'constExpr') return true;
  if (k.case === 'listExpr') return k.value.optionalIndices.length === 0 && k.value.elements.every(isConstantLiteral);
  if (k.case === 'structExpr') {
    return k.value.messageName === '' && k.value.entries.every((en) => !en.optionalEntry && en.keyKind.case === 'mapKey' && isConstantLiteral(en.keyKind.value) && en.value !== undefined && isConstantLiteral(en.value));
  }
  return false;
}

const NO_FRAME: Frame = { slots: [], variable: () => new CelErr('no variables') };

/**
 * A list or map literal of constants evaluated once: every evaluation then returns the same
 * (frozen) value rather than building it again. CEL values are immutable, so sharing is safe.
 * Literals whose construction fails (duplicate keys) keep failing at evaluation.
 */
function constantLiteral(e: Expr, program: Program): Program {
  if (!isConstantLiteral(e)) return program;
  const value = program(NO_FRAME);
  if (value instanceof CelErr) return program;
  deepFreeze(value);
  return () => value;
}

function deepFreeze(v: unknown): void {
  if (Array.isArray(v)) v.forEach(deepFreeze);
  else if (v instanceof Map) v.forEach(deepFreeze);
  else if (isMap(v)) Object.values(v).forEach(deepFreeze);
  else return;
  Object.freeze(v);
}

/**
 * The RegExp of a `matches` call whose pattern is a string literal, compiled once; undefined for
 * other patterns, and for invalid ones, which then fail at evaluation as before.
 */
function constantRegex(args: readonly Expr[]): { test(s: string): boolean; pattern: string } | undefined {
  const arg = args.length === 1 ? args[0] : undefined;
  if (arg?.exprKind.case !== 'constExpr' || arg.exprKind.value.constantKind.case !== 'stringValue') return undefined;
  const pattern = arg.exprKind.value.constantKind.value;
  try {
    const re = compileRegex(pattern);
    return { test: (s) => re.test(s), pattern };
  } catch (err) {
    if (err instanceof CelThrow) return undefined;
    throw err;
  }
}

/** `@result + [e]` on the accumulator: the element expression `e`, else undefined. */
function appendedElement(e: Expr | undefined, accuVar: string): Expr | undefined {
  if (e?.exprKind.case !== 'callExpr') return undefined;
  const call = e.exprKind.value;
  if (call.function !== '_+_' || call.target || call.args.length !== 2) return undefined;
  const [accu, list] = call.args;
  if (accu.exprKind.case !== 'identExpr' || accu.exprKind.value.name !== accuVar) return undefined;
  if (list.exprKind.case !== 'listExpr' || list.exprKind.value.elements.length !== 1 || list.exprKind.value.optionalIndices.length > 0) return undefined;
  return list.exprKind.value.elements[0];
}

function constant(c: Constant): unknown {
  const k = c.constantKind;
  switch (k.case) {
    case 'nullValue':
      return null;
    case 'boolValue':
    case 'stringValue':
    case 'doubleValue':
    case 'int64Value':
      return k.value;
    case 'uint64Value':
      return new CelUint(k.value);
    case 'bytesValue':
      return k.value;
    default:
      throw new CelCompileError(`unsupported constant: ${String(k.case)}`);
  }
}

/** `a.b.c` as a dotted name when it is built only from identifiers not bound in scope. */
function qualifiedName(e: Expr, scope: Scope): string | undefined {
  if (e.exprKind.case === 'identExpr') return scope.has(e.exprKind.value.name) ? undefined : e.exprKind.value.name;
  if (e.exprKind.case === 'selectExpr' && !e.exprKind.value.testOnly && e.exprKind.value.operand) {
    const parent = qualifiedName(e.exprKind.value.operand, scope);
    return parent === undefined ? undefined : `${parent}.${e.exprKind.value.field}`;
  }
  return undefined;
}

function evalArgs(args: readonly Program[], f: Frame): unknown[] | CelErr {
  const vals: unknown[] = new Array(args.length);
  for (let i = 0; i < args.length; i++) {
    const v = args[i](f);
    if (v instanceof CelErr) return v;
    vals[i] = v;
  }
  return vals;
}

function globalCall(impl: (args: unknown[]) => unknown, args: readonly Program[]): Program {
  return (f) => {
    const vals = evalArgs(args, f);
    if (vals instanceof CelErr) return vals;
    try {
      return impl(vals);
    } catch (err) {
      return asCelErr(err);
    }
  };
}

/** `&&` and `||`: an error on one side is absorbed when the other side decides the result. */
function logical(isAnd: boolean, left: Program, right: Program): Program {
  const decisive = !isAnd;
  return (f) => {
    const a = left(f);
    if (a === decisive) return decisive;
    return combine(isAnd, a, right(f));
  };
}

/** `a && b` / `a || b` once `a` is known not to decide the result alone. */
function combine(isAnd: boolean, a: unknown, b: unknown): unknown {
  const decisive = !isAnd;
  if (b === decisive) return decisive;
  if (a === !decisive && b === !decisive) return !decisive;
  if (a instanceof CelErr) return a;
  if (b instanceof CelErr) return b;
  return new CelErr(`no matching overload for '${isAnd ? '_&&_' : '_||_'}' applied to '(${typeName(a)}, ${typeName(b)})'`);
}

function binary(args: readonly Program[], op: (a: unknown, b: unknown) => unknown): Program {
  const [left, right] = args;
  return (f) => {
    const a = left(f);
    if (a instanceof CelErr) return a;
    const b = right(f);
    if (b instanceof CelErr) return b;
    try {
      return op(a, b);
    } catch (err) {
      return asCelErr(err);
    }
  };
}

function operator(fn: string, args: readonly Program[]): Program | undefined {
  switch (fn) {
    case '_==_':
      return binary(args, celEquals);
    case '_!=_':
      return binary(args, (a, b) => !celEquals(a, b));
    case '_<_':
      return binary(args, (a, b) => celCompare(a, b, '_<_') < 0);
    case '_<=_':
      return binary(args, (a, b) => celCompare(a, b, '_<=_') <= 0);
    case '_>_':
      return binary(args, (a, b) => celCompare(a, b, '_>_') > 0);
    case '_>=_':
      return binary(args, (a, b) => celCompare(a, b, '_>=_') >= 0);
    case '_+_':
      return binary(args, add);
    case '_-_':
      return binary(args, (a, b) => arith('-', a, b));
    case '_*_':
      return binary(args, (a, b) => arith('*', a, b));
    case '_/_':
      return binary(args, (a, b) => arith('/', a, b));
    case '_%_':
      return binary(args, (a, b) => arith('%', a, b));
    case '@in':
      return binary(args, (a, b) => {
        if (Array.isArray(b)) return b.some((x) => celEquals(x, a));
        if (isMap(b)) return mapHas(b, a);
        return new CelErr(`found no matching overload for '@in' applied to '(${typeName(a)}, ${typeName(b)})'`);
      });
    case '!_': {
      const arg = args[0];
      return (f) => {
        const v = arg(f);
        if (typeof v === 'boolean') return !v;
        return v instanceof CelErr ? v : new CelErr(`found no matching overload for '!_' applied to '(${typeName(v)})'`);
      };
    }
    case '-_': {
      const arg = args[0];
      return (f) => {
        const v = arg(f);
        if (typeof v === 'bigint') return guard(() => arith('-', 0n, v));
        if (typeof v === 'number') return -v;
        return v instanceof CelErr ? v : new CelErr(`found no matching overload for '-_' applied to '(${typeName(v)})'`);
      };
    }
    default:
      return undefined;
  }
}

function indexValue(v: unknown, k: unknown): unknown {
  if (Array.isArray(v)) {
    let i: number;
    if (typeof k === 'bigint') i = Number(k);
    else if (k instanceof CelUint) i = Number(k.value);
    else if (typeof k === 'number' && Number.isInteger(k)) i = k;
    else return new CelErr(`found no matching overload for '_[_]' applied to '(list, ${typeName(k)})'`);
    if (i < 0 || i >= v.length) return new CelErr(`index out of bounds: ${i}`);
    return v[i];
  }
  if (isMap(v)) {
    const r = mapGet(v, k);
    return r === undefined ? new CelErr(`no such key: ${String(k)}`) : r;
  }
  return new CelErr(`found no matching overload for '_[_]' applied to '(${typeName(v)}, ${typeName(k)})'`);
}

/** `x.?f` (and `.f` on an optional): optional.none when x is none or has no field f. */
function optionalSelect(v: unknown, field: string): unknown {
  if (v instanceof CelErr) return v;
  if (v instanceof Optional) {
    if (!v.present) return v;
    v = v.value;
  }
  if (isMap(v)) {
    const r = mapGet(v, field);
    return r === undefined ? Optional.NONE : Optional.of(r);
  }
  if (v === null) return Optional.NONE;
  return new CelErr(`invalid type for field selection: ${typeName(v)}`);
}

/** `x[?k]` (and `[k]` on an optional): optional.none when x is none or k is absent/out of range. */
function optionalIndex(v: unknown, k: unknown): unknown {
  if (v instanceof CelErr) return v;
  if (v instanceof Optional) {
    if (!v.present) return v;
    v = v.value;
  }
  if (isMap(v)) {
    const r = mapGet(v, k);
    return r === undefined ? Optional.NONE : Optional.of(r);
  }
  if (Array.isArray(v)) {
    const r = indexValue(v, k);
    if (r instanceof CelErr) return r.message.startsWith('index out of bounds') ? Optional.NONE : r;
    return Optional.of(r);
  }
  return new CelErr(`found no matching overload for '_[?_]' applied to '(${typeName(v)}, ${typeName(k)})'`);
}

/**
 * Functions available to expressions: the CEL standard library, the strings extension, the
 * Kubernetes list, regex, quantity, url and sets libraries, and optional values. Global functions
 * take `args`; methods take the receiver and `args`. Implementations throw CelThrow (via fail()) for
 * CEL errors, including "no matching overload".
 */
import {
  compileRegex,
  quantity,
  parseQuantity,
  quantityAdd,
  quantityAsFloat,
  quantityAsInteger,
  quantityIsInteger,
  quantitySign,
  regexFind,
  regexFindAll,
  parseUrl,
  url,
  urlHostname,
  urlPort,
} from './k8s';
import {
  celCompare,
  celEquals,
  celToString,
  CelTypeValue,
  CelUint,
  CelUrl,
  compareQuantities,
  fail,
  int64,
  isMap,
  mapSize,
  newMap,
  Optional,
  Quantity,
  typeName,
} from './values';

export type GlobalFn = (args: unknown[]) => unknown;
export type MethodFn = (target: unknown, args: unknown[]) => unknown;

function noOverload(name: string, target: unknown, args: unknown[]): never {
  const recv = target === undefined ? '' : `${typeName(target)}.`;
  return fail(`found no matching overload for '${name}' applied to '${recv}(${args.map(typeName).join(', ')})'`);
}

function str(name: string, target: unknown, args: unknown[], v: unknown): string {
  return typeof v === 'string' ? v : noOverload(name, target, args);
}

function int(name: string, target: unknown, args: unknown[], v: unknown): number {
  return typeof v === 'bigint' ? Number(v) : noOverload(name, target, args);
}

function list(name: string, target: unknown, args: unknown[], v: unknown): unknown[] {
  return Array.isArray(v) ? v : noOverload(name, target, args);
}

/** Code points of a string: CEL string positions count code points, not UTF-16 units. */
function codePoints(s: string): string[] {
  return Array.from(s);
}

function isAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0x7f) return false;
  return true;
}

function size(v: unknown): bigint {
  if (typeof v === 'string') return BigInt(isAscii(v) ? v.length : codePoints(v).length);
  if (Array.isArray(v)) return BigInt(v.length);
  if (isMap(v)) return BigInt(mapSize(v));
  if (v instanceof Uint8Array) return BigInt(v.length);
  return noOverload('size', undefined, [v]);
}

function toInt(v: unknown): bigint {
  if (typeof v === 'bigint') return v;
  if (v instanceof CelUint) return int64(v.value);
  if (typeof v === 'number') {
    if (!Number.isFinite(v) || v >= 2 ** 63 || v < -(2 ** 63)) fail('integer overflow');
    return BigInt(Math.trunc(v));
  }
  if (typeof v === 'string') {
    if (!/^[+-]?\d+$/.test(v)) fail(`cannot convert ${JSON.stringify(v)} to int`);
    return int64(BigInt(v));
  }
  return noOverload('int', undefined, [v]);
}

function toDouble(v: unknown): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  if (v instanceof CelUint) return Number(v.value);
  if (typeof v === 'string') {
    const n = Number(v.trim() === '' ? NaN : v);
    if (Number.isNaN(n) && v !== 'NaN') fail(`cannot convert ${JSON.stringify(v)} to double`);
    return n;
  }
  return noOverload('double', undefined, [v]);
}

function toUint(v: unknown): CelUint {
  if (v instanceof CelUint) return v;
  let n: bigint;
  if (typeof v === 'bigint') n = v;
  else if (typeof v === 'number' && Number.isFinite(v)) n = BigInt(Math.trunc(v));
  else if (typeof v === 'string' && /^\+?\d+$/.test(v)) n = BigInt(v);
  else return noOverload('uint', undefined, [v]);
  if (n < 0n || n >= 2n ** 64n) fail('unsigned integer overflow');
  return new CelUint(n);
}

function toBool(v: unknown): boolean {
  if (typeof v === 'boolean') return v;
  if (typeof v === 'string') {
    if (['true', 'True', 'TRUE', 't', '1'].includes(v)) return true;
    if (['false', 'False', 'FALSE', 'f', '0'].includes(v)) return false;
    fail(`cannot convert ${JSON.stringify(v)} to bool`);
  }
  return noOverload('bool', undefined, [v]);
}

function join(target: unknown, args: unknown[]): string {
  const items = list('join', target, args, target);
  const sep = args.length === 0 ? '' : str('join', target, args, args[0]);
  return items.map((x) => (typeof x === 'string' ? x : noOverload('join', target, args))).join(sep);
}

function replace(target: unknown, args: unknown[]): string {
  const s = str('replace', target, args, target);
  const from = str('replace', target, args, args[0]);
  const to = str('replace', target, args, args[1]);
  const limit = args.length > 2 ? int('replace', target, args, args[2]) : -1;
  if (limit < 0) return s.split(from).join(to);
  let out = s;
  let pos = 0;
  for (let n = 0; n < limit; n++) {
    const at = out.indexOf(from, pos);
    if (at === -1) break;
    out = out.slice(0, at) + to + out.slice(at + from.length);
    pos = at + to.length + (from === '' ? 1 : 0);
  }
  return out;
}

function split(target: unknown, args: unknown[]): string[] {
  const s = str('split', target, args, target);
  const sep = str('split', target, args, args[0]);
  const limit = args.length > 1 ? int('split', target, args, args[1]) : -1;
  if (limit === 0) return [];
  const parts = sep === '' ? codePoints(s) : s.split(sep);
  if (limit < 0 || parts.length <= limit) return parts;
  return [...parts.slice(0, limit - 1), parts.slice(limit - 1).join(sep)];
}

function indexOf(target: unknown, args: unknown[], last: boolean): bigint {
  if (Array.isArray(target)) {
    const idx = last ? findLastIndex(target, args[0]) : target.findIndex((x) => celEquals(x, args[0]));
    return BigInt(idx);
  }
  const s = codePoints(str('indexOf', target, args, target));
  const sub = codePoints(str('indexOf', target, args, args[0]));
  const start = args.length > 1 ? int('indexOf', target, args, args[1]) : last ? s.length - sub.length : 0;
  if (start < 0 || start > s.length) fail(`index out of range: ${start}`);
  const text = s.join('');
  const needle = sub.join('');
  const units = codePoints(text).slice(0, start).join('').length;
  const at = last ? text.lastIndexOf(needle, units) : text.indexOf(needle, units);
  return BigInt(at === -1 ? -1 : codePoints(text.slice(0, at)).length);
}

function findLastIndex(items: unknown[], value: unknown): number {
  for (let i = items.length - 1; i >= 0; i--) if (celEquals(items[i], value)) return i;
  return -1;
}

function substring(target: unknown, args: unknown[]): string {
  const s = codePoints(str('substring', target, args, target));
  const start = int('substring', target, args, args[0]);
  const end = args.length > 1 ? int('substring', target, args, args[1]) : s.length;
  if (start < 0 || start > s.length || end < start || end > s.length) fail(`index out of range: ${start}, ${end}`);
  return s.slice(start, end).join('');
}

function listAggregate(name: string, target: unknown, args: unknown[]): unknown {
  const items = list(name, target, args, target);
  if (name === 'sum') {
    if (items.length === 0) return 0n;
    let acc: unknown = items[0];
    for (const x of items.slice(1)) acc = add(acc, x);
    return acc;
  }
  if (items.length === 0) fail(`${name} called on an empty list`);
  let best = items[0];
  for (const x of items.slice(1)) {
    const c = celCompare(x, best, name);
    if ((name === 'min' && c < 0) || (name === 'max' && c > 0)) best = x;
  }
  return best;
}

/** `_+_`. */
export function add(a: unknown, b: unknown): unknown {
  if (typeof a === 'bigint' && typeof b === 'bigint') return int64(a + b);
  if (typeof a === 'number' && typeof b === 'number') return a + b;
  if (typeof a === 'string' && typeof b === 'string') return a + b;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === 0 ? b : b.length === 0 ? a : a.concat(b);
  if (a instanceof CelUint && b instanceof CelUint) return toUint(a.value + b.value);
  if (a instanceof Uint8Array && b instanceof Uint8Array) return Buffer.concat([a, b]);
  return noOverload('_+_', undefined, [a, b]);
}

/** `_-_`, `_*_`, `_/_`, `_%_`. */
export function arith(op: '-' | '*' | '/' | '%', a: unknown, b: unknown): unknown {
  if (typeof a === 'bigint' && typeof b === 'bigint') {
    if ((op === '/' || op === '%') && b === 0n) fail(op === '/' ? 'division by zero' : 'modulus by zero');
    return int64(op === '-' ? a - b : op === '*' ? a * b : op === '/' ? a / b : a % b);
  }
  if (typeof a === 'number' && typeof b === 'number' && op !== '%') return op === '-' ? a - b : op === '*' ? a * b : a / b;
  if (a instanceof CelUint && b instanceof CelUint) {
    if ((op === '/' || op === '%') && b.value === 0n) fail(op === '/' ? 'division by zero' : 'modulus by zero');
    const x = a.value;
    const y = b.value;
    return toUint(op === '-' ? x - y : op === '*' ? x * y : op === '/' ? x / y : x % y);
  }
  return noOverload(`_${op}_`, undefined, [a, b]);
}

function sets(name: string, args: unknown[]): boolean {
  const a = list(name, undefined, args, args[0]);
  const b = list(name, undefined, args, args[1]);
  const inA = (x: unknown): boolean => a.some((y) => celEquals(x, y));
  switch (name) {
    case 'sets.contains':
      return b.every(inA);
    case 'sets.equivalent':
      return b.every(inA) && a.every((x) => b.some((y) => celEquals(x, y)));
    default:
      return b.some(inA);
  }
}

function quantityArg(name: string, target: unknown, args: unknown[], v: unknown): Quantity {
  return v instanceof Quantity ? v : noOverload(name, target, args);
}

function quantityMethod(name: string, target: Quantity, args: unknown[]): unknown {
  switch (name) {
    case 'isInteger':
      return quantityIsInteger(target);
    case 'asInteger':
      return quantityAsInteger(target);
    case 'asApproximateFloat':
      return quantityAsFloat(target);
    case 'sign':
      return quantitySign(target);
    case 'add':
    case 'sub': {
      const other = args[0];
      if (!(other instanceof Quantity) && typeof other !== 'bigint') return noOverload(name, target, args);
      return quantityAdd(target, other, name === 'add' ? 1n : -1n);
    }
    case 'isGreaterThan':
      return compareQuantities(target, quantityArg(name, target, args, args[0])) > 0;
    case 'isLessThan':
      return compareQuantities(target, quantityArg(name, target, args, args[0])) < 0;
    case 'compareTo':
      return BigInt(compareQuantities(target, quantityArg(name, target, args, args[0])));
    default:
      return noOverload(name, target, args);
  }
}

function urlMethod(name: string, target: CelUrl, args: unknown[]): unknown {
  switch (name) {
    case 'getScheme':
      return target.scheme;
    case 'getHost':
      return target.host;
    case 'getHostname':
      return urlHostname(target);
    case 'getPort':
      return urlPort(target);
    case 'getEscapedPath':
      return target.escapedPath;
    case 'getQuery': {
      const out = newMap();
      for (const [k, v] of Object.entries(target.query)) out[k] = [...v];
      return out;
    }
    default:
      return noOverload(name, target, args);
  }
}

const OPTIONAL_ARITY: Record<string, number> = { hasValue: 0, value: 0, orValue: 1, or: 1 };

function optionalMethod(name: string, target: Optional, args: unknown[]): unknown {
  if (OPTIONAL_ARITY[name] !== undefined && args.length !== OPTIONAL_ARITY[name]) return noOverload(name, target, args);
  switch (name) {
    case 'hasValue':
      return target.present;
    case 'value':
      return target.present ? target.value : fail('optional.none() dereference');
    case 'orValue':
      return target.present ? target.value : args[0];
    case 'or':
      if (!(args[0] instanceof Optional)) return noOverload(name, target, args);
      return target.present ? target : args[0];
    default:
      return noOverload(name, target, args);
  }
}

function isZero(v: unknown): boolean {
  if (v === null || v === false || v === '' || v === 0 || v === 0n) return true;
  if (v instanceof CelUint) return v.value === 0n;
  if (Array.isArray(v) || v instanceof Uint8Array) return v.length === 0;
  if (isMap(v)) return mapSize(v) === 0;
  return false;
}

/** Null-prototype tables, so that names like `toString` or `constructor` are not functions. */
export const GLOBALS: Record<string, GlobalFn> = Object.assign(Object.create(null) as Record<string, GlobalFn>, {
  size: (a) => size(a[0]),
  int: (a) => toInt(a[0]),
  uint: (a) => toUint(a[0]),
  double: (a) => toDouble(a[0]),
  string: (a) => celToString(a[0]),
  bool: (a) => toBool(a[0]),
  bytes: (a) => (typeof a[0] === 'string' ? new Uint8Array(Buffer.from(a[0], 'utf8')) : a[0] instanceof Uint8Array ? a[0] : noOverload('bytes', undefined, a)),
  dyn: (a) => a[0],
  type: (a) => new CelTypeValue(typeName(a[0])),
  matches: (a) => compileRegex(str('matches', undefined, a, a[1])).test(str('matches', undefined, a, a[0])),
  'optional.of': (a) => Optional.of(a[0]),
  'optional.none': () => Optional.NONE,
  'optional.ofNonZeroValue': (a) => (isZero(a[0]) ? Optional.NONE : Optional.of(a[0])),
  'sets.contains': (a) => sets('sets.contains', a),
  'sets.equivalent': (a) => sets('sets.equivalent', a),
  'sets.intersects': (a) => sets('sets.intersects', a),
  'strings.quote': (a) => JSON.stringify(str('strings.quote', undefined, a, a[0])),
  quantity: (a) => quantity(str('quantity', undefined, a, a[0])),
  isQuantity: (a) => parseQuantity(str('isQuantity', undefined, a, a[0])) !== undefined,
  url: (a) => url(str('url', undefined, a, a[0])),
  isURL: (a) => parseUrl(str('isURL', undefined, a, a[0])) !== undefined,
} satisfies Record<string, GlobalFn>);

export const METHODS: Record<string, MethodFn> = Object.assign(Object.create(null) as Record<string, MethodFn>, {
  size: (t, a) => (a.length === 0 ? size(t) : noOverload('size', t, a)),
  contains: (t, a) => str('contains', t, a, t).includes(str('contains', t, a, a[0])),
  startsWith: (t, a) => str('startsWith', t, a, t).startsWith(str('startsWith', t, a, a[0])),
  endsWith: (t, a) => str('endsWith', t, a, t).endsWith(str('endsWith', t, a, a[0])),
  matches: (t, a) => compileRegex(str('matches', t, a, a[0])).test(str('matches', t, a, t)),
  find: (t, a) => regexFind(str('find', t, a, t), str('find', t, a, a[0])),
  findAll: (t, a) => regexFindAll(str('findAll', t, a, t), str('findAll', t, a, a[0]), a.length > 1 ? int('findAll', t, a, a[1]) : -1),
  lowerAscii: (t, a) => str('lowerAscii', t, a, t).replace(/[A-Z]/g, (c) => c.toLowerCase()),
  upperAscii: (t, a) => str('upperAscii', t, a, t).replace(/[a-z]/g, (c) => c.toUpperCase()),
  trim: (t, a) => str('trim', t, a, t).trim(),
  charAt: (t, a) => {
    const s = codePoints(str('charAt', t, a, t));
    const i = int('charAt', t, a, a[0]);
    if (i < 0 || i > s.length) fail(`index out of range: ${i}`);
    return s[i] ?? '';
  },
  replace: replace,
  split: split,
  substring: substring,
  indexOf: (t, a) => indexOf(t, a, false),
  lastIndexOf: (t, a) => indexOf(t, a, true),
  reverse: (t, a) => (typeof t === 'string' ? codePoints(t).reverse().join('') : [...list('reverse', t, a, t)].reverse()),
  join: join,
  isSorted: (t, a) => {
    const items = list('isSorted', t, a, t);
    for (let i = 1; i < items.length; i++) if (celCompare(items[i - 1], items[i], 'isSorted') > 0) return false;
    return true;
  },
  sum: (t, a) => listAggregate('sum', t, a),
  min: (t, a) => listAggregate('min', t, a),
  max: (t, a) => listAggregate('max', t, a),
  flatten: (t, a) => list('flatten', t, a, t).flatMap((x) => (Array.isArray(x) ? x : [x])),
  distinct: (t, a) => list('distinct', t, a, t).filter((x, i, all) => all.findIndex((y) => celEquals(x, y)) === i),
} satisfies Record<string, MethodFn>);

/** Methods whose receiver type decides the implementation (quantity, url, optional). */
export function callMethod(name: string, target: unknown, args: unknown[]): unknown {
  if (target instanceof Optional) return optionalMethod(name, target, args);
  if (target instanceof Quantity) return quantityMethod(name, target, args);
  if (target instanceof CelUrl) return urlMethod(name, target, args);
  const fn = METHODS[name];
  return fn ? fn(target, args) : noOverload(name, target, args);
}

/** Names usable as functions or methods: an expression calling anything else fails to compile. */
export function isKnownFunction(name: string): boolean {
  return name in GLOBALS || name in METHODS || QUANTITY_METHODS.has(name) || URL_METHODS.has(name) || OPTIONAL_METHODS.has(name);
}

const QUANTITY_METHODS = new Set(['isInteger', 'asInteger', 'asApproximateFloat', 'sign', 'add', 'sub', 'isGreaterThan', 'isLessThan', 'compareTo']);
const URL_METHODS = new Set(['getScheme', 'getHost', 'getHostname', 'getPort', 'getEscapedPath', 'getQuery']);
const OPTIONAL_METHODS = new Set(['hasValue', 'value', 'orValue', 'or']);

/**
 * CEL runtime values as plain JavaScript: null, boolean, string, number (double), bigint (int),
 * CelUint (uint), Uint8Array (bytes), arrays (list), objects without inherited keys (newMap) or Maps (map),
 * Optional, CelTypeValue, Quantity and Url (Kubernetes libraries). Errors are values too (CelErr),
 * as in CEL: `&&`, `||` and comprehensions absorb them; everything else propagates them.
 */

/** A CEL evaluation error, carried as a value. */
export class CelErr {
  constructor(readonly message: string) {}
}

/** An exception carrying a CEL error out of a function implementation. */
export class CelThrow extends Error {}

export function fail(message: string): never {
  throw new CelThrow(message);
}

export class CelUint {
  constructor(readonly value: bigint) {}
}

export class CelTypeValue {
  constructor(readonly name: string) {}
}

/** `optional(T)`: a value that may be absent. */
export class Optional {
  static readonly NONE = new Optional(false, undefined);
  private constructor(
    readonly present: boolean,
    readonly value: unknown,
  ) {}
  static of(value: unknown): Optional {
    return new Optional(true, value);
  }
}

/** A Kubernetes resource quantity: exactly `mantissa * 10^scale`. */
export class Quantity {
  constructor(
    readonly mantissa: bigint,
    readonly scale: number,
    readonly text: string,
  ) {}
}

/** A parsed URL (Kubernetes `url()` library). */
export class CelUrl {
  constructor(
    readonly text: string,
    readonly scheme: string,
    readonly host: string,
    readonly escapedPath: string,
    readonly query: Record<string, string[]>,
  ) {}
}

export type CelMapValue = Record<string, unknown> | Map<unknown, unknown>;

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** Checks int64 range: overflow is an error in CEL. */
export function int64(v: bigint): bigint {
  if (v < INT64_MIN || v > INT64_MAX) fail('integer overflow');
  return v;
}

/**
 * The prototype of string-keyed CEL maps: empty, with a null prototype, so that no key is
 * inherited (`"toString" in m` is false). Maps are created by a constructor over it rather than by
 * Object.create(null), which V8 keeps in slow dictionary mode: converting an object and reading
 * its fields are then about twice as fast.
 */
const MAP_PROTO: object = Object.create(null) as object;
const MapObject = function MapObject(): void {} as unknown as new () => Record<string, unknown>;
MapObject.prototype = MAP_PROTO as Record<string, unknown>;

export function isMap(v: unknown): v is CelMapValue {
  if (typeof v !== 'object' || v === null) return false;
  const proto: unknown = Object.getPrototypeOf(v);
  // Null-prototype objects are maps too (e.g. from callers building bindings by hand).
  return proto === MAP_PROTO || proto === null || v instanceof Map;
}

/**
 * Looks up a map entry; undefined when absent. String-keyed maps inherit no keys and never hold
 * undefined, so one property read answers both questions.
 */
export function mapGet(m: CelMapValue, key: unknown): unknown {
  if (m instanceof Map) {
    if (m.has(key)) return m.get(key);
    if (typeof key === 'number' && Number.isInteger(key)) return m.get(BigInt(key));
    if (typeof key === 'bigint' && m.has(Number(key))) return m.get(Number(key));
    return undefined;
  }
  return typeof key === 'string' ? m[key] : undefined;
}

export function mapHas(m: CelMapValue, key: unknown): boolean {
  if (m instanceof Map) return m.has(key) || (typeof key === 'bigint' && m.has(Number(key)));
  return typeof key === 'string' && key in m;
}

export function mapKeys(m: CelMapValue): unknown[] {
  return m instanceof Map ? [...m.keys()] : Object.keys(m);
}

export function mapSize(m: CelMapValue): number {
  return m instanceof Map ? m.size : Object.keys(m).length;
}

/** A new empty string-keyed map. */
export function newMap(): Record<string, unknown> {
  return new MapObject();
}

/** The CEL type name of a value. */
export function typeName(v: unknown): string {
  switch (typeof v) {
    case 'boolean':
      return 'bool';
    case 'string':
      return 'string';
    case 'number':
      return 'double';
    case 'bigint':
      return 'int';
    default:
  }
  if (v === null) return 'null_type';
  if (Array.isArray(v)) return 'list';
  if (isMap(v)) return 'map';
  if (v instanceof CelUint) return 'uint';
  if (v instanceof Uint8Array) return 'bytes';
  if (v instanceof Optional) return 'optional_type';
  if (v instanceof CelTypeValue) return 'type';
  if (v instanceof Quantity) return 'kubernetes.Quantity';
  if (v instanceof CelUrl) return 'kubernetes.URL';
  return 'unknown';
}

function numeric(v: unknown): number | bigint | undefined {
  if (typeof v === 'number' || typeof v === 'bigint') return v;
  if (v instanceof CelUint) return v.value;
  return undefined;
}

/** Compares two numbers of any CEL numeric type: -1, 0, 1, or NaN when unordered. */
function compareNumbers(a: number | bigint, b: number | bigint): number {
  if (typeof a === 'bigint' && typeof b === 'bigint') return a < b ? -1 : a > b ? 1 : 0;
  const x = Number(a);
  const y = Number(b);
  if (Number.isNaN(x) || Number.isNaN(y)) return NaN;
  return x < y ? -1 : x > y ? 1 : 0;
}

/** CEL equality (heterogeneous numeric equality; other type mismatches are simply unequal). */
export function celEquals(a: unknown, b: unknown): boolean {
  if (a === b) return typeof a !== 'number' || !Number.isNaN(a);
  const na = numeric(a);
  if (na !== undefined) {
    const nb = numeric(b);
    return nb !== undefined && compareNumbers(na, nb) === 0;
  }
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!celEquals(a[i], b[i])) return false;
    return true;
  }
  if (isMap(a)) {
    if (!isMap(b) || mapSize(a) !== mapSize(b)) return false;
    for (const k of mapKeys(a)) {
      if (!mapHas(b, k) || !celEquals(mapGet(a, k), mapGet(b, k))) return false;
    }
    return true;
  }
  if (a instanceof Uint8Array) {
    if (!(b instanceof Uint8Array) || a.length !== b.length) return false;
    return a.every((x, i) => x === b[i]);
  }
  if (a instanceof Optional) {
    return b instanceof Optional && a.present === b.present && (!a.present || celEquals(a.value, b.value));
  }
  if (a instanceof CelTypeValue) return b instanceof CelTypeValue && a.name === b.name;
  if (a instanceof Quantity) return b instanceof Quantity && compareQuantities(a, b) === 0;
  if (a instanceof CelUrl) return b instanceof CelUrl && a.text === b.text;
  return false;
}

export function compareQuantities(a: Quantity, b: Quantity): number {
  const scale = Math.min(a.scale, b.scale);
  const x = a.mantissa * 10n ** BigInt(a.scale - scale);
  const y = b.mantissa * 10n ** BigInt(b.scale - scale);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** CEL ordering for `<`, `<=`, `>`, `>=`: numbers across types, strings, bools, bytes. */
export function celCompare(a: unknown, b: unknown, op: string): number {
  const na = numeric(a);
  const nb = numeric(b);
  if (na !== undefined && nb !== undefined) return compareNumbers(na, nb);
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  if (a instanceof Uint8Array && b instanceof Uint8Array) return Buffer.compare(a, b);
  return fail(`found no matching overload for '${op}' applied to '(${typeName(a)}, ${typeName(b)})'`);
}

/**
 * Converts a parsed YAML/JSON value into CEL values once: integral numbers become int (YAML
 * integers are CEL int, not double), objects become maps (newMap).
 */
export function toCel(value: unknown): unknown {
  switch (typeof value) {
    case 'number':
      return Number.isInteger(value) && Number.isSafeInteger(value) ? BigInt(value) : value;
    case 'string':
    case 'boolean':
    case 'bigint':
      return value;
    case 'undefined':
      return null;
    default:
  }
  if (value === null) return null;
  if (Array.isArray(value)) {
    const n = value.length;
    const list: unknown[] = new Array(n);
    for (let i = 0; i < n; i++) list[i] = toCel(value[i]);
    return list;
  }
  if (value instanceof Date) return value.toISOString();
  if (value instanceof Uint8Array || value instanceof CelUint) return value;
  const src = value as Record<string, unknown>;
  const out = new MapObject();
  const keys = Object.keys(src);
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i];
    const v = src[k];
    if (v === undefined) continue;
    out[k] = typeof v === 'string' || typeof v === 'boolean' ? v : toCel(v);
  }
  return out;
}

/** Converts a CEL value back into plain JSON-friendly JavaScript (for output and messages). */
export function fromCel(value: unknown): unknown {
  if (typeof value === 'bigint') return Number(value);
  if (value instanceof CelUint) return Number(value.value);
  if (Array.isArray(value)) return value.map(fromCel);
  if (value instanceof Map) return Object.fromEntries([...value].map(([k, v]) => [String(fromCel(k)), fromCel(v)]));
  if (isMap(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fromCel(v)]));
  if (value instanceof Optional) return value.present ? fromCel(value.value) : null;
  if (value instanceof CelTypeValue) return value.name;
  if (value instanceof Quantity || value instanceof CelUrl) return value.text;
  return value;
}

/** `string(x)` conversion. */
export function celToString(v: unknown): string {
  switch (typeof v) {
    case 'string':
      return v;
    case 'boolean':
      return v ? 'true' : 'false';
    case 'bigint':
      return v.toString();
    case 'number':
      return formatDouble(v);
    default:
  }
  if (v instanceof CelUint) return v.value.toString();
  if (v instanceof Uint8Array) return Buffer.from(v).toString('utf8');
  if (v instanceof CelTypeValue) return v.name;
  return fail(`found no matching overload for 'string' applied to '(${typeName(v)})'`);
}

function formatDouble(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (!Number.isFinite(v)) return v > 0 ? '+Inf' : '-Inf';
  return String(v);
}

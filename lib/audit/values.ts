/**
 * Property values as the report may show them: secrets masked (whatever shape they arrive in),
 * unknowns named, and helpers to address nested properties with Pulumi's property paths.
 */
import { SECRET, SECRET_SIGNATURE, UNKNOWN } from './preview';

/** Keys whose values are credentials even when the program forgot to mark them secret. */
const SENSITIVE_KEYS = new Set(['password', 'masterpassword', 'secretstring', 'secretbinary', 'privatekey', 'clientsecret', 'token', 'apikey', 'kubeconfig']);

export function isSecretSignature(v: unknown): boolean {
  return typeof v === 'object' && v !== null && SECRET_SIGNATURE in v;
}

/**
 * A copy of `value` safe to print: serialized secrets, values of credential-named keys, the data of
 * Kubernetes Secrets and keys starting with `__` (provider bookkeeping) are masked or dropped.
 */
export function sanitize(value: unknown, type = ''): unknown {
  const secretData = type === 'kubernetes:core/v1:Secret';
  const walk = (v: unknown, key: string | undefined, depth: number): unknown => {
    if (isSecretSignature(v)) return SECRET;
    if (key !== undefined && SENSITIVE_KEYS.has(key.toLowerCase()) && v !== null && v !== UNKNOWN) return SECRET;
    if (Array.isArray(v)) return v.map((e) => walk(e, undefined, depth + 1));
    if (typeof v === 'object' && v !== null) {
      const out: Record<string, unknown> = {};
      for (const [k, e] of Object.entries(v)) {
        if (depth === 0 && k.startsWith('__')) continue;
        if (secretData && depth === 0 && (k === 'data' || k === 'stringData') && e && typeof e === 'object') {
          out[k] = Object.fromEntries(Object.keys(e).map((dk) => [dk, SECRET]));
          continue;
        }
        out[k] = walk(e, k, depth + 1);
      }
      return out;
    }
    return v;
  };
  return walk(value, undefined, 0);
}

/** The same value with unknowns dropped, as CrossGuard sees inputs during a preview. */
export function withoutUnknowns(value: unknown): unknown {
  if (value === UNKNOWN) return undefined;
  if (Array.isArray(value)) return value.filter((e) => e !== UNKNOWN).map(withoutUnknowns);
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [k, e] of Object.entries(value)) if (e !== UNKNOWN) out[k] = withoutUnknowns(e);
    return out;
  }
  return value;
}

export function isUnknown(v: unknown): boolean {
  return v === UNKNOWN;
}

/** Appends a key to a property path the way Pulumi writes them: `a.b`, `a[0]`, `a["x.y"]`. */
export function joinPath(base: string, key: string | number): string {
  if (typeof key === 'number') return `${base}[${key}]`;
  if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) return base === '' ? key : `${base}.${key}`;
  return `${base}[${JSON.stringify(key)}]`;
}

/** Splits a Pulumi property path into keys; undefined when it cannot be read. */
export function splitPath(path: string): (string | number)[] | undefined {
  const keys: (string | number)[] = [];
  const re = /\.?([A-Za-z_$*][A-Za-z0-9_$*-]*)|\[(\d+)\]|\["((?:[^"\\]|\\.)*)"\]/y;
  let i = 0;
  while (i < path.length) {
    re.lastIndex = i;
    const m = re.exec(path);
    if (!m) return undefined;
    if (m[1] !== undefined) keys.push(m[1]);
    else if (m[2] !== undefined) keys.push(Number(m[2]));
    else keys.push(JSON.parse(`"${m[3]}"`) as string);
    i = re.lastIndex;
  }
  return keys;
}

export function getPath(value: unknown, path: string): unknown {
  const keys = splitPath(path);
  if (!keys) return undefined;
  let v: unknown = value;
  for (const k of keys) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string | number, unknown>)[k];
  }
  return v;
}

/** One-line rendering of a value for tables; long or structured values are for fenced blocks. */
export function formatValue(v: unknown): string {
  if (v === undefined) return '(none)';
  if (v === UNKNOWN) return '(known after apply)';
  if (v === SECRET) return '[secret]';
  if (typeof v === 'string') return JSON.stringify(v);
  return JSON.stringify(v, (_k, e: unknown) => (e === UNKNOWN ? '(known after apply)' : e));
}

/** Multi-line rendering for long values: JSON documents inside strings are pretty-printed. */
export function formatBlock(v: unknown): string {
  if (typeof v === 'string' && v !== UNKNOWN && v !== SECRET) {
    const t = v.trim();
    if (t.startsWith('{') || t.startsWith('[')) {
      try {
        return JSON.stringify(JSON.parse(t), null, 2);
      } catch {
        return v;
      }
    }
    return v;
  }
  if (v !== null && typeof v === 'object') return JSON.stringify(v, (_k, e: unknown) => (e === UNKNOWN ? '(known after apply)' : e), 2);
  return formatValue(v);
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    return a.length === bb.length && a.every((e, i) => deepEqual(e, bb[i]));
  }
  const ka = Object.keys(a as object);
  const kb = Object.keys(b as object);
  if (ka.length !== kb.length) return false;
  return ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

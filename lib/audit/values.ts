/**
 * Property values as the report may show them: secrets masked (whatever shape they arrive in),
 * unknowns named, and helpers to address nested properties with Pulumi's property paths.
 */
import { TYPES } from '../resource-types';
import { SECRET, SECRET_SIGNATURE, UNKNOWN } from './preview';

/** Keys whose values are credentials even when the program forgot to mark them secret. */
const SENSITIVE_KEYS = new Set(['password', 'masterpassword', 'secretstring', 'secretbinary', 'privatekey', 'clientsecret', 'token', 'apikey', 'kubeconfig']);

export function isSecretSignature(v: unknown): boolean {
  return typeof v === 'object' && v !== null && SECRET_SIGNATURE in v;
}

/**
 * Type signatures of Pulumi's serialized property values (sdk/go/common/resource/sig and
 * pkg/resource/stack): the `4dabf181...` key marks an object as one of these, not a plain map.
 */
const SIG = {
  secret: '1b47061264138c4ac30d75fd1eb44270',
  asset: 'c44067f5952c0a294b673a41bacd8c17',
  archive: '0def7320c3a5731c473e5ecbe6d01bc7',
  resourceReference: '5cf8f73096256a8f31e491e813e4eb8e',
  outputValue: 'd0e6a833031e9bbcd3f4e8bde6ca49a4',
  byteString: '803fd3297a5875dc03ca845dda5d2a98',
  float: '8ad145fe-0d11-4827-bfd7-1abcbf086f5c',
} as const;

function knownString(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' && v !== UNKNOWN && v !== SECRET ? v : undefined;
}

/** `, hash 0123456789ab` when the content hash is known: a changed file shows as a changed value. */
function hashSuffix(o: Record<string, unknown>): string {
  const hash = knownString(o.hash);
  return hash ? `, hash ${hash.slice(0, 12)}` : '';
}

/**
 * The printable form of a serialized signature object: secrets (and any signature this code does not
 * know) are masked; assets, archives and resource references are named by path, URI or URN, never
 * by inline content; special floats and byte strings are described.
 */
function signatureValue(o: Record<string, unknown>, walk: (v: unknown) => unknown): unknown {
  switch (o[SECRET_SIGNATURE]) {
    case SIG.asset:
    case SIG.archive: {
      const kind = o[SECRET_SIGNATURE] === SIG.asset ? 'asset' : 'archive';
      const where = knownString(o.path) ? `file ${String(o.path)}` : knownString(o.uri) ? String(o.uri) : typeof o.text === 'string' ? `inline text, ${o.text.length} characters` : o.assets && typeof o.assets === 'object' ? `${Object.keys(o.assets).length} entries` : 'content known after apply';
      return `${kind}(${where}${hashSuffix(o)})`;
    }
    case SIG.resourceReference: {
      const urn = knownString(o.urn) ?? '(known after apply)';
      const id = knownString(o.id);
      return `resource(${urn}${id ? `, id ${id}` : ''})`;
    }
    case SIG.outputValue:
      if (o.secret === true) return SECRET;
      return 'value' in o ? walk(o.value) : UNKNOWN;
    case SIG.byteString:
      return `(binary, ${typeof o.value === 'string' ? Math.floor((o.value.replace(/=+$/, '').length * 3) / 4) : 0} bytes)`;
    case SIG.float: {
      const bits = typeof o.value === 'string' && /^[0-9a-f]{16}$/.test(o.value) ? Buffer.from(o.value, 'hex').readDoubleBE(0) : Number.NaN;
      return String(bits);
    }
    default:
      return SECRET;
  }
}

/**
 * A copy of `value` safe to print: serialized secrets, values of credential-named keys, the data of
 * Kubernetes Secrets and keys starting with `__` (provider bookkeeping) are masked or dropped; other
 * serialized values (assets, archives, resource references) become one readable string.
 */
export function sanitize(value: unknown, type = ''): unknown {
  const secretData = type === TYPES.kubernetesSecret;
  const walk = (v: unknown, key: string | undefined, depth: number): unknown => {
    if (isSecretSignature(v)) return signatureValue(v as Record<string, unknown>, (e) => walk(e, key, depth + 1));
    if (key !== undefined && SENSITIVE_KEYS.has(key.toLowerCase()) && v !== null && v !== UNKNOWN) return SECRET;
    if (Array.isArray(v)) return v.map((e) => walk(e, undefined, depth + 1));
    if (typeof v === 'object' && v !== null) {
      const out: Record<string, unknown> = {};
      for (const [k, e] of Object.entries(v)) {
        if (depth === 0 && k.startsWith('__')) continue;
        if (secretData && depth === 0 && (k === 'data' || k === 'stringData') && e && typeof e === 'object' && !isSecretSignature(e)) {
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

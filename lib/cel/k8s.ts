/**
 * The Kubernetes CEL libraries policies use, as far as this engine implements them: quantity,
 * url and regex (`find`/`findAll`), plus RE2-to-JavaScript regular expression translation.
 * Semantics follow k8s.io/apiserver/pkg/cel/library.
 */
import { CelUrl, fail, Quantity } from './values';

/** Compiled patterns by source: one cache for `test`/`exec` use, one for global (`findAll`) use. */
const regexCache = new Map<string, RegExp>();
const globalRegexCache = new Map<string, RegExp>();

/**
 * Compiles an RE2 pattern as a JavaScript RegExp (cached). Leading inline flags `(?i)`, `(?s)`,
 * `(?m)` become RegExp flags; `\z` becomes `$`. Patterns JavaScript rejects are CEL errors.
 */
export function compileRegex(pattern: string, global = false): RegExp {
  const cache = global ? globalRegexCache : regexCache;
  const cached = cache.get(pattern);
  if (cached) return cached;
  let source = pattern;
  let flags = global ? 'g' : '';
  const inline = /^\(\?([ims]+)\)/.exec(source);
  if (inline) {
    source = source.slice(inline[0].length);
    for (const f of inline[1]) if (!flags.includes(f)) flags += f;
  }
  source = source.replace(/\\z/g, '$').replace(/\(\?P</g, '(?<');
  let re: RegExp;
  try {
    re = new RegExp(source, flags);
  } catch (err) {
    return fail(`invalid regular expression ${JSON.stringify(pattern)}: ${(err as Error).message}`);
  }
  cache.set(pattern, re);
  return re;
}

export function regexFind(s: string, pattern: string): string {
  const m = compileRegex(pattern).exec(s);
  return m ? m[0] : '';
}

export function regexFindAll(s: string, pattern: string, limit: number): string[] {
  if (limit === 0) return [];
  const re = compileRegex(pattern, true);
  re.lastIndex = 0;
  const out: string[] = [];
  let m: RegExpExecArray | null;
  while ((m = re.exec(s)) !== null && (limit < 0 || out.length < limit)) {
    out.push(m[0]);
    if (m[0] === '') re.lastIndex++;
  }
  return out;
}

const DECIMAL_SUFFIX: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const BINARY_SUFFIX: Record<string, number> = { Ki: 1, Mi: 2, Gi: 3, Ti: 4, Pi: 5, Ei: 6 };
const QUANTITY = /^([+-]?)([0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE])|[eE]([+-]?[0-9]+))?$/;

/** Parses a Kubernetes quantity (`500m`, `1.5Gi`, `1e3`), or returns undefined when malformed. */
export function parseQuantity(text: string): Quantity | undefined {
  const m = QUANTITY.exec(text);
  if (!m) return undefined;
  const [, sign, number, suffix = '', exponent] = m;
  const [whole, fraction = ''] = number.split('.');
  let mantissa = BigInt((whole || '0') + fraction);
  let scale = -fraction.length;
  if (exponent !== undefined) {
    scale += Number(exponent);
  } else if (suffix in BINARY_SUFFIX) {
    mantissa *= 1024n ** BigInt(BINARY_SUFFIX[suffix]);
  } else {
    scale += DECIMAL_SUFFIX[suffix];
  }
  if (sign === '-') mantissa = -mantissa;
  return new Quantity(mantissa, scale, text);
}

export function quantity(text: string): Quantity {
  return parseQuantity(text) ?? fail(`quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$' (got ${JSON.stringify(text)})`);
}

/** The quantity's exact integer value, or undefined when it has a fractional part. */
function quantityInteger(q: Quantity): bigint | undefined {
  if (q.scale >= 0) return q.mantissa * 10n ** BigInt(q.scale);
  const div = 10n ** BigInt(-q.scale);
  return q.mantissa % div === 0n ? q.mantissa / div : undefined;
}

export function quantityIsInteger(q: Quantity): boolean {
  const v = quantityInteger(q);
  return v !== undefined && v >= -(2n ** 63n) && v < 2n ** 63n;
}

export function quantityAsInteger(q: Quantity): bigint {
  if (!quantityIsInteger(q)) fail(`cannot convert value to integer (${q.text})`);
  return quantityInteger(q) as bigint;
}

export function quantityAsFloat(q: Quantity): number {
  return Number(q.mantissa) * 10 ** q.scale;
}

export function quantitySign(q: Quantity): bigint {
  return q.mantissa > 0n ? 1n : q.mantissa < 0n ? -1n : 0n;
}

export function quantityAdd(a: Quantity, b: Quantity | bigint, sign: 1n | -1n): Quantity {
  const other = typeof b === 'bigint' ? new Quantity(b, 0, b.toString()) : b;
  const scale = Math.min(a.scale, other.scale);
  const mantissa = a.mantissa * 10n ** BigInt(a.scale - scale) + sign * other.mantissa * 10n ** BigInt(other.scale - scale);
  return new Quantity(mantissa, scale, formatQuantity(mantissa, scale));
}

function formatQuantity(mantissa: bigint, scale: number): string {
  if (scale >= 0) return (mantissa * 10n ** BigInt(scale)).toString();
  const neg = mantissa < 0n;
  const digits = (neg ? -mantissa : mantissa).toString().padStart(-scale + 1, '0');
  const text = `${digits.slice(0, scale)}.${digits.slice(scale)}`.replace(/\.?0+$/, '');
  return (neg ? '-' : '') + text;
}

/** Parses a URL the way the Kubernetes `url()` library accepts it: absolute URI or absolute path. */
export function parseUrl(text: string): CelUrl | undefined {
  if (text.startsWith('/')) {
    const q = text.indexOf('?');
    const pathPart = q === -1 ? text : text.slice(0, q);
    const query = q === -1 ? '' : text.slice(q + 1);
    return new CelUrl(text, '', '', pathPart, parseQuery(query));
  }
  let u: URL;
  try {
    u = new URL(text);
  } catch {
    return undefined;
  }
  if (!/^[A-Za-z][A-Za-z0-9+.-]*:/.test(text)) return undefined;
  return new CelUrl(text, u.protocol.replace(/:$/, ''), u.host, u.pathname === '/' && !/^[^:]+:\/\/[^/]+\//.test(text) ? '' : u.pathname, parseQuery(u.search.replace(/^\?/, '')));
}

function parseQuery(query: string): Record<string, string[]> {
  const out = Object.create(null) as Record<string, string[]>;
  if (query === '') return out;
  for (const [k, v] of new URLSearchParams(query)) (out[k] ??= []).push(v);
  return out;
}

export function url(text: string): CelUrl {
  return parseUrl(text) ?? fail(`URL parse error during conversion from string: ${JSON.stringify(text)}`);
}

export function urlHostname(u: CelUrl): string {
  return u.host.replace(/:\d*$/, '').replace(/^\[(.*)\]$/, '$1');
}

export function urlPort(u: CelUrl): string {
  const m = /:(\d*)$/.exec(u.host.replace(/^\[.*\]/, (s) => s.replace(/:/g, '')));
  return m ? m[1] : '';
}

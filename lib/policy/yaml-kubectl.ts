/**
 * Plain YAML scalars read the way `kubectl apply` turns a manifest into JSON: sigs.k8s.io/yaml's
 * YAMLToJSON (v1.6.0, yaml.go) unmarshals with go-yaml v2 (go.mod: go.yaml.in/yaml/v2 v2.4.2, the
 * continuation of gopkg.in/yaml.v2), whose resolver implements YAML 1.1's implicit types, not 1.2's:
 *
 * - booleans: y Y yes Yes YES true True TRUE on On ON, and n N no No NO false False FALSE off Off OFF
 *   (go-yaml/yaml v2.4.0 resolve.go, resolveMapList);
 * - null: the empty scalar, ~ null Null NULL (same table);
 * - integers: Go's strconv.ParseInt(s, 0, 64) after removing every `_`: a leading 0 is octal (0755
 *   is 493), 0x/0o/0b prefixes, a sign; then ParseUint; then `0b`/`-0b` binary (resolve.go, hint 'D'/'S');
 * - floats: the yamlStyleFloat pattern `^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$` (so 08 is
 *   the float 8), .inf/.nan forms, and strconv.ParseFloat for scalars starting with `.`;
 * - sexagesimal numbers (190:20:30) are deliberately not resolved ("Base 60 floats are a bad idea,
 *   were dropped in YAML 1.2, and are purposefully unsupported here", resolve.go): they stay strings;
 * - timestamps resolve, but decoding into interface{} keeps the original string (decode.go, "for
 *   backward compatibility reasons we set it as a string"): strings;
 * - `<<` is a merge key when plain or tagged !!merge (decode.go isMerge); a mapping's entries are set
 *   in order, so a merge overrides keys written before it, and in a list of merged maps the earlier
 *   map wins (decode.go merge steps backwards);
 * - keys that resolve to a bool or number become strings (`on:` is the key "true"; sigs.k8s.io/yaml
 *   yaml.go convertToJSONableObject); a null key is an error there;
 * - JSON has no infinity or NaN: json.Marshal fails on them, so kubectl cannot send such a file.
 *
 * Quoted and block scalars are strings. `resolveYaml12` is what a YAML 1.2 core-schema reader gives,
 * to name the scalars whose meaning depends on the reader.
 */

/** First characters that can start a resolvable plain scalar (go-yaml v2's resolveTable). */
const HINT = new Uint8Array(128);
for (const c of '+-') HINT[c.charCodeAt(0)] = 1;
for (const c of '0123456789') HINT[c.charCodeAt(0)] = 1;
for (const c of 'yYnNtTfFoO~') HINT[c.charCodeAt(0)] = 2;
HINT['.'.charCodeAt(0)] = 3;

const TABLE = new Map<string, unknown>();
for (const s of ['y', 'Y', 'yes', 'Yes', 'YES', 'true', 'True', 'TRUE', 'on', 'On', 'ON']) TABLE.set(s, true);
for (const s of ['n', 'N', 'no', 'No', 'NO', 'false', 'False', 'FALSE', 'off', 'Off', 'OFF']) TABLE.set(s, false);
for (const s of ['', '~', 'null', 'Null', 'NULL']) TABLE.set(s, null);
for (const s of ['.nan', '.NaN', '.NAN']) TABLE.set(s, NaN);
for (const s of ['.inf', '.Inf', '.INF', '+.inf', '+.Inf', '+.INF']) TABLE.set(s, Infinity);
for (const s of ['-.inf', '-.Inf', '-.INF']) TABLE.set(s, -Infinity);

const YAML_STYLE_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;
/** Go's strconv.ParseFloat for text starting with `.` (decimal, optional exponent; no underscores without a base prefix). */
const GO_DOT_FLOAT = /^\.[0-9]+([eE][-+]?[0-9]+)?$/;
/** What strconv.ParseInt(s, 0, 64) accepts, underscores removed: sign, then 0x / 0o / 0b / leading-0 octal / decimal. */
const GO_INT = /^[-+]?(0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|0[0-7]*|[1-9][0-9]*)$/;
/** ParseUint accepts no sign; go-yaml then tries `-0b` binary itself. */
const GO_NEG_BINARY = /^-0b[01]+$/;
/** The timestamp forms go-yaml v2 tries (parseTimestamp): all start with four digits and a dash. */
const TIMESTAMP_START = /^[0-9]{4}-/;

const MAX_INT64 = 2n ** 63n - 1n;
const MAX_UINT64 = 2n ** 64n - 1n;

function goInt(text: string): number | undefined {
  if (!GO_INT.test(text)) return undefined;
  const negative = text.startsWith('-');
  const body = text.replace(/^[-+]/, '');
  let digits: bigint;
  if (/^0[xX]/.test(body)) digits = BigInt(`0x${body.slice(2)}`);
  else if (/^0[oO]/.test(body)) digits = BigInt(`0o${body.slice(2)}`);
  else if (/^0[bB]/.test(body)) digits = BigInt(`0b${body.slice(2)}`);
  else if (body.length > 1 && body.startsWith('0')) digits = BigInt(`0o${body.slice(1)}`);
  else digits = BigInt(body);
  // ParseInt, then ParseUint (unsigned only): outside both ranges the text falls through to the float rule.
  if (negative ? digits > MAX_INT64 + 1n : digits > (text.startsWith('+') ? MAX_INT64 : MAX_UINT64)) return undefined;
  return Number(negative ? -digits : digits);
}

/** The value kubectl sends for a plain (unquoted, untagged) scalar: see the file comment. */
export function resolveKubectl(text: string): unknown {
  const hint = text === '' ? 2 : (HINT[text.charCodeAt(0)] ?? 0);
  if (hint === 0) return text;
  const known = TABLE.get(text);
  if (known !== undefined || TABLE.has(text)) return known;
  if (hint === 3) return GO_DOT_FLOAT.test(text) ? Number(text) : text;
  if (hint === 2) return text;
  if (TIMESTAMP_START.test(text)) return text;
  const plain = text.includes('_') ? text.replace(/_/g, '') : text;
  const int = goInt(plain);
  if (int !== undefined) return int;
  if (YAML_STYLE_FLOAT.test(plain)) return Number(plain);
  if (GO_NEG_BINARY.test(plain)) return -Number(BigInt(`0b${plain.slice(3)}`));
  return text;
}

const CORE_NULL = /^(null|Null|NULL|~|)$/;
const CORE_TRUE = /^(true|True|TRUE)$/;
const CORE_FALSE = /^(false|False|FALSE)$/;
const CORE_INT10 = /^[-+]?[0-9]+$/;
const CORE_OCT = /^0o[0-7]+$/;
const CORE_HEX = /^0x[0-9a-fA-F]+$/;
const CORE_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;
const CORE_INF = /^[-+]?\.(inf|Inf|INF)$/;
const CORE_NAN = /^\.(nan|NaN|NAN)$/;

/** The value a YAML 1.2 core-schema reader gives a plain scalar (YAML 1.2.2, 10.3.2 tag resolution). */
export function resolveYaml12(text: string): unknown {
  if (CORE_NULL.test(text)) return null;
  if (CORE_TRUE.test(text)) return true;
  if (CORE_FALSE.test(text)) return false;
  if (CORE_INT10.test(text)) return Number(text);
  if (CORE_OCT.test(text)) return Number(BigInt(`0o${text.slice(2)}`));
  if (CORE_HEX.test(text)) return Number(text);
  if (CORE_FLOAT.test(text)) return Number(text);
  if (CORE_INF.test(text)) return text.startsWith('-') ? -Infinity : Infinity;
  if (CORE_NAN.test(text)) return NaN;
  return text;
}

/** Whether the two readers disagree on a plain scalar. */
export function readersDisagree(text: string): boolean {
  const a = resolveKubectl(text);
  const b = resolveYaml12(text);
  // JSON has one zero (-0 is sent as 0); NaN equals itself here.
  return !(a === b || (typeof a === 'number' && typeof b === 'number' && Number.isNaN(a) && Number.isNaN(b)));
}

/** A map key as sigs.k8s.io/yaml turns it into a JSON key; undefined for a null key (an error there). */
export function jsonKey(value: unknown): string | undefined {
  if (value === null || value === undefined) return undefined;
  if (value === Infinity) return '.inf';
  if (value === -Infinity) return '-.inf';
  if (typeof value === 'number' && Number.isNaN(value)) return '.nan';
  return String(value);
}

/** How a value is shown in a note: strings quoted, the rest as JSON. */
export function shown(value: unknown): string {
  if (typeof value === 'string') return `the string ${JSON.stringify(value)}`;
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  return JSON.stringify(value);
}

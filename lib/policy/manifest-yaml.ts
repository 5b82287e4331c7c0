/**
 * YAML and JSON reading for manifests, suites and input policies, as tolerant as Gatekeeper's own
 * Go readers (yaml.v3, libyaml lineage) where they accept what YAML 1.2 rejects, and stricter where
 * Kubernetes is:
 * - Scalars mean what they mean to `kubectl apply` (sigs.k8s.io/yaml over go-yaml v2, YAML 1.1
 *   rules: `yes`/`on` are true, 0755 is 493, `<<` merges; see yaml-kubectl.ts). Where a YAML 1.2
 *   reader would see something else, a reading note names the line, so that a file that only means
 *   something under one reading is said to be one.
 * - Continuation lines of a quoted scalar may be indented no deeper than their parent (YAML 1.2
 *   wants them deeper; `gator` and kubectl accept it, and the Gatekeeper library ships such files).
 *   Such lines are re-indented to the opening quote's column and the text parsed again: line
 *   folding drops a continuation line's leading spaces, so the value does not change, and line
 *   numbers stay the same. Lines starting with a document marker are left alone (Go rejects those).
 * - A mapping key that is itself a mapping or list (`config: {{config_data}}`, an unrendered
 *   template) is an error naming line and column, not a silently stringified key.
 * - Duplicate keys are errors naming the key (kubectl rejects them too).
 * - JSON syntax errors name line and column.
 */
import { FAILSAFE_SCHEMA, loadAll, Type } from 'js-yaml';
import { isAlias, isMap, isPair, isScalar, isSeq, Lexer, parseAllDocuments, visit, type Document, type Node as YamlNode, type YAMLParseError } from 'yaml';
import { UserError } from '../errors';
import { yamlErrorMessage } from '../yaml';
import { jsonKey, readersDisagree, resolveKubectl, resolveYaml12, shown } from './yaml-kubectl';

// The failsafe schema keeps every scalar a string: kubectl's resolution is applied by toKubectlJson.
const OPTIONS = { prettyErrors: true, uniqueKeys: true, logLevel: 'error', schema: 'failsafe' } as const;

/** `line L, column C` (1-based) of an offset in a text. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let start = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    start = i + 1;
  }
  return { line, column: offset - start + 1 };
}

/** Offset just past the closing quote of the quoted scalar opening at `open`, or -1 when none closes it. */
function closingQuote(text: string, open: number): number {
  const quote = text[open];
  for (let i = open + 1; i < text.length; i++) {
    const c = text[i];
    if (quote === '"' && c === '\\') i++;
    else if (c === quote) {
      if (quote === "'" && text[i + 1] === "'") i++;
      else return i + 1;
    }
  }
  return -1;
}

/** Offsets of quoted scalars the YAML 1.2 lexer left unterminated (their continuation is under-indented). */
function unterminatedQuotes(text: string): number[] {
  const out: number[] = [];
  let offset = 0;
  for (const token of new Lexer().lex(text)) {
    // The lexer's control tokens (document, flow end, scalar) take no room in the source.
    if (token.length === 1 && (token === '\x02' || token === '\x18' || token === '\x1f')) continue;
    if ((token[0] === '"' || token[0] === "'") && closingQuote(token, 0) === -1) out.push(offset);
    offset += token.length;
  }
  return out;
}

/**
 * The text with every under-indented continuation line of a quoted scalar indented to its opening
 * quote's column; the same text when there is none (or when a quote never closes, a real error).
 */
export function reindentQuotedContinuations(text: string): string {
  let current = text;
  // Each pass fixes the first unterminated scalar; the lexer then sees the rest anew.
  for (let pass = 0; pass < 1000; pass++) {
    const open = unterminatedQuotes(current)[0];
    if (open === undefined) return current;
    const close = closingQuote(current, open);
    if (close === -1) return current;
    const lineStart = current.lastIndexOf('\n', open) + 1;
    const column = open - lineStart;
    const firstBreak = current.indexOf('\n', open);
    if (firstBreak === -1 || firstBreak > close) return current;
    const body = current.slice(firstBreak + 1, close).split('\n');
    let changed = false;
    const fixed = body.map((line) => {
      const indent = line.length - line.trimStart().length;
      if (line.trim() === '' || indent >= column || /^(---|\.\.\.)(\s|$)/.test(line)) return line;
      changed = true;
      return ' '.repeat(column - indent) + line;
    });
    if (!changed) return current;
    current = current.slice(0, firstBreak + 1) + fixed.join('\n') + current.slice(close);
  }
  return current;
}

function firstError(docs: readonly Document.Parsed[]): YAMLParseError | undefined {
  for (const doc of docs) if (doc.errors.length > 0) return doc.errors[0];
  return undefined;
}

function describe(err: YAMLParseError, text: string, file: string): string {
  const message = yamlErrorMessage(err, file);
  if (err.code === 'DUPLICATE_KEY') {
    const key = /^("(?:[^"\\\n]|\\.)*"|'(?:[^'\n]|'')*'|[^:\n#]*[^:\s#])\s*:/.exec(text.slice(err.pos[0]))?.[1];
    if (key !== undefined) return `${message}: ${JSON.stringify(key)} appears twice in the same mapping`;
  }
  return message;
}

/** Texts at least this large try the fast reader first. */
export const FAST_YAML_MIN_CHARS = 1 << 20;

/**
 * Anchors or aliases (`&a`, `*a`: the fast reader has no expansion limit), merge keys (`<<`), explicit
 * keys (`? k`) and flow collections used as keys (`{a: 1}: v`, `[a]: v`: the fast reader would turn
 * them into strings where the thorough one names the line): texts with any of these take the
 * thorough reader.
 */
const NEEDS_THOROUGH_READER = /(^|[\s[{,])[&*][^\s,[\]{}]|^\s*\?(\s|$)|[}\]]\s*:(\s|$)|<</m;

/** Set by the fast reader's scalar type when a plain scalar needs a reading note (or cannot be sent). */
let fastReaderBailedOut = false;

/**
 * js-yaml's implicit resolution runs only on plain scalars (quoted ones carry the `!` tag), exactly
 * where go-yaml v2 resolves: one implicit type applying kubectl's rules on the failsafe schema.
 */
const KUBECTL_SCALAR = new Type('tag:yaml.org,2002:kubectl-plain', {
  kind: 'scalar',
  resolve: () => true,
  construct(data: string | null): unknown {
    const text = data ?? '';
    const value = resolveKubectl(text);
    if (readersDisagree(text) || (typeof value === 'number' && !Number.isFinite(value))) fastReaderBailedOut = true;
    return value;
  },
});
const KUBECTL_SCHEMA = FAILSAFE_SCHEMA.extend({ implicit: [KUBECTL_SCALAR] });

/**
 * Large manifests (generated bundles, `kubectl get -o yaml` dumps) are read with js-yaml, about ten
 * times faster and leaner than the thorough reader below, with the same scalar rules (kubectl's).
 * Anything the fast reader refuses, a text using a construct where they could differ, or a scalar
 * that needs a reading note goes to the thorough reader, which also gives positions.
 */
export function readFast(text: string, minChars = FAST_YAML_MIN_CHARS): unknown[] | undefined {
  if (text.length < minChars || NEEDS_THOROUGH_READER.test(text)) return undefined;
  const out: unknown[] = [];
  fastReaderBailedOut = false;
  try {
    loadAll(text, (doc) => {
      if (doc !== null && doc !== undefined) out.push(doc);
    }, { schema: KUBECTL_SCHEMA });
  } catch {
    return undefined;
  }
  return fastReaderBailedOut ? undefined : out;
}

/**
 * Parses every document of a YAML text into plain values as kubectl sends them, skipping empty
 * documents. Scalars whose meaning differs under YAML 1.2 are described in `notes`, when given.
 */
export function parseYamlManifests(text: string, file: string, notes?: string[]): unknown[] {
  const fast = readFast(text);
  if (fast) return fast;
  return parseYamlThoroughly(text, file, notes);
}

/** Aliases may repeat a node; past this many values built through aliases the text is refused (billion laughs). */
const MAX_ALIAS_VALUES = 100_000;

interface Conversion {
  readonly doc: Document.Parsed;
  readonly source: string;
  readonly file: string;
  readonly notes: string[] | undefined;
  aliasValues: number;
  viaAlias: number;
}

function where(c: Conversion, node: YamlNode): string {
  const { line, column } = lineColumn(c.source, node.range?.[0] ?? 0);
  return `${c.file}: line ${line}, column ${column}`;
}

function note(c: Conversion, node: YamlNode, message: string): void {
  // An alias repeats its anchor's node: the note was given where the anchor is.
  if (c.notes !== undefined && c.viaAlias === 0) c.notes.push(`${where(c, node)}: ${message}`);
}

const MERGE_TAG = 'tag:yaml.org,2002:merge';

/** A plain `<<` or one tagged !!merge: a merge key (go-yaml v2 decode.go isMerge). */
function isMergeKey(key: unknown): boolean {
  return isScalar(key) && key.source === '<<' && ((key.type === 'PLAIN' && key.tag === undefined) || key.tag === MERGE_TAG);
}

function scalarValue(c: Conversion, node: YamlNode & { value: unknown; source?: string; type?: string; tag?: string }): unknown {
  const text = typeof node.source === 'string' ? node.source : String(node.value ?? '');
  if (node.tag === 'tag:yaml.org,2002:str' || (node.type !== 'PLAIN' && node.tag === undefined)) return text;
  // !!binary is base64 decoded, its bytes taken as a string (sigs.k8s.io/yaml yaml_test.go "binary data").
  if (node.tag === 'tag:yaml.org,2002:binary') return Buffer.from(text.replace(/\s+/g, ''), 'base64').toString('utf8');
  if (node.tag !== undefined && !/^tag:yaml\.org,2002:(bool|int|float|null)$/.test(node.tag) && node.tag !== '!') return text;
  const value = resolveKubectl(text);
  if (typeof value === 'number' && !Number.isFinite(value)) {
    throw new UserError(`${where(c, node)}: ${text} is ${Number.isNaN(value) ? 'NaN' : 'an infinite number'} to kubectl (YAML 1.1), which JSON cannot hold: kubectl cannot send this file; quote it to mean the string`);
  }
  if (node.type === 'PLAIN' && node.tag === undefined && readersDisagree(text)) {
    note(c, node, `${text} is ${shown(value)} as kubectl reads it (YAML 1.1); a YAML 1.2 reader sees ${shown(resolveYaml12(text))}: quote it or write ${typeof value === 'boolean' ? value : 'the value'} to mean one thing`);
  }
  return value;
}

function mergeInto(c: Conversion, out: Map<string, unknown>, value: unknown): void {
  const target = isAlias(value) ? value.resolve(c.doc) : value;
  if (isMap(target)) {
    for (const [k, v] of toKubectlJson(c, value as YamlNode) as Map<string, unknown>) out.set(k, v);
    return;
  }
  if (isSeq(target) && !isAlias(value)) {
    // Earlier maps take precedence: set them last (decode.go merge steps backwards).
    for (let i = target.items.length - 1; i >= 0; i--) {
      const item = target.items[i];
      const resolved = isAlias(item) ? item.resolve(c.doc) : item;
      if (!isMap(resolved)) throw new UserError(`${where(c, item as YamlNode)}: a merge (<<) needs a mapping or a list of mappings (kubectl: "map merge requires map or sequence of maps as the value")`);
      for (const [k, v] of toKubectlJson(c, item as YamlNode) as Map<string, unknown>) out.set(k, v);
    }
    return;
  }
  throw new UserError(`${where(c, (value ?? {}) as YamlNode)}: a merge (<<) needs a mapping or a list of mappings (kubectl: "map merge requires map or sequence of maps as the value")`);
}

/**
 * A node as kubectl turns it into JSON (see yaml-kubectl.ts); mappings come back as Maps (in key
 * order, later keys replacing earlier ones, as Go's map does) and are made objects by `plain`.
 */
function toKubectlJson(c: Conversion, node: YamlNode | null | undefined): unknown {
  if (node === null || node === undefined) return null;
  if (isAlias(node)) {
    const target = node.resolve(c.doc);
    if (target === undefined) throw new UserError(`${where(c, node)}: unknown alias *${node.source}`);
    c.viaAlias++;
    try {
      return toKubectlJson(c, target);
    } finally {
      c.viaAlias--;
    }
  }
  if (c.viaAlias > 0 && ++c.aliasValues > MAX_ALIAS_VALUES) throw new UserError(`${where(c, node)}: aliases expand to more than ${MAX_ALIAS_VALUES} values`);
  if (isScalar(node)) return scalarValue(c, node as never);
  if (isSeq(node)) return node.items.map((item) => plain(toKubectlJson(c, item as YamlNode)));
  if (isMap(node)) {
    const out = new Map<string, unknown>();
    for (const pair of node.items) {
      if (isMergeKey(pair.key)) {
        note(c, pair.key as YamlNode, 'the merge key << merges a mapping as kubectl reads it (YAML 1.1); YAML 1.2 has no merge keys: a YAML 1.2 reader sees a key named "<<"');
        mergeInto(c, out, pair.value);
        continue;
      }
      const key = jsonKey(toKubectlJson(c, pair.key as YamlNode));
      if (key === undefined) throw new UserError(`${where(c, pair.key as YamlNode)}: a null mapping key; Kubernetes objects have string keys`);
      out.set(key, plain(toKubectlJson(c, pair.value as YamlNode)));
    }
    return out;
  }
  return null;
}

function plain(value: unknown): unknown {
  return value instanceof Map ? Object.fromEntries(value) : value;
}

/** The reader with positioned errors, gator's tolerance for under-indented quoted continuations, and key checks. */
export function parseYamlThoroughly(text: string, file: string, notes?: string[]): unknown[] {
  let source = text;
  let docs = parseAllDocuments(source, OPTIONS) as Document.Parsed[];
  const err = firstError(docs);
  if (err) {
    const relaxed = err.code === 'MISSING_CHAR' || err.code === 'MULTILINE_IMPLICIT_KEY' || err.code === 'BAD_INDENT' ? reindentQuotedContinuations(text) : text;
    const again = relaxed === text ? undefined : (parseAllDocuments(relaxed, OPTIONS) as Document.Parsed[]);
    if (again === undefined || firstError(again) !== undefined) throw new UserError(describe(err, text, file));
    source = relaxed;
    docs = again;
  }
  const out: unknown[] = [];
  for (const doc of docs) {
    visit(doc, {
      Pair(_, pair) {
        if (!isPair(pair) || !(isMap(pair.key) || isSeq(pair.key))) return;
        const { line, column } = lineColumn(source, pair.key.range?.[0] ?? 0);
        const shown = source.slice(pair.key.range?.[0] ?? 0, pair.key.range?.[1] ?? 0).replace(/\s+/g, ' ');
        throw new UserError(`${file}: line ${line}, column ${column}: a mapping key is itself a ${isMap(pair.key) ? 'mapping' : 'list'} (${shown.length > 40 ? `${shown.slice(0, 40)}...` : shown}); Kubernetes objects have string keys`);
      },
    });
    const value = plain(toKubectlJson({ doc, source, file, notes, aliasValues: 0, viaAlias: 0 }, doc.contents as YamlNode | null));
    if (value !== null && value !== undefined) out.push(value);
  }
  return out;
}

/** Offset of the first character at which a text stops being JSON (RFC 8259), for error positions. */
export function jsonErrorOffset(text: string): number {
  let i = 0;
  const ws = (): void => {
    while (i < text.length && ' \t\n\r'.includes(text[i])) i++;
  };
  const fail = (): never => {
    throw i;
  };
  const literal = (word: string): void => {
    if (text.startsWith(word, i)) i += word.length;
    else fail();
  };
  const string = (): void => {
    if (text[i] !== '"') fail();
    for (i++; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 0x22) {
        i++;
        return;
      }
      if (c < 0x20) fail();
      if (c === 0x5c) {
        i++;
        if (text[i] === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 1, i + 5))) fail();
          i += 4;
        } else if (!'"\\/bfnrt'.includes(text[i] ?? 'x')) fail();
      }
    }
    fail();
  };
  const value = (): void => {
    ws();
    const c = text[i];
    if (c === '{' || c === '[') {
      const close = c === '{' ? '}' : ']';
      i++;
      ws();
      if (text[i] === close) {
        i++;
        return;
      }
      for (;;) {
        if (c === '{') {
          ws();
          string();
          ws();
          if (text[i] !== ':') fail();
          i++;
        }
        value();
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === close) {
          i++;
          return;
        } else fail();
      }
    }
    if (c === '"') return string();
    if (c === 't') return literal('true');
    if (c === 'f') return literal('false');
    if (c === 'n') return literal('null');
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
    if (!m) fail();
    i += (m as RegExpExecArray)[0].length;
  };
  try {
    value();
    ws();
    return i;
  } catch (at) {
    if (typeof at === 'number') return at;
    throw at;
  }
}

/** Parses a JSON text: an array is a list of documents, anything else one document. */
export function parseJsonManifests(text: string, file: string): unknown[] {
  if (text.trim() === '') return [];
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    const message = (err as Error).message;
    const reason = message.replace(/, (\.\.\.)?".*" is not valid JSON$/s, '').replace(/ in JSON at position \d+.*$/s, '');
    const at = /at position (\d+)/.exec(message);
    // V8 names the offset for some errors only.
    const { line, column } = lineColumn(text, at ? Number(at[1]) : jsonErrorOffset(text));
    const where = ` at line ${line}, column ${column}`;
    throw new UserError(`${file}: JSON syntax error${where}: ${reason}`);
  }
  return Array.isArray(value) ? value : [value];
}

/**
 * YAML and JSON reading for manifests, suites and input policies, as tolerant as Gatekeeper's own
 * Go readers (yaml.v3, libyaml lineage) where they accept what YAML 1.2 rejects, and stricter where
 * Kubernetes is:
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
import { CORE_SCHEMA, loadAll } from 'js-yaml';
import { isMap, isPair, isSeq, Lexer, parseAllDocuments, visit, type Document, type YAMLParseError } from 'yaml';
import { UserError } from '../errors';
import { yamlErrorMessage } from '../yaml';

const OPTIONS = { prettyErrors: true, uniqueKeys: true, logLevel: 'error' } as const;

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
 * Anchors or aliases (`&a`, `*a`: the fast reader has no expansion limit), explicit keys (`? k`) and
 * flow collections used as keys (`{a: 1}: v`, `[a]: v`: the fast reader would turn them into strings
 * where the thorough one names the line): texts with any of these take the thorough reader.
 */
const NEEDS_THOROUGH_READER = /(^|[\s[{,])[&*][^\s,[\]{}]|^\s*\?(\s|$)|[}\]]\s*:(\s|$)/m;

/**
 * Large manifests (generated bundles, `kubectl get -o yaml` dumps) are read with js-yaml's YAML 1.2
 * core schema, about ten times faster and leaner than the thorough reader below. Both read YAML 1.2
 * core the same way (no timestamps, no YAML 1.1 booleans, `<<` a plain key). Anything the fast
 * reader refuses, or a text using a construct where they could differ, goes to the thorough reader,
 * which also gives the positioned error messages.
 */
export function readFast(text: string, minChars = FAST_YAML_MIN_CHARS): unknown[] | undefined {
  if (text.length < minChars || NEEDS_THOROUGH_READER.test(text)) return undefined;
  const out: unknown[] = [];
  try {
    loadAll(text, (doc) => {
      if (doc !== null && doc !== undefined) out.push(doc);
    }, { schema: CORE_SCHEMA });
  } catch {
    return undefined;
  }
  return out;
}

/** Parses every document of a YAML text into plain values, skipping empty documents. */
export function parseYamlManifests(text: string, file: string): unknown[] {
  const fast = readFast(text);
  if (fast) return fast;
  return parseYamlThoroughly(text, file);
}

/** The reader with positioned errors, gator's tolerance for under-indented quoted continuations, and key checks. */
export function parseYamlThoroughly(text: string, file: string): unknown[] {
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
    const value: unknown = doc.toJS({ maxAliasCount: 100 });
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

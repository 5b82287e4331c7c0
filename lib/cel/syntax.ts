/**
 * CEL optional syntax on top of the @bufbuild/cel parser, which lacks it: `x.?field`, `x[?key]` and
 * optional list elements `[?a, b]` are rewritten into markers that parse as ordinary CEL and that
 * the compiler (compiler.ts) turns back into optional semantics:
 *   x.?f      -> x.__opt__f
 *   x[?k]     -> x[__opt_index__(k)]
 *   [?a, b]   -> [__opt_elem__(a), b]
 * String literals and comments are never touched.
 */
export const OPT_FIELD_PREFIX = '__opt__';
export const OPT_INDEX_FN = '__opt_index__';
export const OPT_ELEM_FN = '__opt_elem__';

interface Bracket {
  readonly kind: 'index' | 'list' | 'other';
  /** For `[?k]`: close the marker call before the `]`. */
  readonly optionalIndex: boolean;
  /** For a list literal: an optional element's marker call is open. */
  openElement: boolean;
}

const IDENT_START = /[A-Za-z_]/;
const IDENT_PART = /[A-Za-z0-9_]/;

/** Length of the string literal starting at `i` (the opening quote), or of the rest of the text. */
function stringLiteralEnd(src: string, i: number, raw: boolean): number {
  const q = src[i];
  const triple = src.startsWith(q.repeat(3), i);
  const close = triple ? q.repeat(3) : q;
  let j = i + close.length;
  while (j < src.length) {
    if (!raw && src[j] === '\\') {
      j += 2;
      continue;
    }
    if (src.startsWith(close, j)) return j + close.length;
    if (!triple && src[j] === '\n') return j;
    j++;
  }
  return j;
}

/** Rewrites optional syntax into parseable markers; text without `?` after `.`/`[` is returned as is. */
export function rewriteOptionalSyntax(src: string): string {
  if (!/[.[,]\s*\?/.test(src)) return src;
  let out = '';
  const stack: Bracket[] = [];
  /** Whether the previous significant token ends an operand (so `[` is an index, not a list). */
  let prevOperand = false;
  /** Whether we are at the start of a list literal element. */
  let elementStart = false;
  let i = 0;
  while (i < src.length) {
    const ch = src[i];
    if (ch === '/' && src[i + 1] === '/') {
      const end = src.indexOf('\n', i);
      const stop = end === -1 ? src.length : end;
      out += src.slice(i, stop);
      i = stop;
      continue;
    }
    if (/\s/.test(ch)) {
      out += ch;
      i++;
      continue;
    }
    if (ch === '"' || ch === "'") {
      const prefix = /([rRbB]{1,2})$/.exec(out)?.[1] ?? '';
      const end = stringLiteralEnd(src, i, /[rR]/.test(prefix));
      out += src.slice(i, end);
      i = end;
      prevOperand = true;
      elementStart = false;
      continue;
    }
    if (IDENT_START.test(ch)) {
      let j = i + 1;
      while (j < src.length && IDENT_PART.test(src[j])) j++;
      out += src.slice(i, j);
      i = j;
      prevOperand = true;
      elementStart = false;
      continue;
    }
    if (/[0-9]/.test(ch)) {
      let j = i + 1;
      while (j < src.length && /[0-9A-Za-z.]/.test(src[j]) && !(src[j] === '.' && src[j + 1] === '?')) j++;
      out += src.slice(i, j);
      i = j;
      prevOperand = true;
      elementStart = false;
      continue;
    }
    if (ch === '.') {
      let j = i + 1;
      while (j < src.length && /\s/.test(src[j])) j++;
      if (src[j] === '?') {
        j++;
        while (j < src.length && /\s/.test(src[j])) j++;
        out += '.' + OPT_FIELD_PREFIX;
        i = j;
        prevOperand = false;
        continue;
      }
      out += ch;
      i++;
      prevOperand = false;
      continue;
    }
    if (ch === '?' && elementStart && stack.length > 0 && stack[stack.length - 1].kind === 'list') {
      out += OPT_ELEM_FN + '(';
      stack[stack.length - 1].openElement = true;
      i++;
      elementStart = false;
      prevOperand = false;
      continue;
    }
    if (ch === '[') {
      let j = i + 1;
      while (j < src.length && /\s/.test(src[j])) j++;
      if (prevOperand && src[j] === '?') {
        stack.push({ kind: 'index', optionalIndex: true, openElement: false });
        out += '[' + OPT_INDEX_FN + '(';
        i = j + 1;
        prevOperand = false;
        elementStart = false;
        continue;
      }
      stack.push({ kind: prevOperand ? 'index' : 'list', optionalIndex: false, openElement: false });
      out += ch;
      i++;
      elementStart = !prevOperand;
      prevOperand = false;
      continue;
    }
    if (ch === ']' || ch === ')' || ch === '}') {
      const top = stack.pop();
      if (top?.optionalIndex || top?.openElement) out += ')';
      out += ch;
      i++;
      prevOperand = true;
      elementStart = false;
      continue;
    }
    if (ch === '(' || ch === '{') {
      stack.push({ kind: 'other', optionalIndex: false, openElement: false });
      out += ch;
      i++;
      prevOperand = false;
      elementStart = false;
      continue;
    }
    if (ch === ',') {
      const top = stack[stack.length - 1];
      if (top?.openElement) {
        out += ')';
        top.openElement = false;
      }
      out += ch;
      i++;
      prevOperand = false;
      elementStart = top?.kind === 'list';
      continue;
    }
    out += ch;
    i++;
    prevOperand = false;
    elementStart = false;
  }
  return out;
}

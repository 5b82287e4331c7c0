/**
 * Explaining what is wrong with a stack config: a schema issue (model/config.ts) turned into one line
 * naming the key as the stack file writes it, the bad value (never a secret) and what is accepted,
 * with the likely intent when the mistake is a typo or something YAML makes easy.
 */
import type { z } from 'zod';
import { PROJECT, stackSchema } from '../../model/config';


/**
 * The one-line explanation of a failed validation: its most telling issue (a typo shows up both as
 * an unknown key and as the missing key it was meant to be: the typo is named), described against
 * the raw config it came from. `typed` holds top-level values as YAML typed them (numbers, booleans).
 */
export function explainIssues(issues: readonly z.core.$ZodIssue[], root: Record<string, unknown>, typed: ReadonlyMap<string, unknown> = new Map()): string {
  const ordered = [...issues].sort((a, b) => rank(a) - rank(b));
  return describeIssue(ordered[0], root, typed);
}

function rank(issue: z.core.$ZodIssue): number {
  return issue.code === 'unrecognized_keys' ? 0 : 1;
}

function describeIssue(issue: z.core.$ZodIssue, root: Record<string, unknown>, typed: ReadonlyMap<string, unknown> = new Map()): string {
  const key = formatKey(issue.path);
  if (issue.code === 'unrecognized_keys') {
    const parentShape = shapeAt(issue.path);
    const unknown = issue.keys[0];
    // The region is the AWS provider's setting (aws:region), not a key of this project.
    const names = parentShape ? Object.keys(parentShape).filter((n) => issue.path.length > 0 || (n !== 'region' && n !== 'aws')) : [];
    const guess = closest(unknown, names);
    const hint = guess ? `did you mean ${guess}? ` : '';
    const accepted = names.length > 0 ? ` (${hint}accepted: ${names.join(', ')})` : '';
    const full = issue.path.length === 0 ? `${PROJECT}:${quoteKey(unknown)}` : `${key}.${quoteKey(unknown)}`;
    return `${full}: unknown key${accepted}`;
  }
  const message = plainMessage(issue);
  const present = hasPath(root, issue.path);
  if (!present && issue.code === 'invalid_type') {
    return `${key}: missing (${message.replace(/^expected a string: /, 'expected ')})`;
  }
  const top = issue.path.length === 1 ? String(issue.path[0]) : undefined;
  const written = top !== undefined && typed.has(top);
  const input = written ? typed.get(top) : 'input' in issue ? issue.input : valueAt(root, issue.path);
  return `${key}: ${message} (got ${formatValue(input)}${hint(issue, input, written, message)})`;
}

/** Zod's own wording ("Invalid input: expected array, received string") in this file's terms. */
function plainMessage(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_type' && /^Invalid input/.test(issue.message)) {
    const names: Record<string, string> = { array: 'a list', object: 'a map', record: 'a map', string: 'a string', number: 'a number', boolean: 'true or false' };
    return `expected ${names[issue.expected] ?? issue.expected}`;
  }
  if ((issue.code === 'too_big' || issue.code === 'too_small') && /^Too (big|small)/.test(issue.message)) {
    const bound = issue.code === 'too_big' ? 'at most' : 'at least';
    const unit = issue.origin === 'string' ? ' characters' : issue.origin === 'array' ? ' entries' : '';
    return `expected ${bound} ${String(issue.code === 'too_big' ? issue.maximum : issue.minimum)}${unit}`;
  }
  return issue.message;
}

/** What likely went wrong, for mistakes YAML makes easy. Empty when there is nothing to add. */
function hint(issue: z.core.$ZodIssue, input: unknown, written: boolean, message: string): string {
  if (typeof input === 'string' && issue.code === 'invalid_type' && issue.expected === 'array' && input.includes(',')) {
    return `; write a YAML list: [${input.split(',').map((p) => p.trim()).filter(Boolean).join(', ')}]`;
  }
  if (written && typeof input === 'number' && !/quote/.test(message)) return '; YAML read the unquoted value as a number: quote it';
  if (typeof input === 'string' && issue.path[0] === 'region' && issue.path.length === 1 && input !== input.toLowerCase() && /^[a-z]{2}(-[a-z]+)+-\d$/.test(input.toLowerCase())) {
    return `; region names are lowercase: did you mean ${input.toLowerCase()}?`;
  }
  if (typeof input === 'string' && input.length > 80) return `, ${input.length} characters`;
  return '';
}

/** The accepted name nearest to a typo, when it is near enough to be the likely intent. */
function closest(typo: string, names: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(typo.length / 3)) + 1;
  for (const name of names) {
    const d = editDistance(typo.toLowerCase(), name.toLowerCase());
    if (d < bestDistance) {
      best = name;
      bestDistance = d;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = row;
  }
  return prev[b.length];
}

function formatKey(path: readonly PropertyKey[]): string {
  if (path.length === 0) return `${PROJECT}:`;
  // The region comes from the AWS provider's key.
  if (path[0] === 'aws' && path.length === 1) return 'aws:';
  const aws = path[0] === 'aws';
  let out = path[0] === 'region' ? 'aws:region' : aws ? `aws:${quoteKey(String(path[1]))}` : `${PROJECT}:${quoteKey(String(path[0]))}`;
  for (const part of path.slice(aws ? 2 : 1)) out += typeof part === 'number' ? `[${part}]` : `.${quoteKey(String(part))}`;
  return out;
}

function shapeAt(path: readonly PropertyKey[]): Record<string, unknown> | undefined {
  let schema: unknown = stackSchema;
  for (const part of path) {
    schema = unwrap(schema);
    if (typeof part === 'number') {
      schema = (schema as z.ZodArray<z.ZodType>)?.element;
    } else {
      schema = (schema as z.ZodObject)?.shape?.[String(part)];
    }
  }
  schema = unwrap(schema);
  return (schema as z.ZodObject | undefined)?.shape;
}

function unwrap(schema: unknown): unknown {
  let s = schema as { def?: { type?: string; innerType?: unknown; in?: unknown; schema?: unknown } } | undefined;
  for (let i = 0; i < 8 && s?.def; i++) {
    const t = s.def.type;
    if (t === 'default' || t === 'optional' || t === 'nullable' || t === 'prefault') s = s.def.innerType as typeof s;
    else if (t === 'pipe') s = s.def.in as typeof s;
    else break;
  }
  return s;
}

function hasPath(root: unknown, path: readonly PropertyKey[]): boolean {
  let node: unknown = root;
  for (const part of path) {
    if (node === null || typeof node !== 'object' || !(part in (node as object))) return false;
    node = (node as Record<PropertyKey, unknown>)[part];
  }
  return node !== undefined;
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let node: unknown = root;
  for (const part of path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<PropertyKey, unknown>)[part];
  }
  return node;
}

export function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a map';
  return `a ${typeof value} (${formatValue(value)})`;
}

/** Renders a bad value for an error message: short, one line, secrets never echoed in full. */
export function formatValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (typeof value === 'object' && value !== null && 'secure' in value) return 'an encrypted secret';
  const json = JSON.stringify(value) ?? String(value);
  return json.length > 80 ? `${json.slice(0, 77)}...` : json;
}

/** A key as messages show it: quoted when it has spaces or unusual characters, cut when very long. */
export function quoteKey(key: string): string {
  return /^[\w.:/@-]+$/.test(key) ? clip(key) : clip(JSON.stringify(key));
}

export function clip(text: string): string {
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

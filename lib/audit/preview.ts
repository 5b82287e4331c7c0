/**
 * Reading the JSON that `pulumi preview --json` prints (Pulumi's `PreviewDigest`, see pulumi/pulumi
 * pkg/display/json.go and pkg/backend/display/json.go). Extra fields are tolerated; anything that is
 * not a preview is refused with one line naming the file and what was expected.
 */
import * as fs from 'node:fs';
import { UserError } from '../errors';
import { engineEventLines, engineEventsToDigest, isEngineEvent, type LocatedEvent } from './engine-events';
import { isObject } from '../untyped';

/** What Pulumi prints in place of a value only known after apply. */
export const UNKNOWN = '04da6b54-80e4-46f7-96ec-b56ff0331ba9';
/** Key marking a serialized secret (`{"4dabf18193072939515e22adb298388d": "1b47...", ...}`). */
export const SECRET_SIGNATURE = '4dabf18193072939515e22adb298388d';
/** What Pulumi prints in place of a secret value. */
export const SECRET = '[secret]';

/** Step operations of pkg/resource/deploy/step.go. */
export const STEP_OPS = [
  'same', 'create', 'update', 'delete', 'replace', 'create-replacement', 'delete-replaced', 'read',
  'read-replacement', 'refresh', 'discard', 'discard-replaced', 'remove-pending-replace', 'import',
  'import-replacement', 'diff', 'extend-parameterize',
] as const;

export interface ResourceState {
  readonly urn: string;
  readonly custom?: boolean;
  readonly delete?: boolean;
  readonly id?: string;
  readonly type: string;
  readonly inputs?: Record<string, unknown>;
  readonly outputs?: Record<string, unknown>;
  readonly parent?: string;
  readonly protect?: boolean;
  readonly provider?: string;
  readonly retainOnDelete?: boolean;
}

export interface PropertyDiff {
  /** add | add-replace | delete | delete-replace | update | update-replace */
  readonly kind: string;
  readonly inputDiff: boolean;
}

export interface PreviewStep {
  readonly op: string;
  readonly urn: string;
  readonly provider?: string;
  readonly oldState?: ResourceState;
  readonly newState?: ResourceState;
  readonly diffReasons?: readonly string[];
  readonly replaceReasons?: readonly string[];
  readonly detailedDiff?: Readonly<Record<string, PropertyDiff>> | null;
}

export interface PreviewDiagnostic {
  readonly urn?: string;
  readonly prefix?: string;
  readonly message?: string;
  readonly severity?: string;
}

export interface PreviewDigest {
  readonly config: Readonly<Record<string, string>>;
  readonly steps: readonly PreviewStep[];
  readonly diagnostics: readonly PreviewDiagnostic[];
  /** Nanoseconds (Go time.Duration). */
  readonly duration?: number;
  readonly changeSummary: Readonly<Record<string, number>>;
  readonly maybeCorrupt: boolean;
}

export interface ParsedUrn {
  readonly stack: string;
  readonly project: string;
  /** Parent type chain and type, `$`-separated. */
  readonly qualifiedType: string;
  readonly type: string;
  readonly name: string;
}

/** Splits `urn:pulumi:<stack>::<project>::<parent$type>::<name>`; undefined when it is not a URN. */
export function parseUrn(urn: string): ParsedUrn | undefined {
  if (!urn.startsWith('urn:pulumi:')) return undefined;
  const parts = urn.slice('urn:pulumi:'.length).split('::');
  if (parts.length < 4) return undefined;
  const [stack, project, qualifiedType] = parts;
  const name = parts.slice(3).join('::');
  const types = qualifiedType.split('$');
  return { stack, project, qualifiedType, type: types[types.length - 1], name };
}

const EXPECTED = 'expected the JSON printed by `pulumi preview --json`';


function describe(v: unknown): string {
  if (Array.isArray(v)) return 'an array';
  if (v === null) return 'null';
  if (typeof v === 'object') return 'an object';
  const text = JSON.stringify(v) ?? String(v);
  return text.length > 40 ? `${text.slice(0, 40)}...` : text;
}

function stringList(v: unknown, where: string): readonly string[] | undefined {
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v) || v.some((e) => typeof e !== 'string')) throw new Error(`${where}: expected a list of property names, got ${describe(v)}`);
  return v as string[];
}

function readState(v: unknown, where: string): ResourceState | undefined {
  if (v === undefined || v === null) return undefined;
  if (!isObject(v)) throw new Error(`${where}: expected a resource state object, got ${describe(v)}`);
  if (typeof v.type !== 'string' || v.type === '') throw new Error(`${where}.type: expected a resource type token, got ${describe(v.type)}`);
  if (typeof v.urn !== 'string') throw new Error(`${where}.urn: expected a Pulumi URN, got ${describe(v.urn)}`);
  for (const key of ['inputs', 'outputs'] as const) {
    if (v[key] !== undefined && v[key] !== null && !isObject(v[key])) throw new Error(`${where}.${key}: expected an object, got ${describe(v[key])}`);
  }
  return v as unknown as ResourceState;
}

function readStep(v: unknown, where: string): PreviewStep {
  if (!isObject(v)) throw new Error(`${where}: expected a step object, got ${describe(v)}`);
  if (typeof v.op !== 'string' || v.op === '') throw new Error(`${where}.op: expected a step operation (${STEP_OPS.slice(0, 5).join(', ')}, ...), got ${describe(v.op)}`);
  if (typeof v.urn !== 'string' || !parseUrn(v.urn)) throw new Error(`${where}.urn: expected a Pulumi URN (urn:pulumi:<stack>::<project>::<type>::<name>), got ${describe(v.urn)}`);
  const detailedDiff = v.detailedDiff;
  if (detailedDiff !== undefined && detailedDiff !== null) {
    if (!isObject(detailedDiff)) throw new Error(`${where}.detailedDiff: expected null or an object of property paths, got ${describe(detailedDiff)}`);
    for (const [path, d] of Object.entries(detailedDiff)) {
      if (!isObject(d) || typeof d.kind !== 'string') throw new Error(`${where}.detailedDiff[${JSON.stringify(path)}]: expected {kind, inputDiff}, got ${describe(d)}`);
    }
  }
  return {
    op: v.op,
    urn: v.urn,
    provider: typeof v.provider === 'string' ? v.provider : undefined,
    oldState: readState(v.oldState, `${where}.oldState`),
    newState: readState(v.newState, `${where}.newState`),
    diffReasons: stringList(v.diffReasons, `${where}.diffReasons`),
    replaceReasons: stringList(v.replaceReasons, `${where}.replaceReasons`),
    detailedDiff: (detailedDiff ?? null) as PreviewStep['detailedDiff'],
  };
}

/** Top-level keys of Pulumi's PreviewDigest. */
const DIGEST_KEYS = ['config', 'steps', 'diagnostics', 'duration', 'changeSummary', 'maybeCorrupt'];

/** Names JSON that users mistake for a preview, so the error says what the file is. */
function recognize(doc: Record<string, unknown>): string | undefined {
  if ('deployment' in doc && 'version' in doc) return 'a stack state export (`pulumi stack export`): it holds the current state, not the planned changes';
  if ('result' in doc && 'summary' in doc) return "Pulumi's one-line summary (result, summary): it counts operations but lists no steps or diffs";
  if (Array.isArray(doc.resources) && Array.isArray(doc.findings)) return 'the output of `platform plan --json` (resources and findings of an offline run), not a preview';
  if (Array.isArray(doc.changes) && Array.isArray(doc.findings)) return 'a report written by `platform audit --format json`, not a preview';
  return undefined;
}

/** A stream of engine events read as the digest Pulumi would have printed for it. */
function fromEngineEvents(events: readonly LocatedEvent[]): PreviewDigest {
  return toPreviewDigest(engineEventsToDigest(events));
}

/** Validates parsed JSON as a preview digest; throws Error with a path-qualified message. */
export function toPreviewDigest(doc: unknown): PreviewDigest {
  if (!isObject(doc)) throw new Error(`${EXPECTED} (an object with "steps" and "changeSummary"), got ${describe(doc)}`);
  const hasSteps = Array.isArray(doc.steps);
  const hasSummary = isObject(doc.changeSummary);
  if (!hasSteps && !hasSummary) {
    if (Array.isArray(doc.events) && doc.events.some(isEngineEvent)) return fromEngineEvents(doc.events.map((event, i) => ({ where: `events[${i}]`, event })));
    const foreign = recognize(doc);
    if (foreign) throw new Error(`${EXPECTED}, got ${foreign}`);
    // A preview that failed before its summary still prints its config and diagnostics.
    const keys = Object.keys(doc);
    const failedEarly = Array.isArray(doc.diagnostics) && keys.every((k) => DIGEST_KEYS.includes(k));
    if (!failedEarly) {
      const shown = keys.slice(0, 5).map((k) => JSON.stringify(k)).join(', ');
      throw new Error(`${EXPECTED}: no "steps" list and no "changeSummary" object (top-level keys: ${shown || 'none'})`);
    }
  }
  if (doc.steps !== undefined && !hasSteps) throw new Error(`steps: expected a list, got ${describe(doc.steps)}`);
  if (doc.changeSummary !== undefined && !hasSummary) throw new Error(`changeSummary: expected an object of counts per operation, got ${describe(doc.changeSummary)}`);
  const changeSummary: Record<string, number> = {};
  for (const [op, n] of Object.entries(hasSummary ? (doc.changeSummary as Record<string, unknown>) : {})) {
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 0) throw new Error(`changeSummary.${op}: expected a count, got ${describe(n)}`);
    changeSummary[op] = n;
  }
  const steps = hasSteps ? (doc.steps as unknown[]).map((s, i) => readStep(s, `steps[${i}]`)) : [];
  const counted = Object.entries(changeSummary).filter(([op, n]) => op !== 'same' && n > 0);
  if (steps.length === 0 && counted.length) {
    // Pulumi always lists at least the stack itself: the steps were cut, and nothing can be reviewed.
    throw new Error(`changeSummary counts changes (${counted.map(([op, n]) => `${op}: ${n}`).join(', ')}) but "steps" lists none, so there is nothing to review (pass the whole output of \`pulumi preview --json\`)`);
  }
  const text = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
  const diagnostics: PreviewDiagnostic[] = (Array.isArray(doc.diagnostics) ? doc.diagnostics.filter(isObject) : []).map((d) => {
    const out: { urn?: string; prefix?: string; message?: string; severity?: string } = {};
    for (const key of ['urn', 'prefix', 'message', 'severity'] as const) if (text(d[key]) !== undefined) out[key] = text(d[key]);
    return out;
  });
  const config: Record<string, string> = {};
  if (isObject(doc.config)) for (const [k, v] of Object.entries(doc.config)) if (typeof v === 'string') config[k] = v;
  return {
    config,
    steps,
    diagnostics,
    duration: typeof doc.duration === 'number' ? doc.duration : undefined,
    changeSummary,
    maybeCorrupt: doc.maybeCorrupt === true,
  };
}

/** One line of text for an error message: trimmed, at most 60 characters, quoted. */
function excerpt(line: string): string {
  const t = line.trim();
  return JSON.stringify(t.length > 60 ? `${t.slice(0, 57)}...` : t);
}

function lineOf(text: string, index: number): number {
  let n = 1;
  for (let i = 0; i < index && i < text.length; i++) if (text.charCodeAt(i) === 10) n++;
  return n;
}

/**
 * Why text that is not one JSON document cannot be read, naming what was found: other output before
 * or after the JSON (a warning, `2>&1`), or the cause JSON.parse gives.
 */
function notJson(text: string, err: Error): string {
  const lines = text.split('\n');
  const first = lines.findIndex((l) => l.trim() !== '');
  const start = lines.findIndex((l) => /^\s*\{/.test(l));
  if (first >= 0 && start > first) {
    return `line ${first + 1} is not JSON (${excerpt(lines[first])}); the JSON starts at line ${start + 1}. Save only the standard output of \`pulumi preview --json\` (its warnings go to stderr: no 2>&1) and audit that`;
  }
  const after = /after JSON at position (\d+)/.exec(err.message);
  if (after) {
    const at = Number(after[1]);
    const line = lineOf(text, at);
    return `the JSON ends at line ${lineOf(text, Math.max(0, text.lastIndexOf('}', at)))} but more text follows at line ${line} (${excerpt(lines[line - 1] ?? '')}). Save only the standard output of \`pulumi preview --json\` (its messages go to stderr: no 2>&1) and audit that`;
  }
  return `not valid JSON (${err.message.replace(/\s+/g, ' ')}); ${EXPECTED}`;
}

/** Parses preview JSON text; errors name `source` (the file) and what was expected. */
export function parsePreview(text: string, source: string): PreviewDigest {
  const body = text.replace(/^\uFEFF/, '');
  if (body.trim() === '') throw new UserError(`${source}: file is empty; ${EXPECTED}`);
  let doc: unknown;
  try {
    doc = JSON.parse(body);
  } catch (err) {
    let digest: PreviewDigest | undefined;
    try {
      const events = engineEventLines(body);
      digest = events && fromEngineEvents(events);
    } catch (e) {
      throw new UserError(`${source}: ${(e as Error).message}`);
    }
    if (digest) return digest;
    throw new UserError(`${source}: ${notJson(body, err as Error)}`);
  }
  try {
    return toPreviewDigest(doc);
  } catch (err) {
    throw new UserError(`${source}: ${(err as Error).message}`);
  }
}

/**
 * Decodes a preview file: UTF-8 (with or without a byte-order mark) or UTF-16 with a byte-order mark,
 * which is what Windows PowerShell's `>` writes.
 */
export function decodePreviewBytes(bytes: Buffer): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return bytes.subarray(2).toString('utf16le');
  if (bytes[0] === 0xfe && bytes[1] === 0xff) {
    const swapped = Buffer.from(bytes.subarray(2));
    swapped.swap16();
    return swapped.toString('utf16le');
  }
  return bytes.toString('utf8').replace(/^\uFEFF/, '');
}

export function readPreviewFile(file: string): PreviewDigest {
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new UserError(`${file}: no such file; ${EXPECTED}`);
    if (code === 'EISDIR') throw new UserError(`${file}: is a directory; ${EXPECTED}`);
    throw new UserError(`${file}: cannot read (${code ?? (err as Error).message})`);
  }
  return parsePreview(decodePreviewBytes(bytes), file);
}

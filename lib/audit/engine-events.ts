/**
 * Pulumi's engine events (sdk/go/common/apitype/events.go) as a preview digest. They are what
 * `pulumi preview --json` prints, one JSON object per line, when PULUMI_ENABLE_STREAMING_JSON_PREVIEW
 * is set, what `--event-log <file>` writes, and what the Pulumi Cloud API returns (`{"events": [...]}`).
 * The conversion mirrors pkg/backend/display/json.go (ShowPreviewDigest): prelude config, one step
 * per resource pre-event (a refresh that found drift replaced by its outputs event), diagnostics
 * without ephemeral or debug messages, and the summary's counts.
 */
import { isObject } from '../untyped';

const EVENT_KEYS = [
  'cancelEvent', 'stdoutEvent', 'diagnosticEvent', 'preludeEvent', 'summaryEvent', 'resourcePreEvent', 'resOutputsEvent', 'resOpFailedEvent',
  'policyEvent', 'policyRemediationEvent', 'policyLoadEvent', 'policyAnalyzeSummaryEvent', 'policyRemediateSummaryEvent',
  'policyAnalyzeStackSummaryEvent', 'startDebuggingEvent', 'progressEvent', 'errorEvent',
];


/** True for one engine event object (`{sequence, timestamp, <kind>Event: {...}}`). */
export function isEngineEvent(v: unknown): boolean {
  return isObject(v) && EVENT_KEYS.some((k) => isObject(v[k]));
}

/** An engine event together with where it was found, for error messages (`line 3`, `events[2]`). */
export interface LocatedEvent {
  readonly where: string;
  readonly event: unknown;
}

/**
 * The events of newline-delimited JSON text, or undefined when the text does not start with an
 * engine event (then it is not an event stream at all). A later line that is not an event throws.
 */
export function engineEventLines(text: string): LocatedEvent[] | undefined {
  const lines = text.split('\n');
  const out: LocatedEvent[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    if (line === '') continue;
    let event: unknown;
    try {
      event = JSON.parse(line);
    } catch (err) {
      if (out.length === 0) return undefined;
      throw new Error(`line ${i + 1}: not valid JSON in a stream of Pulumi engine events (${(err as Error).message.replace(/\s+/g, ' ')})`);
    }
    if (!isEngineEvent(event)) {
      if (out.length === 0) return undefined;
      throw new Error(`line ${i + 1}: expected a Pulumi engine event (an object with one of ${EVENT_KEYS.slice(3, 6).join(', ')}, ...)`);
    }
    out.push({ where: `line ${i + 1}`, event });
  }
  return out.length ? out : undefined;
}

/** Color directives (`<{%reset%}>`) that events carry unless Pulumi ran with --color never. */
function plain(text: unknown): string {
  return typeof text === 'string' ? text.replace(/<\{%[^%]*%\}>/g, '') : '';
}

function state(v: unknown): Record<string, unknown> | undefined {
  if (!isObject(v)) return undefined;
  const out: Record<string, unknown> = {};
  for (const key of ['urn', 'custom', 'delete', 'id', 'type', 'parent', 'protect', 'retainOnDelete', 'provider', 'external']) {
    if (v[key] !== undefined && v[key] !== null && v[key] !== '') out[key] = v[key];
  }
  // The digest leaves empty property maps out (`omitempty`): a read shows only its outputs.
  for (const key of ['inputs', 'outputs']) if (isObject(v[key]) && Object.keys(v[key]).length) out[key] = v[key];
  return out;
}

function step(m: Record<string, unknown>, where: string): Record<string, unknown> {
  if (typeof m.op !== 'string' || m.op === '') throw new Error(`${where}: resource event without an op`);
  if (typeof m.urn !== 'string' || !m.urn.startsWith('urn:pulumi:')) throw new Error(`${where}: resource event without a Pulumi URN (got ${JSON.stringify(m.urn ?? null)})`);
  let detailedDiff: Record<string, unknown> | null = null;
  if (isObject(m.detailedDiff)) {
    detailedDiff = {};
    for (const [path, d] of Object.entries(m.detailedDiff)) {
      const kind = isObject(d) ? (d.diffKind ?? d.kind) : undefined;
      detailedDiff[path] = { kind: typeof kind === 'string' ? kind : 'update', inputDiff: isObject(d) && d.inputDiff === true };
    }
  }
  const old = state(m.old);
  const neu = state(m.new);
  return {
    op: m.op,
    urn: m.urn,
    ...(typeof m.provider === 'string' && m.provider ? { provider: m.provider } : {}),
    ...(old ? { oldState: old } : {}),
    ...(neu ? { newState: neu } : {}),
    ...(Array.isArray(m.diffs) && m.diffs.length ? { diffReasons: m.diffs } : {}),
    ...(Array.isArray(m.keys) && m.keys.length ? { replaceReasons: m.keys } : {}),
    detailedDiff,
  };
}

/** Builds the PreviewDigest-shaped object of an event stream (validated afterwards like any digest). */
export function engineEventsToDigest(events: readonly LocatedEvent[]): Record<string, unknown> {
  let config: unknown = {};
  const steps: Record<string, unknown>[] = [];
  const opOf = new Map<string, string>();
  const diagnostics: Record<string, unknown>[] = [];
  let summary: Record<string, unknown> | undefined;
  for (const { where, event } of events) {
    const e = event as Record<string, unknown>;
    if (isObject(e.preludeEvent)) config = e.preludeEvent.config ?? {};
    else if (isObject(e.resourcePreEvent)) {
      const m = e.resourcePreEvent.metadata;
      if (!isObject(m)) throw new Error(`${where}: resourcePreEvent without metadata`);
      const s = step(m, where);
      opOf.set(s.urn as string, s.op as string);
      steps.push(s);
    } else if (isObject(e.resOutputsEvent)) {
      const m = e.resOutputsEvent.metadata;
      if (!isObject(m) || typeof m.urn !== 'string') continue;
      // A refresh that found drift: its outputs event carries the update or delete to show instead.
      if (opOf.get(m.urn) === 'refresh' && ((m.op === 'update' && isObject(m.detailedDiff)) || m.op === 'delete')) {
        const s = step(m, where);
        for (let i = 0; i < steps.length; i++) if (steps[i].urn === m.urn) steps[i] = s;
      }
    } else if (isObject(e.diagnosticEvent)) {
      const d = e.diagnosticEvent;
      if (d.ephemeral === true || d.severity === 'debug') continue;
      diagnostics.push({ ...(typeof d.urn === 'string' && d.urn ? { urn: d.urn } : {}), message: plain(d.prefix) + plain(d.message), severity: typeof d.severity === 'string' ? d.severity : 'info' });
    } else if (isObject(e.stdoutEvent)) {
      diagnostics.push({ message: plain(e.stdoutEvent.message), severity: 'info' });
    } else if (isObject(e.policyEvent)) {
      // The digest drops policy events; a mandatory violation fails the preview, so keep them visible.
      const p = e.policyEvent;
      const level = typeof p.enforcementLevel === 'string' ? p.enforcementLevel : 'advisory';
      diagnostics.push({
        ...(typeof p.resourceUrn === 'string' && p.resourceUrn ? { urn: p.resourceUrn } : {}),
        message: `policy ${plain(p.policyPackName)}/${plain(p.policyName)} (${level}): ${plain(p.message).trim()}`,
        severity: level === 'mandatory' ? 'error' : 'warning',
      });
    } else if (isObject(e.summaryEvent)) summary = e.summaryEvent;
  }
  if (steps.length === 0 && !summary && diagnostics.length === 0) {
    throw new Error('Pulumi engine events without any resource, summary or diagnostic event (is the stream cut?)');
  }
  return {
    config: isObject(config) ? config : {},
    steps,
    diagnostics,
    ...(summary && typeof summary.durationSeconds === 'number' ? { duration: summary.durationSeconds * 1e9 } : {}),
    changeSummary: summary && isObject(summary.resourceChanges) ? summary.resourceChanges : {},
    maybeCorrupt: summary?.maybeCorrupt === true,
  };
}

/**
 * The audit of one preview: changes grouped per resource, change findings (lib/audit/diff-rules)
 * and the posture rules every platform resource must pass (lib/rules, the same functions the
 * CrossGuard pack and `platform plan` run) over each changed resource's new inputs.
 */
import { isBlocking, RESOURCE_RULES, type RuleContext } from '../rules';
import { compareSeverity, severityAtLeast, type Severity } from '../severity';
import { groupChanges, isChange, OP_ORDER, type ResourceChange } from './changes';
import { checkChange } from './diff-rules';
import { parseUrn, SECRET, UNKNOWN, type PreviewDiagnostic, type PreviewDigest } from './preview';

export interface AuditFinding {
  readonly id: string;
  readonly severity: Severity;
  /** URN of the resource. */
  readonly resource: string;
  readonly control: string;
  readonly message: string;
  /** `change`: something the preview makes weaker; `policy`: a posture rule the new state fails. */
  readonly kind: 'change' | 'policy';
  /** A mandatory posture rule, whatever its severity (isBlocking): the CrossGuard pack stops this preview. Change findings never block by themselves; gate them with --fail-on. */
  readonly blocking: boolean;
  readonly path?: string;
}

/** A posture rule that could not be judged because it read a value known only after apply (or secret). */
export interface UnjudgedRule {
  readonly id: string;
  readonly resource: string;
  readonly reason: string;
}

export interface AuditReport {
  readonly stack: string;
  readonly project: string;
  readonly environment?: 'dev' | 'prod';
  /** True when the preview changes nothing. */
  readonly noOp: boolean;
  /** Count per operation: Pulumi's changeSummary when present, else counted from the steps. */
  readonly operations: readonly (readonly [string, number])[];
  /** Per resource type, count per operation (changed resources only). */
  readonly types: readonly { readonly type: string; readonly counts: Readonly<Record<string, number>> }[];
  /** Changed resources (not `same`), in preview order. */
  readonly changes: readonly ResourceChange[];
  readonly findings: readonly AuditFinding[];
  readonly unjudged: readonly UnjudgedRule[];
  readonly diagnostics: readonly PreviewDiagnostic[];
  readonly maybeCorrupt: boolean;
  /** Pulumi reported errors: the preview stopped early, so the changes listed may be incomplete. */
  readonly failed: boolean;
}

function cmp(a: string | undefined, b: string | undefined): number {
  const x = a ?? '';
  const y = b ?? '';
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Severity (most severe first), then resource URN, then rule id, path and message. */
export function compareAuditFindings(a: AuditFinding, b: AuditFinding): number {
  return compareSeverity(a.severity, b.severity) || cmp(a.resource, b.resource) || cmp(a.id, b.id) || cmp(a.path, b.path) || cmp(a.message, b.message);
}

class NotJudgeable extends Error {
  constructor(readonly key: string, readonly value: unknown) {
    super(`${key} is ${value === SECRET ? 'secret' : 'known only after apply'}`);
  }
}

/**
 * A read-only view of props that throws when a rule reads an unknown or secret value, as CrossGuard
 * does during a preview: such a rule is reported as not judged instead of passing or failing.
 */
function judgeable<T>(value: T, path = ''): T {
  if (value === null || typeof value !== 'object') return value;
  return new Proxy(value as object, {
    get(target, key, receiver) {
      const v = Reflect.get(target, key, receiver) as unknown;
      if (typeof key === 'symbol') return v;
      const p = Array.isArray(target) && /^\d+$/.test(key) ? `${path}[${key}]` : path === '' ? key : `${path}.${key}`;
      if (v === UNKNOWN || v === SECRET) throw new NotJudgeable(p, v);
      return judgeable(v, p);
    },
  }) as T;
}

/** Environment: `platform:environment` from the preview's config, else a stack named dev or prod. */
function environmentOf(preview: PreviewDigest, stack: string): 'dev' | 'prod' | undefined {
  const env = preview.config['platform:environment'];
  if (env === 'dev' || env === 'prod') return env;
  return stack === 'dev' || stack === 'prod' ? stack : undefined;
}

/** `resource` of a finding about the preview as a whole rather than one resource. */
export const PREVIEW_RESOURCE = '(preview)';

const JUDGED_OPS = new Set(['create', 'update', 'replace', 'import']);

export function auditPreview(preview: PreviewDigest): AuditReport {
  const all = groupChanges(preview);
  const first = preview.steps.map((s) => parseUrn(s.urn)).find((u) => u !== undefined);
  const stack = first?.stack ?? '';
  const environment = environmentOf(preview, stack);
  const ctx: RuleContext = environment ? { environment } : {};
  const changes = all.filter(isChange);

  const findings: AuditFinding[] = [];
  const unjudged: UnjudgedRule[] = [];
  for (const change of changes) {
    for (const f of checkChange(change, ctx)) {
      findings.push({ id: f.id, severity: f.severity, resource: change.urn, control: f.control, message: f.message, kind: 'change', blocking: false, ...(f.path ? { path: f.path } : {}) });
    }
    if (!JUDGED_OPS.has(change.op) || !change.after) continue;
    const view = { type: change.type, name: change.name, urn: change.urn, props: judgeable({ ...change.after }) };
    for (const rule of RESOURCE_RULES) {
      if (!rule.resourceTypes.includes(change.type)) continue;
      try {
        for (const message of rule.check(view, ctx)) {
          findings.push({ id: rule.id, severity: rule.severity, resource: change.urn, control: rule.control, message, kind: 'policy', blocking: isBlocking(rule) });
        }
      } catch (err) {
        if (!(err instanceof NotJudgeable)) throw err;
        unjudged.push({ id: rule.id, resource: change.urn, reason: err.message });
      }
    }
  }
  const errors = preview.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length) {
    const first = (errors[0].message ?? '').replace(/\s+/g, ' ').trim();
    findings.push({
      id: 'preview-incomplete',
      severity: 'high',
      resource: errors[0].urn || PREVIEW_RESOURCE,
      control: 'Pulumi diagnostics',
      message: `Pulumi reported ${errors.length === 1 ? 'an error' : `${errors.length} errors`}: the preview stopped early, so changes after it are missing from this review${first ? ` (${first.length > 160 ? `${first.slice(0, 157)}...` : first})` : ''}`,
      kind: 'change',
      blocking: false,
    });
  }
  findings.sort(compareAuditFindings);

  const derived = new Map<string, number>();
  for (const c of all) derived.set(c.op, (derived.get(c.op) ?? 0) + 1);
  const summary = Object.keys(preview.changeSummary).length ? new Map(Object.entries(preview.changeSummary)) : derived;
  const rank = (op: string): number => (OP_ORDER.includes(op) ? OP_ORDER.indexOf(op) : OP_ORDER.length);
  const operations = [...summary].filter(([, n]) => n > 0).sort(([a], [b]) => rank(a) - rank(b) || cmp(a, b));

  const byType = new Map<string, Record<string, number>>();
  for (const c of changes) {
    const counts = byType.get(c.type) ?? {};
    counts[c.op] = (counts[c.op] ?? 0) + 1;
    byType.set(c.type, counts);
  }
  const types = [...byType].sort(([a], [b]) => cmp(a, b)).map(([type, counts]) => ({ type, counts }));
  const noOp = changes.length === 0 && errors.length === 0 && operations.every(([op]) => op === 'same' || op === 'refresh');

  return {
    stack,
    project: first?.project ?? '',
    ...(environment ? { environment } : {}),
    noOp,
    operations,
    types,
    changes,
    findings,
    unjudged: unjudged.sort((a, b) => cmp(a.resource, b.resource) || cmp(a.id, b.id)),
    diagnostics: preview.diagnostics.filter((d) => d.severity === 'error' || d.severity === 'warning'),
    maybeCorrupt: preview.maybeCorrupt,
    failed: errors.length > 0,
  };
}

/** True when a finding at `threshold` or above exists (`--fail-on`). */
export function failsAt(report: Pick<AuditReport, 'findings'>, threshold: Severity): boolean {
  return report.findings.some((f) => severityAtLeast(f.severity, threshold));
}

/** The audit as JSON for tools: findings first, then the summary and the property changes. */
import type { AuditReport } from './audit';
import { UNKNOWN } from './preview';

export function renderJson(report: AuditReport, source: string): string {
  const doc = {
    source,
    project: report.project,
    stack: report.stack,
    environment: report.environment ?? null,
    noOp: report.noOp,
    findings: report.findings.map((f) => ({ id: f.id, severity: f.severity, resource: f.resource, control: f.control, message: f.message, ...(f.path ? { path: f.path } : {}), kind: f.kind, blocking: f.blocking })),
    summary: { operations: Object.fromEntries(report.operations), types: report.types },
    unjudged: report.unjudged,
    changes: report.changes.map((c) => ({
      urn: c.urn,
      type: c.type,
      op: c.op,
      steps: c.stepOps,
      replaceReasons: c.replaceReasons,
      deleteBeforeReplace: c.deleteBeforeReplace,
      properties: c.properties.map((p) => ({ path: p.path, kind: p.kind, before: p.before, after: p.after, replace: p.replace })),
    })),
    diagnostics: report.diagnostics,
    failed: report.failed,
  };
  // Unknowns read as in the other formats, not as Pulumi's internal sentinel.
  return `${JSON.stringify(doc, (_k, v: unknown) => (v === UNKNOWN ? '(known after apply)' : v), 2)}\n`;
}

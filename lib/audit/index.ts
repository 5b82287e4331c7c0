/**
 * `platform audit`: a reviewer's report over `pulumi preview --json`. Pure library (no Pulumi
 * import); cli/commands/audit.ts is the only caller besides tests and bench/.
 */
export { auditPreview, failsAt, compareAuditFindings, type AuditFinding, type AuditReport, type UnjudgedRule } from './audit';
export { groupChanges, diffProperties, type ResourceChange, type PropertyChange } from './changes';
export { DIFF_RULES, checkChange, type ChangeFinding, type DiffRule } from './diff-rules';
export { parsePreview, readPreviewFile, parseUrn, UNKNOWN, SECRET, SECRET_SIGNATURE, type PreviewDigest, type PreviewStep } from './preview';
export { renderMarkdown } from './render-md';
export { renderHtml, escapeHtml } from './render-html';
export { renderJson } from './render-json';

import type { AuditReport } from './audit';
import { renderHtml } from './render-html';
import { renderJson } from './render-json';
import { renderMarkdown } from './render-md';

export type ReportFormat = 'md' | 'html' | 'json';

export function renderReport(report: AuditReport, format: ReportFormat, source: string): string {
  switch (format) {
    case 'html':
      return renderHtml(report, source);
    case 'json':
      return renderJson(report, source);
    default:
      return renderMarkdown(report, source);
  }
}

/** What the Markdown and HTML reports share: ordering, value text, line diffs of documents. */
import { SEVERITIES, type Severity } from '../severity';
import type { AuditFinding, AuditReport } from './audit';
import type { PropertyChange, ResourceChange } from './changes';
import type { Statement, StatementChange } from '../iam-document';
import { formatBlock, formatValue } from './values';


export const OP_SYMBOL: Readonly<Record<string, string>> = { create: '+', update: '~', replace: '+-', delete: '-', import: '=', read: '>', discard: '<', refresh: '~', 'remove-pending-replace': '-' };

export function severityCounts(findings: readonly AuditFinding[]): Record<Severity, number> {
  const counts: Record<Severity, number> = { critical: 0, high: 0, medium: 0, low: 0 };
  for (const f of findings) counts[f.severity]++;
  return counts;
}

/** Resources with findings first (worst first), then the others in preview order. */
export function orderedChanges(report: AuditReport): { change: ResourceChange; findings: AuditFinding[] }[] {
  const byUrn = new Map<string, AuditFinding[]>();
  for (const f of report.findings) byUrn.set(f.resource, [...(byUrn.get(f.resource) ?? []), f]);
  const worst = (fs: AuditFinding[]): number => (fs.length ? Math.min(...fs.map((f) => SEVERITIES.indexOf(f.severity))) : SEVERITIES.length);
  return report.changes
    .map((change, index) => ({ change, findings: byUrn.get(change.urn) ?? [], index }))
    .sort((a, b) => worst(a.findings) - worst(b.findings) || a.index - b.index)
    .map(({ change, findings }) => ({ change, findings }));
}

/** A value is shown inline when short and on one line, else in a block below the table. */
export function isLong(v: unknown): boolean {
  if (v === undefined) return false;
  const text = formatValue(v);
  return text.length > 60 || formatBlock(v).includes('\n');
}

export function summaryLine(report: AuditReport): string {
  const ops = report.operations.filter(([op]) => op !== 'same').map(([op, n]) => `${n} to ${op}`);
  const same = report.operations.find(([op]) => op === 'same')?.[1] ?? 0;
  if (report.noOp) return `No changes: this preview changes nothing${same ? ` (${same} resources unchanged)` : ''}. No findings.`;
  const c = severityCounts(report.findings);
  const findings = report.findings.length ? SEVERITIES.filter((s) => c[s]).map((s) => `${c[s]} ${s}`).join(', ') : 'none';
  return `${ops.length ? ops.join(', ') : 'No changes listed'}${same ? `, ${same} unchanged` : ''}. Findings: ${findings}.`;
}

/** Minimal line diff (LCS); fine for the few dozen lines of a statement. */
export function lineDiff(before: readonly string[], after: readonly string[]): { sign: ' ' | '-' | '+'; line: string }[] {
  const n = before.length;
  const m = after.length;
  const lcs: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--) for (let j = m - 1; j >= 0; j--) lcs[i][j] = before[i] === after[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
  const out: { sign: ' ' | '-' | '+'; line: string }[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && before[i] === after[j]) {
      out.push({ sign: ' ', line: before[i++] });
      j++;
    } else if (j < m && (i >= n || lcs[i][j + 1] >= lcs[i + 1][j])) out.push({ sign: '+', line: after[j++] });
    else out.push({ sign: '-', line: before[i++] });
  }
  return out;
}

function statementLines(s: Statement | undefined): string[] {
  return s ? JSON.stringify(s, null, 2).split('\n') : [];
}

/** Diff lines of one statement change, `unchanged` statements reduced to one line. */
export function statementDiff(change: StatementChange): { sign: ' ' | '-' | '+'; line: string }[] {
  if (change.status === 'unchanged') return [{ sign: ' ', line: `(statement ${change.label} unchanged)` }];
  return lineDiff(statementLines(change.before), statementLines(change.after));
}

/** Diff lines of a long value: documents pretty-printed, then line-diffed. */
export function valueDiff(p: PropertyChange): { sign: ' ' | '-' | '+'; line: string }[] {
  const lines = (v: unknown): string[] => (v === undefined ? [] : formatBlock(v).split('\n'));
  return lineDiff(lines(p.before), lines(p.after));
}

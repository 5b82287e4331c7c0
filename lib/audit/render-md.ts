/** The audit as Markdown for a pull request: summary, findings table, then one section per changed resource. */
import type { AuditFinding, AuditReport } from './audit';
import type { PropertyChange, ResourceChange } from './changes';
import { OP_ORDER } from './changes';
import { SEVERITIES } from '../severity';
import { isLong, OP_SYMBOL, orderedChanges, severityCounts, statementDiff, summaryLine, valueDiff } from './render-common';
import { formatValue } from './values';

/** Inline code that survives any content: a fence longer than any backtick run, table pipes escaped. */
function code(text: string): string {
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((r) => r.length));
  const fence = '`'.repeat(longest + 1);
  const pad = text.startsWith('`') || text.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ')}${pad}${fence}`;
}

/** Plain text in a table cell or paragraph: HTML and table syntax neutralised. */
function text(t: string): string {
  return t.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

function block(lines: readonly string[], lang = ''): string {
  const body = lines.join('\n');
  const longest = Math.max(2, ...(body.match(/`{3,}/g) ?? []).map((r) => r.length));
  const fence = '`'.repeat(longest + 1);
  return `${fence}${lang}\n${body}\n${fence}`;
}

function resourceCell(change: Pick<ResourceChange, 'name' | 'type'>): string {
  return `${code(change.name)} (${code(change.type)})`;
}

function findingsTable(findings: readonly AuditFinding[], names: ReadonlyMap<string, ResourceChange>): string[] {
  const lines = ['| severity | control | resource | finding |', '| --- | --- | --- | --- |'];
  for (const f of findings) {
    const c = names.get(f.resource);
    const resource = c ? resourceCell(c) : code(f.resource);
    const where = f.path ? `${code(f.path)}: ` : '';
    const tag = f.kind === 'policy' ? ` _(rule ${code(f.id)}${f.blocking ? ', blocking' : ''})_` : ` _(${code(f.id)})_`;
    lines.push(`| **${f.severity}** | ${text(f.control)} | ${resource} | ${where}${text(f.message)}${tag} |`);
  }
  return lines;
}

function propertySection(change: ResourceChange): string[] {
  const props = change.properties;
  if (props.length === 0) return ['_No property changes recorded._'];
  const out = ['| property | before | after |', '| --- | --- | --- |'];
  const longOnes: PropertyChange[] = [];
  for (const p of props) {
    const long = p.statements !== undefined || isLong(p.before) || isLong(p.after);
    if (long) longOnes.push(p);
    const cell = (v: unknown): string => (v === undefined ? '' : long ? '_see below_' : code(formatValue(v)));
    out.push(`| ${code(p.path || '(whole value)')}${p.replace ? ' **(forces replacement)**' : ''} | ${cell(p.before)} | ${cell(p.after)} |`);
  }
  for (const p of longOnes) {
    out.push('');
    if (p.statements) {
      out.push(`${code(p.path)}, statement by statement:`, '');
      out.push(block(p.statements.flatMap((s) => [`# ${s.status}: ${s.label}`, ...statementDiff(s).map((l) => `${l.sign} ${l.line}`)]), 'diff'));
    } else {
      out.push(`${code(p.path)}:`, '');
      out.push(block(valueDiff(p).map((l) => (p.before === undefined || p.after === undefined ? l.line : `${l.sign} ${l.line}`)), p.before === undefined || p.after === undefined ? '' : 'diff'));
    }
  }
  return out;
}

function changeSection(change: ResourceChange, findings: readonly AuditFinding[]): string[] {
  const out: string[] = [];
  const heading = `${OP_SYMBOL[change.op] ?? ''} ${change.op} ${resourceCell(change)}`.trim();
  const reasons: string[] = [];
  if (change.replaceReasons.length) reasons.push(`replaced because of ${change.replaceReasons.map(code).join(', ')}`);
  if (change.deleteBeforeReplace) reasons.push('deleted before its replacement is created');
  if (change.stepOps.length > 1) reasons.push(`steps: ${change.stepOps.map(code).join(' → ')}`);
  const body = [
    `URN: ${code(change.urn)}`,
    ...(reasons.length ? ['', reasons.join('; ')] : []),
    ...(findings.length ? ['', ...findings.map((f) => `- **${f.severity}** ${text(f.control)}: ${f.path ? `${code(f.path)}: ` : ''}${text(f.message)}`)] : []),
    '',
    ...propertySection(change),
  ];
  // Creates and deletes of resources without findings are collapsed: they are long and rarely the point.
  const collapse = findings.length === 0 && (change.op === 'create' || change.op === 'delete' || change.op === 'read' || change.op === 'import');
  if (collapse) {
    out.push('<details>', `<summary>${text(`${OP_SYMBOL[change.op] ?? ''} ${change.op} ${change.name} (${change.type})`.trim())}</summary>`, '', ...body, '', '</details>', '');
  } else {
    out.push(`### ${heading}`, '', ...body, '');
  }
  return out;
}

function diagnosticsSection(report: AuditReport): string[] {
  if (!report.diagnostics.length) return [];
  return ['## Diagnostics', '', ...report.diagnostics.map((d) => `- **${text(d.severity ?? 'info')}**${d.urn ? ` ${code(d.urn)}` : ''}: ${text((d.message ?? '').trim())}`), ''];
}

export function renderMarkdown(report: AuditReport, source: string): string {
  const out: string[] = [];
  const where = [report.project, report.stack].filter(Boolean).join('/');
  out.push(`# Preview audit${where ? `: ${code(where)}` : ''}`, '');
  out.push(`Source: ${code(source)}${report.environment ? ` · environment: ${code(report.environment)}` : ''}`, '');
  out.push(`**${text(summaryLine(report))}**`, '');
  if (report.maybeCorrupt) out.push('> **Warning:** Pulumi reports that some resources may be corrupt (`maybeCorrupt`).', '');
  if (report.noOp) {
    out.push(...diagnosticsSection(report));
    return `${out.join('\n').trimEnd()}\n`;
  }

  if (report.operations.length || report.types.length) out.push('## Summary', '');
  if (report.operations.length) {
    out.push('| operation | resources |', '| --- | ---: |');
    for (const [op, n] of report.operations) out.push(`| ${text(op)} | ${n} |`);
    out.push('');
  }
  const ops = OP_ORDER.filter((op) => report.types.some((t) => t.counts[op]));
  const extra = [...new Set(report.types.flatMap((t) => Object.keys(t.counts)))].filter((op) => !ops.includes(op)).sort();
  const cols = [...ops, ...extra];
  if (report.types.length) {
    out.push(`| resource type | ${cols.map(text).join(' | ')} |`, `| --- | ${cols.map(() => '---:').join(' | ')} |`);
    for (const t of report.types) out.push(`| ${code(t.type)} | ${cols.map((op) => (t.counts[op] ? String(t.counts[op]) : '')).join(' | ')} |`);
    out.push('');
  }

  const c = severityCounts(report.findings);
  out.push('## Findings', '');
  if (report.findings.length === 0) out.push('No findings.', '');
  else {
    out.push(SEVERITIES.map((s) => `${c[s]} ${s}`).join(' · '), '');
    const names = new Map(report.changes.map((ch) => [ch.urn, ch]));
    out.push(...findingsTable(report.findings, names), '');
  }
  if (report.unjudged.length) {
    out.push(`<details>`, `<summary>${report.unjudged.length} rule checks not judged (values known only after apply, or secret)</summary>`, '');
    for (const u of report.unjudged) out.push(`- ${code(u.id)} on ${code(u.resource)}: ${text(u.reason)}`);
    out.push('', '</details>', '');
  }
  out.push(...diagnosticsSection(report));
  out.push('## Changes', '');
  if (report.changes.length === 0) out.push('No changes listed.', '');
  for (const { change, findings } of orderedChanges(report)) out.push(...changeSection(change, findings));
  return `${out.join('\n').trimEnd()}\n`;
}

/**
 * The audit as one self-contained HTML file: inline CSS, no scripts, no external assets.
 * <details>/<summary> make the per-resource diffs collapsible. Every value, URN and message is
 * untrusted and escaped.
 */
import type { AuditFinding, AuditReport } from './audit';
import { OP_ORDER, type PropertyChange, type ResourceChange } from './changes';
import { SEVERITIES } from '../severity';
import { isLong, OP_SYMBOL, orderedChanges, severityCounts, statementDiff, summaryLine, valueDiff } from './render-common';
import { formatValue } from './values';

export function escapeHtml(t: string): string {
  return t.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}
const e = escapeHtml;

const CSS = `
:root{color-scheme:light;--fg:#1f2328;--muted:#59636e;--line:#d1d9e0;--bg2:#f6f8fa;--crit:#82071e;--high:#cf222e;--med:#9a6700;--low:#0969da;--add:#dafbe1;--del:#ffebe9}
body{font:14px/1.5 -apple-system,"Segoe UI",Helvetica,Arial,sans-serif;color:var(--fg);margin:24px auto;max-width:1200px;padding:0 16px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:18px;border-bottom:1px solid var(--line);padding-bottom:4px;margin-top:28px}
.meta{color:var(--muted)}.verdict{font-size:16px;font-weight:600;margin:12px 0;padding:10px 14px;border-radius:6px;background:var(--bg2);border-left:6px solid var(--low)}
.verdict.bad{border-left-color:var(--high)}.verdict.ok{border-left-color:#1a7f37}
table{border-collapse:collapse;margin:8px 0;width:100%}th,td{border:1px solid var(--line);padding:4px 8px;text-align:left;vertical-align:top;overflow-wrap:anywhere}
table.fixed{table-layout:fixed}
th{background:var(--bg2)}td.n{text-align:right;font-variant-numeric:tabular-nums}
code,pre{font:12px/1.45 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}code{background:var(--bg2);padding:1px 4px;border-radius:4px;word-break:break-all}
pre{background:var(--bg2);padding:8px;border-radius:6px;overflow:auto;margin:4px 0}
.sev{display:inline-block;min-width:60px;text-align:center;color:#fff;border-radius:10px;padding:0 8px;font-size:12px;font-weight:600}
.sev.critical{background:var(--crit)}.sev.high{background:var(--high)}.sev.medium{background:var(--med)}.sev.low{background:var(--low)}
tr.critical td,tr.high td{background:#fff5f5}
details{border:1px solid var(--line);border-radius:6px;margin:8px 0;padding:0 10px}details[open]{padding-bottom:8px}
summary{cursor:pointer;padding:6px 0;font-weight:600}summary .op{display:inline-block;min-width:64px;font-family:ui-monospace,monospace}
details.flagged{border-left:6px solid var(--high)}
.op-create{color:#1a7f37}.op-delete{color:var(--high)}.op-replace{color:#8250df}.op-update{color:var(--med)}
.add{background:var(--add)}.del{background:var(--del)}.replace{color:#8250df;font-weight:600}
ul.findings{margin:6px 0;padding-left:20px}
`;

function sev(s: string): string {
  return `<span class="sev ${e(s)}">${e(s)}</span>`;
}

function diffPre(lines: readonly { sign: string; line: string }[]): string {
  return `<pre>${lines.map((l) => `<span class="${l.sign === '+' ? 'add' : l.sign === '-' ? 'del' : ''}">${e(`${l.sign} ${l.line}`)}</span>`).join('\n')}</pre>`;
}

function valueCell(p: PropertyChange, side: 'before' | 'after'): string {
  const v = p[side];
  if (v === undefined) return '<td></td>';
  if (isLong(p.before) || isLong(p.after) || p.statements) return '<td><em>see below</em></td>';
  return `<td><code>${e(formatValue(v))}</code></td>`;
}

function properties(change: ResourceChange): string {
  if (change.properties.length === 0) return '<p class="meta">No property changes recorded.</p>';
  const rows = change.properties.map((p) => `<tr><td><code>${e(p.path || '(whole value)')}</code>${p.replace ? ' <span class="replace">forces replacement</span>' : ''}</td>${valueCell(p, 'before')}${valueCell(p, 'after')}</tr>`);
  const blocks = change.properties
    .filter((p) => p.statements || isLong(p.before) || isLong(p.after))
    .map((p) => {
      if (p.statements) {
        return `<p><code>${e(p.path)}</code>, statement by statement:</p>${p.statements.map((s) => `<div><strong>${e(s.status)}</strong> <code>${e(s.label)}</code>${diffPre(statementDiff(s))}</div>`).join('')}`;
      }
      return `<p><code>${e(p.path)}</code>:</p>${diffPre(valueDiff(p))}`;
    });
  return `<table class="fixed"><colgroup><col style="width:30%"><col><col></colgroup><thead><tr><th>property</th><th>before</th><th>after</th></tr></thead><tbody>${rows.join('')}</tbody></table>${blocks.join('')}`;
}

function changeBlock(change: ResourceChange, findings: readonly AuditFinding[]): string {
  const notes: string[] = [];
  if (change.replaceReasons.length) notes.push(`replaced because of ${change.replaceReasons.map((r) => `<code>${e(r)}</code>`).join(', ')}`);
  if (change.deleteBeforeReplace) notes.push('deleted before its replacement is created');
  if (change.stepOps.length > 1) notes.push(`steps: ${change.stepOps.map((o) => `<code>${e(o)}</code>`).join(' → ')}`);
  const list = findings.length ? `<ul class="findings">${findings.map((f) => `<li>${sev(f.severity)} ${e(f.control)}: ${f.path ? `<code>${e(f.path)}</code>: ` : ''}${e(f.message)}</li>`).join('')}</ul>` : '';
  return [
    `<details${findings.length ? ' open class="flagged"' : ''}>`,
    `<summary><span class="op op-${e(change.op)}">${e(`${OP_SYMBOL[change.op] ?? ''} ${change.op}`.trim())}</span> ${e(change.name)} <span class="meta">(${e(change.type)})</span></summary>`,
    `<p class="meta">URN: <code>${e(change.urn)}</code>${notes.length ? `<br>${notes.join('; ')}` : ''}</p>`,
    list,
    properties(change),
    '</details>',
  ].join('\n');
}

function diagnosticsList(report: AuditReport): string[] {
  if (!report.diagnostics.length) return [];
  return ['<h2>Diagnostics</h2><ul>', ...report.diagnostics.map((d) => `<li><strong>${e(d.severity ?? 'info')}</strong>${d.urn ? ` <code>${e(d.urn)}</code>` : ''}: ${e((d.message ?? '').trim())}</li>`), '</ul>'];
}

export function renderHtml(report: AuditReport, source: string): string {
  const where = [report.project, report.stack].filter(Boolean).join('/');
  const c = severityCounts(report.findings);
  const bad = c.critical + c.high > 0;
  const parts: string[] = [
    '<!DOCTYPE html>',
    '<html lang="en"><head><meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${e(`Preview audit${where ? `: ${where}` : ''}`)}</title>`,
    `<style>${CSS}</style></head><body>`,
    `<h1>Preview audit${where ? `: <code>${e(where)}</code>` : ''}</h1>`,
    `<p class="meta">Source: <code>${e(source)}</code>${report.environment ? ` · environment: <code>${e(report.environment)}</code>` : ''}</p>`,
    `<p class="verdict ${report.noOp || report.findings.length === 0 ? 'ok' : bad ? 'bad' : ''}">${e(summaryLine(report))}</p>`,
  ];
  if (report.maybeCorrupt) parts.push('<p class="verdict bad">Pulumi reports that some resources may be corrupt (maybeCorrupt).</p>');
  if (!report.noOp) {
    if (report.operations.length || report.types.length) parts.push('<h2>Summary</h2>');
    if (report.operations.length) {
      parts.push('<table style="width:auto"><thead><tr><th>operation</th><th>resources</th></tr></thead><tbody>');
      for (const [op, n] of report.operations) parts.push(`<tr><td class="op-${e(op)}">${e(op)}</td><td class="n">${n}</td></tr>`);
      parts.push('</tbody></table>');
    }
    const ops = OP_ORDER.filter((op) => report.types.some((t) => t.counts[op]));
    const extra = [...new Set(report.types.flatMap((t) => Object.keys(t.counts)))].filter((op) => !ops.includes(op)).sort();
    const cols = [...ops, ...extra];
    if (report.types.length) {
      parts.push(`<table><thead><tr><th>resource type</th>${cols.map((op) => `<th>${e(op)}</th>`).join('')}</tr></thead><tbody>`);
      for (const t of report.types) parts.push(`<tr><td><code>${e(t.type)}</code></td>${cols.map((op) => `<td class="n">${t.counts[op] ?? ''}</td>`).join('')}</tr>`);
      parts.push('</tbody></table>');
    }

    parts.push(`<h2>Findings</h2><p>${SEVERITIES.map((s) => `${sev(s)} ${c[s]}`).join(' ')}</p>`);
    if (report.findings.length) {
      const names = new Map(report.changes.map((ch) => [ch.urn, ch]));
      parts.push('<table class="fixed"><colgroup><col style="width:90px"><col style="width:130px"><col style="width:30%"><col></colgroup><thead><tr><th>severity</th><th>control</th><th>resource</th><th>finding</th></tr></thead><tbody>');
      for (const f of report.findings) {
        const ch = names.get(f.resource);
        const res = ch ? `${e(ch.name)} <span class="meta">(${e(ch.type)})</span>` : `<code>${e(f.resource)}</code>`;
        const tag = f.kind === 'policy' ? `rule <code>${e(f.id)}</code>${f.blocking ? ', blocking' : ''}` : `<code>${e(f.id)}</code>`;
        parts.push(`<tr class="${e(f.severity)}"><td>${sev(f.severity)}</td><td>${e(f.control)}</td><td title="${e(f.resource)}">${res}</td><td>${f.path ? `<code>${e(f.path)}</code>: ` : ''}${e(f.message)} <span class="meta">(${tag})</span></td></tr>`);
      }
      parts.push('</tbody></table>');
    } else parts.push('<p>No findings.</p>');
    if (report.unjudged.length) {
      parts.push(`<details><summary>${report.unjudged.length} rule checks not judged (values known only after apply, or secret)</summary><ul>`);
      for (const u of report.unjudged) parts.push(`<li><code>${e(u.id)}</code> on <code>${e(u.resource)}</code>: ${e(u.reason)}</li>`);
      parts.push('</ul></details>');
    }
    parts.push(...diagnosticsList(report));
    parts.push('<h2>Changes</h2>');
    if (report.changes.length === 0) parts.push('<p>No changes listed.</p>');
    for (const { change, findings } of orderedChanges(report)) parts.push(changeBlock(change, findings));
  }
  if (report.noOp) parts.push(...diagnosticsList(report));
  parts.push('</body></html>');
  return `${parts.join('\n')}\n`;
}

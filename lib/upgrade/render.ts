/** `platform upgrade` output: text (one line per item), a Markdown checklist, or JSON. Deterministic. */
import type { UpgradeReport } from './types';

function countOf(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function heading(r: UpgradeReport): string {
  const files = r.objects.files > 0 ? `, ${r.objects.manifests} from ${countOf(r.objects.files, 'file')}` : '';
  const skipped = r.objects.skippedFiles > 0 ? ` (skipped ${countOf(r.objects.skippedFiles, 'file')} holding no objects to check, e.g. Helm values or unrendered templates)` : '';
  return `stack ${r.stack} (${r.configFile}): Kubernetes ${r.from} -> ${r.to}, as of ${r.asOf}; ${r.objects.stack} objects of the stack${files}${skipped}`;
}

function verdict(r: UpgradeReport): string {
  return `${r.ready ? 'ready' : 'not ready'}: ${countOf(r.blockers.length, 'blocker')}, ${countOf(r.warnings.length, 'warning')}`;
}

export function renderText(r: UpgradeReport): string {
  const lines = [`upgrade: ${heading(r)}`];
  lines.push(`blockers (${r.blockers.length}):`, ...r.blockers.map((b) => `  ${b.message}`));
  lines.push(`warnings (${r.warnings.length}):`, ...r.warnings.map((w) => `  ${w.message}`));
  lines.push('checks:', ...r.checks.map((c) => `  ok ${c}`));
  lines.push('plan:', ...r.steps.map((s, i) => `  ${i + 1}. ${s}`));
  lines.push(verdict(r));
  return `${lines.join('\n')}\n`;
}

/** Escapes what Markdown would read as emphasis, links, HTML or table cells. */
function md(text: string): string {
  return text.replace(/([*_[\]<>|])/g, '\\$1');
}

export function renderMarkdown(r: UpgradeReport): string {
  const lines = [`# Upgrade ${r.stack}: Kubernetes ${r.from} -> ${r.to}`, '', `${md(heading(r))}.`, '', `**${verdict(r)}**`, ''];
  lines.push(`## Blockers (${r.blockers.length})`, '');
  lines.push(...(r.blockers.length > 0 ? r.blockers.map((b) => `- ${md(b.message)}`) : ['None.']), '');
  lines.push(`## Warnings (${r.warnings.length})`, '');
  lines.push(...(r.warnings.length > 0 ? r.warnings.map((w) => `- ${md(w.message)}`) : ['None.']), '');
  lines.push('## Checked', '', ...r.checks.map((c) => `- ${md(c)}`), '');
  lines.push('## Plan', '', ...r.steps.map((s, i) => `- [ ] ${i + 1}. ${md(s)}`));
  return `${lines.join('\n')}\n`;
}

export function renderJson(r: UpgradeReport): string {
  return `${JSON.stringify(r, null, 2)}\n`;
}

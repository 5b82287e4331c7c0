/** `platform audit <preview.json>`: a review of `pulumi preview --json` output. See lib/audit. */
import { auditPreview, failsAt, readPreviewFile, renderReport, type ReportFormat } from '../../lib/audit';
import { UserError } from '../../lib/errors';
import { writeFileAtomic } from '../../lib/fs';
import { isSeverity, SEVERITIES } from '../../lib/severity';

export interface AuditOptions {
  readonly format?: string;
  readonly out?: string;
  readonly failOn?: string;
}

const FORMATS: readonly ReportFormat[] = ['md', 'html', 'json'];

export async function run(previewFile: string, opts: AuditOptions): Promise<number> {
  const format = (opts.format ?? 'md') as ReportFormat;
  if (!FORMATS.includes(format)) throw new UserError(`--format: ${JSON.stringify(opts.format)} is not a report format (accepted: ${FORMATS.join(', ')})`);
  if (opts.failOn !== undefined && !isSeverity(opts.failOn)) {
    throw new UserError(`--fail-on: ${JSON.stringify(opts.failOn)} is not a severity (accepted: ${[...SEVERITIES].reverse().join(', ')})`);
  }
  const report = auditPreview(readPreviewFile(previewFile));
  const text = renderReport(report, format, previewFile);
  if (opts.out) {
    writeFileAtomic(opts.out, text);
    const n = report.findings.length;
    process.stderr.write(`audit: ${report.changes.length} changed resources, ${n} finding${n === 1 ? '' : 's'}; report written to ${opts.out}\n`);
  } else process.stdout.write(text);
  return opts.failOn !== undefined && failsAt(report, opts.failOn) ? 1 : 0;
}

import * as fs from 'node:fs';
import * as path from 'node:path';
import { auditPreview, parsePreview, type AuditReport } from '../../lib/audit';

export const FIXTURES = path.resolve(__dirname, '..', 'fixtures', 'preview');

export function fixturePath(name: string): string {
  return path.join(FIXTURES, `${name}.json`);
}

export function auditFixture(name: string): AuditReport {
  return auditPreview(parsePreview(fs.readFileSync(fixturePath(name), 'utf8'), `${name}.json`));
}

/** `<severity> <id> <resource name>` per finding, in report order. */
export function summarize(report: AuditReport): string[] {
  return report.findings.map((f) => `${f.severity} ${f.id} ${f.resource.split('::').pop()}`);
}

export const URN = {
  cluster: 'urn:pulumi:prod::platform::platform:cluster:Cluster$aws:eks/cluster:Cluster::cluster',
  secretsKey: 'urn:pulumi:prod::platform::platform:kms:Keys$aws:kms/key:Key::secrets-key',
  nodeGroup: 'urn:pulumi:prod::platform::platform:nodes:SystemNodes$aws:eks/nodeGroup:NodeGroup::system',
};

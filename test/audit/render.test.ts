import { auditPreview, escapeHtml, renderHtml, renderJson, renderMarkdown } from '../../lib/audit';
import { toPreviewDigest } from '../../lib/audit/preview';
import { auditFixture } from './helpers';

const EVIL = 'urn:pulumi:prod::platform::kubernetes:core/v1:ConfigMap::<script>alert(1)</script>';
const evilReport = auditPreview(toPreviewDigest({
  steps: [{ op: 'create', urn: EVIL, newState: { urn: EVIL, custom: true, type: 'kubernetes:core/v1:ConfigMap', inputs: { data: { note: '<img src=x onerror=alert(2)> | `tick`' }, kind: 'a|`b`' } } }],
  changeSummary: { create: 1 },
}));

describe('HTML report', () => {
  const html = renderHtml(auditFixture('risky-update'), 'risky-update.json');

  it('GIVEN untrusted URNs and values WHEN rendered THEN every one is escaped', () => {
    const out = renderHtml(evilReport, 'p.json');
    expect(out).not.toContain('<script>');
    expect(out).not.toContain('<img');
    expect(out).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(escapeHtml(`"'&`)).toBe('&quot;&#39;&amp;');
  });

  it('GIVEN a report WHEN rendered THEN it is one self-contained file with no scripts or external assets', () => {
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html).not.toMatch(/<script|<link|<img|src=|@import|url\(/i);
    expect(html).not.toMatch(/https?:\/\/(?!.*<\/code>)/);
  });

  it('GIVEN findings WHEN rendered THEN the summary table, the findings table and collapsible diffs are there', () => {
    expect(html).toContain('<tr><td class="op-update">update</td><td class="n">10</td></tr>');
    expect(html.match(/<tr class="(critical|high|medium|low)">/g)).toHaveLength(22);
    expect(html.match(/<details open class="flagged">/g)).toHaveLength(11);
    expect(html).toContain('<strong>added</strong> <code>TemporaryDebugAccess</code>');
  });
});

describe('Markdown report', () => {
  it('GIVEN the risky update WHEN rendered THEN it has the summary, a findings table row per finding and statement diffs', () => {
    const md = renderMarkdown(auditFixture('risky-update'), 'risky-update.json');
    expect(md).toContain('**2 to create, 10 to update, 1 to replace, 115 unchanged. Findings: 3 critical, 15 high, 3 medium, 1 low.**');
    expect(md).toContain('| operation | resources |');
    expect(md.split('\n').filter((l) => /^\| \*\*(critical|high|medium|low)\*\* \|/.test(l))).toHaveLength(22);
    expect(md).toContain('| **critical** | CIS AWS 5.2 | `bastion-ssh` (`aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule`) | `cidrIpv4`: ingress tcp 22 opened to 0.0.0.0/0 _(`sg-open-to-world`)_ |');
    expect(md).toContain('# added: TemporaryDebugAccess\n+ {\n+   "Sid": "TemporaryDebugAccess",');
    expect(md).toContain('| `vpcConfig.endpointPublicAccess` | `false` | `true` |');
  });

  it('GIVEN a no-op preview WHEN rendered THEN it says nothing changes and stops there', () => {
    const md = renderMarkdown(auditFixture('no-op'), 'no-op.json');
    expect(md).toBe('# Preview audit: `platform/prod`\n\nSource: `no-op.json` · environment: `prod`\n\n**No changes: this preview changes nothing (126 resources unchanged). No findings.**\n');
  });

  it('GIVEN pipes, backticks and HTML in values WHEN rendered THEN tables stay intact and HTML is inert', () => {
    const md = renderMarkdown(evilReport, 'p.json');
    // Inside code spans HTML is shown as text; outside them it must be escaped.
    const outsideCode = md.replace(/(`+)[\s\S]*?\1/g, '');
    expect(outsideCode).not.toMatch(/<script|<img/);
    expect(md).toContain('URN: `urn:pulumi:prod::platform::kubernetes:core/v1:ConfigMap::<script>alert(1)</script>`');
    expect(md).toContain('&lt;script&gt;');
    expect(md).toContain('| `kind` |  | ``"a\\|`b`"`` |');
  });
});

describe('JSON report', () => {
  it('GIVEN the destructive preview WHEN rendered THEN findings have severity, resource, control and message', () => {
    const doc = JSON.parse(renderJson(auditFixture('destructive-replace'), 'd.json')) as { findings: Record<string, unknown>[]; summary: { operations: Record<string, number> } };
    expect(doc.findings[3]).toEqual({
      id: 'kms-key-deleted',
      severity: 'critical',
      resource: 'urn:pulumi:prod::platform::platform:kms:Keys$aws:kms/key:Key::logs-key',
      control: 'AWS FSBP KMS.3',
      message: 'Key deleted: data encrypted under the key becomes unreadable once the key is gone',
      kind: 'change',
      blocking: false,
    });
    expect(doc.summary.operations).toEqual({ replace: 2, delete: 4, same: 120 });
  });
});

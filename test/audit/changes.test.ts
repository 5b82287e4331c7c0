import { auditPreview, renderHtml, renderJson, renderMarkdown } from '../../lib/audit';
import { groupChanges } from '../../lib/audit/changes';
import { SECRET_SIGNATURE, toPreviewDigest as toPreviewDigestForTest, UNKNOWN } from '../../lib/audit/preview';
import { auditFixture } from './helpers';

const URN = 'urn:pulumi:prod::platform::aws:eks/cluster:Cluster::cluster';
const oldState = { urn: URN, custom: true, type: 'aws:eks/cluster:Cluster', inputs: { name: 'platform-prod', encryptionConfig: { resources: ['secrets'] }, version: '1.32' } };
const newState = { urn: URN, custom: true, type: 'aws:eks/cluster:Cluster', inputs: { name: 'platform-prod', version: '1.32' } };

describe('grouping replacement steps', () => {
  it('GIVEN the default JSON view (one replace step) WHEN grouped THEN it is one replace with its reasons', () => {
    const preview = toPreviewDigestForTest({
      steps: [{ op: 'replace', urn: URN, oldState, newState, replaceReasons: ['encryptionConfig'], diffReasons: ['encryptionConfig'], detailedDiff: { encryptionConfig: { kind: 'delete-replace', inputDiff: false } } }],
      changeSummary: { replace: 1 },
    });
    const [change] = groupChanges(preview);
    expect(change.op).toBe('replace');
    expect(change.replaceReasons).toEqual(['encryptionConfig']);
    expect(change.properties).toEqual([{ path: 'encryptionConfig', kind: 'delete', before: { resources: ['secrets'] }, replace: true }]);
  });

  it('GIVEN only create-replacement and delete-replaced WHEN grouped THEN they still read as one replace', () => {
    const preview = toPreviewDigestForTest({ steps: [{ op: 'create-replacement', urn: URN, oldState, newState }, { op: 'delete-replaced', urn: URN, oldState }], changeSummary: { replace: 1 } });
    const changes = groupChanges(preview);
    expect(changes.map((c) => [c.op, c.stepOps])).toEqual([['replace', ['create-replacement', 'delete-replaced']]]);
    expect(changes[0].properties.map((p) => p.path)).toEqual(['encryptionConfig']);
  });
});

describe('secrets and unknowns', () => {
  const SECRET_URN = 'urn:pulumi:prod::platform::kubernetes:core/v1:Secret::argocd/sso';
  const preview = toPreviewDigestForTest({
    steps: [{
      op: 'update',
      urn: SECRET_URN,
      oldState: { urn: SECRET_URN, custom: true, type: 'kubernetes:core/v1:Secret', inputs: { data: { token: 'c2VjcmV0LW9sZA==' }, stringData: { password: { [SECRET_SIGNATURE]: '1b47061264138c4ac30d75fd1eb44270', plaintext: '"hunter2"' } }, metadata: { name: 'sso' } } },
      newState: { urn: SECRET_URN, custom: true, type: 'kubernetes:core/v1:Secret', inputs: { data: { token: 'c2VjcmV0LW5ldw==' }, stringData: { password: '[secret]' }, metadata: { name: 'sso', annotations: { checksum: UNKNOWN } } } },
      detailedDiff: { 'stringData.password': { kind: 'update', inputDiff: true } },
    }],
    changeSummary: { update: 1 },
  });
  const report = auditPreview(preview);
  const outputs = [renderMarkdown(report, 'p.json'), renderHtml(report, 'p.json'), renderJson(report, 'p.json')];

  it('GIVEN secret values in any shape WHEN reported THEN no format prints them', () => {
    for (const text of outputs) {
      expect(text).not.toContain('hunter2');
      expect(text).not.toContain('c2VjcmV0');
      expect(text).not.toContain(SECRET_SIGNATURE);
    }
    expect(report.changes[0].properties.map((p) => [p.path, p.before, p.after])).toEqual([
      ['metadata.annotations', undefined, { checksum: UNKNOWN }],
      ['stringData.password', '[secret]', '[secret]'],
    ]);
  });

  it('GIVEN an unknown value WHEN reported THEN it reads "(known after apply)"', () => {
    expect(outputs[0]).toContain('(known after apply)');
    expect(outputs[0]).not.toContain(UNKNOWN);
    expect(outputs[1]).toContain('(known after apply)');
  });

  it('GIVEN the risky fixture whose old state holds a serialized secret WHEN rendered THEN the secret stays hidden', () => {
    const md = renderMarkdown(auditFixture('risky-update'), 'risky-update.json');
    expect(md).not.toContain('hunter2');
    expect(md).toContain('`stringData.clientSecret` | `[secret]` | `[secret]` |');
  });
});

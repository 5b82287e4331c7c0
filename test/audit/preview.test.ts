import { parsePreview, parseUrn, toPreviewDigest } from '../../lib/audit/preview';
import { userErrorMessage } from '../helpers/errors';

function errorOf(text: string): string {
  return userErrorMessage(() => parsePreview(text, 'p.json'));
}

describe('reading pulumi preview --json', () => {
  it('GIVEN an empty file WHEN parsed THEN the error names the file and what was expected', () => {
    expect(errorOf('  \n')).toBe('p.json: file is empty; expected the JSON printed by `pulumi preview --json`');
  });

  it('GIVEN YAML or truncated JSON WHEN parsed THEN the error says it is not JSON', () => {
    expect(errorOf('steps:\n  - op: create\n')).toMatch(/^p\.json: not valid JSON \(.+\); expected the JSON printed by `pulumi preview --json`$/);
    expect(errorOf('{"steps": [{"op": "create", "urn": "urn:pulumi:dev::p::aws:s3/bucket:Bucket::b"')).toMatch(/^p\.json: not valid JSON/);
  });

  it('GIVEN foreign JSON WHEN parsed THEN the error names the top-level keys it found', () => {
    expect(errorOf('{"apiVersion": "v1", "kind": "List", "items": []}')).toBe(
      'p.json: expected the JSON printed by `pulumi preview --json`: no "steps" list and no "changeSummary" object (top-level keys: "apiVersion", "kind", "items")',
    );
    expect(errorOf('[1, 2]')).toBe('p.json: expected the JSON printed by `pulumi preview --json` (an object with "steps" and "changeSummary"), got an array');
  });

  it('GIVEN a step without a URN WHEN parsed THEN the error points at the step', () => {
    expect(errorOf('{"steps": [{"op": "create", "urn": 42}], "changeSummary": {"create": 1}}')).toBe(
      'p.json: steps[0].urn: expected a Pulumi URN (urn:pulumi:<stack>::<project>::<type>::<name>), got 42',
    );
    expect(errorOf('{"steps": [], "changeSummary": {"create": "one"}}')).toBe('p.json: changeSummary.create: expected a count, got "one"');
  });

  it('GIVEN extra fields and a missing detailedDiff WHEN parsed THEN they are tolerated', () => {
    const d = toPreviewDigest({ steps: [{ op: 'create', urn: 'urn:pulumi:dev::p::aws:s3/bucket:Bucket::b', future: true, newState: { urn: 'u', type: 'aws:s3/bucket:Bucket', custom: true, extra: 1 } }], changeSummary: { create: 1 }, somethingNew: {} });
    expect(d.steps[0].detailedDiff).toBeNull();
    expect(d.steps[0].newState?.type).toBe('aws:s3/bucket:Bucket');
    expect(d.changeSummary).toEqual({ create: 1 });
  });

  it('GIVEN a no-change preview with only changeSummary WHEN parsed THEN it has no steps', () => {
    expect(toPreviewDigest({ changeSummary: { same: 3 } }).steps).toEqual([]);
  });

  it('GIVEN nested URNs WHEN split THEN type, parent chain and a name with "::" come out', () => {
    expect(parseUrn('urn:pulumi:prod::platform::platform:cluster:Cluster$aws:eks/cluster:Cluster::cluster')).toEqual({
      stack: 'prod', project: 'platform', qualifiedType: 'platform:cluster:Cluster$aws:eks/cluster:Cluster', type: 'aws:eks/cluster:Cluster', name: 'cluster',
    });
    expect(parseUrn('urn:pulumi:dev::p::kubernetes:core/v1:ConfigMap::a::b')?.name).toBe('a::b');
    expect(parseUrn('arn:aws:iam::1:role/x')).toBeUndefined();
  });
});

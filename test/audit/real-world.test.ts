/**
 * `platform audit` over previews as they arrive from the field: other programs (Kubernetes only,
 * Azure, GCP), every step operation, encodings and wrappers around the JSON, engine event streams,
 * failed previews. The two fixtures are hand-written in Pulumi's digest layout (pkg/display/json.go).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { auditPreview, parsePreview, readPreviewFile, renderHtml, renderJson, renderMarkdown, SECRET_SIGNATURE, UNKNOWN, type AuditReport } from '../../lib/audit';
import { PROTECT_PATH } from '../../lib/audit/changes';
import { decodePreviewBytes, toPreviewDigest } from '../../lib/audit/preview';
import { sanitize } from '../../lib/audit/values';
import { auditFixture, fixturePath, summarize } from './helpers';
import { userErrorMessage } from '../helpers/errors';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'audit-real-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function errorOf(text: string): string {
  return userErrorMessage(() => parsePreview(text, 'p.json'));
}

function allFormats(report: AuditReport): string[] {
  return [renderMarkdown(report, 'p.json'), renderHtml(report, 'p.json'), renderJson(report, 'p.json')];
}

const RISKY = fs.readFileSync(fixturePath('risky-update'), 'utf8');
const P = 'urn:pulumi:dev::app::';

describe('a Kubernetes-only program (fixture kubernetes-app)', () => {
  const report = auditFixture('kubernetes-app');

  it('GIVEN a protect flip on a same step and a PVC deleted with retainOnDelete WHEN audited THEN both are findings, worded for what really happens', () => {
    expect(summarize(report)).toEqual(['medium stateful-protection-removed shop', 'low stateful-resource-deleted orders-data']);
    expect(report.findings[1].message).toBe('PersistentVolumeClaim removed from the stack only (retainOnDelete): it and its data are kept but no longer managed');
    const ns = report.changes.find((c) => c.name === 'shop');
    expect(ns?.op).toBe('same');
    expect(ns?.properties.map((p) => [p.path, p.before, p.after])).toEqual([[PROTECT_PATH, true, false]]);
  });

  it('GIVEN types no rule knows WHEN audited THEN they are listed with their input diffs and no findings', () => {
    expect(report.changes.map((c) => `${c.op} ${c.type} ${c.name}`)).toEqual([
      'create pulumi:providers:kubernetes kind',
      'update kubernetes:apps/v1:Deployment storefront',
      'create kubernetes:core/v1:Secret storefront-db',
      'read kubernetes:core/v1:ConfigMap cluster-info',
      'same kubernetes:core/v1:Namespace shop',
      'delete kubernetes:core/v1:PersistentVolumeClaim orders-data',
    ]);
    const deployment = report.changes[1];
    expect(deployment.properties.map((p) => [p.path, p.before, p.after])).toEqual([
      ['spec.replicas', 2, 3],
      ['spec.template.spec.containers[0].image', 'ghcr.io/acme/storefront:2.4.0', 'ghcr.io/acme/storefront:2.4.1'],
    ]);
    expect(report.environment).toBeUndefined();
    expect(report.diagnostics.map((d) => d.severity)).toEqual(['warning']);
  });

  it('GIVEN a serialized secret as a Secret\'s stringData and a provider kubeconfig WHEN rendered THEN no format shows them or the signature', () => {
    const secret = report.changes.find((c) => c.name === 'storefront-db');
    expect(secret?.after?.stringData).toBe('[secret]');
    for (const text of allFormats(report)) {
      expect(text).not.toContain('v1:AAAA');
      expect(text).not.toContain(SECRET_SIGNATURE);
      expect(text).not.toContain('"status"');
    }
  });
});

describe('Azure and GCP resources (fixture multi-cloud)', () => {
  const report = auditFixture('multi-cloud');

  it('GIVEN import, discard, a quiet refresh and a replaced database of unknown type WHEN audited THEN the refresh is no change and nothing is flagged', () => {
    expect(report.findings).toEqual([]);
    expect(report.changes.map((c) => `${c.op} ${c.name}`)).toEqual(['create rg', 'update events', 'create ingest', 'import archive', 'discard legacy', 'replace orders']);
    expect(report.changes[5].properties.map((p) => [p.path, p.replace])).toEqual([['databaseVersion', true]]);
  });

  it('GIVEN archives and resource references WHEN reported THEN they read as such, not as secrets', () => {
    const fn = report.changes.find((c) => c.name === 'ingest');
    expect(fn?.after?.sourceArchiveObject).toBe('archive(file ./ingest, hash 9f86d081884c)');
    expect(fn?.after?.sourceArchiveBucket).toBe('resource(urn:pulumi:prod::data::gcp:storage/bucket:Bucket::events, id acme-events)');
    expect(fn?.after?.environmentVariables).toEqual({ API_TOKEN: '[secret]', MODE: 'batch' });
    expect(fn?.after?.maxInstances).toBe(1e21);
  });

  it('GIVEN nested arrays and an unknown WHEN rendered THEN the deepest change shows and every format reads "(known after apply)"', () => {
    expect(report.changes[1].properties.map((p) => p.path)).toEqual(['lifecycleRules', 'versioning.enabled']);
    for (const text of allFormats(report)) {
      expect(text).toContain('(known after apply)');
      expect(text).not.toContain(UNKNOWN);
    }
  });
});

describe('serialized property values', () => {
  const S = SECRET_SIGNATURE;
  it.each([
    ['a secret', { [S]: '1b47061264138c4ac30d75fd1eb44270', ciphertext: 'xyz' }, '[secret]'],
    ['a signature this code does not know', { [S]: 'ffffffffffffffffffffffffffffffff', value: 'x' }, '[secret]'],
    ['an inline text asset', { [S]: 'c44067f5952c0a294b673a41bacd8c17', hash: 'abcdef0123456789', text: 'print("hi")' }, 'asset(inline text, 11 characters, hash abcdef012345)'],
    ['a remote archive', { [S]: '0def7320c3a5731c473e5ecbe6d01bc7', uri: 'https://example.com/a.zip' }, 'archive(https://example.com/a.zip)'],
    ['an archive of assets', { [S]: '0def7320c3a5731c473e5ecbe6d01bc7', assets: { a: {}, b: {} } }, 'archive(2 entries)'],
    ['a resource reference created in this run', { [S]: '5cf8f73096256a8f31e491e813e4eb8e', urn: `${P}aws:iam/role:Role::r`, id: UNKNOWN }, `resource(${P}aws:iam/role:Role::r)`],
    ['a secret output value', { [S]: 'd0e6a833031e9bbcd3f4e8bde6ca49a4', value: 'hunter2', secret: true }, '[secret]'],
    ['an unknown output value', { [S]: 'd0e6a833031e9bbcd3f4e8bde6ca49a4' }, UNKNOWN],
    ['a known output value', { [S]: 'd0e6a833031e9bbcd3f4e8bde6ca49a4', value: { a: 1 } }, { a: 1 }],
    ['a string that is not UTF-8', { [S]: '803fd3297a5875dc03ca845dda5d2a98', value: 'AAECAw==' }, '(binary, 4 bytes)'],
    ['a NaN', { [S]: '8ad145fe-0d11-4827-bfd7-1abcbf086f5c', value: '7ff8000000000001' }, 'NaN'],
    ['an infinity', { [S]: '8ad145fe-0d11-4827-bfd7-1abcbf086f5c', value: 'fff0000000000000' }, '-Infinity'],
  ])('GIVEN %s WHEN sanitized THEN it prints as expected', (_what, value, expected) => {
    expect(sanitize({ v: value })).toEqual({ v: expected });
  });
});

describe('what surrounds the JSON', () => {
  it('GIVEN a byte-order mark and CRLF line ends WHEN parsed THEN the digest equals the plain file', () => {
    const plain = parsePreview(RISKY, 'p.json');
    expect(parsePreview(`\uFEFF${RISKY.replace(/\n/g, '\r\n')}`, 'p.json')).toEqual(plain);
  });

  it('GIVEN UTF-16 with a byte-order mark (Windows PowerShell >) WHEN read THEN it decodes like UTF-8', () => {
    const le = path.join(tmp, 'le.json');
    fs.writeFileSync(le, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(RISKY, 'utf16le')]));
    expect(readPreviewFile(le)).toEqual(parsePreview(RISKY, 'p.json'));
    const be = Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from('{"steps": []}', 'utf16le').swap16()]);
    expect(decodePreviewBytes(be)).toBe('{"steps": []}');
  });

  it('GIVEN a warning printed before the JSON (2>&1) WHEN parsed THEN exit-2 message names the line found and where the JSON starts', () => {
    expect(errorOf(`warning: A new version of Pulumi is available. To upgrade from version '3.100.0' to '3.130.0', run\n   $ brew upgrade pulumi\n${RISKY}`)).toBe(
      'p.json: line 1 is not JSON ("warning: A new version of Pulumi is available. To upgrade..."); the JSON starts at line 3. Save only the standard output of `pulumi preview --json` (its warnings go to stderr: no 2>&1) and audit that',
    );
  });

  it('GIVEN an error printed after the JSON WHEN parsed THEN the message names both lines', () => {
    expect(errorOf('{\n    "steps": [],\n    "changeSummary": {}\n}\nerror: update failed\n')).toBe(
      'p.json: the JSON ends at line 4 but more text follows at line 5 ("error: update failed"). Save only the standard output of `pulumi preview --json` (its messages go to stderr: no 2>&1) and audit that',
    );
  });

  it.each([
    ['a stack export', { version: 3, deployment: { manifest: {}, resources: [] } }, 'a stack state export (`pulumi stack export`): it holds the current state, not the planned changes'],
    ["Pulumi's summary line", { result: 'succeeded', duration: 1, summary: { create: 1 } }, "Pulumi's one-line summary (result, summary): it counts operations but lists no steps or diffs"],
    ['platform plan --json', { resources: [], findings: [] }, 'the output of `platform plan --json` (resources and findings of an offline run), not a preview'],
    ['an audit report', { source: 'p.json', findings: [], changes: [] }, 'a report written by `platform audit --format json`, not a preview'],
  ])('GIVEN %s WHEN parsed THEN the error says what the file is', (_what, doc, what) => {
    expect(errorOf(JSON.stringify(doc))).toBe(`p.json: expected the JSON printed by \`pulumi preview --json\`, got ${what}`);
  });
});

describe('previews without steps', () => {
  it('GIVEN a preview that failed before any step (config and diagnostics only) WHEN audited THEN it is no no-op: a high finding says the review is incomplete', () => {
    const report = auditPreview(parsePreview(JSON.stringify({
      config: { 'aws:region': 'eu-west-1' },
      diagnostics: [{ message: "error: Missing required configuration variable 'app:dbName'\n    please set a value using the command `pulumi config set app:dbName <value>`\n", severity: 'error' }],
      duration: 1500000000,
    }), 'p.json'));
    expect(report.noOp).toBe(false);
    expect(report.failed).toBe(true);
    expect(report.findings.map((f) => [f.severity, f.id, f.resource])).toEqual([['high', 'preview-incomplete', '(preview)']]);
    expect(report.findings[0].message).toBe("Pulumi reported an error: the preview stopped early, so changes after it are missing from this review (error: Missing required configuration variable 'app:dbName' please set a value using the command `pulumi config set app:dbName <value>`)");
    const md = renderMarkdown(report, 'p.json');
    expect(md).toContain('**No changes listed. Findings: 1 high.**');
    expect(md).not.toContain('| resource type |');
    expect(md).toContain('## Changes\n\nNo changes listed.\n');
  });

  it('GIVEN a no-op whose diagnostics have fields of the wrong type WHEN rendered THEN string fields are kept, nothing throws and the warnings show', () => {
    const report = auditPreview(toPreviewDigest({ steps: [], diagnostics: [{ message: 42, severity: 'warning', urn: null }, 'stray', { message: 'warning: deprecated\n', severity: 'warning' }] }));
    expect(report.diagnostics).toEqual([{ severity: 'warning' }, { message: 'warning: deprecated\n', severity: 'warning' }]);
    expect(report.noOp).toBe(true);
    // A no-op still shows its warnings.
    expect(renderMarkdown(report, 'p.json')).toContain('## Diagnostics\n\n- **warning**: \n- **warning**: warning: deprecated\n');
    expect(renderHtml(report, 'p.json')).toContain('<li><strong>warning</strong>: warning: deprecated</li>');
  });

  it('GIVEN changeSummary counts changes but steps are missing WHEN parsed THEN it is refused: nothing could be reviewed', () => {
    expect(errorOf('{"changeSummary": {"create": 3, "same": 2}}')).toBe(
      'p.json: changeSummary counts changes (create: 3) but "steps" lists none, so there is nothing to review (pass the whole output of `pulumi preview --json`)',
    );
  });

  it('GIVEN steps: [] or only unchanged counts WHEN audited THEN the report is a no-op', () => {
    for (const text of ['{"steps": [], "changeSummary": {}}', '{"changeSummary": {"same": 42}}']) {
      const report = auditPreview(parsePreview(text, 'p.json'));
      expect([report.noOp, report.findings.length, report.changes.length]).toEqual([true, 0, 0]);
    }
  });
});

describe('engine events (PULUMI_ENABLE_STREAMING_JSON_PREVIEW, --event-log, the Cloud API)', () => {
  const BUCKET = `${P}aws:s3/bucket:Bucket::logs`;
  const KEY = `${P}aws:kms/key:Key::data`;
  const state = (urn: string, type: string, inputs: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({ type, urn, id: '', parent: '', provider: '', inputs, outputs: {}, ...extra });
  const events = [
    { sequence: 0, timestamp: 1, preludeEvent: { config: { 'aws:region': 'eu-west-1' } } },
    { sequence: 1, timestamp: 1, resourcePreEvent: { metadata: { op: 'create', urn: BUCKET, type: 'aws:s3/bucket:Bucket', old: null, new: state(BUCKET, 'aws:s3/bucket:Bucket', { bucket: 'logs' }), detailedDiff: null, provider: '' } } },
    { sequence: 2, timestamp: 1, diagnosticEvent: { message: 'progress...', color: 'never', severity: 'info', ephemeral: true } },
    { sequence: 3, timestamp: 1, resourcePreEvent: { metadata: { op: 'refresh', urn: KEY, type: 'aws:kms/key:Key', old: state(KEY, 'aws:kms/key:Key', { enableKeyRotation: true }), new: state(KEY, 'aws:kms/key:Key', { enableKeyRotation: true }), detailedDiff: null, provider: '' } } },
    { sequence: 4, timestamp: 2, resOutputsEvent: { metadata: { op: 'update', urn: KEY, type: 'aws:kms/key:Key', old: state(KEY, 'aws:kms/key:Key', { enableKeyRotation: true }), new: state(KEY, 'aws:kms/key:Key', { enableKeyRotation: false }), diffs: ['enableKeyRotation'], detailedDiff: { enableKeyRotation: { diffKind: 'update', inputDiff: true } }, provider: '' } } },
    { sequence: 5, timestamp: 2, policyEvent: { resourceUrn: BUCKET, message: 'Bucket must block public access.', color: 'never', policyName: 's3-no-public', policyPackName: 'baseline', policyPackVersion: '1', policyPackVersionTag: '1', enforcementLevel: 'mandatory' } },
    { sequence: 6, timestamp: 3, summaryEvent: { maybeCorrupt: false, durationSeconds: 2, resourceChanges: { create: 1, update: 1 }, PolicyPacks: {}, isPreview: true } },
  ];

  it('GIVEN newline-delimited events WHEN audited THEN they read as the digest Pulumi would print: refresh drift as an update, policy violations as errors', () => {
    const report = auditPreview(parsePreview(`${events.map((e) => JSON.stringify(e)).join('\n')}\n`, 'p.ndjson'));
    expect(report.changes.map((c) => `${c.op} ${c.name}`)).toEqual(['create logs', 'update data']);
    expect(summarize(report)).toEqual(['high kms-key-rotation data', 'high kms-rotation-disabled data', 'high preview-incomplete logs']);
    expect(report.diagnostics).toEqual([{ urn: BUCKET, message: 'policy baseline/s3-no-public (mandatory): Bucket must block public access.', severity: 'error' }]);
    expect(report.operations).toEqual([['create', 1], ['update', 1]]);
  });

  it('GIVEN the Cloud API shape {"events": [...]} WHEN parsed THEN it is read the same way', () => {
    expect(auditPreview(toPreviewDigest({ events })).changes.map((c) => c.op)).toEqual(['create', 'update']);
  });

  it('GIVEN a stream cut mid-line WHEN parsed THEN the error names the line', () => {
    const text = `${JSON.stringify(events[0])}\n${JSON.stringify(events[1])}\n{"sequence": 2, "resourcePre`;
    expect(errorOf(text)).toMatch(/^p\.json: line 3: not valid JSON in a stream of Pulumi engine events \(/);
  });
});

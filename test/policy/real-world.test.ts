/**
 * What real trees of manifests and public policy suites hold, in small self-written fixtures:
 * Helm templates and values, kustomize patches, JSON config files, symlinks, YAML that Go's readers
 * accept, objects without name or namespace, null fields.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { stringify } from 'yaml';
import { run as check } from '../../cli/commands/check';
import { checkManifests, withoutNullFields } from '../../lib/policy/check';
import { jsonErrorOffset, parseJsonManifests, parseYamlManifests, reindentQuotedContinuations } from '../../lib/policy/manifest-yaml';
import { loadManifests } from '../../lib/policy/manifests';
import { globMatch } from '../../lib/policy/match';
import { PolicySet } from '../../lib/policy/policy-set';
import { runSuite } from '../../lib/policy/verify';
import { userErrorMessage } from '../helpers/errors';
import { HARDENED_POD_SPEC } from './fixtures';

type Obj = Record<string, unknown>;

let root: string;
beforeAll(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'real-world-'));
});
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

/** Writes files (path -> content) under a fresh folder of root; returns the folder. */
function tree(name: string, files: Record<string, string>): string {
  const dir = path.join(root, name);
  for (const [rel, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), content);
  }
  return dir;
}


describe('YAML as Gatekeeper reads it', () => {
  // YAML 1.2 wants continuation lines of a quoted scalar indented deeper than their parent key;
  // Go's yaml (gator, kubectl) accepts them at the key's own indentation.
  const underIndented = ['spec:', '  properties:', '    flag:', '      description: "When true the thing', '      is optional."', '      type: boolean', ''].join('\n');

  it('GIVEN a double-quoted scalar continued at its parent indentation WHEN parsed THEN it loads with the folded value and the next keys intact', () => {
    expect(parseYamlManifests(underIndented, 't.yaml')).toEqual([{ spec: { properties: { flag: { description: 'When true the thing is optional.', type: 'boolean' } } } }]);
  });

  it('GIVEN single-quoted and escaped continuations WHEN parsed THEN quotes and escapes keep their meaning', () => {
    const text = ["a:", "- 'it''s", "  split'", 'b:', '  c: "say \\"hi\\"', '  there"', '  d: 1', ''].join('\n');
    expect(parseYamlManifests(text, 't.yaml')).toEqual([{ a: ["it's split"], b: { c: 'say "hi" there', d: 1 } }]);
  });

  it('GIVEN a quote that never closes WHEN parsed THEN the syntax error stays, with line and column', () => {
    const text = 'a:\n  b: "never closed\nc: 1\n';
    expect(reindentQuotedContinuations(text)).toBe(text);
    expect(userErrorMessage(() => parseYamlManifests(text, 't.yaml'))).toBe('t.yaml: YAML syntax error at line 4, column 1: Missing closing "quote');
  });

  it('GIVEN a duplicate key WHEN parsed THEN the error names the key, line and column', () => {
    expect(userErrorMessage(() => parseYamlManifests('spec:\n  selector: {}\n  replicas: 3\n  selector: {}\n', 'd.yaml'))).toBe(
      'd.yaml: YAML syntax error at line 4, column 3: Map keys must be unique: "selector" appears twice in the same mapping',
    );
  });

  it('GIVEN a mapping used as a key (an unrendered {{ }}) WHEN parsed THEN it is an error naming line and column, not a stringified key', () => {
    expect(userErrorMessage(() => parseYamlManifests('kind: Secret\ndata:\n  config: {{config_data}}\n', 's.yaml'))).toBe(
      's.yaml: line 3, column 12: a mapping key is itself a mapping ({config_data}); Kubernetes objects have string keys',
    );
  });

  it('GIVEN broken JSON WHEN parsed THEN the error names line and column', () => {
    expect(userErrorMessage(() => parseJsonManifests('{\n  "kind": "Pod",\n  "spec": }\n', 'p.json'))).toBe("p.json: JSON syntax error at line 3, column 11: Unexpected token '}'");
    expect(userErrorMessage(() => parseJsonManifests('{"kind": ', 'q.json'))).toBe('q.json: JSON syntax error at line 1, column 10: Unexpected end of JSON input');
    expect(jsonErrorOffset('[1, 2,]')).toBe(6);
    expect(jsonErrorOffset('{"a": "\\u12"}')).toBe(8);
  });
});

describe('directory walks over real-world trees', () => {
  const deployment = (name: string): string => JSON.stringify({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace: 'apps', labels: { 'app.kubernetes.io/name': name } }, spec: { template: { spec: HARDENED_POD_SPEC } } });
  let dir: string;
  beforeAll(() => {
    dir = tree('walk', {
      // A Helm chart: values, templates (one that even parses), a static file in templates/.
      'chart/Chart.yaml': 'apiVersion: v2\nname: web\nversion: 1.0.0\n',
      'chart/values.yaml': 'replicaCount: 2\n',
      'chart/templates/deployment.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: "{{ .Release.Name }}"\n',
      'chart/templates/service.yaml': '{{- if .Values.service }}\napiVersion: v1\nkind: Service\n{{- end }}\n',
      'chart/templates/static.yaml': deployment('static'),
      // A Go template outside a chart, and a manifest whose strings merely contain {{ }}.
      'other/secret-template.yaml': 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\ndata:\n  config: {{config_data}}\n',
      'other/rules.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: rules, namespace: apps}\ndata:\n  summary: "{{ $labels.instance }} is down"\n',
      // kustomize: a base, an overlay whose patches are fragments.
      'kustomize/base/deployment.yaml': deployment('base'),
      'kustomize/overlay/kustomization.yaml': 'resources: [../base]\npatchesStrategicMerge: [replicas.yaml]\npatches:\n- path: patches/memory.yaml\n- patch: |-\n    inline\n',
      'kustomize/overlay/replicas.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: base}\nspec: {replicas: 3}\n',
      'kustomize/overlay/patches/memory.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: base}\nspec: {template: {spec: {containers: [{name: web}]}}}\n',
      // JSON config of a TypeScript project, with comments.
      'tsconfig.json': '{\n  // strict everywhere\n  "compilerOptions": {"strict": true}\n}\n',
      'package.json': '{"name": "apps"}',
    });
  });

  it('GIVEN a tree with a Helm chart, Go templates, kustomize patches and JSON config WHEN walked THEN only real objects load and the rest is skipped by reason', () => {
    const loaded = loadManifests([dir]);
    expect(loaded.objects.map((o) => [path.relative(dir, o.file), o.object.kind])).toEqual([
      [path.join('chart', 'templates', 'static.yaml'), 'Deployment'],
      [path.join('kustomize', 'base', 'deployment.yaml'), 'Deployment'],
      [path.join('other', 'rules.yaml'), 'ConfigMap'],
    ]);
    expect(loaded.skippedFiles.map((f) => [path.relative(dir, f.file), f.reason])).toEqual([
      [path.join('chart', 'Chart.yaml'), 'no-objects'],
      [path.join('chart', 'templates', 'deployment.yaml'), 'template'],
      [path.join('chart', 'templates', 'service.yaml'), 'template'],
      [path.join('chart', 'values.yaml'), 'no-objects'],
      [path.join('kustomize', 'overlay', 'kustomization.yaml'), 'no-objects'],
      [path.join('kustomize', 'overlay', 'patches', 'memory.yaml'), 'kustomize-patch'],
      [path.join('kustomize', 'overlay', 'replicas.yaml'), 'kustomize-patch'],
      [path.join('other', 'secret-template.yaml'), 'template'],
      ['package.json', 'no-objects'],
      ['tsconfig.json', 'not-a-manifest'],
    ]);
  });

  it('GIVEN the same tree WHEN checked THEN exit 0 and the summary counts each reason', async () => {
    const write = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      expect(await check([dir])).toBe(0);
      expect(String(write.mock.calls.at(-1)?.[0])).toMatch(
        /^0 violation\(s\) \(0 deny\) in 3 object\(s\) from 3 file\(s\), \d+ constraint\(s\); skipped 4 files that hold no Kubernetes objects, 3 unrendered templates, 2 kustomize patches, 1 unparseable file without a kind\n$/,
      );
    } finally {
      write.mockRestore();
    }
  });

  it('GIVEN a template named explicitly WHEN loaded THEN it is bad input naming file, line and column, with a hint', () => {
    const file = path.join(dir, 'chart', 'templates', 'service.yaml');
    expect(userErrorMessage(() => loadManifests([file]))).toMatch(
      new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: YAML syntax error at line 1, column \\d+: .+ \\(line 1 has "\\{\\{": if this is an unrendered Helm or Go template, render it first, e.g. with helm template\\)$`),
    );
  });

  it('GIVEN a broken manifest (it has a kind) in a walked tree WHEN loaded THEN it is a file error naming file, line and column, and the walk goes on', () => {
    const broken = tree('broken', { 'a.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: [unclosed\n', 'b.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: b}\n' });
    const loaded = loadManifests([broken]);
    expect(loaded.fileErrors.map((e) => e.message)).toEqual([expect.stringMatching(/a\.yaml: YAML syntax error at line 5, column 1: /)]);
    expect(loaded.objects.map((o) => (o.object.metadata as Obj).name)).toEqual(['b']);
  });

  it('GIVEN a List with a bad item WHEN loaded THEN the error names the item', () => {
    const file = path.join(tree('list', { 'l.yaml': 'apiVersion: v1\nkind: List\nitems:\n- {apiVersion: v1, kind: ConfigMap, metadata: {name: a}}\n- {metadata: {name: b}}\n' }), 'l.yaml');
    expect(userErrorMessage(() => loadManifests([file]))).toBe(`${file}: document 1 items[1]: missing apiVersion and kind (every object needs apiVersion and kind)`);
  });

  it('GIVEN symbolic links to a file and a folder, a link cycle and a file named twice WHEN walked THEN each file is read once', () => {
    const target = tree('link-target', { 'cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm}\n' });
    const linked = tree('links', { 'own.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: own}\n' });
    fs.symlinkSync(path.join(target, 'cm.yaml'), path.join(linked, 'file-link.yaml'));
    fs.symlinkSync(target, path.join(linked, 'dir-link'));
    fs.symlinkSync(linked, path.join(linked, 'loop'));
    const loaded = loadManifests([linked, path.join(linked, 'own.yaml')]);
    expect(loaded.objects.map((o) => [path.relative(linked, o.file), (o.object.metadata as Obj).name])).toEqual([
      [path.join('dir-link', 'cm.yaml'), 'cm'],
      ['file-link.yaml', 'cm'],
      ['own.yaml', 'own'],
    ]);
  });

  it('GIVEN a dangling symbolic link WHEN walked or named THEN the error says so', () => {
    const dangling = tree('dangling', {});
    fs.mkdirSync(dangling);
    fs.symlinkSync(path.join(dangling, 'gone.yaml'), path.join(dangling, 'link.yaml'));
    const link = path.join(dangling, 'link.yaml');
    const message = `${link}: broken symbolic link (its target ${path.join(dangling, 'gone.yaml')} does not exist)`;
    expect(loadManifests([dangling]).fileErrors).toEqual([{ file: link, message }]);
    expect(userErrorMessage(() => loadManifests([link]))).toBe(message);
  });
});

describe('objects as admission sees them', () => {
  it('GIVEN an object with only generateName and no namespace WHEN checked THEN it is reported by generateName* with no namespace', () => {
    const dir = tree('generate-name', { 'job.yaml': JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { generateName: 'migrate-' }, spec: { ...HARDENED_POD_SPEC, hostNetwork: true } }) });
    const { violations } = checkManifests([dir]);
    expect(violations.filter((v) => v.constraint === 'host-namespaces').map((v) => [v.kind, v.namespace, v.name])).toEqual([['Pod', '', 'migrate-*']]);
  });

  it('GIVEN empty (null) fields, as an empty `annotations:` in YAML WHEN checked THEN they count as absent, not as evaluation errors', () => {
    const deployment = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', namespace: 'apps', labels: { 'app.kubernetes.io/name': 'web' }, annotations: null },
      spec: { template: { metadata: { labels: null }, spec: { ...HARDENED_POD_SPEC, initContainers: null, hostNetwork: null } } },
    };
    const text = stringify(deployment, { nullStr: '' });
    expect(text).toContain('\n  annotations:\n');
    const dir = tree('nulls', { 'web.yaml': text });
    expect(checkManifests([dir]).violations).toEqual([]);
    expect(withoutNullFields({ a: null, b: [null, { c: null, d: 1 }] })).toEqual({ b: [null, { d: 1 }] });
  });
});

describe('Gatekeeper match details', () => {
  const template = (kind = 'TestPolicy', name = kind.toLowerCase(), message = 'denied'): Obj => ({
    apiVersion: 'templates.gatekeeper.sh/v1',
    kind: 'ConstraintTemplate',
    metadata: { name },
    spec: { crd: { spec: { names: { kind } } }, targets: [{ target: 'admission.k8s.gatekeeper.sh', code: [{ engine: 'K8sNativeValidation', source: { validations: [{ expression: 'false', message }] } }] }] },
  });
  const set = (match: Obj): PolicySet => new PolicySet([{ object: template(), where: 't' }], [{ object: { apiVersion: 'constraints.gatekeeper.sh/v1beta1', kind: 'TestPolicy', metadata: { name: 'c' }, spec: { match } }, where: 'c' }]);
  const pod = (metadata: Obj): Obj => ({ apiVersion: 'v1', kind: 'Pod', metadata });
  const denied = (s: PolicySet, object: Obj): boolean => s.review({ object }).length > 0;

  it('GIVEN a *infix* glob WHEN matching namespaces THEN it matches names containing the infix (Gatekeeper pkg/wildcard)', () => {
    expect([globMatch('*system*', 'kube-system-x'), globMatch('*system*', 'kube-public'), globMatch('kube-*', 'kube-system'), globMatch('*-system', 'gatekeeper-system'), globMatch('*', '')]).toEqual([true, false, true, true, true]);
    const s = set({ excludedNamespaces: ['*system*'] });
    expect([denied(s, pod({ name: 'p', namespace: 'my-system-ns' })), denied(s, pod({ name: 'p', namespace: 'apps' }))]).toEqual([false, true]);
  });

  it('GIVEN match.name WHEN an object has only a generateName THEN prefix globs match it and exact names do not', () => {
    expect(denied(set({ name: 'migrate-*' }), pod({ generateName: 'migrate-', namespace: 'apps' }))).toBe(true);
    expect(denied(set({ name: '*grat*' }), pod({ generateName: 'migrate-', namespace: 'apps' }))).toBe(true);
    expect(denied(set({ name: 'migrate-' }), pod({ generateName: 'migrate-', namespace: 'apps' }))).toBe(false);
    expect(denied(set({ name: '*-x' }), pod({ generateName: 'migrate-x', namespace: 'apps' }))).toBe(false);
  });

  it('GIVEN an object that names no namespace WHEN matching THEN namespace criteria do not exclude it and scope Namespaced does not match it (as gator)', () => {
    const noNamespace = pod({ name: 'p' });
    expect([denied(set({ namespaces: ['apps'] }), noNamespace), denied(set({ excludedNamespaces: ['*'] }), noNamespace), denied(set({ scope: 'Namespaced' }), noNamespace), denied(set({ scope: 'Cluster' }), noNamespace)]).toEqual([
      true,
      true,
      false,
      true,
    ]);
  });

  it('GIVEN two different input templates for one kind WHEN checked THEN bad input naming both; the same template twice is fine', () => {
    const a = JSON.stringify(template('DupPolicy', 'dup-a'));
    const dir = tree('duplicates', { 'a.json': a, 'b.json': JSON.stringify(template('DupPolicy', 'dup-b')), 'c.json': a });
    expect(userErrorMessage(() => checkManifests([dir]))).toBe(
      `${path.join(dir, 'b.json')}: document 1: ConstraintTemplate "dup-b" defines kind DupPolicy, already defined differently by ConstraintTemplate "dup-a" at ${path.join(dir, 'a.json')}: document 1`,
    );
    expect(checkManifests([path.join(dir, 'a.json'), path.join(dir, 'c.json')]).violations).toEqual([]);
  });
});

describe('platform verify on library-style suites', () => {
  it('GIVEN a CEL template with an under-indented quoted description and a Rego-only template WHEN verified THEN the CEL cases run and the Rego ones are skipped', () => {
    const cel = [
      'apiVersion: templates.gatekeeper.sh/v1',
      'kind: ConstraintTemplate',
      'metadata:',
      '  name: nolatest',
      'spec:',
      '  crd:',
      '    spec:',
      '      names:',
      '        kind: NoLatest',
      '      validation:',
      '        openAPIV3Schema:',
      '          properties:',
      '            exempt:',
      '              type: boolean',
      '              description: "When set to `true` the check',
      '              is off."',
      '  targets:',
      '    - target: admission.k8s.gatekeeper.sh',
      '      code:',
      '        - engine: K8sNativeValidation',
      '          source:',
      '            validations:',
      '              - expression: "object.spec.containers.all(c, !c.image.endsWith(\':latest\'))"',
      '                message: "latest is not a version"',
      '',
    ].join('\n');
    const dir = tree('suites', {
      'cel/template.yaml': cel,
      'cel/constraint.yaml': 'apiVersion: constraints.gatekeeper.sh/v1beta1\nkind: NoLatest\nmetadata: {name: no-latest}\n',
      'cel/ok.yaml': 'apiVersion: v1\nkind: Pod\nmetadata: {name: ok}\nspec: {containers: [{name: c, image: "x:1"}]}\n',
      'cel/bad.yaml': 'apiVersion: v1\nkind: Pod\nmetadata: {name: bad}\nspec: {containers: [{name: c, image: "x:latest"}]}\n',
      'cel/suite.yaml':
        'apiVersion: test.gatekeeper.sh/v1alpha1\nkind: Suite\ntests:\n- name: t\n  template: template.yaml\n  constraint: constraint.yaml\n  cases:\n  - {name: ok, object: ok.yaml, assertions: [{violations: no}]}\n  - {name: bad, object: bad.yaml, assertions: [{violations: 1, message: latest}]}\n',
      'rego/template.yaml': 'apiVersion: templates.gatekeeper.sh/v1\nkind: ConstraintTemplate\nmetadata: {name: regoonly}\nspec:\n  crd: {spec: {names: {kind: RegoOnly}}}\n  targets:\n  - target: admission.k8s.gatekeeper.sh\n    rego: |\n      package regoonly\n',
      'rego/constraint.yaml': 'apiVersion: constraints.gatekeeper.sh/v1beta1\nkind: RegoOnly\nmetadata: {name: r}\n',
      'rego/suite.yaml': 'apiVersion: test.gatekeeper.sh/v1alpha1\nkind: Suite\ntests:\n- name: t\n  template: template.yaml\n  constraint: constraint.yaml\n  cases:\n  - {name: any, object: ../cel/ok.yaml, assertions: [{violations: no}]}\n',
    });
    expect(runSuite(path.join(dir, 'cel', 'suite.yaml')).map((r) => [r.case, r.status])).toEqual([
      ['ok', 'ok'],
      ['bad', 'ok'],
    ]);
    expect(runSuite(path.join(dir, 'rego', 'suite.yaml')).map((r) => [r.case, r.status, r.detail])).toEqual([['any', 'skip', 'template has no K8sNativeValidation code']]);
  });
});

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { compileTemplate } from '../../lib/policy/engine';
import { INVENTORY_RULES } from '../../lib/policy/inventory-rules';
import { loadPolicyLibrary, POLICY_LIBRARY_DIR } from '../../lib/policy/library';
import { loadManifests } from '../../lib/policy/manifests';
import { expandSuiteArgs, runSuite } from '../../lib/policy/verify';

const library = loadPolicyLibrary();
const names = (objs: Record<string, unknown>[]): string[] => objs.map((o) => (o.metadata as { name: string }).name);

describe('policy library', () => {
  it('GIVEN policies/ WHEN loaded THEN at least 20 CEL templates and one constraint per folder, sorted by name', () => {
    const folders = fs.readdirSync(POLICY_LIBRARY_DIR).filter((f) => fs.existsSync(path.join(POLICY_LIBRARY_DIR, f, 'template.yaml'))).sort();
    expect(library.templates.length).toBeGreaterThanOrEqual(20);
    expect(library.templates).toHaveLength(folders.length);
    expect(names(library.constraints)).toEqual(folders);
    expect(names(library.templates)).toEqual([...names(library.templates)].sort());
    // CEL, except the templates that read other objects (Rego, with an offline equivalent of exactly their Rego).
    const rego = INVENTORY_RULES.map((r) => r.template);
    expect(rego).toEqual(['platformuniqueingresshosts']);
    const engines = library.templates.map((t) => {
      const compiled = compileTemplate(t);
      return [compiled.name, compiled.hasCel, compiled.inventoryRule?.template ?? null];
    });
    expect(engines).toEqual(names(library.templates).map((n) => (rego.includes(n) ? [n, false, n] : [n, true, null])));
  });

  it('GIVEN the library constraints WHEN deployed THEN namespaced ones exclude the system namespaces by name', () => {
    const namespaced = library.constraints.filter((c) => !['no-cluster-admin-bindings', 'no-wildcard-rbac'].includes((c.metadata as { name: string }).name));
    for (const c of namespaced) {
      const excluded = ((c.spec as { match: { excludedNamespaces?: string[] } }).match.excludedNamespaces ?? []).slice(0, 4);
      expect([(c.metadata as { name: string }).name, excluded]).toEqual([(c.metadata as { name: string }).name, ['kube-system', 'kube-public', 'kube-node-lease', 'gatekeeper-system']]);
    }
  });

  it('GIVEN every suite of the library WHEN verified THEN every case passes and every test has an allowed and a disallowed case', () => {
    const suites = expandSuiteArgs([POLICY_LIBRARY_DIR]);
    expect(suites).toHaveLength(library.templates.length);
    const results = suites.flatMap((s) => runSuite(s));
    // The Rego template's suite is for gator verify: this engine skips it (its offline equivalent is tested in unique-ingress-hosts.test.ts).
    const skipped = results.filter((r) => r.status === 'skip');
    expect(new Set(skipped.map((r) => path.relative(POLICY_LIBRARY_DIR, r.suite)))).toEqual(new Set([path.join('unique-ingress-hosts', 'suite.yaml')]));
    expect(skipped.length).toBe(5);
    expect(results.filter((r) => r.status !== 'ok' && r.status !== 'skip')).toEqual([]);
    const byTest = new Map<string, string[]>();
    for (const r of results) byTest.set(`${r.suite}:${r.test}`, [...(byTest.get(`${r.suite}:${r.test}`) ?? []), r.case]);
    for (const [test, cases] of byTest) expect([test, cases.includes('example-allowed') && cases.includes('example-disallowed')]).toEqual([test, true]);
  });
});

describe('manifest loading', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'manifests-'));
    fs.mkdirSync(path.join(dir, 'nested'));
    fs.writeFileSync(path.join(dir, 'a.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n---\n---\napiVersion: v1\nkind: List\nitems:\n- {apiVersion: v1, kind: Secret, metadata: {name: b}}\n');
    fs.writeFileSync(path.join(dir, 'nested', 'b.json'), JSON.stringify([{ apiVersion: 'v1', kind: 'Service', metadata: { name: 'c' } }]));
    fs.writeFileSync(path.join(dir, 'empty.yml'), '');
    fs.writeFileSync(path.join(dir, 'notes.txt'), 'ignored in directories');
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('GIVEN a directory WHEN loaded THEN YAML multi-docs, List items and JSON arrays are expanded and empty files are fine', () => {
    const { objects: objs } = loadManifests([dir]);
    expect(objs.map((o) => [path.relative(dir, o.file), o.document, o.object.kind])).toEqual([
      ['a.yaml', 1, 'ConfigMap'],
      ['a.yaml', 2, 'Secret'],
      [path.join('nested', 'b.json'), 1, 'Service'],
    ]);
  });

  it('GIVEN a directory holding Helm values and Chart.yaml beside manifests WHEN walked THEN those files are skipped and reported, the objects loaded', () => {
    const chart = fs.mkdtempSync(path.join(os.tmpdir(), 'manifests-chart-'));
    fs.mkdirSync(path.join(chart, 'values'));
    fs.writeFileSync(path.join(chart, 'Chart.yaml'), 'apiVersion: v2\nname: web\nversion: 1.0.0\n');
    fs.writeFileSync(path.join(chart, 'values', 'web.yaml'), 'replicaCount: 2\nimage:\n  tag: 1.0.0\n---\nresources: {}\n');
    fs.writeFileSync(path.join(chart, 'package.json'), '{"name": "web"}');
    fs.writeFileSync(path.join(chart, 'empty.yaml'), '');
    fs.writeFileSync(path.join(chart, 'web.yaml'), 'apiVersion: v1\nkind: Service\nmetadata: {name: web}\n');
    try {
      const loaded = loadManifests([chart]);
      expect(loaded.objects.map((o) => [path.relative(chart, o.file), o.object.kind])).toEqual([['web.yaml', 'Service']]);
      expect(loaded.skippedFiles.map((f) => [path.relative(chart, f.file), f.reason])).toEqual([
        ['Chart.yaml', 'no-objects'],
        ['package.json', 'no-objects'],
        [path.join('values', 'web.yaml'), 'no-objects'],
      ]);
      // The same values file named explicitly is read strictly.
      const values = path.join(chart, 'values', 'web.yaml');
      expect(() => loadManifests([values])).toThrow(`${values}: document 1: missing apiVersion and kind (every object needs apiVersion and kind)`);
    } finally {
      fs.rmSync(chart, { recursive: true, force: true });
    }
  });

  it('GIVEN a walked file mixing objects with a document without kind WHEN loaded THEN it is a file error naming file and document', () => {
    const mixed = fs.mkdtempSync(path.join(os.tmpdir(), 'manifests-mixed-'));
    const file = path.join(mixed, 'mixed.yaml');
    fs.writeFileSync(file, 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n---\nreplicaCount: 2\n');
    try {
      expect(loadManifests([mixed]).fileErrors.map((e) => e.message)).toEqual([`${file}: document 2: missing apiVersion and kind (every object needs apiVersion and kind)`]);
    } finally {
      fs.rmSync(mixed, { recursive: true, force: true });
    }
  });

  it('GIVEN malformed inputs WHEN loaded THEN one-line errors name the file and document', () => {
    const write = (name: string, content: string | Buffer): string => {
      fs.writeFileSync(path.join(dir, name), content);
      return path.join(dir, name);
    };
    const noKind = write('nokind.yaml', 'apiVersion: v1\nkind: ConfigMap\n---\nmetadata: {name: x}\n');
    expect(() => loadManifests([noKind])).toThrow(`${noKind}: document 2: missing apiVersion and kind`);
    const binary = write('bin.yaml', Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x00, 0x01]));
    expect(() => loadManifests([binary])).toThrow(`${binary}: binary file, expected YAML or JSON text`);
    const badJson = write('bad.json', '{"kind": ');
    expect(() => loadManifests([badJson])).toThrow(`${badJson}: JSON syntax error`);
    expect(() => loadManifests([path.join(dir, 'missing.yaml')])).toThrow('missing.yaml: no such file or directory');
  });
});

import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { readStackConfigFile } from '../lib/config/load';
import { REPO_ROOT } from '../lib/stack';
import { prepareCharts, renderFiles } from '../lib/synth';
import { validateObject, type KubeObject } from '../lib/schema';
import { placeholderInputs, synthesizePlatform } from '../charts';

const prod = readStackConfigFile(path.join(REPO_ROOT, 'Pulumi.prod.yaml'));
const cm = (name: string, namespace: string): KubeObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace }, data: { a: 'b' } });

describe('platform synth output', () => {
  const first = synthesizePlatform(prod, placeholderInputs(prod), { stack: 'prod' });

  test('GIVEN the prod stack WHEN synthesized twice THEN the files are byte-identical', () => {
    const second = synthesizePlatform(prod, placeholderInputs(prod), { stack: 'prod' });
    expect([...second.files.keys()]).toEqual([...first.files.keys()]);
    for (const [file, text] of first.files) expect(second.files.get(file)).toBe(text);
  });

  test('GIVEN the written YAML WHEN parsed back THEN every document equals the synthesized object, in kind-then-namespace-then-name order', () => {
    for (const chart of first.charts) {
      const docs = parseAllDocuments(first.files.get(`${chart.id}.yaml`) as string).map((d) => d.toJS());
      expect(docs).toHaveLength(chart.objects.length);
      expect(new Set(docs.map((d) => JSON.stringify(d)))).toEqual(new Set(chart.objects.map((o) => JSON.stringify(o))));
    }
    const tenants = parseAllDocuments(first.files.get('tenants.yaml') as string).map((d) => d.toJS() as KubeObject);
    expect(tenants.slice(0, 3).map((o) => `${o.kind}/${o.metadata.name}`)).toEqual(['Namespace/checkout', 'Namespace/payments', 'Namespace/search']);
    expect(tenants.at(-1)?.kind).toBe('AppProject');
    expect(first.files.get('tenants.yaml')).not.toMatch(/\d{4}-\d{2}-\d{2}T/);
  });

  test('GIVEN a Deployment with a wrongly typed field WHEN prepared THEN synth fails naming chart, kind/name and field', () => {
    const bad = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'api', namespace: 'payments' }, spec: { replicas: 'two', selector: {}, template: { spec: { containers: [] } } } } as KubeObject;
    expect(() => prepareCharts([{ id: 'tenants', objects: [bad] }])).toThrow('synth: chart tenants: Deployment/payments/api (apps/v1): spec.replicas: must be integer');
  });

  test('GIVEN a NodePool with an unknown field and a bad budget WHEN validated THEN both fields are named', () => {
    const pool = { apiVersion: 'karpenter.sh/v1', kind: 'NodePool', metadata: { name: 'x' }, spec: { template: { spec: { nodeClassRef: { group: 'karpenter.k8s.aws', kind: 'EC2NodeClass', name: 'd' } } }, disruption: { consolidateAfter: '1m', budgets: [{ nodes: 'ten' }] }, weigth: 3 } } as KubeObject;
    expect(validateObject(pool).map((i) => i.path)).toEqual(['spec.disruption.budgets[0].nodes', 'spec.weigth']);
  });

  test('GIVEN a constraint whose parameters break the template schema WHEN validated THEN spec.parameters.<field> is named', () => {
    const template = { apiVersion: 'templates.gatekeeper.sh/v1', kind: 'ConstraintTemplate', metadata: { name: 'k8srepos' }, spec: { crd: { spec: { names: { kind: 'K8sRepos' }, validation: { openAPIV3Schema: { type: 'object', properties: { repos: { type: 'array', items: { type: 'string' } } } } } } }, targets: [{ target: 'admission.k8s.gatekeeper.sh', code: [{ engine: 'K8sNativeValidation', source: {} }] }] } } as KubeObject;
    const constraint = { apiVersion: 'constraints.gatekeeper.sh/v1beta1', kind: 'K8sRepos', metadata: { name: 'repos' }, spec: { enforcementAction: 'deny', parameters: { repos: 'docker.io' } } } as KubeObject;
    expect(() => prepareCharts([{ id: 'gatekeeper-templates', objects: [template] }, { id: 'gatekeeper-constraints', objects: [constraint] }])).toThrow(
      'synth: chart gatekeeper-constraints: K8sRepos/repos (constraints.gatekeeper.sh/v1beta1): spec.parameters.repos: must be an array',
    );
  });

  test('GIVEN the same kind and name in two namespaces WHEN rendered THEN both are kept; GIVEN an exact duplicate THEN synth fails naming both charts', () => {
    const files = renderFiles([{ id: 'a', objects: [cm('settings', 'x'), cm('settings', 'y')] }], {}, 'h');
    expect((files.get('a.yaml') as string).match(/name: settings/g)).toHaveLength(2);
    expect(() => prepareCharts([{ id: 'a', objects: [cm('settings', 'x')] }, { id: 'b', objects: [cm('settings', 'x')] }])).toThrow(
      'synth: chart b: ConfigMap/x/settings is also defined by chart a',
    );
  });

  test('GIVEN an object of a kind without a schema WHEN validated THEN it is refused', () => {
    expect(validateObject({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w', namespace: 'n' } })[0].message).toMatch(/^no schema for example.com\/v1 Widget/);
  });
});

describe('platform synth CLI', () => {
  const cli = path.join(REPO_ROOT, 'bin/platform.js');

  test('GIVEN --stack dev WHEN run twice THEN it exits 0, prints counts, and writes identical files', () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'synth-'));
    const run = () => spawnSync(process.execPath, [cli, 'synth', '--stack', 'dev', '--out', path.join(out, 'dev')], { cwd: REPO_ROOT, encoding: 'utf8' });
    const a = run();
    expect(a.status).toBe(0);
    expect(a.stdout).toMatch(/tenants\.yaml\s+20 objects/);
    const before = fs.readFileSync(path.join(out, 'dev', 'karpenter.yaml'), 'utf8');
    expect(run().status).toBe(0);
    expect(fs.readFileSync(path.join(out, 'dev', 'karpenter.yaml'), 'utf8')).toBe(before);
    expect(fs.readdirSync(path.join(out, 'dev', 'values')).sort()).toEqual([
      'argocd.yaml', 'aws-load-balancer-controller.yaml', 'external-dns.yaml', 'external-secrets.yaml', 'gatekeeper.yaml', 'karpenter.yaml',
      'kube-prometheus-stack.yaml', 'x509-certificate-exporter.yaml',
    ]);
    fs.rmSync(out, { recursive: true, force: true });
  });

  test('GIVEN an unknown stack WHEN run THEN it exits 2 with one line naming the stack', () => {
    const r = spawnSync(process.execPath, [cli, 'synth', '--stack', 'nope'], { cwd: REPO_ROOT, encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('no stack named "nope"');
  });
});

/**
 * policies/unique-ingress-hosts is Rego (it reads the cluster's other Ingresses, which only Gatekeeper's
 * Rego engine can). This engine does not run Rego: what is tested here is its offline equivalent
 * (lib/policy/inventory-rules.ts), against the cases of the template's own suite (the ones `gator verify`
 * runs against the Rego), and how `platform check` uses it.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { dump, load } from 'js-yaml';
import { checkManifests } from '../../lib/policy/check';
import { Inventory, regoSource, sha256, UNIQUE_INGRESS_HOSTS } from '../../lib/policy/inventory-rules';
import { POLICY_LIBRARY_DIR } from '../../lib/policy/library';
import { parseManifestText } from '../../lib/policy/manifests';
import { PolicySet } from '../../lib/policy/policy-set';
import { checkAssertion } from '../../lib/policy/verify';

type Obj = Record<string, unknown>;

const DIR = path.join(POLICY_LIBRARY_DIR, 'unique-ingress-hosts');
const read = (file: string): Obj[] => parseManifestText(fs.readFileSync(path.join(DIR, file), 'utf8'), file) as Obj[];
const template = read('template.yaml')[0];

function ingress(namespace: string | undefined, name: string, hosts: string[], tlsHosts: string[] = hosts, apiVersion = 'networking.k8s.io/v1'): Obj {
  return {
    apiVersion,
    kind: 'Ingress',
    metadata: { name, ...(namespace === undefined ? {} : { namespace }) },
    spec: { tls: [{ hosts: tlsHosts }], rules: hosts.map((host) => ({ host })) },
  };
}

describe('GIVEN the suite written for the Rego (suite.yaml)', () => {
  const suite = load(fs.readFileSync(path.join(DIR, 'suite.yaml'), 'utf8')) as { tests: { name: string; constraint: string; cases: { name: string; object: string; inventory: string[]; assertions: Obj[] }[] }[] };
  const cases = suite.tests.flatMap((t) => t.cases.map((c) => [t.name, c.name, t.constraint, c] as const));

  it('THEN it has cases on both sides for each test', () => {
    expect(cases.map(([test, name]) => `${test}/${name}`)).toEqual(['claims/example-allowed', 'claims/example-disallowed', 'claims/tls-claim', 'exemptions/example-allowed', 'exemptions/example-disallowed']);
  });

  it.each(cases)('WHEN case %s/%s is judged by the offline equivalent with the case\'s inventory THEN its assertions hold', (_test, _name, constraint, c) => {
    const policies = new PolicySet([{ object: template, where: 'template.yaml' }], [{ object: read(constraint)[0], where: constraint }]);
    expect(policies.equivalentTemplates).toEqual(['platformuniqueingresshosts']);
    const inventory = new Inventory(c.inventory.flatMap(read));
    const violations = policies.review({ object: read(c.object)[0] }, undefined, inventory);
    expect(c.assertions.map((a, i) => checkAssertion(a, violations, `assertion ${i}`))).toEqual(c.assertions.map(() => undefined));
  });
});

describe('GIVEN the offline equivalent of the Rego', () => {
  it('THEN it stands for the library template\'s Rego exactly (its SHA-256)', () => {
    expect(sha256(regoSource(template) as string)).toBe(UNIQUE_INGRESS_HOSTS.regoSha256);
  });

  it('WHEN an input template of that name carries other Rego THEN it is skipped like any Rego template, never judged by the equivalent', () => {
    const source = regoSource(template) as string;
    const edited = JSON.parse(JSON.stringify(template).replace(JSON.stringify(source).slice(1, -1), JSON.stringify(source.replace('other_namespace != namespace', 'true')).slice(1, -1))) as Obj;
    expect(regoSource(edited)).not.toBe(source);
    const policies = new PolicySet([{ object: edited, where: 'edited' }], []);
    expect([policies.skippedTemplates, policies.equivalentTemplates]).toEqual([['platformuniqueingresshosts'], []]);
  });

  it.each([
    ['the same host in the same namespace', [ingress('a', 'one', ['x.example.com']), ingress('a', 'two', ['x.example.com'])], []],
    ['a host in another namespace\'s TLS only', [ingress('a', 'one', ['x.example.com']), ingress('b', 'two', ['y.example.com'], ['x.example.com'])], ['host x.example.com is claimed by Ingress b/two too: two namespaces may not claim one host name']],
    ['two other namespaces, each message once', [ingress('a', 'one', ['x.example.com']), ingress('b', 'two', ['x.example.com']), ingress('c', 'three', ['x.example.com', 'x.example.com'])], ['host x.example.com is claimed by Ingress b/two too: two namespaces may not claim one host name', 'host x.example.com is claimed by Ingress c/three too: two namespaces may not claim one host name']],
    ['an Ingress without namespace (not in the replicated data, which is keyed by namespace)', [ingress('a', 'one', ['x.example.com']), ingress(undefined, 'two', ['x.example.com'])], []],
    ['an Ingress of another API group', [ingress('a', 'one', ['x.example.com']), ingress('b', 'two', ['x.example.com'], ['x.example.com'], 'example.com/v1')], []],
    ['an empty host', [ingress('a', 'one', [''], ['']), ingress('b', 'two', [''], [''])], []],
  ])('WHEN the inventory holds %s THEN the first Ingress gets exactly the expected messages', (_, objects, expected) => {
    expect(UNIQUE_INGRESS_HOSTS.violations(objects[0], new Inventory(objects))).toEqual(expected);
  });
});

describe('GIVEN platform check over files (in process)', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'unique-hosts-'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('WHEN two files claim one host from two namespaces, one of them exempted by a constraint among the inputs THEN only the other is reported, and the exemption is counted', () => {
    const constraint = {
      apiVersion: 'constraints.gatekeeper.sh/v1beta1',
      kind: 'PlatformUniqueIngressHosts',
      metadata: { name: 'unique-ingress-hosts' },
      spec: { match: { kinds: [{ apiGroups: ['networking.k8s.io'], kinds: ['Ingress'] }] }, parameters: { exemptions: [{ namespace: 'b', names: ['two'], reason: 'migration' }] } },
    };
    const files = { 'c.yaml': constraint, 'one.yaml': ingress('a', 'one', ['x.example.com']), 'two.yaml': ingress('b', 'two', ['x.example.com']) };
    for (const [name, o] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), dump(o));
    const result = checkManifests(Object.keys(files).map((f) => path.join(dir, f)));
    expect(result.violations.filter((v) => v.constraint === 'unique-ingress-hosts').map((v) => `${v.namespace}/${v.name}: ${v.message}`)).toEqual([
      'a/one: host x.example.com is claimed by Ingress b/two too: two namespaces may not claim one host name',
    ]);
    expect(result.exemptions.filter((e) => e.constraint === 'unique-ingress-hosts').map((e) => e.skipped)).toEqual([1]);
    expect(result.equivalentTemplates).toEqual([{ template: 'platformuniqueingresshosts', objects: 1 }]);
  });
});

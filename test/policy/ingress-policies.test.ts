/**
 * The ingress policies (policies/tenant-hosts, ingress-scheme, ingress-tls, ingress-classes,
 * internal-load-balancers, unique-ingress-hosts) as a stack deploys them: the host rule held to the
 * model's hostAllowed, the stack parameters, Gatekeeper's sync Config, and what `platform check --stack`
 * says about a tenant's manifests, through the CLI.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { dump } from 'js-yaml';
import { stackConstraints } from '../../charts/gatekeeper/chart';
import { gatekeeperSyncConfig, syncedKinds, syncRequirements } from '../../charts/gatekeeper/sync';
import { readStackConfigFile } from '../../lib/config/load';
import { loadPolicyLibrary } from '../../lib/policy/library';
import { PolicySet } from '../../lib/policy/policy-set';
import { REPO_ROOT } from '../../lib/paths';
import { hostAllowed, ingressPolicyNamespaces } from '../../model/ingress';
import { platform } from '../helpers/cli';
import { userErrorMessage } from '../helpers/errors';

type Obj = Record<string, unknown>;

const library = loadPolicyLibrary();
const template = (name: string): Obj => library.templates.find((t) => (t.metadata as { name: string }).name === name) as Obj;
const config = (stack: 'dev' | 'prod') => readStackConfigFile(path.join(REPO_ROOT, `Pulumi.${stack}.yaml`));

function ingress(namespace: string, name: string, hosts: string[], extra: { className?: string; annotations?: Record<string, string> } = {}): Obj {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: { name, namespace, annotations: { 'alb.ingress.kubernetes.io/listen-ports': '[{"HTTP": 80}, {"HTTPS": 443}]', ...extra.annotations } },
    spec: {
      ingressClassName: extra.className ?? `alb-internal-${namespace}`,
      tls: [{ hosts }],
      rules: hosts.map((host) => ({ host, http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name, port: { name: 'http' } } } }] } })),
    },
  };
}

describe('GIVEN tenant-hosts with a namespace\'s domains', () => {
  const domains = ['payments.example.com', 'pay.example.org'];
  const policies = new PolicySet(
    [{ object: template('platformtenanthosts'), where: 'tenant-hosts' }],
    [{ object: { apiVersion: 'constraints.gatekeeper.sh/v1beta1', kind: 'PlatformTenantHosts', metadata: { name: 'tenant-hosts' }, spec: { parameters: { namespaces: [{ namespace: 'payments', domains }] } } }, where: 'c' }],
  );
  const outside = (host: string) => policies.review({ object: ingress('payments', 'web', [host]) }).some((v) => v.message.includes('outside namespace payments'));

  // Wildcards are refused by their own rule; this one judges them as hostAllowed does.
  it.each([
    'payments.example.com',
    'shop.payments.example.com',
    'pay.example.org',
    'api.pay.example.org',
    'v2.api.payments.example.com',
    'xpayments.example.com',
    'payments.example.com.evil.net',
    'example.com',
    'search.example.com',
    'shop.search.example.com',
    '.payments.example.com',
    'shop..payments.example.com',
    '*.payments.example.com',
    '*.example.com',
    'Shop.payments.example.com',
    'payments.example.com.',
    'a-b.payments.example.com',
  ])('WHEN an Ingress claims %s THEN the policy refuses it exactly when hostAllowed does', (host) => {
    expect(outside(host)).toBe(!hostAllowed(host, domains));
  });

  it('WHEN the table is taken whole THEN it holds hosts on both sides of the rule', () => {
    const hosts = ['shop.payments.example.com', 'v2.api.payments.example.com'];
    expect(hosts.map((h) => [hostAllowed(h, domains), outside(h)])).toEqual([
      [true, false],
      [false, true],
    ]);
  });
});

describe('GIVEN the stack files', () => {
  it('THEN the ingress policies\' parameters list each tenant namespace with its domains and the classes charts/ingress creates', () => {
    const dev = config('dev');
    expect(ingressPolicyNamespaces(dev)).toEqual([
      {
        namespace: 'payments',
        domains: ['payments.dev.example.com'],
        ingressClasses: [
          { name: 'alb-internal-payments', scheme: 'internal', group: 'payments', sslRedirectPort: 443 },
          { name: 'alb-internet-facing-payments', scheme: 'internet-facing', group: 'payments.internet-facing', sslRedirectPort: 443 },
        ],
      },
      { namespace: 'search', domains: ['search.dev.example.com'], ingressClasses: [{ name: 'alb-internal-search', scheme: 'internal', group: 'search', sslRedirectPort: 443 }] },
    ]);
    expect(ingressPolicyNamespaces({ ...dev, addons: { ...dev.addons, ingress: false } })).toEqual([]);
  });

  it.each(['dev', 'prod'] as const)('THEN %s\'s four ingress constraints carry them, and no other constraint does', (stack) => {
    const parsed = config(stack);
    const constraints = stackConstraints(parsed, library) as { metadata: { name: string }; spec: { parameters?: { namespaces?: unknown } } }[];
    const carrying = constraints.filter((c) => c.spec.parameters?.namespaces !== undefined);
    expect(carrying.map((c) => c.metadata.name).sort()).toEqual(['ingress-classes', 'ingress-scheme', 'ingress-tls', 'tenant-hosts']);
    const expected = ingressPolicyNamespaces(parsed);
    for (const constraint of carrying) expect(constraint.spec.parameters?.namespaces).toEqual(expected);
  });

  it('THEN the sync Config makes Gatekeeper replicate Ingresses, which meets every library template\'s requirement', () => {
    expect(gatekeeperSyncConfig(library.templates)).toEqual({
      apiVersion: 'config.gatekeeper.sh/v1alpha1',
      kind: 'Config',
      metadata: { name: 'config', namespace: 'gatekeeper-system' },
      spec: { sync: { syncOnly: [{ group: 'networking.k8s.io', version: 'v1', kind: 'Ingress' }] } },
    });
    const synced = new Set(syncedKinds(library.templates).map((k) => `${k.group}/${k.version}/${k.kind}`));
    const requirements = library.templates.flatMap((t) => syncRequirements(t));
    expect(requirements).toHaveLength(1);
    for (const r of requirements) expect(r.some((k) => synced.has(`${k.group}/${k.version}/${k.kind}`))).toBe(true);
  });
});

describe('GIVEN sync requirements as Gatekeeper reads them (pkg/cachemanager/parser/syncannotationreader.go at v3.23.0)', () => {
  const annotated = (value: string): Obj => ({ metadata: { name: 't', annotations: { 'metadata.gatekeeper.sh/requires-sync-data': value } } });

  it('WHEN the annotation is wrapped in quotes and newlines, with two clauses THEN any combination of a clause satisfies it, and one already chosen is reused', () => {
    const t = annotated('\n"[[{"groups": ["extensions"], "versions": ["v1beta1"], "kinds": ["Ingress"]}, {"groups": ["networking.k8s.io"], "versions": ["v1"], "kinds": ["Ingress"]}]]"');
    expect(syncRequirements(t)).toEqual([
      [
        { group: 'extensions', version: 'v1beta1', kind: 'Ingress' },
        { group: 'networking.k8s.io', version: 'v1', kind: 'Ingress' },
      ],
    ]);
    const other = annotated('[[{"groups": ["networking.k8s.io"], "versions": ["v1"], "kinds": ["Ingress"]}], [{"groups": [""], "versions": ["v1"], "kinds": ["Namespace"]}]]');
    expect(syncedKinds([other, t])).toEqual([
      { group: '', version: 'v1', kind: 'Namespace' },
      { group: 'networking.k8s.io', version: 'v1', kind: 'Ingress' },
    ]);
  });

  it.each([
    ['not JSON', '[[{', /^ConstraintTemplate t: annotation metadata.gatekeeper.sh\/requires-sync-data: not JSON/],
    ['an unknown key', '[[{"group": ["x"], "versions": ["v1"], "kinds": ["K"]}]]', /requirement 0 clause 0 must be \{groups, versions, kinds\}, each a non-empty list of strings \(got \{"group":\["x"\],"versions":\["v1"\],"kinds":\["K"\]\}\)$/],
    ['an empty requirement', '[[]]', /requirement 0 must be a non-empty list of clauses$/],
  ])('WHEN it holds %s THEN it is bad input naming the template', (_, value, message) => {
    expect(userErrorMessage(() => syncRequirements(annotated(value)))).toMatch(message);
  });
});

describe('GIVEN a tenant\'s manifests checked against prod through the CLI (platform check --stack prod)', () => {
  let dir: string;
  const file = (name: string) => path.join(dir, name);
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ingress-policies-'));
    const write = (name: string, o: Obj) => fs.writeFileSync(file(name), dump(o));
    // prod: payments (payments.example.com, internal only), search (search.example.com, internal only), checkout (checkout.example.com, may face the internet).
    write('a-shop.yaml', ingress('payments', 'shop', ['shop.payments.example.com']));
    write('b-collision.yaml', ingress('checkout', 'shop-copy', ['shop.payments.example.com']));
    write('c-foreign.yaml', ingress('search', 'docs', ['docs.search.example.com', 'docs.example.net']));
    write('d-internet.yaml', ingress('search', 'public', ['public.search.example.com'], { className: 'alb-internet-facing-checkout' }));
    write('e-plaintext.yaml', ingress('checkout', 'plain', ['plain.checkout.example.com'], { className: 'alb-internet-facing-checkout', annotations: { 'alb.ingress.kubernetes.io/listen-ports': '[{"HTTP": 80}]' } }));
    write('f-approved.yaml', ingress('checkout', 'store', ['store.checkout.example.com'], { className: 'alb-internet-facing-checkout' }));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('THEN it catches the host collision, the foreign domain, the unapproved internet-facing Ingress and the plaintext listener, one line each, and exits 1', () => {
    const r = platform(['check', '--stack', 'prod', dir]);
    expect(r.status).toBe(1);
    expect(r.stdout.trimEnd().split('\n')).toEqual([
      `${file('a-shop.yaml')}: Ingress/payments/shop: unique-ingress-hosts: host shop.payments.example.com is claimed by Ingress checkout/shop-copy too: two namespaces may not claim one host name`,
      `${file('b-collision.yaml')}: Ingress/checkout/shop-copy: tenant-hosts: Ingress checkout/shop-copy claims host(s) outside namespace checkout's domains: shop.payments.example.com (allowed: checkout.example.com and <name>.checkout.example.com)`,
      `${file('b-collision.yaml')}: Ingress/checkout/shop-copy: unique-ingress-hosts: host shop.payments.example.com is claimed by Ingress payments/shop too: two namespaces may not claim one host name`,
      `${file('c-foreign.yaml')}: Ingress/search/docs: tenant-hosts: Ingress search/docs claims host(s) outside namespace search's domains: docs.example.net (allowed: search.example.com and <name>.search.example.com)`,
      `${file('d-internet.yaml')}: Ingress/search/public: ingress-classes: Ingress search/public must set spec.ingressClassName to one of namespace search's IngressClasses (alb-internal-search; got alb-internet-facing-checkout)`,
      `${file('d-internet.yaml')}: Ingress/search/public: ingress-scheme: Ingress search/public is internet-facing (IngressClass alb-internet-facing-checkout) but namespace search is not approved for internet-facing load balancers (platform:tenants[].ingress.internetFacing)`,
      `${file('e-plaintext.yaml')}: Ingress/checkout/plain: ingress-tls: Ingress checkout/plain listens on HTTP:80 only: plain HTTP without HTTPS; set alb.ingress.kubernetes.io/listen-ports: '[{"HTTP": 80}, {"HTTPS": 443}]' (HTTP is redirected by the IngressClass)`,
    ]);
    // The cross-object rule was judged by the offline equivalent of its Rego, and says so.
    expect(r.stderr).toContain('platform: template platformuniqueingresshosts is Rego: 6 object(s) were judged against the inputs by its offline equivalent, not by the Rego\n');
    expect(r.stderr.trimEnd().split('\n').pop()).toMatch(/^7 violation\(s\) \(7 deny\) in 6 object\(s\) from 6 file\(s\), 29 constraint\(s\)$/);
  });
});

/** The ingress keys of the stack config and the shared ingress model (pure, no Pulumi). */
import { parseStackConfig, readStackConfigFile } from '../../lib/config/load';
import {
  certificateNames,
  hostAllowed,
  ingressCertificates,
  ingressClassName,
  ingressGroupName,
  loadBalancerSubnetCidrs,
  tenantSchemes,
  TLS12_SSL_POLICY,
} from '../../model/ingress';
import { userErrorMessage } from '../helpers/errors';
import { REPO, stackConfig } from '../helpers/pulumi';
import * as path from 'node:path';

const PLATFORM = { domains: [{ name: 'dev.example.com', hostedZoneId: 'Z0DEV1EXAMPLE23456789' }] };

function devWith(overrides: Record<string, unknown>): Record<string, unknown> {
  return { ...stackConfig('dev'), ...overrides };
}

function errorFor(raw: Record<string, unknown>): string {
  return userErrorMessage(() => parseStackConfig(raw, 'Pulumi.test.yaml'));
}

const tenants = (...entries: Record<string, unknown>[]) => entries.map((t) => ({ teamGroup: `team-${String(t.name)}`, ...t }));

describe('GIVEN the repository stack files', () => {
  it('THEN dev turns ingress on for its platform domain, with payments allowed an internet-facing load balancer', () => {
    const config = readStackConfigFile(path.join(REPO, 'Pulumi.dev.yaml'));
    expect(config.addons.ingress).toBe(true);
    expect(config.ingress).toEqual({ ...PLATFORM, sslPolicy: 'ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09', dnsPolicy: 'sync', alertEmails: [] });
    expect(config.tenants.map((t) => [t.name, t.ingress])).toEqual([
      ['payments', { domains: ['payments.dev.example.com'], internetFacing: true, sampleWeb: true }],
      ['search', { domains: ['search.dev.example.com'], internetFacing: false, sampleWeb: false }],
    ]);
  });

  it('THEN prod lets only checkout face the internet and mails certificate expiry to on-call', () => {
    const config = readStackConfigFile(path.join(REPO, 'Pulumi.prod.yaml'));
    expect(config.tenants.filter((t) => t.ingress?.internetFacing).map((t) => t.name)).toEqual(['checkout']);
    expect(config.tenants.filter((t) => t.ingress?.sampleWeb).map((t) => t.name)).toEqual(['search']);
    expect(config.ingress?.alertEmails).toEqual(['platform-oncall@example.com']);
  });
});

describe('GIVEN a stack without ingress settings', () => {
  it('THEN ingress stays off and no tenant has ingress (what npm start needs offline)', () => {
    const raw = devWith({ 'platform:addons': { gatekeeper: true }, 'platform:tenants': tenants({ name: 'payments' }) });
    delete raw['platform:ingress'];
    const config = parseStackConfig(raw, 'Pulumi.test.yaml');
    expect(config.addons.ingress).toBe(false);
    expect(config.ingress).toBeUndefined();
    expect(config.tenants[0].ingress).toBeUndefined();
  });
});

describe('GIVEN bad ingress settings WHEN validated THEN one line names the key, the value and what is accepted', () => {
  it.each<[string, Record<string, unknown>, string]>([
    ['ingress on without domains', { 'platform:ingress': undefined }, 'Pulumi.test.yaml: platform:ingress: is required when addons.ingress is true (list the platform domains and their Route 53 hosted zones) (got nothing)'],
    ['a wildcard domain', { 'platform:ingress': { domains: [{ name: '*.dev.example.com', hostedZoneId: 'Z1' }] } }, 'Pulumi.test.yaml: platform:ingress.domains[0].name: expected a lowercase DNS name like apps.example.com (no wildcard, no trailing dot) (got "*.dev.example.com")'],
    ['a zone id that is not one', { 'platform:ingress': { domains: [{ name: 'dev.example.com', hostedZoneId: 'dev-zone' }] } }, 'Pulumi.test.yaml: platform:ingress.domains[0].hostedZoneId: expected a Route 53 hosted zone id like Z0123456789ABCDEFGHIJ (got "dev-zone")'],
    ['a TLS 1.0 policy', { 'platform:ingress': { ...PLATFORM, sslPolicy: 'ELBSecurityPolicy-2016-08' } }, 'Pulumi.test.yaml: platform:ingress.sslPolicy: expected an ELB security policy allowing TLS 1.2 or newer only, like ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09 (got "ELBSecurityPolicy-2016-08")'],
    ['an unknown DNS policy', { 'platform:ingress': { ...PLATFORM, dnsPolicy: 'create-only' } }, 'Pulumi.test.yaml: platform:ingress.dnsPolicy: expected sync or upsert-only (got "create-only")'],
    ['a domain under another', { 'platform:ingress': { domains: [PLATFORM.domains[0], { name: 'eu.dev.example.com', hostedZoneId: 'Z2' }] } }, 'Pulumi.test.yaml: platform:ingress.domains[1].name: lies under platform domain dev.example.com (list only the parent: names under it share its zone and certificate) (got "eu.dev.example.com")'],
    ['a domain listed twice', { 'platform:ingress': { domains: [PLATFORM.domains[0], { name: 'dev.example.com', hostedZoneId: 'Z2' }] } }, 'Pulumi.test.yaml: platform:ingress.domains[1].name: repeats another platform domain (got "dev.example.com")'],
    ['one zone for two domains', { 'platform:ingress': { domains: [PLATFORM.domains[0], { name: 'example.org', hostedZoneId: 'Z0DEV1EXAMPLE23456789' }] } }, 'Pulumi.test.yaml: platform:ingress.domains[1].hostedZoneId: is the hosted zone of dev.example.com too (each platform domain has its own zone) (got "Z0DEV1EXAMPLE23456789")'],
  ])('%s', (_case, overrides, message) => {
    const raw = devWith(overrides);
    for (const [k, v] of Object.entries(overrides)) if (v === undefined) delete raw[k];
    expect(errorFor(raw)).toBe(message);
  });

  it.each<[string, Record<string, unknown>[], string]>([
    ['a host outside the platform domains', [{ name: 'payments', ingress: { domains: ['payments.example.org'] } }], 'platform:tenants[0].ingress.domains[0]: is not under a platform domain (accepted: names under dev.example.com) (got "payments.example.org")'],
    ['the platform domain itself', [{ name: 'payments', ingress: { domains: ['dev.example.com'] } }], 'platform:tenants[0].ingress.domains[0]: is a platform domain (tenants get names under one, like <tenant>.dev.example.com) (got "dev.example.com")'],
    ['two tenants on one name', [{ name: 'payments', ingress: { domains: ['shop.dev.example.com'] } }, { name: 'search', ingress: { domains: ['api.shop.dev.example.com'] } }], 'platform:tenants[1].ingress.domains[0]: overlaps shop.dev.example.com of tenant payments (a host name would belong to two tenants) (got "api.shop.dev.example.com")'],
    ['a tenant listing a name twice', [{ name: 'payments', ingress: { domains: ['payments.dev.example.com', 'payments.dev.example.com'] } }], 'platform:tenants[0].ingress.domains[1]: overlaps payments.dev.example.com, another domain of this tenant (list each name once) (got "payments.dev.example.com")'],
    ['a wildcard tenant domain', [{ name: 'payments', ingress: { domains: ['*.payments.dev.example.com'] } }], 'platform:tenants[0].ingress.domains[0]: expected a lowercase DNS name like apps.example.com (no wildcard, no trailing dot) (got "*.payments.dev.example.com")'],
    ['no domain', [{ name: 'payments', ingress: { domains: [] } }], 'platform:tenants[0].ingress.domains: expected at least one domain (the host names the tenant may claim) (got [])'],
    ['a name too long for an internet-facing group', [{ name: `t${'x'.repeat(47)}`, ingress: { domains: ['long.dev.example.com'], internetFacing: true } }], `platform:tenants[0].name: is too long for an internet-facing tenant (its load balancer group t${'x'.repeat(47)}.internet-facing must fit 63 characters: at most 47) (got "t${'x'.repeat(47)}")`],
  ])('tenants: %s', (_case, entries, message) => {
    expect(errorFor(devWith({ 'platform:tenants': tenants(...entries) }))).toBe(`Pulumi.test.yaml: ${message}`);
  });

  it('tenant ingress without platform domains', () => {
    const raw = devWith({ 'platform:addons': { ingress: false }, 'platform:tenants': tenants({ name: 'payments', ingress: { domains: ['payments.dev.example.com'] } }) });
    delete raw['platform:ingress'];
    expect(errorFor(raw)).toBe('Pulumi.test.yaml: platform:tenants[0].ingress: needs platform:ingress (the platform domains tenant domains lie under) (got {"domains":["payments.dev.example.com"],"internetFacing":false,"sampleWeb":fa...)');
  });

  it('a sample web flag that is not a boolean', () => {
    expect(errorFor(devWith({ 'platform:tenants': tenants({ name: 'payments', ingress: { domains: ['payments.dev.example.com'], sampleWeb: 'yes' } }) }))).toBe(
      'Pulumi.test.yaml: platform:tenants[0].ingress.sampleWeb: expected true or false (got "yes")',
    );
  });

  it('a tenant that says nothing about the sample gets none', () => {
    const config = parseStackConfig(devWith({ 'platform:tenants': tenants({ name: 'payments', ingress: { domains: ['payments.dev.example.com'] } }) }), 'Pulumi.test.yaml');
    expect(config.tenants[0].ingress?.sampleWeb).toBe(false);
  });

  it('a tag the controller cannot take', () => {
    expect(errorFor(devWith({ 'platform:tags': { 'cost-center': 'a,b' } }))).toBe(
      'Pulumi.test.yaml: platform:tags.cost-center: must not contain "," or "=" when addons.ingress is on (the load balancer controller receives the tags as k=v,k=v) (got "a,b")',
    );
  });

  it('an ingress namespace as a tenant name', () => {
    expect(errorFor(devWith({ 'platform:tenants': tenants({ name: 'external-dns' }) }))).toMatch(/^Pulumi\.test\.yaml: platform:tenants\[0\]\.name: is reserved for the platform \(reserved: .*aws-load-balancer-controller, external-dns\) \(got "external-dns"\)$/);
  });
});

describe('the ingress model', () => {
  it('GIVEN a tenant WHEN naming its classes and groups THEN they cannot collide with another tenant\'s', () => {
    expect([ingressClassName('payments', 'internal'), ingressClassName('payments', 'internet-facing')]).toEqual(['alb-internal-payments', 'alb-internet-facing-payments']);
    expect([ingressGroupName('payments', 'internal'), ingressGroupName('payments', 'internet-facing')]).toEqual(['payments', 'payments.internet-facing']);
    // A tenant literally named "payments-internet-facing" still gets distinct names.
    expect(ingressGroupName('payments-internet-facing', 'internal')).not.toBe(ingressGroupName('payments', 'internet-facing'));
    expect(tenantSchemes({ name: 'a' })).toEqual([]);
    expect(tenantSchemes({ name: 'a', ingress: { domains: ['a.x.com'], internetFacing: false } })).toEqual(['internal']);
    expect(tenantSchemes({ name: 'a', ingress: { domains: ['a.x.com'], internetFacing: true } })).toEqual(['internal', 'internet-facing']);
  });

  it('GIVEN tenant domains WHEN checking hosts THEN a domain and one label under it are allowed, deeper or foreign names are not', () => {
    const domains = ['payments.dev.example.com'];
    expect(hostAllowed('payments.dev.example.com', domains)).toBe(true);
    expect(hostAllowed('api.payments.dev.example.com', domains)).toBe(true);
    expect(hostAllowed('v2.api.payments.dev.example.com', domains)).toBe(false);
    expect(hostAllowed('xpayments.dev.example.com', domains)).toBe(false);
    expect(hostAllowed('search.dev.example.com', domains)).toBe(false);
    expect(hostAllowed('.payments.dev.example.com', domains)).toBe(false);
  });

  it('GIVEN the dev config WHEN listing certificates THEN one per platform domain and per tenant domain, each validated in the platform zone', () => {
    const config = readStackConfigFile(path.join(REPO, 'Pulumi.dev.yaml'));
    expect(ingressCertificates(config)).toEqual([
      { domain: 'dev.example.com', hostedZoneId: 'Z0DEV1EXAMPLE23456789' },
      { domain: 'payments.dev.example.com', hostedZoneId: 'Z0DEV1EXAMPLE23456789', tenant: 'payments' },
      { domain: 'search.dev.example.com', hostedZoneId: 'Z0DEV1EXAMPLE23456789', tenant: 'search' },
    ]);
    expect(certificateNames('payments.dev.example.com')).toEqual(['payments.dev.example.com', '*.payments.dev.example.com']);
  });

  it('GIVEN the network WHEN asking where load balancers live THEN internal ones sit in the private subnets, internet-facing ones in the public', () => {
    const network = { vpcCidr: '10.20.0.0/16', availabilityZones: ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'] };
    expect(loadBalancerSubnetCidrs(network, 'internal')).toEqual(['10.20.0.0/18', '10.20.64.0/18', '10.20.128.0/18']);
    expect(loadBalancerSubnetCidrs(network, 'internet-facing')).toEqual(['10.20.192.0/20', '10.20.208.0/20', '10.20.224.0/20']);
  });

  it('GIVEN ELB security policies WHEN matched THEN only TLS 1.2+ families pass', () => {
    for (const ok of ['ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09', 'ELBSecurityPolicy-TLS13-1-2-2021-06', 'ELBSecurityPolicy-TLS13-1-3-2021-06', 'ELBSecurityPolicy-TLS-1-2-Ext-2018-06', 'ELBSecurityPolicy-FS-1-2-Res-2020-10']) {
      expect([ok, TLS12_SSL_POLICY.test(ok)]).toEqual([ok, true]);
    }
    for (const bad of ['ELBSecurityPolicy-2016-08', 'ELBSecurityPolicy-TLS-1-1-2017-01', 'ELBSecurityPolicy-TLS13-1-0-2021-06', 'ELBSecurityPolicy-FS-2018-06', 'ELBSecurityPolicy-TLS13-1-2']) {
      expect([bad, TLS12_SSL_POLICY.test(bad)]).toEqual([bad, false]);
    }
  });
});

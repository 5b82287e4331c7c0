/* eslint-disable @typescript-eslint/no-explicit-any -- synthesized manifests are untyped JSON queried field by field */
/**
 * The tenants' ingress settings as the charts pass them to the construct library, and the sample web
 * service (`sample-web`) each stack file turns on for one tenant.
 */
import * as path from 'node:path';
import { Chart, Size } from 'cdk8s';
import { testApp } from '../constructs/fixtures';
import * as kplus from 'cdk8s-plus-28';
import { HardenedWebService, READINESS_GATE_INJECT_LABEL as CONSTRUCTS_READINESS_LABEL } from '@eks-platform-blueprint/constructs';
import { readStackConfigFileRaw } from '../../lib/config/load';
import { REPO_ROOT } from '../../lib/stack';
import { platformConfig as config, synthPlatform as synth, type Obj } from '../helpers/platform';
import { hostAllowed, loadBalancerSubnetCidrs, READINESS_GATE_INJECT_LABEL } from '../../model/ingress';
import { policyViolations, schemaIssues } from '../helpers/manifest-check';

const of = (objects: Obj[], kind: string) => objects.filter((o) => o.kind === kind);

describe.each([
  // [stack, tenant with the sample, its domain]
  ['dev', 'payments', 'payments.dev.example.com'],
  ['prod', 'search', 'search.example.com'],
] as const)('GIVEN the %s stack file (sample web service on for %s)', (stack, tenant, domain) => {
  const c = config(stack);
  const b = synth(c);
  const sample = b.chart('sample-web');
  const ingress = of(sample, 'Ingress')[0];

  it('THEN the sample-web chart holds one web service, all objects named sample-web in the tenant namespace', () => {
    expect(sample.map((o) => `${o.kind}/${o.metadata.namespace}/${o.metadata.name}`).sort()).toEqual(
      ['Deployment', 'HorizontalPodAutoscaler', 'Ingress', 'NetworkPolicy', 'PodDisruptionBudget', 'Service', 'ServiceMonitor'].map((k) => `${k}/${tenant}/sample-web`),
    );
  });

  it('THEN its Ingress uses the tenant\'s internal class, which the ingress chart creates for that tenant only', () => {
    expect(ingress.spec.ingressClassName).toBe(`alb-internal-${tenant}`);
    const cls = b.chart('ingress').find((o) => o.kind === 'IngressClass' && o.metadata.name === ingress.spec.ingressClassName)!;
    const params = b.chart('ingress').find((o) => o.kind === 'IngressClassParams' && o.metadata.name === cls.spec.parameters.name)!;
    expect(params.spec).toMatchObject({ scheme: 'internal', targetType: 'ip', sslRedirectPort: '443', namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': tenant } } });
  });

  it('THEN its one host lies in the tenant\'s domains by the platform\'s own rule, and TLS covers it', () => {
    expect(ingress.spec.rules.map((r: any) => r.host)).toEqual([`sample-web.${domain}`]);
    expect(hostAllowed(`sample-web.${domain}`, c.tenants.find((t) => t.name === tenant)!.ingress!.domains)).toBe(true);
    expect(ingress.spec.tls).toEqual([{ hosts: [`sample-web.${domain}`] }]);
  });

  it('THEN the load balancer sends it only the info page, the info API its UI fetches and the version, exactly: not /env, /debug/pprof/, /panic or the stores', () => {
    expect(ingress.spec.rules[0].http.paths.map((p: any) => `${p.pathType} ${p.path}`)).toEqual(['Exact /', 'Exact /api/info', 'Exact /version']);
    const routed = (path: string) => ingress.spec.rules[0].http.paths.some((p: any) => (p.pathType === 'Exact' ? p.path === path : path === p.path || path.startsWith(`${p.path.replace(/\/$/, '')}/`)));
    // podinfo 6.14.1 pkg/api/http/server.go registerHandlers: what the sample must not expose.
    expect(['/env', '/debug/pprof/', '/debug/pprof/heap', '/panic', '/readyz/disable', '/fault_injection/enable', '/store', '/cache/x', '/api/echo'].filter(routed)).toEqual([]);
    expect(['/', '/api/info', '/version'].every(routed)).toBe(true);
  });

  it('THEN only the internal load balancer subnets (the private ones) reach its http port, and only the monitoring namespace its metrics', () => {
    const policy = of(sample, 'NetworkPolicy')[0];
    expect(policy.spec.ingress).toEqual([
      { from: loadBalancerSubnetCidrs(c.network, 'internal').map((cidr) => ({ ipBlock: { cidr } })), ports: [{ protocol: 'TCP', port: 9898 }] },
      { from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } }], ports: [{ protocol: 'TCP', port: 9797 }] },
    ]);
  });

  it('THEN the app is podinfo 6.14.1 started the way its image and chart need, health-checked on /readyz', () => {
    // stefanprodan/podinfo at tag 6.14.1: image ghcr.io/stefanprodan/podinfo:6.14.1 (charts/podinfo/values.yaml),
    // CMD ./podinfo without ENTRYPOINT (Dockerfile), HTTP on --port with /readyz and /healthz, /metrics on
    // --port-metrics (charts/podinfo/values.yaml httpPort 9898, metricsPort 9797), data under /data.
    const container = of(sample, 'Deployment')[0].spec.template.spec.containers[0];
    expect(container.image).toBe('ghcr.io/stefanprodan/podinfo:6.14.1');
    expect(container.command).toEqual(['./podinfo']);
    expect(container.args).toEqual(['--port=9898', '--port-metrics=9797', '--level=info']);
    expect(container.readinessProbe.httpGet).toMatchObject({ path: '/readyz', port: 9898 });
    expect(container.volumeMounts).toEqual([{ mountPath: '/data', name: 'data' }]);
    expect(ingress.metadata.annotations!['alb.ingress.kubernetes.io/healthcheck-path']).toBe('/readyz');
  });

  it('THEN every tenant with ingress gets the readiness-gate label, the others not', () => {
    for (const t of c.tenants) {
      const ns = b.chart('tenants').find((o) => o.kind === 'Namespace' && o.metadata.name === t.name)!;
      expect(ns.metadata.labels?.['elbv2.k8s.aws/pod-readiness-gate-inject']).toBe(t.ingress ? 'enabled' : undefined);
    }
  });

  it('THEN platform check finds no violation in the whole stack and every object matches its schema', () => {
    expect(policyViolations(b.all)).toEqual([]);
    expect(schemaIssues(sample)).toEqual([]);
  });
});

describe('GIVEN the sample turned off, or no monitoring', () => {
  it('WHEN no tenant asks for it THEN there is no sample-web chart', () => {
    const raw = readStackConfigFileRaw(path.join(REPO_ROOT, 'Pulumi.dev.yaml'));
    const tenants = (raw['platform:tenants'] as Record<string, any>[]).map((t) => ({ ...t, ingress: { ...t.ingress, sampleWeb: false } }));
    expect(synth(config('dev', { 'platform:tenants': tenants })).charts.map((x) => x.id)).not.toContain('sample-web');
  });

  it('WHEN the ingress add-on is off THEN the flag is inert: no sample, no tenant ingress settings', () => {
    const b = synth(config('dev', { 'platform:addons': { ingress: false } }));
    expect(b.charts.map((x) => x.id)).not.toContain('sample-web');
    expect(b.chart('tenants').filter((o) => o.metadata.labels?.['elbv2.k8s.aws/pod-readiness-gate-inject'])).toEqual([]);
  });

  it('WHEN monitoring is off THEN the sample has no ServiceMonitor and admits only the load balancer', () => {
    const sample = synth(config('dev', { 'platform:addons': { ingress: true, monitoring: false } })).chart('sample-web');
    expect(of(sample, 'ServiceMonitor')).toEqual([]);
    expect(of(sample, 'NetworkPolicy')[0].spec.ingress).toHaveLength(1);
  });
});

describe('GIVEN the construct library and the platform model, which do not import each other', () => {
  it('THEN both name the readiness-gate label the same', () => {
    expect(CONSTRUCTS_READINESS_LABEL).toEqual(READINESS_GATE_INJECT_LABEL);
  });

  it.each([
    'payments.example.com',
    'shop.payments.example.com',
    'a.shop.payments.example.com',
    'xpayments.example.com',
    'example.com',
    'shop.search.example.com',
    'payments.example.com.evil.org',
  ])('THEN HardenedWebService accepts host %s exactly when the platform\'s hostAllowed does', (host) => {
    const build = () =>
      new HardenedWebService(new Chart(testApp(), 't', { namespace: 'payments' }), 'shop', {
        ingress: { domains: ['payments.example.com'], internal: { ingressClassName: 'alb-internal-payments', subnetCidrs: ['10.20.96.0/19'] } },
        hosts: [host],
        metrics: false,
        healthCheckPath: '/',
        containers: [{ image: 'public.ecr.aws/example/shop:1.0.0', ports: [{ name: 'http', number: 8080 }], resources: { cpu: { request: kplus.Cpu.millis(10) }, memory: { request: Size.mebibytes(16), limit: Size.mebibytes(16) } } }],
      });
    let outcome = 'accepted';
    try {
      build();
    } catch (e) {
      outcome = (e as Error).message;
    }
    const refusal = `HardenedWebService payments/shop: hosts[0] is not the tenant's (got "${host}"; allowed: payments.example.com or <name>.payments.example.com)`;
    expect(outcome).toBe(hostAllowed(host, ['payments.example.com']) ? 'accepted' : refusal);
  });
});

/* eslint-disable @typescript-eslint/no-explicit-any -- synthesized manifests are untyped JSON that the tests query field by field */
/**
 * HardenedWebService: what each object says, what the Ingress leaves to the IngressClass, which
 * traffic the NetworkPolicy admits, and the ConstructError of each bad prop.
 *
 * Controller facts (kubernetes-sigs/aws-load-balancer-controller, tag v3.5.0): the listen-ports
 * annotation is JSON, `[{"HTTP": 80}, {"HTTPS": 443}]` in the docs' own example
 * (docs/guide/ingress/annotations.md#listen-ports); an HTTPS listener exists only when asked for there
 * (docs/guide/ingress/cert_discovery.md); the IngressClassParams fields scheme, group, sslPolicy,
 * sslRedirectPort, targetType and inboundCIDRs make the controller ignore the matching annotations
 * (docs/guide/ingress/ingress_class.md), so the Ingress must not carry them.
 */
import { Chart, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { AllowNetworkPolicy, ConstructError, HardenedWebService, NetworkPeers, type HardenedWebServiceProps, type TenantIngress } from '@eks-platform-blueprint/constructs';
import { policyViolations, schemaIssues } from '../helpers/manifest-check';
import { find, HARDENED_CONTAINER_CONTEXT, synth, type Obj, testApp } from './fixtures';

const PRIVATE = ['10.20.96.0/19', '10.20.128.0/19', '10.20.160.0/19'];
const PUBLIC = ['10.20.0.0/22', '10.20.4.0/22', '10.20.8.0/22'];

const TENANT: TenantIngress = {
  domains: ['payments.example.com'],
  internal: { ingressClassName: 'alb-internal-payments', subnetCidrs: PRIVATE },
  internetFacing: { ingressClassName: 'alb-internet-facing-payments', subnetCidrs: PUBLIC },
};
const INTERNAL_ONLY: TenantIngress = { domains: ['search.example.com'], internal: { ingressClassName: 'alb-internal-search', subnetCidrs: PRIVATE } };

const app = {
  image: 'public.ecr.aws/example/shop:3.1.0',
  resources: { cpu: { request: kplus.Cpu.millis(100) }, memory: { request: Size.mebibytes(128), limit: Size.mebibytes(256) } },
  ports: [{ name: 'http', number: 8080 }, { name: 'metrics', number: 9090 }],
  readiness: kplus.Probe.fromHttpGet('/ready', { port: 8080 }),
};

const base: HardenedWebServiceProps = { ingress: TENANT, hosts: ['shop.payments.example.com'], containers: [app] };

function web(props: Partial<HardenedWebServiceProps> = {}): Obj[] {
  return synth((c) => new HardenedWebService(c, 'shop', { ...base, ...props }));
}

describe('GIVEN a HardenedWebService with only the tenant settings, a host and one container', () => {
  const objects = web();

  test('THEN it makes the Deployment, Service, Ingress, PDB, HPA, NetworkPolicy and ServiceMonitor, each named after it', () => {
    expect(objects.map((o) => `${o.kind}/${o.metadata.namespace}/${o.metadata.name}`).sort()).toEqual([
      'Deployment/payments/shop',
      'HorizontalPodAutoscaler/payments/shop',
      'Ingress/payments/shop',
      'NetworkPolicy/payments/shop',
      'PodDisruptionBudget/payments/shop',
      'Service/payments/shop',
      'ServiceMonitor/payments/shop',
    ]);
  });

  test('THEN the pods are the hardened ones, 2 to 10 under the autoscaler, never fewer than 1 up in a drain', () => {
    const deployment = find(objects, 'Deployment');
    expect(deployment.spec.replicas).toBeUndefined();
    expect(deployment.spec.template.spec.containers[0].securityContext).toEqual(HARDENED_CONTAINER_CONTEXT);
    expect(find(objects, 'HorizontalPodAutoscaler').spec).toMatchObject({
      minReplicas: 2,
      maxReplicas: 10,
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'shop' },
      metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } }],
    });
    expect(find(objects, 'PodDisruptionBudget').spec).toEqual({ maxUnavailable: 1, selector: { matchLabels: { 'app.kubernetes.io/name': 'shop' } } });
  });

  test('THEN the Service is ClusterIP with the http and metrics ports, selecting the pods by name', () => {
    const service = find(objects, 'Service');
    expect(service.spec.type).toBe('ClusterIP');
    expect(service.spec.selector).toEqual({ 'app.kubernetes.io/name': 'shop' });
    expect(service.spec.ports).toEqual([
      { name: 'http', port: 8080, targetPort: 8080 },
      { name: 'metrics', port: 9090, targetPort: 9090 },
    ]);
  });

  test('THEN the Ingress uses the internal class, puts the host under TLS and routes it to the http port', () => {
    const ingress = find(objects, 'Ingress');
    expect(ingress.apiVersion).toBe('networking.k8s.io/v1');
    expect(ingress.spec).toEqual({
      ingressClassName: 'alb-internal-payments',
      tls: [{ hosts: ['shop.payments.example.com'] }],
      rules: [{ host: 'shop.payments.example.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'shop', port: { name: 'http' } } } }] } }],
    });
  });

  test('THEN the Ingress asks for HTTP 80 and HTTPS 443 listeners and the readiness path as health check, and sets nothing the class pins', () => {
    const annotations = find(objects, 'Ingress').metadata.annotations as Record<string, string>;
    expect(Object.keys(annotations).sort()).toEqual(['alb.ingress.kubernetes.io/healthcheck-path', 'alb.ingress.kubernetes.io/listen-ports']);
    expect(JSON.parse(annotations['alb.ingress.kubernetes.io/listen-ports'])).toEqual([{ HTTP: 80 }, { HTTPS: 443 }]);
    expect(annotations['alb.ingress.kubernetes.io/healthcheck-path']).toBe('/ready');
    for (const pinned of ['scheme', 'group.name', 'ssl-policy', 'ssl-redirect', 'target-type', 'inbound-cidrs', 'certificate-arn']) {
      expect(annotations[`alb.ingress.kubernetes.io/${pinned}`]).toBeUndefined();
    }
  });

  test('THEN the NetworkPolicy admits exactly the internal load balancer subnets on 8080 and the monitoring namespace on 9090', () => {
    expect(find(objects, 'NetworkPolicy').spec).toEqual({
      podSelector: { matchLabels: { 'app.kubernetes.io/name': 'shop' } },
      policyTypes: ['Ingress'],
      ingress: [
        { from: PRIVATE.map((cidr) => ({ ipBlock: { cidr } })), ports: [{ protocol: 'TCP', port: 8080 }] },
        { from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } }], ports: [{ protocol: 'TCP', port: 9090 }] },
      ],
    });
  });

  test('THEN the ServiceMonitor scrapes the metrics port of the Service', () => {
    expect(find(objects, 'ServiceMonitor').spec).toEqual({
      selector: { matchLabels: { 'app.kubernetes.io/name': 'shop' } },
      endpoints: [{ port: 'metrics', path: '/metrics', interval: '30s', scheme: 'http' }],
    });
  });

  test('THEN platform check finds no violation and every object matches its schema', () => {
    expect(policyViolations(objects)).toEqual([]);
    expect(schemaIssues(objects)).toEqual([]);
  });
});

describe('GIVEN several hosts and the internet-facing scheme', () => {
  const objects = web({ scheme: 'internet-facing', hosts: ['payments.example.com', 'shop.payments.example.com', 'api.payments.example.com'] });

  test('THEN TLS covers every host of the rules, and the Ingress names the internet-facing class', () => {
    const spec = find(objects, 'Ingress').spec;
    expect(spec.ingressClassName).toBe('alb-internet-facing-payments');
    expect(spec.tls).toEqual([{ hosts: ['payments.example.com', 'shop.payments.example.com', 'api.payments.example.com'] }]);
    expect(spec.rules.map((r: any) => r.host)).toEqual(spec.tls[0].hosts);
  });

  test('THEN the NetworkPolicy admits the public subnets (where that load balancer sits) instead of the private ones', () => {
    expect(find(objects, 'NetworkPolicy').spec.ingress[0].from).toEqual(PUBLIC.map((cidr) => ({ ipBlock: { cidr } })));
  });
});

describe('GIVEN the named choices', () => {
  test('WHEN metrics are served on the http port THEN the Service has one port and Prometheus is admitted on it', () => {
    const objects = web({ containers: [{ ...app, ports: [{ name: 'http', number: 8080 }] }], metrics: { port: 'http' } });
    expect(find(objects, 'Service').spec.ports).toEqual([{ name: 'http', port: 8080, targetPort: 8080 }]);
    expect(find(objects, 'NetworkPolicy').spec.ingress[1]).toEqual({ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } }], ports: [{ protocol: 'TCP', port: 8080 }] });
    expect(find(objects, 'ServiceMonitor').spec.endpoints[0].port).toBe('http');
  });

  test('WHEN metrics is false THEN there is no ServiceMonitor and only the load balancer is admitted', () => {
    const objects = web({ containers: [{ ...app, ports: [{ name: 'http', number: 8080 }] }], metrics: false });
    expect(objects.some((o) => o.kind === 'ServiceMonitor')).toBe(false);
    expect(find(objects, 'NetworkPolicy').spec.ingress).toHaveLength(1);
  });

  test('WHEN autoscaling is false with 3 replicas THEN the count is fixed, with a PDB and no HPA', () => {
    const objects = web({ autoscaling: false, replicas: 3 });
    expect(find(objects, 'Deployment').spec.replicas).toBe(3);
    expect(objects.some((o) => o.kind === 'HorizontalPodAutoscaler')).toBe(false);
    expect(objects.filter((o) => o.kind === 'PodDisruptionBudget')).toHaveLength(1);
  });

  test('WHEN healthCheckPath and another monitoring namespace are given THEN the Ingress and the NetworkPolicy use them', () => {
    const objects = web({ containers: [{ ...app, readiness: undefined }], healthCheckPath: '/healthz', monitoringNamespace: 'prometheus' });
    expect(find(objects, 'Ingress').metadata.annotations?.['alb.ingress.kubernetes.io/healthcheck-path']).toBe('/healthz');
    expect(find(objects, 'NetworkPolicy').spec.ingress[1].from).toEqual([NetworkPeers.namespace('prometheus')]);
  });

  test('WHEN paths are given THEN every host routes exactly those to the service, and the default is every path', () => {
    const rules = (objects: any[]) => find(objects, 'Ingress').spec.rules.map((r: any) => [r.host, r.http.paths.map((p: any) => `${p.pathType} ${p.path} -> ${p.backend.service.name}:${p.backend.service.port.name}`)]);
    const narrowed = web({ hosts: ['shop.payments.example.com', 'api.payments.example.com'], paths: [{ path: '/', pathType: 'Exact' }, { path: '/api', pathType: 'Prefix' }] });
    expect(rules(narrowed)).toEqual([
      ['shop.payments.example.com', ['Exact / -> shop:http', 'Prefix /api -> shop:http']],
      ['api.payments.example.com', ['Exact / -> shop:http', 'Prefix /api -> shop:http']],
    ]);
    expect(rules(web({}))).toEqual([['shop.payments.example.com', ['Prefix / -> shop:http']]]);
  });

  test('WHEN another policy names the service as a peer THEN it selects its pods', () => {
    const objects = synth((c) => {
      const shop = new HardenedWebService(c, 'shop', base);
      new AllowNetworkPolicy(c, 'shop-egress', { podSelector: shop, egressTo: [NetworkPeers.kubeDns()] });
    });
    expect(find(objects, 'NetworkPolicy', 'shop-egress').spec.podSelector).toEqual({ matchLabels: { 'app.kubernetes.io/name': 'shop' } });
  });
});

describe('GIVEN a bad prop', () => {
  const cases: [string, Partial<HardenedWebServiceProps>, string][] = [
    ['a foreign domain', { hosts: ['shop.search.example.com'] }, 'hosts[0] is not the tenant\'s (got "shop.search.example.com"; allowed: payments.example.com or <name>.payments.example.com)'],
    ['a name two labels under the domain', { hosts: ['a.b.payments.example.com'] }, 'hosts[0] is not the tenant\'s (got "a.b.payments.example.com"'],
    ['a wildcard host', { hosts: ['*.payments.example.com'] }, 'hosts[0] must not be a wildcard (got "*.payments.example.com"; list each host name)'],
    ['an upper-case host', { hosts: ['Shop.payments.example.com'] }, 'hosts[0] must be a lowercase DNS name of two labels or more, like shop.example.com (got "Shop.payments.example.com")'],
    ['no host', { hosts: [] }, 'hosts must list at least one host name under payments.example.com (got [])'],
    ['a repeated host', { hosts: ['shop.payments.example.com', 'shop.payments.example.com'] }, 'hosts[1] repeats "shop.payments.example.com" (list each host once)'],
    ['internet-facing for an internal-only tenant', { ingress: INTERNAL_ONLY, hosts: ['shop.search.example.com'], scheme: 'internet-facing' }, 'scheme internet-facing is not allowed for this tenant (ingress.internetFacing is not set)'],
    ['an unknown scheme', { scheme: 'public' as never }, 'scheme must be internal or internet-facing (got "public")'],
    ['no http port', { containers: [{ ...app, ports: [{ name: 'web', number: 8080 }] }], metrics: false }, 'port names no container port (got "http"; the containers\' named ports: web; name it, e.g. ports: [{ name: \'http\', number: 8080 }])'],
    ['no metrics port', { containers: [{ ...app, ports: [{ name: 'http', number: 8080 }] }] }, 'metrics.port names no container port (got "metrics"; the containers\' named ports: http;'],
    ['no readiness probe and no healthCheckPath', { containers: [{ ...app, readiness: undefined }] }, 'healthCheckPath is required when containers[0] has no HTTP readiness probe'],
    ['a readiness probe on another port', { containers: [{ ...app, readiness: kplus.Probe.fromHttpGet('/ready', { port: 9090 }) }] }, 'healthCheckPath is required: containers[0]\'s readiness probe checks port 9090, but the load balancer checks port http (8080)'],
    ['a TCP readiness probe', { containers: [{ ...app, readiness: kplus.Probe.fromTcpSocket({ port: 8080 }) }] }, 'healthCheckPath is required when containers[0] has no HTTP readiness probe'],
    ['a relative health check path', { healthCheckPath: 'healthz' }, 'healthCheckPath must be a path starting with / without spaces (got "healthz")'],
    ['replicas beside the default autoscaler', { replicas: 3 }, 'replicas must not be set while autoscaling is on, as it is by default (got 3; set autoscaling.minReplicas, or autoscaling: false for a fixed count)'],
    ['a class name that is not a DNS subdomain', { ingress: { ...TENANT, internal: { ingressClassName: 'ALB', subnetCidrs: PRIVATE } } }, 'ingress.internal.ingressClassName must be a DNS subdomain'],
    ['no load balancer subnets', { ingress: { ...TENANT, internal: { ingressClassName: 'alb-internal-payments', subnetCidrs: [] } } }, 'ingress.internal.subnetCidrs must list the load balancer\'s subnet CIDRs (got [])'],
    ['the whole internet as load balancer subnet', { ingress: { ...TENANT, internal: { ingressClassName: 'alb-internal-payments', subnetCidrs: ['0.0.0.0/0'] } } }, 'ingress.internal.subnetCidrs[0] is broader than /16 (got "0.0.0.0/0"): load balancer subnets lie in a VPC (/16 to /28); give the subnets\' CIDRs'],
    ['a subnet CIDR with host bits', { ingress: { ...TENANT, internal: { ingressClassName: 'alb-internal-payments', subnetCidrs: ['10.20.96.1/19'] } } }, 'ingress.internal.subnetCidrs[0] has host bits set (got "10.20.96.1/19"; the network is 10.20.96.0/19)'],
    ['a wildcard domain', { ingress: { ...TENANT, domains: ['*.example.com'] } }, 'ingress.domains[0] must not be a wildcard (got "*.example.com"; list each host name)'],
    ['one class for both schemes', { ingress: { ...TENANT, internetFacing: { ingressClassName: 'alb-internal-payments', subnetCidrs: PUBLIC } } }, 'ingress.internetFacing.ingressClassName must differ from internal\'s'],
    ['no ingress settings', { ingress: undefined as never }, 'ingress is required: the tenant\'s domains and IngressClasses, e.g. TenantNamespace.webServiceProps() (got undefined)'],
    ['a bad metrics interval', { metrics: { interval: 'often' } }, 'metrics.interval must be a Prometheus duration like 30s or 1m (got "often")'],
    ['no paths', { paths: [] }, 'paths must list at least one { path, pathType } (got []; leave it out for every path)'],
    ['an ImplementationSpecific path', { paths: [{ path: '/', pathType: 'ImplementationSpecific' as never }] }, 'paths[0].pathType must be Exact or Prefix (got "ImplementationSpecific")'],
    ['a relative path', { paths: [{ path: 'api', pathType: 'Prefix' }] }, 'paths[0].path must start with / and hold at most 128 printable characters, without *, ?, //, /./, /../ or %2f, nor end in /. or /.. (got "api")'],
    ['an ALB wildcard in a path', { paths: [{ path: '/api/*', pathType: 'Prefix' }] }, 'paths[0].path must start with / and hold at most 128 printable characters'],
    ['a path the API server refuses', { paths: [{ path: '/a/../b', pathType: 'Exact' }] }, 'paths[0].path must start with / and hold at most 128 printable characters'],
    ['a repeated path', { paths: [{ path: '/', pathType: 'Exact' }, { path: '/', pathType: 'Exact' }] }, 'paths[1] repeats Exact / (list each path once)'],
    ['a bad image (pod props are checked too)', { containers: [{ ...app, image: 'public.ecr.aws/example/shop:latest' }] }, 'containers[0].image must not use the mutable tag latest'],
  ];

  test.each(cases)('WHEN it is %s THEN the constructor throws a ConstructError naming the construct, prop, value and fix, and creates nothing', (_label, props, message) => {
    const chart = new Chart(testApp(), 'test', { namespace: 'payments' });
    let error: unknown;
    try {
      new HardenedWebService(chart, 'shop', { ...base, ...props });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConstructError);
    expect((error as Error).message).toContain(`HardenedWebService payments/shop: ${message}`);
    expect(chart.node.children).toHaveLength(0);
  });
});

/* eslint-disable @typescript-eslint/no-explicit-any -- synthesized manifests are untyped JSON queried field by field */
/** The in-cluster side of tenant ingress: IngressClasses and their params, namespaces, identities, values, monitors. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { type PlatformConfig } from '../../model/config';
import { REPO_ROOT } from '../../lib/stack';
import { platformConfig as config, synthPlatform as synth } from '../helpers/platform';
import { HELM_RELEASES, PLATFORM_ALERTS, placeholderInputs, releaseDefining } from '../../charts';
import { watchedNamespaces } from '../../charts/x509-certificate-exporter/values';

const values = (c: PlatformConfig, release: string) => HELM_RELEASES.find((r) => r.name === release)!.values(c, placeholderInputs(c)) as Record<string, any>;

describe('GIVEN the dev stack (payments may face the internet, search may not)', () => {
  const c = config('dev');
  const b = synth(c);
  const ingress = b.chart('ingress');
  const params = (name: string) => ingress.find((o) => o.kind === 'IngressClassParams' && o.metadata.name === name)!;

  it('THEN each tenant gets an internal class, and only payments an internet-facing one, each with its own params', () => {
    const classes = ingress.filter((o) => o.kind === 'IngressClass');
    expect(classes.map((o) => o.metadata.name).sort()).toEqual(['alb-internal-payments', 'alb-internal-search', 'alb-internet-facing-payments']);
    for (const cls of classes) {
      expect(cls.spec).toEqual({ controller: 'ingress.k8s.aws/alb', parameters: { apiGroup: 'elbv2.k8s.aws', kind: 'IngressClassParams', name: cls.metadata.name } });
      expect(params(cls.metadata.name).apiVersion).toBe('elbv2.k8s.aws/v1beta1');
    }
    // No class is the cluster default: an Ingress must name its tenant's class.
    expect(classes.every((cls) => !cls.metadata.annotations?.['ingressclass.kubernetes.io/is-default-class'])).toBe(true);
  });

  it('THEN the internal params pin namespace, group, scheme, IP targets, TLS policy, HTTPS redirect, VPC-only sources and header hygiene', () => {
    expect(params('alb-internal-search').spec).toEqual({
      namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'search' } },
      group: { name: 'search' },
      scheme: 'internal',
      ipAddressType: 'ipv4',
      targetType: 'ip',
      sslPolicy: 'ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09',
      sslRedirectPort: '443',
      inboundCIDRs: ['10.20.0.0/16'],
      loadBalancerAttributes: [
        { key: 'routing.http.drop_invalid_header_fields.enabled', value: 'true' },
        { key: 'routing.http.desync_mitigation_mode', value: 'defensive' },
      ],
      tags: [{ key: 'platform:cluster', value: 'platform-dev' }, { key: 'platform:tenant', value: 'search' }],
    });
  });

  it('THEN the internet-facing params use their own group and open to anyone, still TLS 1.2+ with HTTP redirected', () => {
    const spec = params('alb-internet-facing-payments').spec;
    expect(spec).toMatchObject({ group: { name: 'payments.internet-facing' }, scheme: 'internet-facing', sslRedirectPort: '443', sslPolicy: 'ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09' });
    expect(spec.namespaceSelector).toEqual({ matchLabels: { 'kubernetes.io/metadata.name': 'payments' } });
    expect(spec.inboundCIDRs).toBeUndefined();
  });

  it('THEN the ingress add-ons get restricted namespaces and Pod Identity ServiceAccounts the releases reuse', () => {
    const base = b.chart('base');
    for (const ns of ['aws-load-balancer-controller', 'external-dns']) {
      expect(base.find((o) => o.kind === 'Namespace' && o.metadata.name === ns)!.metadata.labels).toMatchObject({ 'pod-security.kubernetes.io/enforce': 'restricted', 'pod-security.kubernetes.io/enforce-version': `v${c.kubernetesVersion}` });
    }
    const sa = (ns: string) => base.find((o) => o.kind === 'ServiceAccount' && o.metadata.namespace === ns)!;
    expect(sa('aws-load-balancer-controller')).toMatchObject({ metadata: { name: 'aws-load-balancer-controller' }, automountServiceAccountToken: true });
    expect(sa('external-dns')).toMatchObject({ metadata: { name: 'external-dns' }, automountServiceAccountToken: true });
    // Pod Identity: nothing on the ServiceAccount (no IRSA annotation).
    expect(sa('external-dns').metadata.annotations).toBeUndefined();
    expect(values(c, 'aws-load-balancer-controller').serviceAccount).toEqual({ create: false, name: 'aws-load-balancer-controller' });
    expect(values(c, 'external-dns').serviceAccount).toEqual({ create: false, name: 'external-dns' });
  });

  it('THEN the controller knows cluster, region and VPC without IMDS, refuses the legacy class annotation and creates no class itself', () => {
    const v = values(c, 'aws-load-balancer-controller');
    expect(v).toMatchObject({
      clusterName: 'platform-dev',
      region: 'eu-west-1',
      vpcTags: { Name: 'platform-dev', 'platform:cluster': 'platform-dev' },
      createIngressClassResource: false,
      ingressClassParams: { create: false },
      disableIngressClassAnnotation: true,
      defaultTargetType: 'ip',
      defaultLoadBalancerScheme: 'internal',
      defaultSSLPolicy: 'ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09',
      enableWaf: false,
      enableWafv2: false,
      enableShield: false,
      image: { tag: 'v3.5.0' },
    });
    expect(v.defaultTags).toEqual({ environment: 'dev', owner: 'platform-team', 'platform:cluster': 'platform-dev', 'platform:environment': 'dev', 'managed-by': 'aws-load-balancer-controller' });
  });

  it('THEN external-dns writes only the platform zone, syncs, and marks its records with the cluster as owner', () => {
    expect(values(c, 'external-dns')).toMatchObject({
      provider: { name: 'aws' },
      policy: 'sync',
      registry: 'txt',
      txtOwnerId: 'platform-dev',
      domainFilters: ['dev.example.com'],
      extraArgs: { 'zone-id-filter': ['Z0DEV1EXAMPLE23456789'] },
      env: [{ name: 'AWS_REGION', value: 'eu-west-1' }],
      sources: ['ingress', 'service'],
      image: { tag: 'v0.21.0' },
    });
  });

  it('THEN internal load balancers\' records go into the public platform zones, as the ingress docs say', () => {
    // external-dns takes every Ingress (no --ingress-class / --annotation-filter) and any zone type
    // (--aws-zone-type: "default: any", kubernetes-sigs/external-dns external-dns-helm-chart-1.21.1
    // docs/flags.md) among the platform zones, which the config documents as public.
    const v = values(c, 'external-dns');
    expect(v.sources).toContain('ingress');
    expect(Object.keys(v.extraArgs).filter((k) => ['aws-zone-type', 'ingress-class', 'annotation-filter', 'label-filter'].includes(k))).toEqual([]);
    expect(v.domainFilters).toEqual(c.ingress!.domains.map((d) => d.name));
    expect(ingress.some((o) => o.kind === 'IngressClassParams' && o.spec.scheme === 'internal')).toBe(true);
    const doc = (...p: string[]) => fs.readFileSync(path.join(REPO_ROOT, ...p), 'utf8').replace(/\s+/g, ' ');
    expect(doc('README.md')).toMatch(/\*\*Internal names in public DNS\.\*\* .*private hosted zone.*--aws-zone-type=private/);
    expect(doc('infra', 'README.md')).toContain('"Internal names in public DNS"');
    expect(doc('docs', 'runbooks', 'dns-record-not-created.md')).toContain('"Internal names in public DNS"');
  });

  it('THEN the monitoring chart scrapes the controller, external-dns and the certificate exporter, and alerts with runbooks', () => {
    const monitoring = b.chart('monitoring');
    expect(monitoring.find((o) => o.kind === 'PodMonitor' && o.metadata.name === 'aws-load-balancer-controller')!.spec).toEqual({
      namespaceSelector: { matchNames: ['aws-load-balancer-controller'] },
      selector: { matchLabels: { 'app.kubernetes.io/name': 'aws-load-balancer-controller', 'app.kubernetes.io/instance': 'aws-load-balancer-controller' } },
      podMetricsEndpoints: [{ port: 'metrics-server', interval: '30s' }],
    });
    expect(monitoring.find((o) => o.kind === 'ServiceMonitor' && o.metadata.name === 'external-dns')!.spec.endpoints).toEqual([{ port: 'http', interval: '30s' }]);
    const rules = monitoring.find((o) => o.kind === 'PrometheusRule')!.spec.groups[0].rules as { alert: string; annotations: { runbook_url: string } }[];
    const ingressAlerts = rules.filter((r) => /LoadBalancer|ExternalDns|TLSSecret/.test(r.alert));
    expect(ingressAlerts.map((r) => [r.alert, r.annotations.runbook_url.split('/').pop()])).toEqual([
      ['AwsLoadBalancerControllerReconcileErrors', 'load-balancer-controller-errors.md'],
      ['AwsLoadBalancerControllerAccessDenied', 'load-balancer-controller-errors.md'],
      ['ExternalDnsSyncStale', 'dns-record-not-created.md'],
      ['ExternalDnsRecordOwnedElsewhere', 'dns-record-not-created.md'],
      ['TLSSecretExpiring', 'tls-secret-expiring.md'],
      ['TLSSecretWatchDown', 'tls-secret-expiring.md'],
    ]);
    expect(PLATFORM_ALERTS.find((a) => a.alert === 'TLSSecretExpiring')!.expr).toBe('(x509_cert_not_after - time()) < 21 * 86400');
  });

  it('THEN the certificate exporter watches the TLS Secrets of every enabled platform namespace, with the platform\'s own monitor and rules', () => {
    expect(values(c, 'x509-certificate-exporter')).toEqual({
      image: { tag: '4.2.0' },
      secretsExporter: {
        includeNamespaces: ['argocd', 'aws-load-balancer-controller', 'external-dns', 'external-secrets', 'gatekeeper-system', 'karpenter', 'monitoring'],
        resources: { requests: { cpu: '20m', memory: '64Mi' }, limits: { memory: '150Mi' } },
        nodeSelector: { 'platform.io/node-pool': 'system' },
        tolerations: [{ key: 'CriticalAddonsOnly', operator: 'Exists', effect: 'NoSchedule' }],
      },
      prometheusServiceMonitor: { create: false },
      prometheusRules: { create: false },
    });
  });
});

describe('GIVEN prod', () => {
  const c = config('prod');
  const ingress = synth(c).chart('ingress');

  it('THEN the three tenants get internal classes and only checkout an internet-facing one', () => {
    expect(ingress.filter((o) => o.kind === 'IngressClass').map((o) => o.metadata.name).sort()).toEqual([
      'alb-internal-checkout', 'alb-internal-payments', 'alb-internal-search', 'alb-internet-facing-checkout',
    ]);
    expect(values(c, 'aws-load-balancer-controller').replicaCount).toBe(2);
  });
});

describe('GIVEN config variations', () => {
  it('WHEN internal sources are set THEN every internal class admits only them', () => {
    const c = config('dev', { 'platform:ingress': { domains: [{ name: 'dev.example.com', hostedZoneId: 'Z0DEV1EXAMPLE23456789' }], internalAllowedCidrs: ['10.20.0.0/16', '172.16.0.0/12'] } });
    const params = synth(c).chart('ingress').filter((o) => o.kind === 'IngressClassParams' && o.spec.scheme === 'internal');
    expect(params.map((p) => p.spec.inboundCIDRs)).toEqual([['10.20.0.0/16', '172.16.0.0/12'], ['10.20.0.0/16', '172.16.0.0/12']]);
  });

  it('WHEN ingress is off THEN no class, namespace, identity, release, monitor or alert of it remains', () => {
    const raw = { 'platform:addons': { ingress: false }, 'platform:tenants': [{ name: 'payments', teamGroup: 'team-payments' }] };
    const c = config('dev', raw);
    const b = synth(c);
    expect(b.charts.map((x) => x.id)).not.toContain('ingress');
    expect(b.all.filter((o) => ['IngressClass', 'IngressClassParams'].includes(o.kind))).toEqual([]);
    const namespaces = b.all.filter((o) => o.kind === 'Namespace').map((o) => o.metadata.name);
    expect(namespaces).toContain('payments');
    expect(namespaces).not.toContain('aws-load-balancer-controller');
    expect(b.all.some((o) => o.metadata.namespace === 'external-dns' || o.metadata.name === 'external-dns')).toBe(false);
    expect(Object.keys(b.helmValues).sort()).not.toContain('aws-load-balancer-controller');
    expect(Object.keys(b.helmValues)).not.toContain('external-dns');
    const alerts = b.chart('monitoring').find((o) => o.kind === 'PrometheusRule')!.spec.groups[0].rules.map((r: { alert: string }) => r.alert);
    expect(alerts.filter((a: string) => /LoadBalancer|ExternalDns/.test(a))).toEqual([]);
    expect(alerts).toContain('TLSSecretExpiring');
    expect(watchedNamespaces(c)).not.toContain('external-dns');
  });

  it('WHEN delivered by GitOps THEN the params wait for the controller\'s CRDs in a later sync wave', () => {
    const c = config('dev', { 'platform:delivery': { mode: 'gitops', repoURL: 'https://github.com/example-org/platform.git' } });
    const params = synth(c).chart('ingress').find((o) => o.kind === 'IngressClassParams')!;
    expect(releaseDefining('elbv2.k8s.aws/v1beta1')?.name).toBe('aws-load-balancer-controller');
    expect(params.metadata.annotations).toEqual({ 'argocd.argoproj.io/sync-wave': '1', 'argocd.argoproj.io/sync-options': 'SkipDryRunOnMissingResource=true' });
  });
});

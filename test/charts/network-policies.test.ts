/**
 * Every namespace the platform creates has NetworkPolicies (CIS EKS 5.3.2): the add-on namespaces a
 * default deny plus what their components need, with ports read off the pinned charts.
 */
import { parseStackConfig, type PlatformConfig } from '../../infra/config';
import { platformObjects, placeholderInputs } from '../../charts';
import { ADDON_TRAFFIC } from '../../charts/base/network-policies';
import { gatekeeperValues } from '../../charts/gatekeeper/values';
import { ARGOCD_CHART, EXTERNAL_SECRETS_CHART, GATEKEEPER_CHART, KARPENTER_CHART, KUBE_PROMETHEUS_STACK_CHART } from '../../charts/versions';
import { stackConfig } from '../helpers/pulumi';

type Obj = { kind: string; metadata: { name: string; namespace?: string }; spec?: Record<string, unknown> };
const config = (stack: 'dev' | 'prod', overrides: Record<string, unknown> = {}): PlatformConfig => parseStackConfig(stackConfig(stack, overrides), `Pulumi.${stack}.yaml`);
const objectsOf = (c: PlatformConfig): Obj[] => platformObjects(c, placeholderInputs(c)).charts.flatMap((ch) => ch.objects) as unknown as Obj[];
const policiesIn = (objects: Obj[], ns: string) => objects.filter((o) => o.kind === 'NetworkPolicy' && o.metadata.namespace === ns);

describe('add-on NetworkPolicies', () => {
  it('GIVEN the ports THEN they were read at the pinned chart versions (a bump must read them again)', () => {
    expect(Object.fromEntries(ADDON_TRAFFIC.map((t) => [t.addon, t.readAt]))).toEqual({
      gatekeeper: `v${GATEKEEPER_CHART.version}`,
      externalSecrets: `helm-chart-${EXTERNAL_SECRETS_CHART.version}`,
      karpenter: `v${KARPENTER_CHART.version}`,
      argocd: `argo-cd-${ARGOCD_CHART.version}`,
      monitoring: `kube-prometheus-stack-${KUBE_PROMETHEUS_STACK_CHART.version}`,
    });
    // Our values keep the charts' ports (a value moving a port would need the policy to follow).
    const gk = gatekeeperValues(config('prod')) as { controllerManager: Record<string, unknown> };
    expect([gk.controllerManager.port, gk.controllerManager.metricsPort]).toEqual([undefined, undefined]);
  });

  it.each(['dev', 'prod'] as const)('GIVEN %s THEN every namespace the platform creates has a default deny of ingress and egress', (stack) => {
    const objects = objectsOf(config(stack));
    const namespaces = objects.filter((o) => o.kind === 'Namespace').map((o) => o.metadata.name);
    expect(namespaces.length).toBeGreaterThan(5);
    for (const ns of namespaces) {
      const deny = policiesIn(objects, ns).find((p) => p.metadata.name === 'default-deny');
      expect([ns, deny?.spec]).toEqual([ns, { podSelector: {}, policyTypes: ['Ingress', 'Egress'] }]);
    }
  });

  it('GIVEN prod THEN each add-on namespace allows DNS, the API server, webhook calls from the VPC and scraping from monitoring on its chart ports', () => {
    const c = config('prod');
    const objects = objectsOf(c);
    const vpc = { ipBlock: { cidr: c.network.vpcCidr } };
    const tcp = (port: number) => ({ protocol: 'TCP', port });
    const rule = (ns: string, name: string) => policiesIn(objects, ns).find((p) => p.metadata.name === name)?.spec;
    for (const t of ADDON_TRAFFIC) {
      expect(rule(t.namespace, 'allow-dns')).toEqual({ podSelector: {}, policyTypes: ['Egress'], egress: [{ to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }], ports: [{ protocol: 'UDP', port: 53 }, tcp(53)] }] });
      expect(rule(t.namespace, 'allow-api-server')).toEqual({ podSelector: {}, policyTypes: ['Egress'], egress: [{ to: [vpc], ports: [tcp(443)] }] });
      expect([t.namespace, rule(t.namespace, 'allow-api-server-webhooks')]).toEqual([t.namespace, t.webhookPorts.length === 0 ? undefined : { podSelector: {}, policyTypes: ['Ingress'], ingress: [{ from: [vpc], ports: t.webhookPorts.map(tcp) }] }]);
    }
    expect(rule('gatekeeper-system', 'allow-api-server-webhooks')).toMatchObject({ ingress: [{ ports: [tcp(8443)] }] });
    expect(rule('external-secrets', 'allow-prometheus-scrape')).toEqual({ podSelector: {}, policyTypes: ['Ingress'], ingress: [{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } }], ports: [tcp(8080)] }] });
    expect(rule('argocd', 'allow-outside')).toEqual({ podSelector: {}, policyTypes: ['Egress'], egress: [{ to: [{ ipBlock: { cidr: '0.0.0.0/0' } }], ports: [tcp(22), tcp(443)] }] });
    // Gatekeeper and Karpenter call nothing in their own namespace; nothing outside for Gatekeeper.
    expect([rule('gatekeeper-system', 'allow-same-namespace'), rule('gatekeeper-system', 'allow-outside'), rule('karpenter', 'allow-same-namespace')]).toEqual([undefined, undefined, undefined]);
  });

  it('GIVEN an add-on disabled THEN its namespace gets no policies', () => {
    const objects = objectsOf(config('dev', { 'platform:addons': { gatekeeper: true, argocd: false, monitoring: true, externalSecrets: true, karpenter: true } }));
    expect(policiesIn(objects, 'argocd')).toEqual([]);
    expect(policiesIn(objects, 'karpenter').map((p) => p.metadata.name).sort()).toEqual(['allow-api-server', 'allow-dns', 'allow-outside', 'allow-prometheus-scrape', 'default-deny']);
  });
});

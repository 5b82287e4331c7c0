/**
 * Every namespace the platform creates has NetworkPolicies (CIS EKS 5.3.2): the add-on namespaces a
 * default deny plus what their components need, with ports read off the pinned charts (and found
 * among the container ports of the pods the chart models render, test/charts/upstream).
 */
import { parseStackConfig } from '../../lib/config/load';
import type { PlatformConfig } from '../../model/config';
import { NAMESPACES, platformObjects, placeholderInputs } from '../../charts';
import { argocdValues } from '../../charts/argocd/values';
import { ADDON_TRAFFIC } from '../../charts/base/network-policies';
import { gatekeeperValues } from '../../charts/gatekeeper/values';
import {
  ARGOCD_CHART,
  AWS_LOAD_BALANCER_CONTROLLER_CHART,
  EXTERNAL_DNS_CHART,
  EXTERNAL_SECRETS_CHART,
  GATEKEEPER_CHART,
  KARPENTER_CHART,
  KUBE_PROMETHEUS_STACK_CHART,
} from '../../charts/versions';
import { stackConfig } from '../helpers/pulumi';
import { renderReleases } from './upstream';

type Obj = { kind: string; metadata: { name: string; namespace?: string }; spec?: Record<string, unknown> };
const config = (stack: 'dev' | 'prod', overrides: Record<string, unknown> = {}): PlatformConfig => parseStackConfig(stackConfig(stack, overrides), `Pulumi.${stack}.yaml`);
const objectsOf = (c: PlatformConfig): Obj[] => platformObjects(c, placeholderInputs(c)).charts.flatMap((ch) => ch.objects) as unknown as Obj[];
const policiesIn = (objects: Obj[], ns: string) => objects.filter((o) => o.kind === 'NetworkPolicy' && o.metadata.namespace === ns);

describe('add-on NetworkPolicies', () => {
  it('GIVEN the ports THEN they were read at the pinned chart versions (a bump must read them again)', () => {
    expect(Object.fromEntries(ADDON_TRAFFIC.map((t) => [t.namespace, t.readAt]))).toEqual({
      [NAMESPACES.gatekeeper]: `v${GATEKEEPER_CHART.version}`,
      [NAMESPACES.externalSecrets]: `helm-chart-${EXTERNAL_SECRETS_CHART.version}`,
      [NAMESPACES.karpenter]: `v${KARPENTER_CHART.version}`,
      [NAMESPACES.argocd]: `argo-cd-${ARGOCD_CHART.version}`,
      [NAMESPACES.monitoring]: `kube-prometheus-stack-${KUBE_PROMETHEUS_STACK_CHART.version}`,
      [NAMESPACES.nodeExporter]: `kube-prometheus-stack-${KUBE_PROMETHEUS_STACK_CHART.version}`,
      [NAMESPACES.loadBalancerController]: `v${AWS_LOAD_BALANCER_CONTROLLER_CHART.version}`,
      [NAMESPACES.externalDns]: `external-dns-helm-chart-${EXTERNAL_DNS_CHART.version}`,
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

  it.each(['dev', 'prod'] as const)('GIVEN %s THEN each webhook and metrics port of a namespace is a container port of a pod the pinned charts render there', (stack) => {
    const ports = new Map<string, Set<number>>();
    for (const r of renderReleases(config(stack))) {
      for (const w of r.workloads) {
        const ns = w.namespace ?? r.release.namespace;
        const set = ports.get(ns) ?? new Set<number>();
        for (const c of [...w.pod.containers, ...(w.pod.initContainers ?? [])]) for (const p of c.ports ?? []) set.add(p.containerPort);
        ports.set(ns, set);
      }
    }
    for (const t of ADDON_TRAFFIC) {
      const rendered = ports.get(t.namespace) ?? new Set<number>();
      expect({ namespace: t.namespace, missing: [...t.webhookPorts, ...t.metricsPorts].filter((p) => !rendered.has(p)) }).toEqual({ namespace: t.namespace, missing: [] });
    }
    // The node-exporter namespace holds host-network pods only, which the policy agent leaves alone.
    expect(renderReleases(config(stack)).flatMap((r) => r.workloads).filter((w) => w.namespace === NAMESPACES.nodeExporter).map((w) => w.pod.hostNetwork)).toEqual([true]);
  });

  it("GIVEN Argo CD's values THEN the chart's own NetworkPolicies are off (they admit its server from anywhere): the platform's are the only ones", () => {
    for (const stack of ['dev', 'prod'] as const) expect((argocdValues(config(stack)).global as { networkPolicy: unknown }).networkPolicy).toEqual({ create: false });
  });

  it('GIVEN prod THEN each add-on namespace allows DNS, the API server, webhook calls from the VPC and scraping from monitoring on its chart ports', () => {
    const c = config('prod', { 'platform:addons': { gatekeeper: true, argocd: true, monitoring: true, externalSecrets: true, karpenter: true, ingress: true } });
    const objects = objectsOf(c);
    const vpc = { ipBlock: { cidr: c.network.vpcCidr } };
    const tcp = (port: number) => ({ protocol: 'TCP', port });
    const rule = (ns: string, name: string) => policiesIn(objects, ns).find((p) => p.metadata.name === name)?.spec;
    for (const t of ADDON_TRAFFIC.filter((x) => !x.hostNetworkOnly)) {
      expect(rule(t.namespace, 'allow-dns')).toEqual({ podSelector: {}, policyTypes: ['Egress'], egress: [{ to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }], ports: [{ protocol: 'UDP', port: 53 }, tcp(53)] }] });
      expect(rule(t.namespace, 'allow-api-server')).toEqual({ podSelector: {}, policyTypes: ['Egress'], egress: [{ to: [vpc], ports: [tcp(443)] }] });
      expect([t.namespace, rule(t.namespace, 'allow-api-server-webhooks')]).toEqual([t.namespace, t.webhookPorts.length === 0 ? undefined : { podSelector: {}, policyTypes: ['Ingress'], ingress: [{ from: [vpc], ports: t.webhookPorts.map(tcp) }] }]);
    }
    expect(rule('gatekeeper-system', 'allow-api-server-webhooks')).toMatchObject({ ingress: [{ ports: [tcp(8443)] }] });
    expect(rule('external-secrets', 'allow-prometheus-scrape')).toEqual({ podSelector: {}, policyTypes: ['Ingress'], ingress: [{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } }], ports: [tcp(8080)] }] });
    expect(rule('argocd', 'allow-outside')).toEqual({ podSelector: {}, policyTypes: ['Egress'], egress: [{ to: [{ ipBlock: { cidr: '0.0.0.0/0' } }], ports: [tcp(22), tcp(443)] }] });
    // Gatekeeper and Karpenter call nothing in their own namespace; nothing outside for Gatekeeper.
    expect([rule('gatekeeper-system', 'allow-same-namespace'), rule('gatekeeper-system', 'allow-outside'), rule('karpenter', 'allow-same-namespace')]).toEqual([undefined, undefined, undefined]);
    // The ingress controllers: the API server calls the load balancer controller's webhooks on 9443; both reach AWS on 443.
    expect(rule(NAMESPACES.loadBalancerController, 'allow-api-server-webhooks')).toMatchObject({ ingress: [{ ports: [tcp(9443)] }] });
    expect(rule(NAMESPACES.externalDns, 'allow-prometheus-scrape')).toMatchObject({ ingress: [{ ports: [tcp(7979)] }] });
    expect(rule(NAMESPACES.externalDns, 'allow-outside')).toEqual({ podSelector: {}, policyTypes: ['Egress'], egress: [{ to: [{ ipBlock: { cidr: '0.0.0.0/0' } }], ports: [tcp(443)] }] });
    // Every namespace whose pods take AWS credentials from EKS Pod Identity reaches the agent on its node; no other does.
    const podIdentity = { podSelector: {}, policyTypes: ['Egress'], egress: [{ to: [{ ipBlock: { cidr: '169.254.170.23/32' } }], ports: [tcp(80)] }] };
    const reaching = ADDON_TRAFFIC.filter((t) => rule(t.namespace, 'allow-pod-identity-agent') !== undefined);
    expect(reaching.map((t) => t.namespace).sort()).toEqual([NAMESPACES.externalDns, NAMESPACES.externalSecrets, NAMESPACES.karpenter, NAMESPACES.loadBalancerController].sort());
    for (const t of reaching) expect(rule(t.namespace, 'allow-pod-identity-agent')).toEqual(podIdentity);
    // Those are the namespaces of the base chart's ServiceAccounts, each bound to an AWS role by EKS Pod Identity.
    const base = platformObjects(c, placeholderInputs(c)).charts.find((ch) => ch.id === 'base')!.objects as unknown as Obj[];
    expect([...new Set(base.filter((o) => o.kind === 'ServiceAccount').map((o) => o.metadata.namespace))].sort()).toEqual(reaching.map((t) => t.namespace).sort());
    // The node-exporter namespace: the default deny and nothing else.
    expect(policiesIn(objects, NAMESPACES.nodeExporter).map((p) => p.metadata.name)).toEqual(['default-deny']);
  });

  it('GIVEN an add-on disabled THEN its namespace gets no policies', () => {
    const objects = objectsOf(config('dev', { 'platform:addons': { gatekeeper: true, argocd: false, monitoring: true, externalSecrets: true, karpenter: true, ingress: false } }));
    expect([policiesIn(objects, 'argocd'), policiesIn(objects, NAMESPACES.loadBalancerController), policiesIn(objects, NAMESPACES.externalDns)]).toEqual([[], [], []]);
    expect(policiesIn(objects, 'karpenter').map((p) => p.metadata.name).sort()).toEqual(['allow-api-server', 'allow-dns', 'allow-outside', 'allow-pod-identity-agent', 'allow-prometheus-scrape', 'default-deny']);
  });
});

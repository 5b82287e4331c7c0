/* eslint-disable @typescript-eslint/no-explicit-any -- Helm values and rendered pods are untyped JSON queried field by field */
/**
 * The ingress releases' values against their pinned charts, without Helm: every key we set exists in
 * the chart's values.yaml at its tag (or lies under a subtree the chart renders verbatim), and the pods
 * the chart renders from our values meet the Pod Security level of their namespace, checked by the
 * platform's own policy library and by the restricted profile's rules directly.
 */
import * as path from 'node:path';
import { type PlatformConfig } from '../../model/config';
import { readStackConfigFile } from '../../lib/config/load';
import { REPO_ROOT } from '../../lib/stack';
import { policiesFor } from '../../lib/policy/check';
import { HELM_RELEASES, placeholderInputs, synthesizePlatform } from '../../charts';
import {
  AWS_LOAD_BALANCER_CONTROLLER_VALUES,
  EXTERNAL_DNS_VALUES,
  POD_DEFAULTS,
  X509_CERTIFICATE_EXPORTER_VALUES,
  type UpstreamChartValues,
} from './upstream-chart-values';

const configs: Record<'dev' | 'prod', PlatformConfig> = {
  dev: readStackConfigFile(path.join(REPO_ROOT, 'Pulumi.dev.yaml')),
  prod: readStackConfigFile(path.join(REPO_ROOT, 'Pulumi.prod.yaml')),
};

function valuesOf(stack: 'dev' | 'prod', release: string): Record<string, any> {
  const r = HELM_RELEASES.find((x) => x.name === release);
  if (!r) throw new Error(`no release ${release}`);
  return r.values(configs[stack], placeholderInputs(configs[stack]));
}

/** Leaf key paths of a values object (arrays are leaves: Helm replaces lists whole). */
function leafPaths(value: unknown, prefix = ''): string[] {
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.length === 0) return [prefix];
    return entries.flatMap(([k, v]) => leafPaths(v, prefix ? `${prefix}.${k}` : k));
  }
  return [prefix];
}

/** Our key paths the chart does not know: neither in its values.yaml nor under a verbatim subtree. */
function unknownKeys(values: Record<string, unknown>, chart: UpstreamChartValues): string[] {
  const keys = new Set(chart.keys);
  return leafPaths(values).filter((p) => !keys.has(p) && !chart.passThrough.some((root) => p === root || p.startsWith(`${root}.`)));
}

const CHARTS: [string, UpstreamChartValues][] = [
  ['aws-load-balancer-controller', AWS_LOAD_BALANCER_CONTROLLER_VALUES],
  ['external-dns', EXTERNAL_DNS_VALUES],
  ['x509-certificate-exporter', X509_CERTIFICATE_EXPORTER_VALUES],
];

describe('values keys exist in the pinned charts', () => {
  it.each(CHARTS.flatMap(([release, chart]) => (['dev', 'prod'] as const).map((stack) => [stack, release, chart] as const)))(
    'GIVEN the %s stack WHEN the %s values are built THEN every key path is one of the chart\'s',
    (stack, release, chart) => {
      const values = valuesOf(stack, release);
      expect(leafPaths(values).length).toBeGreaterThan(5);
      expect(unknownKeys(values, chart)).toEqual([]);
    },
  );

  it('GIVEN a misspelled or invented key WHEN checked THEN it is reported, also under a known map', () => {
    const values = { ...valuesOf('prod', 'aws-load-balancer-controller'), securtyContext: { runAsNonRoot: true }, serviceAccount: { create: false, nmae: 'x' } };
    expect(unknownKeys(values, AWS_LOAD_BALANCER_CONTROLLER_VALUES)).toEqual(['serviceAccount.nmae', 'securtyContext.runAsNonRoot']);
    // Keys below a verbatim subtree pass: the chart renders them as written.
    expect(unknownKeys({ securityContext: { seccompProfile: { type: 'RuntimeDefault' } } }, AWS_LOAD_BALANCER_CONTROLLER_VALUES)).toEqual([]);
  });

  it('GIVEN the recorded facts THEN they hold the keys the values rely on (a wrong recording would pass everything)', () => {
    expect(AWS_LOAD_BALANCER_CONTROLLER_VALUES.keys).toEqual(expect.arrayContaining(['clusterName', 'region', 'vpcTags', 'defaultSSLPolicy', 'disableIngressClassAnnotation', 'enableWafv2', 'ingressClassParams.create']));
    expect(AWS_LOAD_BALANCER_CONTROLLER_VALUES.keys).not.toContain('vpcId.value');
    expect(EXTERNAL_DNS_VALUES.keys).toEqual(expect.arrayContaining(['txtOwnerId', 'domainFilters', 'policy', 'registry', 'provider.name', 'extraArgs']));
    expect(X509_CERTIFICATE_EXPORTER_VALUES.keys).toEqual(expect.arrayContaining(['secretsExporter.includeNamespaces', 'prometheusRules.create', 'prometheusServiceMonitor.create']));
    expect(AWS_LOAD_BALANCER_CONTROLLER_VALUES.keys).toHaveLength(169);
    expect(EXTERNAL_DNS_VALUES.keys).toHaveLength(159);
    expect(X509_CERTIFICATE_EXPORTER_VALUES.keys).toHaveLength(287);
  });
});

// ---------------------------------------------------------------------------------------------
// Pods as the charts render them.

/** Helm's coalescing of user values over chart defaults: maps merge key by key, anything else is replaced. */
function merge(base: unknown, over: unknown): any {
  if (over === undefined) return base;
  if (base && over && typeof base === 'object' && typeof over === 'object' && !Array.isArray(base) && !Array.isArray(over)) {
    const out: Record<string, unknown> = { ...(base as Record<string, unknown>) };
    for (const [k, v] of Object.entries(over as Record<string, unknown>)) out[k] = merge(out[k], v);
    return out;
  }
  return over;
}

function deployment(name: string, namespace: string, podSpec: Record<string, unknown>): Record<string, any> {
  const labels = { 'app.kubernetes.io/name': name, 'app.kubernetes.io/instance': name };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace, labels },
    spec: { replicas: 1, selector: { matchLabels: labels }, template: { metadata: { labels }, spec: podSpec } },
  };
}

/** The controller's pod (templates/deployment.yaml at v3.5.0): one container, the webhook certificate as a secret volume. */
function renderLoadBalancerController(values: Record<string, any>): Record<string, any> {
  const v = merge(POD_DEFAULTS['aws-load-balancer-controller'], values);
  return deployment('aws-load-balancer-controller', 'aws-load-balancer-controller', {
    serviceAccountName: v.serviceAccount.name,
    volumes: [{ name: 'cert', secret: { defaultMode: 420, secretName: 'aws-load-balancer-tls' } }],
    securityContext: v.podSecurityContext,
    ...(v.hostNetwork ? { hostNetwork: true } : {}),
    containers: [
      {
        name: 'aws-load-balancer-controller',
        args: [`--cluster-name=${v.clusterName}`, '--ingress-class=alb'],
        securityContext: v.securityContext,
        image: `${v.image.repository}:${v.image.tag}`,
        volumeMounts: [{ mountPath: '/tmp/k8s-webhook-server/serving-certs', name: 'cert', readOnly: true }],
        ports: [{ name: 'webhook-server', containerPort: 9443, protocol: 'TCP' }, { name: 'metrics-server', containerPort: 8080, protocol: 'TCP' }],
        resources: v.resources,
      },
    ],
    nodeSelector: v.nodeSelector,
    tolerations: v.tolerations,
    priorityClassName: v.priorityClassName,
  });
}

/** external-dns' pod (templates/deployment.yaml at external-dns-helm-chart-1.21.1): no volumes for the aws provider. */
function renderExternalDns(values: Record<string, any>): Record<string, any> {
  const v = merge(POD_DEFAULTS['external-dns'], values);
  return deployment('external-dns', 'external-dns', {
    automountServiceAccountToken: true,
    serviceAccountName: v.serviceAccount.name,
    securityContext: v.podSecurityContext,
    containers: [
      {
        name: 'external-dns',
        securityContext: v.securityContext,
        image: `${v.image.repository}:${v.image.tag}`,
        env: v.env,
        args: ['--provider=aws', `--txt-owner-id=${v.txtOwnerId}`],
        ports: [{ name: 'http', protocol: 'TCP', containerPort: 7979 }],
        resources: v.resources,
      },
    ],
  });
}

/** The exporter's Secrets pod (chart/templates/deployment.yaml at v4.2.0). */
function renderX509Exporter(values: Record<string, any>): Record<string, any> {
  const v = merge(POD_DEFAULTS['x509-certificate-exporter'], values);
  const s = v.secretsExporter;
  return deployment('x509-certificate-exporter', 'monitoring', {
    securityContext: s.podSecurityContext,
    containers: [
      {
        name: 'x509-certificate-exporter',
        securityContext: s.securityContext,
        resources: s.resources,
        image: `${v.image.registry}/${v.image.repository}:${v.image.tag}`,
        ports: [{ name: 'metrics', containerPort: 9793 }],
      },
    ],
  });
}

const ALLOWED_VOLUME_SOURCES = ['configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'persistentVolumeClaim', 'projected', 'secret'];

/**
 * The restricted Pod Security Standard (Kubernetes docs, "Pod Security Standards", restricted profile),
 * as the fields these pods can break it with.
 */
function restrictedProblems(pod: Record<string, any>): string[] {
  const problems: string[] = [];
  if (pod.hostNetwork || pod.hostPID || pod.hostIPC) problems.push('host namespaces');
  for (const volume of pod.volumes ?? []) {
    const source = Object.keys(volume).find((k) => k !== 'name');
    if (!source || !ALLOWED_VOLUME_SOURCES.includes(source)) problems.push(`volume ${volume.name} of type ${source}`);
  }
  for (const c of pod.containers) {
    const sc = c.securityContext ?? {};
    const where = `container ${c.name}`;
    if (sc.privileged) problems.push(`${where}: privileged`);
    if (sc.allowPrivilegeEscalation !== false) problems.push(`${where}: allowPrivilegeEscalation is not false`);
    const drop: string[] = sc.capabilities?.drop ?? [];
    if (!drop.includes('ALL')) problems.push(`${where}: capabilities do not drop ALL`);
    if ((sc.capabilities?.add ?? []).some((cap: string) => cap !== 'NET_BIND_SERVICE')) problems.push(`${where}: adds capabilities`);
    if ((sc.runAsNonRoot ?? pod.securityContext?.runAsNonRoot) !== true) problems.push(`${where}: runAsNonRoot is not true`);
    if ((sc.runAsUser ?? pod.securityContext?.runAsUser) === 0) problems.push(`${where}: runs as UID 0`);
    const seccomp = sc.seccompProfile?.type ?? pod.securityContext?.seccompProfile?.type;
    if (seccomp !== 'RuntimeDefault' && seccomp !== 'Localhost') problems.push(`${where}: seccomp profile is ${String(seccomp)}`);
    if ((c.ports ?? []).some((p: { hostPort?: number }) => p.hostPort)) problems.push(`${where}: host port`);
  }
  return problems;
}

describe.each(['dev', 'prod'] as const)('%s: the ingress releases\' pods', (stack) => {
  const namespaces = new Map(
    synthesizePlatform(configs[stack], placeholderInputs(configs[stack]))
      .charts.flatMap((c) => c.objects)
      .filter((o) => o.kind === 'Namespace')
      .map((o) => [o.metadata.name as string, o as Record<string, any>]),
  );
  const policies = policiesFor([]);
  const cases: [string, Record<string, any>][] = [
    ['aws-load-balancer-controller', renderLoadBalancerController(valuesOf(stack, 'aws-load-balancer-controller'))],
    ['external-dns', renderExternalDns(valuesOf(stack, 'external-dns'))],
    ['x509-certificate-exporter', renderX509Exporter(valuesOf(stack, 'x509-certificate-exporter'))],
  ];

  it.each(cases)('GIVEN %s WHEN rendered from the chart defaults and our values THEN its pod meets the restricted profile', (_name, d) => {
    const pod = d.spec.template.spec;
    expect(restrictedProblems(pod)).toEqual([]);
    expect(pod.containers[0].securityContext.readOnlyRootFilesystem).toBe(true);
    expect(pod.containers[0].resources.limits.memory).toMatch(/^\d+Mi$/);
  });

  it.each(cases.slice(0, 2))('GIVEN %s THEN its namespace enforces restricted and the policy library admits its Deployment', (_name, d) => {
    const namespace = namespaces.get(d.metadata.namespace)!;
    expect(namespace.metadata.labels).toMatchObject({ 'pod-security.kubernetes.io/enforce': 'restricted', 'pod-security.kubernetes.io/enforce-version': `v${configs[stack].kubernetesVersion}` });
    expect(policies.review({ object: d, operation: 'CREATE', namespaceObject: namespace })).toEqual([]);
  });

  it('GIVEN the controller\'s chart defaults alone THEN they fall short of restricted (the values are what fix it)', () => {
    const bare = renderLoadBalancerController({ clusterName: 'c', serviceAccount: { name: 'aws-load-balancer-controller' } });
    expect(restrictedProblems(bare.spec.template.spec)).toEqual([
      'container aws-load-balancer-controller: capabilities do not drop ALL',
      'container aws-load-balancer-controller: seccomp profile is undefined',
    ]);
    const namespace = namespaces.get('aws-load-balancer-controller')!;
    expect(policies.review({ object: bare, operation: 'CREATE', namespaceObject: namespace }).map((v) => v.constraint)).toEqual(expect.arrayContaining(['capabilities', 'seccomp']));
  });

  it('GIVEN the controller THEN it runs on the system nodes; in prod two replicas spread over zones with a PDB (the chart renders one only above one replica, templates/pdb.yaml)', () => {
    const v = valuesOf(stack, 'aws-load-balancer-controller');
    expect(v.nodeSelector).toEqual({ 'platform.io/node-pool': 'system' });
    expect(v.tolerations).toEqual([{ key: 'CriticalAddonsOnly', operator: 'Exists', effect: 'NoSchedule' }]);
    const spread = [
      {
        maxSkew: 1,
        topologyKey: 'topology.kubernetes.io/zone',
        whenUnsatisfiable: 'DoNotSchedule',
        labelSelector: { matchLabels: { 'app.kubernetes.io/name': 'aws-load-balancer-controller', 'app.kubernetes.io/instance': 'aws-load-balancer-controller' } },
      },
    ];
    const expected = { prod: { replicaCount: 2, podDisruptionBudget: { maxUnavailable: 1 }, topologySpreadConstraints: spread }, dev: { replicaCount: 1, podDisruptionBudget: undefined, topologySpreadConstraints: undefined } };
    expect({ replicaCount: v.replicaCount, podDisruptionBudget: v.podDisruptionBudget, topologySpreadConstraints: v.topologySpreadConstraints }).toEqual(expected[stack]);
  });
});

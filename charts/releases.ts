/** The Helm releases of the platform add-ons: same pins and values for `platform synth` and for Pulumi. */
import type { PlatformConfig } from '../model/config';
import type { AwsInputs } from './inputs';
import { parseApiVersion } from '../lib/api-version';
import { NAMESPACES } from '../model/namespaces';
import { ARGOCD_CHART, EXTERNAL_SECRETS_CHART, GATEKEEPER_CHART, KARPENTER_CHART, KUBE_PROMETHEUS_STACK_CHART, type HelmChartPin } from './versions';
import { gatekeeperValues } from './gatekeeper/values';
import { argocdValues } from './argocd/values';
import { monitoringValues } from './monitoring/values';
import { externalSecretsValues } from './external-secrets/values';
import { karpenterValues } from './karpenter/values';
import { AWS_LOAD_BALANCER_CONTROLLER_CHART, EXTERNAL_DNS_CHART, X509_CERTIFICATE_EXPORTER_CHART } from './versions';
import { LOAD_BALANCER_CONTROLLER_RELEASE, LOAD_BALANCER_CONTROLLER_RENDERED_ANEW, loadBalancerControllerValues } from './aws-load-balancer-controller/values';
import { EXTERNAL_DNS_RELEASE, externalDnsValues } from './external-dns/values';
import { X509_EXPORTER_RELEASE, x509ExporterValues } from './x509-certificate-exporter/values';

export interface HelmRelease {
  /** Key in `config.addons`; a disabled add-on gets no release and no values file. */
  readonly addon: keyof PlatformConfig['addons'];
  /** Release name; also the values file name (`values/<name>.yaml`). */
  readonly name: string;
  /** Namespace (created by the base chart, so releases run with createNamespace off). */
  readonly namespace: string;
  readonly pin: HelmChartPin;
  /** API groups of the CRDs the chart installs: objects of these groups must wait for the release. */
  readonly crdGroups: readonly string[];
  readonly values: (config: PlatformConfig, inputs: AwsInputs) => Record<string, unknown>;
  /**
   * Its pods become ready only once objects of the platform's own charts exist (the NodePools they are
   * placed on, a Secret an ExternalSecret writes). In GitOps mode Argo CD's sync waves wait for each
   * add-on Application to be healthy (charts/argocd/chart.ts), so its Application syncs after those
   * objects, and objects of its kinds after it. @default false
   */
  readonly readyAfterChartObjects?: boolean;
  /**
   * Fields the chart fills differently at every render when it cannot read the cluster (Argo CD renders
   * charts without cluster access: Helm's `lookup` returns nothing), e.g. a generated webhook certificate.
   * In GitOps mode its Application ignores them, in the diff and in the sync (charts/argocd/chart.ts).
   */
  readonly renderedAnew?: readonly ArgoIgnoreDifference[];
}

/**
 * One entry of an Argo CD Application's `spec.ignoreDifferences` (argoproj/argo-cd v3.4.4
 * docs/user-guide/diffing.md: group without version, kind, name, optional namespace, and the fields as
 * JSON pointers or jq path expressions).
 */
export interface ArgoIgnoreDifference {
  readonly group?: string;
  readonly kind: string;
  readonly name: string;
  readonly jsonPointers?: readonly string[];
  readonly jqPathExpressions?: readonly string[];
}

/** In install order: admission control first, so everything after it is checked. */
export const HELM_RELEASES: readonly HelmRelease[] = [
  {
    addon: 'gatekeeper', name: 'gatekeeper', namespace: NAMESPACES.gatekeeper, pin: GATEKEEPER_CHART,
    // constraints.gatekeeper.sh CRDs are created by Gatekeeper from each ConstraintTemplate.
    crdGroups: ['templates.gatekeeper.sh', 'constraints.gatekeeper.sh', 'config.gatekeeper.sh', 'mutations.gatekeeper.sh', 'status.gatekeeper.sh'],
    values: (c) => gatekeeperValues(c),
  },
  { addon: 'externalSecrets', name: 'external-secrets', namespace: NAMESPACES.externalSecrets, pin: EXTERNAL_SECRETS_CHART, crdGroups: ['external-secrets.io', 'generators.external-secrets.io'], values: (c) => externalSecretsValues(c) },
  { addon: 'karpenter', name: 'karpenter', namespace: NAMESPACES.karpenter, pin: KARPENTER_CHART, crdGroups: ['karpenter.sh', 'karpenter.k8s.aws'], values: (c, i) => karpenterValues(c, i) },
  // Prometheus and Alertmanager run on Karpenter's system-adjacent pool (charts/placement.ts: the karpenter
  // chart's NodePools) and Grafana reads its admin Secret from the monitoring chart's ExternalSecret.
  {
    addon: 'monitoring', name: 'kube-prometheus-stack', namespace: NAMESPACES.monitoring, pin: KUBE_PROMETHEUS_STACK_CHART, crdGroups: ['monitoring.coreos.com'],
    values: (c) => monitoringValues(c), readyAfterChartObjects: true,
  },
  { addon: 'argocd', name: 'argocd', namespace: NAMESPACES.argocd, pin: ARGOCD_CHART, crdGroups: ['argoproj.io'], values: (c) => argocdValues(c) },
  // Ingress (issue #16). The controller's chart installs the CRDs of crds/crds.yaml and crds/gateway-crds.yaml
  // at v3.5.0: elbv2.k8s.aws (IngressClassParams, TargetGroupBinding, ALBTargetControlConfig), aga.k8s.aws, gateway.k8s.aws.
  {
    addon: 'ingress', name: LOAD_BALANCER_CONTROLLER_RELEASE, namespace: NAMESPACES.loadBalancerController, pin: AWS_LOAD_BALANCER_CONTROLLER_CHART,
    crdGroups: ['elbv2.k8s.aws', 'aga.k8s.aws', 'gateway.k8s.aws'], values: (c, i) => loadBalancerControllerValues(c, i),
    renderedAnew: LOAD_BALANCER_CONTROLLER_RENDERED_ANEW,
  },
  // crds/dnsendpoints.externaldns.k8s.io.yaml in the chart at external-dns-helm-chart-1.21.1.
  { addon: 'ingress', name: EXTERNAL_DNS_RELEASE, namespace: NAMESPACES.externalDns, pin: EXTERNAL_DNS_CHART, crdGroups: ['externaldns.k8s.io'], values: (c, i) => externalDnsValues(c, i) },
  // Certificate expiry of the platform's TLS Secrets, for Prometheus (no CRDs).
  { addon: 'monitoring', name: X509_EXPORTER_RELEASE, namespace: NAMESPACES.monitoring, pin: X509_CERTIFICATE_EXPORTER_CHART, crdGroups: [], values: (c) => x509ExporterValues(c) },
];

/** The releases a stack installs, with their values. */
export function enabledReleases(config: PlatformConfig, inputs: AwsInputs): { release: HelmRelease; values: Record<string, unknown> }[] {
  return HELM_RELEASES.filter((r) => config.addons[r.addon]).map((release) => ({ release, values: release.values(config, inputs) }));
}

/** The release whose CRDs define objects of `apiVersion`, if any. */
export function releaseDefining(apiVersion: string): HelmRelease | undefined {
  const { group } = parseApiVersion(apiVersion);
  return HELM_RELEASES.find((r) => r.crdGroups.includes(group));
}

/**
 * The releases whose admission webhook fails closed: what every other object and release must wait for,
 * in both delivery modes (Pulumi's `dependsOn` in infra/platform.ts, Argo CD's sync waves in
 * charts/argocd/chart.ts). Gatekeeper's validating webhook matches CREATE and UPDATE of every resource,
 * cluster-scoped ones included, in every namespace without the ignore label
 * (open-policy-agent/gatekeeper v3.23.0, charts/gatekeeper/templates/
 * gatekeeper-validating-webhook-configuration-validatingwebhookconfiguration.yaml: `rules` apiGroups,
 * resources `*`, `scope: '*'`), and Helm registers it in the same install as the Deployment serving it.
 * When it fails closed (`validatingWebhookFailurePolicy: Fail`, prod), an object sent before
 * Gatekeeper's pods are ready is rejected; failing open (dev), nothing needs to wait for it.
 */
export function admissionReleases(installed: readonly HelmRelease[], values: Readonly<Record<string, Record<string, unknown>>>): string[] {
  const gatekeeper = installed.find((r) => r.addon === 'gatekeeper');
  if (!gatekeeper) return [];
  return values[gatekeeper.name]?.validatingWebhookFailurePolicy === 'Fail' ? [gatekeeper.name] : [];
}

/**
 * Values for the x509-certificate-exporter chart 4.2.0 (enix/x509-certificate-exporter tag v4.2.0,
 * `chart/`): watches the kubernetes.io/tls Secrets of the platform's namespaces (webhook serving
 * certificates of Gatekeeper, External Secrets and the load balancer controller, among others) and
 * exports `x509_cert_not_after` per Secret, which the platform's TLSSecretExpiring alert reads.
 *
 * Its defaults meet the restricted Pod Security Standard (values.yaml secretsExporter: pod runAsNonRoot
 * and RuntimeDefault seccomp, container UID/GID 65534, read-only root filesystem, no privilege
 * escalation, all capabilities dropped); the hostPath DaemonSets stay off (`hostPathsExporter.daemonSets: {}`).
 * Its ServiceMonitor and PrometheusRule are the platform's own (charts/monitoring): created after the
 * Prometheus CRDs exist, with the platform's runbook links.
 *
 * Trade-off, on purpose: the chart's ClusterRole reads Secrets cluster-wide (templates/clusterrole.yaml);
 * with several namespaces listed the exporter lists Secrets cluster-wide and filters by namespace itself
 * (cmd/x509-certificate-exporter/main.go). Its pod is restricted, in the monitoring namespace, and
 * exposes only metrics.
 */
import type { PlatformConfig } from '../../model/config';
import { NAMESPACES } from '../../model/namespaces';
import { systemNodes } from '../placement';
import { X509_CERTIFICATE_EXPORTER_CHART } from '../versions';

export const X509_EXPORTER_RELEASE = 'x509-certificate-exporter';

/**
 * Which add-on owns each platform namespace (a disabled add-on's namespace does not exist); `null`
 * for a namespace that holds no TLS Secret (node-exporter's pods serve plain metrics).
 */
const NAMESPACE_ADDON: Readonly<Record<keyof typeof NAMESPACES, keyof PlatformConfig['addons'] | null>> = {
  gatekeeper: 'gatekeeper',
  argocd: 'argocd',
  monitoring: 'monitoring',
  nodeExporter: null,
  externalSecrets: 'externalSecrets',
  karpenter: 'karpenter',
  loadBalancerController: 'ingress',
  externalDns: 'ingress',
};

/** The platform namespaces of the enabled add-ons, sorted. */
export function watchedNamespaces(config: PlatformConfig): string[] {
  return (Object.keys(NAMESPACES) as (keyof typeof NAMESPACES)[]).filter((k) => { const addon = NAMESPACE_ADDON[k]; return addon !== null && config.addons[addon]; }).map((k) => NAMESPACES[k]).sort();
}

export function x509ExporterValues(config: PlatformConfig): Record<string, unknown> {
  return {
    image: { tag: X509_CERTIFICATE_EXPORTER_CHART.appVersion },
    secretsExporter: {
      includeNamespaces: watchedNamespaces(config),
      resources: { requests: { cpu: '20m', memory: '64Mi' }, limits: { memory: '150Mi' } },
      // Helm waits for the Deployment: on the system nodes, like every pod a release waits for (charts/placement.ts).
      ...systemNodes(),
    },
    prometheusServiceMonitor: { create: false },
    prometheusRules: { create: false },
  };
}

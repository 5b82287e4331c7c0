/** Namespaces of the platform add-ons and why each gets the Pod Security level it gets. */
import { INGRESS_NAMESPACES } from '../infra/ingress-model';

export const NAMESPACES = {
  gatekeeper: 'gatekeeper-system',
  argocd: 'argocd',
  monitoring: 'monitoring',
  /**
   * node-exporter alone (kube-prometheus-stack's prometheus-node-exporter subchart, through its
   * `namespaceOverride`): it needs the host network, PID namespace and hostPath mounts, which only the
   * privileged Pod Security level admits. Giving it its own namespace keeps `monitoring` (Prometheus,
   * Grafana, the operator, which creates pods there) at restricted.
   */
  nodeExporter: 'node-exporter',
  externalSecrets: 'external-secrets',
  karpenter: 'karpenter',
  // Ingress: both run restricted (charts/aws-load-balancer-controller/values.ts, charts/external-dns/values.ts).
  loadBalancerController: INGRESS_NAMESPACES.loadBalancerController,
  externalDns: INGRESS_NAMESPACES.externalDns,
} as const;

/**
 * Namespaces no Gatekeeper constraint applies to, each for a reason:
 * - kube-system, kube-public, kube-node-lease: control-plane and EKS add-on components (vpc-cni,
 *   kube-proxy, CoreDNS) that need host access and are managed by EKS, not by us.
 * - gatekeeper-system: Gatekeeper must never block its own recovery.
 * - node-exporter: holds only the node-exporter DaemonSet, which needs the host network, PID namespace
 *   and /proc, /sys, / mounts (upstream chart).
 * The other add-on namespaces stay covered: their pods are restricted-compliant.
 */
export const POLICY_EXEMPT_NAMESPACES = ['kube-system', 'kube-public', 'kube-node-lease', NAMESPACES.gatekeeper, NAMESPACES.nodeExporter] as const;

/** Pod Security Admission labels: enforce `level`, always audit and warn at restricted, version pinned. */
export function podSecurityLabels(level: 'restricted' | 'baseline' | 'privileged', version: string): Record<string, string> {
  return {
    'pod-security.kubernetes.io/enforce': level,
    'pod-security.kubernetes.io/enforce-version': version,
    'pod-security.kubernetes.io/audit': 'restricted',
    'pod-security.kubernetes.io/audit-version': version,
    'pod-security.kubernetes.io/warn': 'restricted',
    'pod-security.kubernetes.io/warn-version': version,
  };
}

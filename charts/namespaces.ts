/** Which platform namespaces Gatekeeper leaves alone, and the Pod Security labels every namespace gets. */
import { NAMESPACES } from '../model/namespaces';

/**
 * Namespaces no Gatekeeper constraint applies to, each for a reason:
 * - kube-system, kube-public, kube-node-lease: control-plane and EKS add-on components (vpc-cni,
 *   kube-proxy, CoreDNS) that need host access and are managed by EKS, not by us.
 * - gatekeeper-system: Gatekeeper must never block its own recovery.
 * - node-exporter: holds only the node-exporter DaemonSet, which needs the host network, PID namespace
 *   and /proc, /sys, / mounts (upstream chart).
 * These are added to every constraint; the library's own constraints (policies/<name>/constraint.yaml)
 * also exclude the namespaces of add-ons installed from upstream charts (argocd, external-secrets,
 * karpenter, monitoring), whose pods are not in the synthesized output. The ingress add-ons' namespaces
 * and every tenant namespace stay covered.
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

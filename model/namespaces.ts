/**
 * The namespaces of the platform: those its add-ons own, those Kubernetes owns, and together the
 * names no tenant may take (the stack config refuses them).
 */

/** Namespaces of the platform add-ons, one each. */
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
  loadBalancerController: 'aws-load-balancer-controller',
  externalDns: 'external-dns',
} as const;

/** Namespaces every Kubernetes cluster has (kube-system also holds the EKS managed add-ons). */
export const KUBERNETES_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease'] as const;

/** Namespaces the platform itself owns; tenants may not take these names. */
export const RESERVED_NAMESPACES: readonly string[] = [...KUBERNETES_NAMESPACES, ...Object.values(NAMESPACES)];

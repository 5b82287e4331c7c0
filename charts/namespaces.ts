/** Which platform namespaces Gatekeeper leaves alone, and the Pod Security labels every namespace gets. */
import { NAMESPACES } from '../model/namespaces';

/**
 * The control plane's own namespaces: EKS and its managed add-ons (vpc-cni, kube-proxy, CoreDNS,
 * EBS CSI, Pod Identity agent) run there with host access and are managed by EKS, not by us; node
 * heartbeats (Leases in kube-node-lease) must never wait on a webhook.
 */
export const CONTROL_PLANE_NAMESPACES = ['kube-system', 'kube-public', 'kube-node-lease'] as const;

/**
 * Namespaces no Gatekeeper constraint applies to: the control plane's own, and gatekeeper-system
 * (Gatekeeper must never block its own recovery; its chart exempts its namespace from its webhook
 * unconditionally). Every add-on namespace is checked: upstream workloads that need what a policy
 * forbids are exempted by name for that policy (charts/gatekeeper/exemptions.ts).
 */
export const POLICY_EXEMPT_NAMESPACES = [...CONTROL_PLANE_NAMESPACES, NAMESPACES.gatekeeper] as const;

/**
 * The label Gatekeeper's validating webhook skips namespaces by: its namespaceSelector is
 * `admission.gatekeeper.sh/ignore DoesNotExist`, and only namespaces listed in the controller's
 * `--exempt-namespace` flags (chart value controllerManager.exemptNamespaces) may carry it; the
 * label's value is ignored and may say why (gatekeeper v3.23.0 website/docs/exempt-namespaces.md,
 * charts/gatekeeper/templates/gatekeeper-validating-webhook-configuration-validatingwebhookconfiguration.yaml).
 * Without the label the webhook is called for the control plane's namespaces too, and with
 * failurePolicy Fail a Gatekeeper outage would block node heartbeats and system pods.
 */
export const GATEKEEPER_IGNORE_LABEL = 'admission.gatekeeper.sh/ignore';

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

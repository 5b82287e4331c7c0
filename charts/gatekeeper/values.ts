import type { PlatformConfig } from '../../model/config';
import { GATEKEEPER_CHART } from '../versions';
import { POLICY_EXEMPT_NAMESPACES } from '../namespaces';
import { systemNodes } from '../placement';

const res = (cpu: string, memory: string, limit: string) => ({ requests: { cpu, memory }, limits: { memory: limit } });

/**
 * Hardened values for the upstream gatekeeper chart.
 *
 * Every pod of the release runs on the system nodes, hooks included: Helm runs the pre-install CRD
 * job (`crds.*`, templates/upgrade-crds-hook.yaml) before anything else of the release and the
 * post-install webhook probe (`postInstall.*`, templates/probe-webhook-post-install.yaml) before it
 * reports success; on Karpenter capacity they would wait for a node nothing has launched yet.
 * The chart gives each hook group its own nodeSelector/tolerations/affinity, none tolerating the
 * system taint by default (open-policy-agent/gatekeeper v3.23.0, charts/gatekeeper/values.yaml:
 * `crds`, `postInstall`, `postUpgrade`, `preUninstall` each `tolerations: []`,
 * `nodeSelector: { kubernetes.io/os: linux }`, and no `resources` for the post-install/upgrade jobs).
 */
export function gatekeeperValues(config: PlatformConfig): Record<string, unknown> {
  const prod = config.environment === 'prod';
  const g = config.gatekeeper;
  const hook = { ...systemNodes(), resources: res('10m', '32Mi', '64Mi') };
  return {
    image: { release: GATEKEEPER_CHART.appVersion },
    replicas: g.replicas,
    auditInterval: g.auditIntervalSeconds,
    constraintViolationsLimit: 100,
    // Fail closed in prod (3 replicas + PDB keep the webhook available); fail open in dev so a broken
    // webhook never blocks the team. System namespaces are exempt either way.
    validatingWebhookFailurePolicy: prod ? 'Fail' : 'Ignore',
    validatingWebhookTimeoutSeconds: 3,
    enableDeleteOperations: false,
    emitAdmissionEvents: true,
    emitAuditEvents: true,
    logDenies: true,
    // The chart's post-install job labels the namespace with kubectl; the namespace is ours and labelled
    // already. With it off, the chart runs its webhook probe job instead (templates/probe-webhook-post-install.yaml).
    postInstall: { labelNamespace: { enabled: false }, ...hook },
    postUpgrade: { ...hook },
    preUninstall: { ...hook },
    // `kubectl apply -f crds/` of every Gatekeeper CRD: more memory than the probes.
    crds: { ...systemNodes(), resources: res('50m', '64Mi', '256Mi') },
    pdb: { controllerManager: { minAvailable: g.replicas > 1 ? 1 : 0 } },
    // The admission webhook is critical: it runs on the system nodes, which exist before Karpenter does.
    controllerManager: {
      ...systemNodes(),
      exemptNamespaces: [...POLICY_EXEMPT_NAMESPACES],
      resources: res('100m', '256Mi', '512Mi'),
    },
    audit: { ...systemNodes(), resources: res('100m', '256Mi', '512Mi') },
  };
}

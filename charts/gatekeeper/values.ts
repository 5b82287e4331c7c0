import type { PlatformConfig } from '../../model/config';
import { GATEKEEPER_CHART } from '../versions';
import { POLICY_EXEMPT_NAMESPACES } from '../namespaces';
import { SYSTEM_NODE_LABELS, SYSTEM_NODE_TOLERATION } from '../../model/names';

/** Hardened values for the upstream gatekeeper chart. */
export function gatekeeperValues(config: PlatformConfig): Record<string, unknown> {
  const prod = config.environment === 'prod';
  const g = config.gatekeeper;
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
    // The chart's post-install job labels the namespace with kubectl; the namespace is ours and labelled already.
    postInstall: { labelNamespace: { enabled: false } },
    pdb: { controllerManager: { minAvailable: g.replicas > 1 ? 1 : 0 } },
    // The admission webhook is critical: it runs on the system nodes, which exist before Karpenter does.
    controllerManager: {
      nodeSelector: { ...SYSTEM_NODE_LABELS },
      tolerations: [{ ...SYSTEM_NODE_TOLERATION }],
      exemptNamespaces: [...POLICY_EXEMPT_NAMESPACES],
      resources: { requests: { cpu: '100m', memory: '256Mi' }, limits: { memory: '512Mi' } },
    },
    audit: { nodeSelector: { ...SYSTEM_NODE_LABELS }, tolerations: [{ ...SYSTEM_NODE_TOLERATION }], resources: { requests: { cpu: '100m', memory: '256Mi' }, limits: { memory: '512Mi' } } },
  };
}

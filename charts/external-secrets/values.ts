import type { PlatformConfig } from '../../model/config';
import { EXTERNAL_SECRETS_CHART } from '../versions';
import { WORKLOAD_IDENTITIES } from '../../model/identities';
import { systemNodes } from '../placement';

const res = (cpu: string, memory: string, limit: string) => ({ requests: { cpu, memory }, limits: { memory: limit } });

/**
 * Values for the upstream external-secrets chart; the ServiceAccount (Pod Identity) comes from the base chart.
 *
 * Its three Deployments (controller, webhook, cert-controller) run on the system nodes: other
 * releases read Secrets it writes at install (Grafana's admin), and its webhook admits the
 * ExternalSecrets the platform applies. Each Deployment takes `<component>.nodeSelector | default
 * global.nodeSelector` and the same for tolerations (external-secrets/external-secrets
 * helm-chart-2.8.0, deploy/charts/external-secrets/templates/deployment.yaml, webhook-deployment.yaml,
 * cert-controller-deployment.yaml; all four default to empty in values.yaml), so `global` places them all.
 */
export function externalSecretsValues(config: PlatformConfig): Record<string, unknown> {
  const replicas = config.environment === 'prod' ? 2 : 1;
  return {
    global: { ...systemNodes() },
    installCRDs: true,
    image: { tag: EXTERNAL_SECRETS_CHART.appVersion },
    replicaCount: replicas,
    serviceAccount: { create: false, name: WORKLOAD_IDENTITIES['external-secrets'].serviceAccount },
    podDisruptionBudget: { enabled: replicas > 1, minAvailable: 1 },
    resources: res('50m', '128Mi', '256Mi'),
    metrics: { service: { enabled: true } },
    webhook: { replicaCount: replicas, resources: res('25m', '64Mi', '128Mi'), podDisruptionBudget: { enabled: replicas > 1, minAvailable: 1 } },
    certController: { resources: res('25m', '64Mi', '128Mi') },
  };
}

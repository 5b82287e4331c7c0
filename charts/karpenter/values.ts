import type { PlatformConfig } from '../../model/config';
import type { AwsInputs } from '../inputs';
import { WORKLOAD_IDENTITIES } from '../../model/identities';
import { systemNodes } from '../placement';

/** User and group of the controller image; the chart runs its container as this user (runAsUser/runAsGroup 65532). */
const KARPENTER_UID = 65532;

/**
 * Values for the upstream karpenter chart; the ServiceAccount (Pod Identity) comes from the base chart.
 *
 * The pod security context is ours, not the chart's: `podSecurityContext` is rendered as given
 * (aws/karpenter-provider-aws charts/karpenter/templates/deployment.yaml), and chart 1.5.0 defaulted it
 * to `runAsNonRoot: false` (values.yaml), which the `karpenter` namespace's restricted Pod Security
 * level rejects at pod level whatever the container says. 1.14.1 dropped that key (values.yaml:
 * `fsGroup: 65532`, `seccompProfile: RuntimeDefault`); Helm merges maps key by key, so setting
 * `runAsNonRoot: true` here keeps the pod admissible whatever a future chart default says.
 */
export function karpenterValues(config: PlatformConfig, inputs: AwsInputs): Record<string, unknown> {
  const replicas = config.environment === 'prod' ? 2 : 1;
  return {
    replicas,
    serviceAccount: { create: false, name: WORKLOAD_IDENTITIES['karpenter-controller'].serviceAccount },
    // No clusterEndpoint: Karpenter looks it up with eks:DescribeCluster, so no value from outside can be stale.
    settings: { clusterName: inputs.clusterName, interruptionQueue: inputs.interruptionQueueName },
    podSecurityContext: { runAsNonRoot: true, runAsUser: KARPENTER_UID, runAsGroup: KARPENTER_UID, fsGroup: KARPENTER_UID, seccompProfile: { type: 'RuntimeDefault' } },
    // Karpenter cannot run on nodes it provisions: it lives on the tainted system node group.
    ...systemNodes(),
    podDisruptionBudget: { name: 'karpenter', maxUnavailable: 1 },
    controller: { resources: { requests: { cpu: '250m', memory: '512Mi' }, limits: { memory: '1Gi' } } },
    logLevel: 'info',
  };
}

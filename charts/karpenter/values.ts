import type { PlatformConfig } from '../../model/config';
import type { AwsInputs } from '../inputs';
import { WORKLOAD_IDENTITIES } from '../../model/identities';
import { SYSTEM_NODE_LABELS, SYSTEM_NODE_TOLERATION } from '../../model/names';

/** Values for the upstream karpenter chart; the ServiceAccount (Pod Identity) comes from the base chart. */
export function karpenterValues(config: PlatformConfig, inputs: AwsInputs): Record<string, unknown> {
  const replicas = config.environment === 'prod' ? 2 : 1;
  return {
    replicas,
    serviceAccount: { create: false, name: WORKLOAD_IDENTITIES['karpenter-controller'].serviceAccount },
    // No clusterEndpoint: Karpenter looks it up with eks:DescribeCluster, so no value from outside can be stale.
    settings: { clusterName: inputs.clusterName, interruptionQueue: inputs.interruptionQueueName },
    // Karpenter cannot run on nodes it provisions: it lives on the tainted system node group.
    nodeSelector: { ...SYSTEM_NODE_LABELS },
    tolerations: [{ ...SYSTEM_NODE_TOLERATION }],
    podDisruptionBudget: { name: 'karpenter', maxUnavailable: 1 },
    controller: { resources: { requests: { cpu: '250m', memory: '512Mi' }, limits: { memory: '1Gi' } } },
    logLevel: 'info',
  };
}

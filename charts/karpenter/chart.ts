import { ApiObject, Chart } from 'cdk8s';
import type { Construct } from 'constructs';
import type { EC2NodeClass, NodePool, NodeSelectorRequirement, DisruptionBudget, Taint } from '../../lib/schema/karpenter';
import { KARPENTER_DISCOVERY_TAG, ROOT_DEVICE_NAME } from '../../model/names';
import { KARPENTER_AMI_ALIAS } from '../versions';
import { PART_OF_LABEL, type PlatformChartProps } from '../context';
import { PLATFORM_POOL, PLATFORM_POOL_TAINT, POOL_LABEL, TENANT_POOL } from '../placement';

export { POOL_LABEL };
export const NODE_CLASS_NAME = 'default';

/**
 * NodePool weights. Karpenter tries the NodePools a pod is compatible with in descending weight
 * (aws/karpenter-provider-aws, website/content/en/v1.14/concepts/nodepools.md at 1d927085 "docs:
 * update for patch release v1.14.1": "If multiple NodePools are matched, Karpenter will use the
 * NodePool with the highest weight", and "It is recommended to create NodePools that are mutually
 * exclusive"; scheduling.md "Fallback": the default pool gets the higher weight). The pools are made
 * exclusive by the platform pool's taint; the weights decide only for a pod that tolerates that taint
 * without selecting a pool, and it belongs in the tenants' default pool.
 */
export const NODEPOOL_WEIGHTS = { [TENANT_POOL]: 20, [PLATFORM_POOL]: 10 } as const;

/**
 * Karpenter capacity: one EC2NodeClass (IMDSv2 only with hop limit 1, encrypted gp3 root volume with
 * the EBS key, pinned AMI, discovery by cluster tag) and two NodePools: on-demand `system-adjacent`
 * for platform add-ons (tainted: only pods tolerating PLATFORM_POOL_TAINT land there, see
 * charts/placement.ts), and `general` (spot and on-demand, spot first) for tenants. Limits split the
 * configured CPU and memory 1:3; consolidation and disruption budgets bound churn.
 */
export class KarpenterChart extends Chart {
  constructor(scope: Construct, id: string, { config, inputs }: PlatformChartProps) {
    super(scope, id);
    const k = config.karpenter;
    const prod = config.environment === 'prod';
    const labels = { ...PART_OF_LABEL };
    const discovery = [{ tags: { [KARPENTER_DISCOVERY_TAG]: inputs.clusterName } }];

    const nodeClass: EC2NodeClass = {
      apiVersion: 'karpenter.k8s.aws/v1',
      kind: 'EC2NodeClass',
      metadata: { name: NODE_CLASS_NAME, labels },
      spec: {
        amiSelectorTerms: [{ alias: KARPENTER_AMI_ALIAS }],
        role: inputs.karpenterNodeRoleName,
        subnetSelectorTerms: discovery,
        securityGroupSelectorTerms: discovery,
        // IMDSv2 only, and a hop limit of 1 so pods cannot reach the node's credentials.
        metadataOptions: { httpEndpoint: 'enabled', httpProtocolIPv6: 'disabled', httpPutResponseHopLimit: 1, httpTokens: 'required' },
        blockDeviceMappings: [
          { deviceName: ROOT_DEVICE_NAME, rootVolume: true, ebs: { volumeSize: '50Gi', volumeType: 'gp3', encrypted: true, kmsKeyID: inputs.ebsKmsKeyArn, deleteOnTermination: true } },
        ],
        associatePublicIPAddress: false,
        detailedMonitoring: prod,
        tags: { ...config.tags, 'eks:cluster-name': inputs.clusterName },
      },
    };
    new ApiObject(this, 'node-class', nodeClass as never);

    const systemCpu = Math.max(4, Math.floor(k.cpuLimit / 4));
    const systemMemory = Math.max(8, Math.floor(k.memoryLimitGiB / 4));
    const base: NodeSelectorRequirement[] = [
      { key: 'kubernetes.io/arch', operator: 'In', values: ['amd64', 'arm64'] },
      { key: 'kubernetes.io/os', operator: 'In', values: ['linux'] },
      { key: 'karpenter.k8s.aws/instance-category', operator: 'In', values: ['c', 'm', 'r'] },
      { key: 'karpenter.k8s.aws/instance-generation', operator: 'Gt', values: ['5'] },
    ];
    const nodeClassRef = { group: 'karpenter.k8s.aws', kind: 'EC2NodeClass', name: NODE_CLASS_NAME };

    const pool = (name: keyof typeof NODEPOOL_WEIGHTS, capacityTypes: string[], cpu: number, memoryGiB: number, disruption: NodePool['spec']['disruption'], taints: Taint[]): NodePool => ({
      apiVersion: 'karpenter.sh/v1',
      kind: 'NodePool',
      metadata: { name, labels },
      spec: {
        template: {
          metadata: { labels: { [POOL_LABEL]: name } },
          spec: {
            nodeClassRef,
            requirements: [...base, { key: 'karpenter.sh/capacity-type', operator: 'In', values: capacityTypes }],
            ...(taints.length > 0 ? { taints } : {}),
            expireAfter: '720h',
            terminationGracePeriod: '48h',
          },
        },
        disruption,
        limits: { cpu: String(cpu), memory: `${memoryGiB}Gi` },
        weight: NODEPOOL_WEIGHTS[name],
      },
    });

    // Prod: no voluntary consolidation of the general pool during weekday business hours (UTC).
    const businessHours: DisruptionBudget[] = prod ? [{ nodes: '0', schedule: '0 7 * * 1-5', duration: '11h', reasons: ['Underutilized'] }] : [];
    new ApiObject(
      this,
      'pool-system',
      pool(PLATFORM_POOL, ['on-demand'], systemCpu, systemMemory, { consolidationPolicy: 'WhenEmpty', consolidateAfter: '10m', budgets: [{ nodes: '1' }] }, [{ ...PLATFORM_POOL_TAINT }]) as never,
    );
    new ApiObject(
      this,
      'pool-general',
      pool(TENANT_POOL, k.allowSpot ? ['spot', 'on-demand'] : ['on-demand'], Math.max(4, k.cpuLimit - systemCpu), Math.max(8, k.memoryLimitGiB - systemMemory), {
        consolidationPolicy: 'WhenEmptyOrUnderutilized',
        consolidateAfter: '1m',
        budgets: [{ nodes: '10%' }, ...businessHours],
      }, []) as never,
    );
  }
}

/**
 * The system managed node group: spread over the private subnets of every AZ (CIS EKS 5.4.3),
 * launch template with IMDSv2 required and hop limit 1 (pods cannot borrow the node's role),
 * encrypted gp3 root volumes with the EBS key, no SSH. Tainted `CriticalAddonsOnly` so only
 * platform components (CoreDNS, Karpenter, ...) run there; Karpenter provisions the rest.
 */
import * as ec2 from '@pulumi/aws/ec2';
import * as eks from '@pulumi/aws/eks';
import * as iam from '@pulumi/aws/iam';
import * as pulumi from '@pulumi/pulumi';
import type { PlatformConfig } from '../model/config';
import { ROOT_DEVICE_NAME, roleName, SYSTEM_NODE_LABELS, SYSTEM_NODE_TAINT } from '../model/names';
import { serviceTrustPolicy } from './policy-documents';
import { withName } from '../model/tags';
import { childOptions, type ChildOptions } from './component';

/** Node role policies: kubelet basics, image pulls only (CIS EKS 5.1.3), SSM instead of SSH. No CNI policy: the VPC CNI has its own role. */
export const NODE_MANAGED_POLICIES = [
  'arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy',
  'arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryPullOnly',
  'arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore',
] as const;

/** Amazon Linux 2023: the EKS-optimised AMI family (the only one EKS publishes from Kubernetes 1.33 on). */
export const SYSTEM_NODE_AMI_TYPE = 'AL2023_x86_64_STANDARD';

/**
 * An EC2 node role `<cluster>-<component>` (trust ec2.amazonaws.com) with the node policies attached,
 * named from `name` (`<name>`, `<name>-<policy>`).
 */
export function createNodeRole(name: string, config: PlatformConfig, component: string, child: ChildOptions): { role: iam.Role; attachments: iam.RolePolicyAttachment[] } {
  const physicalName = roleName(config.clusterName, component);
  const role = new iam.Role(
    name,
    { name: physicalName, description: `EC2 nodes (${component}) of ${config.clusterName}`, assumeRolePolicy: JSON.stringify(serviceTrustPolicy('ec2.amazonaws.com')), tags: withName(config, physicalName) },
    child(),
  );
  const attachments = NODE_MANAGED_POLICIES.map(
    (arn) => new iam.RolePolicyAttachment(`${name}-${arn.slice(arn.lastIndexOf('/') + 1)}`, { role: role.name, policyArn: arn }, child()),
  );
  return { role, attachments };
}

export interface SystemNodesArgs {
  readonly config: PlatformConfig;
  readonly clusterName: pulumi.Input<string>;
  readonly privateSubnetIds: pulumi.Input<string>[];
  readonly ebsKeyArn: pulumi.Input<string>;
  /** Node groups wait for these (the VPC CNI and kube-proxy add-ons: without them nodes never get Ready). */
  readonly dependsOn: readonly pulumi.Resource[];
}

export class SystemNodes extends pulumi.ComponentResource {
  readonly nodeGroup: eks.NodeGroup;
  readonly nodeRoleName: pulumi.Output<string>;
  readonly nodeRoleArn: pulumi.Output<string>;

  constructor(name: string, args: SystemNodesArgs, opts?: pulumi.ComponentResourceOptions) {
    super('platform:nodes:SystemNodes', name, {}, opts);
    const { config } = args;
    const group = config.systemNodeGroup;
    const child = childOptions(this, name === 'system-nodes');
    const { role, attachments } = createNodeRole(name, config, 'system-nodes', child);
    this.nodeRoleName = role.name;
    this.nodeRoleArn = role.arn;

    const launchTemplate = new ec2.LaunchTemplate(
      name,
      {
        name: `${config.clusterName}-system-nodes`,
        description: `System nodes of ${config.clusterName}: IMDSv2 only, encrypted gp3 root volume`,
        updateDefaultVersion: true,
        metadataOptions: { httpEndpoint: 'enabled', httpTokens: 'required', httpPutResponseHopLimit: 1, instanceMetadataTags: 'disabled' },
        blockDeviceMappings: [
          {
            deviceName: ROOT_DEVICE_NAME,
            ebs: { volumeSize: group.diskSizeGiB, volumeType: 'gp3', encrypted: 'true', kmsKeyId: args.ebsKeyArn, deleteOnTermination: 'true' },
          },
        ],
        monitoring: { enabled: true },
        tagSpecifications: [
          { resourceType: 'instance', tags: withName(config, `${config.clusterName}-system`) },
          { resourceType: 'volume', tags: withName(config, `${config.clusterName}-system`) },
        ],
        tags: withName(config, `${config.clusterName}-system-nodes`),
      },
      child(),
    );

    this.nodeGroup = new eks.NodeGroup(
      name,
      {
        clusterName: args.clusterName,
        nodeGroupName: 'system',
        // The stack's Kubernetes version, so a version bump rolls these nodes in the same `pulumi up`,
        // after the control plane they depend on (nodes never run ahead of it); unset, they would stay behind.
        version: config.kubernetesVersion,
        nodeRoleArn: role.arn,
        subnetIds: args.privateSubnetIds,
        amiType: SYSTEM_NODE_AMI_TYPE,
        capacityType: 'ON_DEMAND',
        instanceTypes: [...group.instanceTypes],
        scalingConfig: { minSize: group.minSize, desiredSize: group.desiredSize, maxSize: group.maxSize },
        updateConfig: { maxUnavailable: 1 },
        launchTemplate: { id: launchTemplate.id, version: launchTemplate.latestVersion.apply(String) },
        labels: { ...SYSTEM_NODE_LABELS },
        taints: [{ ...SYSTEM_NODE_TAINT }],
        tags: withName(config, `${config.clusterName}-system`),
      },
      child('system', { dependsOn: [...attachments, ...args.dependsOn] }),
    );
    this.registerOutputs({ nodeRoleName: this.nodeRoleName });
  }
}

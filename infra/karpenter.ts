/**
 * Karpenter's AWS side: the controller role (EKS Pod Identity, karpenter/karpenter) with the v1
 * controller policy scoped by cluster tags, the node role with an EC2_LINUX access entry, and the
 * interruption queue (SSE, TLS only) fed by EventBridge rules for spot interruptions, rebalance
 * recommendations, instance state changes and scheduled (AWS Health) changes.
 */
import * as cloudwatch from '@pulumi/aws/cloudwatch';
import * as ec2 from '@pulumi/aws/ec2';
import * as eks from '@pulumi/aws/eks';
import * as sqs from '@pulumi/aws/sqs';
import * as pulumi from '@pulumi/pulumi';
import type { PlatformConfig } from '../model/config';
import { WORKLOAD_IDENTITIES } from '../model/identities';
import { createWorkloadRole, type ClusterIdentityContext, type WorkloadRole } from './identity';
import { interruptionQueueName, KARPENTER_DISCOVERY_TAG, roleName } from '../model/names';
import { createNodeRole } from './nodes';
import { interruptionQueuePolicy, karpenterControllerPolicy } from './policy-documents';
import { withName } from '../model/tags';

/** Events Karpenter acts on, by EventBridge rule name suffix. */
export const INTERRUPTION_EVENTS = {
  'scheduled-change': { source: ['aws.health'], 'detail-type': ['AWS Health Event'] },
  'spot-interruption': { source: ['aws.ec2'], 'detail-type': ['EC2 Spot Instance Interruption Warning'] },
  rebalance: { source: ['aws.ec2'], 'detail-type': ['EC2 Instance Rebalance Recommendation'] },
  'instance-state-change': { source: ['aws.ec2'], 'detail-type': ['EC2 Instance State-change Notification'] },
} as const;

/** Interruption messages are only useful for minutes. */
export const INTERRUPTION_MESSAGE_RETENTION_SECONDS = 300;

export interface KarpenterArgs {
  readonly config: PlatformConfig;
  readonly identity: ClusterIdentityContext;
  readonly clusterName: pulumi.Input<string>;
  /** The security group EKS creates for the cluster; Karpenter's nodes join it through the discovery tag. */
  readonly clusterSecurityGroupId: pulumi.Input<string>;
  readonly ebsKeyArn: pulumi.Input<string>;
}


export class Karpenter extends pulumi.ComponentResource {
  readonly controller: WorkloadRole;
  readonly nodeRoleName: pulumi.Output<string>;
  readonly nodeRoleArn: pulumi.Output<string>;
  readonly queueName: pulumi.Output<string>;
  readonly queueArn: pulumi.Output<string>;

  constructor(args: KarpenterArgs, opts?: pulumi.ComponentResourceOptions) {
    super('platform:karpenter:Karpenter', 'karpenter', {}, opts);
    const { config } = args;
    const cluster = config.clusterName;
    const account = args.identity.account;

    const queue = new sqs.Queue(
      'interruption',
      { name: interruptionQueueName(cluster), messageRetentionSeconds: INTERRUPTION_MESSAGE_RETENTION_SECONDS, sqsManagedSseEnabled: true, tags: withName(config, interruptionQueueName(cluster)) },
      { parent: this },
    );
    this.queueName = queue.name;
    this.queueArn = queue.arn;
    const rules = Object.entries(INTERRUPTION_EVENTS).map(([suffix, pattern]) => {
      const rule = new cloudwatch.EventRule(
        `karpenter-${suffix}`,
        { name: `${cluster}-karpenter-${suffix}`, description: `Karpenter interruption handling: ${pattern['detail-type'][0]}`, eventPattern: JSON.stringify(pattern), tags: withName(config, `${cluster}-karpenter-${suffix}`) },
        { parent: this },
      );
      new cloudwatch.EventTarget(`karpenter-${suffix}`, { rule: rule.name, targetId: 'KarpenterInterruptionQueue', arn: queue.arn }, { parent: this });
      return rule;
    });
    // Only these rules may send: the policy names each rule's ARN (aws:SourceArn).
    new sqs.QueuePolicy(
      'interruption',
      { queueUrl: queue.url, policy: pulumi.all([queue.arn, ...rules.map((r) => r.arn)]).apply(([queueArn, ...ruleArns]) => JSON.stringify(interruptionQueuePolicy(queueArn, ruleArns))) },
      { parent: this },
    );

    // EKS creates the cluster security group itself; tag it so EC2NodeClasses can discover it.
    new ec2.Tag('cluster-security-group-discovery', { resourceId: args.clusterSecurityGroupId, key: KARPENTER_DISCOVERY_TAG, value: cluster }, { parent: this });

    const nodeRoleName = roleName(cluster, 'karpenter-node');
    const { role: nodeRole, attachments } = createNodeRole(config, 'karpenter-node', this);
    this.nodeRoleName = nodeRole.name;
    this.nodeRoleArn = nodeRole.arn;
    // Lets nodes Karpenter launches with this role join the cluster (no aws-auth ConfigMap in API mode).
    new eks.AccessEntry('karpenter-node', { clusterName: args.clusterName, principalArn: nodeRole.arn, type: 'EC2_LINUX', tags: withName(config, nodeRoleName) }, { parent: this, dependsOn: attachments });

    this.controller = createWorkloadRole(
      args.identity,
      {
        component: 'karpenter-controller',
        ...WORKLOAD_IDENTITIES['karpenter-controller'],
        inlinePolicies: {
          'karpenter-controller': pulumi
            .all([queue.arn, args.ebsKeyArn])
            .apply(([queueArn, ebsKeyArn]) => karpenterControllerPolicy({ account, clusterName: cluster, interruptionQueueArn: queueArn, nodeRoleName, ebsKeyArn, allowSpot: config.karpenter.allowSpot })),
        },
      },
      this,
    );
    this.registerOutputs({ queueName: this.queueName, nodeRoleName: this.nodeRoleName, controllerRoleArn: this.controller.roleArn });
  }
}

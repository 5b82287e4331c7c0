/**
 * Karpenter's AWS side: the controller role (EKS Pod Identity, karpenter/karpenter) with the v1
 * controller policy scoped by cluster tags, the node role with an EC2_LINUX access entry, and the
 * interruption queue (SSE, TLS only) fed by EventBridge rules for spot interruptions, rebalance
 * recommendations, instance state changes, scheduled (AWS Health) changes and capacity reservation
 * interruptions.
 */
import * as cloudwatch from '@pulumi/aws/cloudwatch';
import * as ec2 from '@pulumi/aws/ec2';
import * as eks from '@pulumi/aws/eks';
import * as sqs from '@pulumi/aws/sqs';
import * as pulumi from '@pulumi/pulumi';
import { eventRuleName, interruptionQueueName, KARPENTER_DISCOVERY_TAG, KARPENTER_NODE_ROLE_COMPONENT, karpenterNodeRoleName } from '../model/names';
import { withName } from '../model/tags';
import { childOptions } from './component';
import { createWorkloadRole, type ClusterIdentityContext, type WorkloadRole } from './identity';
import { createNodeRole } from './nodes';
import { interruptionQueuePolicy, karpenterControllerPolicy } from './policy-documents';

/**
 * Events Karpenter acts on, by EventBridge rule name suffix: the five rules of Karpenter's own
 * CloudFormation (aws/karpenter-provider-aws v1.14.1, website/content/en/docs/getting-started/
 * getting-started-with-karpenter/cloudformation.yaml: ScheduledChangeRule, SpotInterruptionRule,
 * RebalanceRule, InstanceStateChangeRule, CapacityReservationInterruptionRule), each parsed by the
 * controller (pkg/controllers/interruption/messages/*: the capacity reservation warning drains a node
 * whose on-demand capacity reservation is about to be reclaimed).
 */
export const INTERRUPTION_EVENTS = {
  'scheduled-change': { source: ['aws.health'], 'detail-type': ['AWS Health Event'] },
  'spot-interruption': { source: ['aws.ec2'], 'detail-type': ['EC2 Spot Instance Interruption Warning'] },
  rebalance: { source: ['aws.ec2'], 'detail-type': ['EC2 Instance Rebalance Recommendation'] },
  'instance-state-change': { source: ['aws.ec2'], 'detail-type': ['EC2 Instance State-change Notification'] },
  'capacity-reservation': { source: ['aws.ec2'], 'detail-type': ['EC2 Capacity Reservation Instance Interruption Warning'] },
} as const;

/** Interruption messages are only useful for minutes. */
export const INTERRUPTION_MESSAGE_RETENTION_SECONDS = 300;

export interface KarpenterArgs {
  /** The cluster and its config (Karpenter's role binds to it). */
  readonly identity: ClusterIdentityContext;
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

  constructor(name: string, args: KarpenterArgs, opts?: pulumi.ComponentResourceOptions) {
    super('platform:karpenter:Karpenter', name, {}, opts);
    const { config, account, clusterName } = args.identity;
    const cluster = config.clusterName;
    const child = childOptions(this, name === 'karpenter');

    const queue = new sqs.Queue(
      `${name}-interruption`,
      { name: interruptionQueueName(cluster), messageRetentionSeconds: INTERRUPTION_MESSAGE_RETENTION_SECONDS, sqsManagedSseEnabled: true, tags: withName(config, interruptionQueueName(cluster)) },
      child('interruption'),
    );
    this.queueName = queue.name;
    this.queueArn = queue.arn;
    const rules = Object.entries(INTERRUPTION_EVENTS).map(([suffix, pattern]) => {
      const ruleName = eventRuleName(cluster, `karpenter-${suffix}`);
      const rule = new cloudwatch.EventRule(
        `${name}-${suffix}`,
        { name: ruleName, description: `Karpenter interruption handling: ${pattern['detail-type'][0]}`, eventPattern: JSON.stringify(pattern), tags: withName(config, ruleName) },
        child(),
      );
      new cloudwatch.EventTarget(`${name}-${suffix}`, { rule: rule.name, targetId: 'KarpenterInterruptionQueue', arn: queue.arn }, child());
      return rule;
    });
    // Only these rules may send: the policy names each rule's ARN (aws:SourceArn).
    new sqs.QueuePolicy(
      `${name}-interruption`,
      { queueUrl: queue.url, policy: pulumi.all([queue.arn, ...rules.map((r) => r.arn)]).apply(([queueArn, ...ruleArns]) => JSON.stringify(interruptionQueuePolicy(queueArn, ruleArns))) },
      child('interruption'),
    );

    // EKS creates the cluster security group itself; tag it so EC2NodeClasses can discover it.
    new ec2.Tag(
      `${name}-cluster-security-group-discovery`,
      { resourceId: args.clusterSecurityGroupId, key: KARPENTER_DISCOVERY_TAG, value: cluster },
      child('cluster-security-group-discovery'),
    );

    const nodeRoleName = karpenterNodeRoleName(cluster);
    const { role: nodeRole, attachments } = createNodeRole(`${name}-node`, config, KARPENTER_NODE_ROLE_COMPONENT, child);
    this.nodeRoleName = nodeRole.name;
    this.nodeRoleArn = nodeRole.arn;
    // Lets nodes Karpenter launches with this role join the cluster (no aws-auth ConfigMap in API mode).
    new eks.AccessEntry(`${name}-node`, { clusterName, principalArn: nodeRole.arn, type: 'EC2_LINUX', tags: withName(config, nodeRoleName) }, child(undefined, { dependsOn: attachments }));

    this.controller = createWorkloadRole(
      `${name}-controller`,
      args.identity,
      {
        component: 'karpenter-controller',
        inlinePolicies: {
          'karpenter-controller': pulumi
            .all([queue.arn, args.ebsKeyArn])
            .apply(([queueArn, ebsKeyArn]) => karpenterControllerPolicy({ account, clusterName: cluster, interruptionQueueArn: queueArn, nodeRoleName, ebsKeyArn, allowSpot: config.karpenter.allowSpot })),
        },
      },
      child,
    );
    this.registerOutputs({ queueName: this.queueName, nodeRoleName: this.nodeRoleName, controllerRoleArn: this.controller.roleArn });
  }
}

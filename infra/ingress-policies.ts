/**
 * Policy documents of the ingress add-ons, as typed objects (see policy-documents.ts for why):
 * the AWS Load Balancer Controller, external-dns, and the key and topic that carry certificate
 * expiry notifications. Pure functions of names and ARNs, tested without Pulumi.
 *
 * The controller's policy starts from the upstream one (kubernetes-sigs/aws-load-balancer-controller
 * v3.5.0, docs/install/iam_policy.json) and keeps all of its `elbv2.k8s.aws/cluster` tag conditions,
 * narrowed from "the tag exists" to "the tag names this cluster". What changes:
 * - every ARN names this stack's partition, region and account instead of `*:*`;
 * - the upstream statements with `Resource: "*"` and no condition (security group ingress rules,
 *   CreateSecurityGroup, listener and rule create/delete, listener and rule edits) are limited to this
 *   VPC or to resources carrying this cluster's tag;
 * - target registration requires this cluster's tag, so a TargetGroupBinding cannot put pods behind a
 *   target group some other team created;
 * - dropped: WAF Classic (`waf-regional:*`), WAFv2 (with `elasticloadbalancing:SetWebAcl`) and Shield, which the controller is told not to
 *   use (`enableWaf`, `enableWafv2`, `enableShield` false in charts/aws-load-balancer-controller/values.ts);
 *   IAM server certificates (the platform's certificates are ACM's; no code path of the controller at
 *   v3.5.0 calls ListServerCertificates or GetServerCertificate); Outposts customer-owned IP pools and
 *   IPAM pools (`ec2:GetCoipPoolUsage`, `ec2:DescribeCoipPools`, `ec2:DescribeIpamPools`: the platform has
 *   no Outposts subnets and no IPAM pools).
 * `Resource: "*"` remains only on read and list calls AWS offers no resource-level permission for,
 * each limited to this region (`aws:RequestedRegion`).
 */
import { policyDocument as doc, type PolicyDocument } from '../lib/iam-document';
import { LOAD_BALANCER_CONTROLLER_CLUSTER_TAG } from '../model/ingress';
import { eventBridgeTargetPolicy, type Account } from './policy-documents';

export interface LoadBalancerControllerPolicyInput {
  readonly account: Account;
  readonly clusterName: string;
  /** The VPC the controller works in: security group rules may be changed only there. */
  readonly vpcId: string;
}

/**
 * Read calls of the upstream policy, kept: EC2 and ELBv2 Describe* have no resource-level
 * permissions (Service Authorization Reference), so they take `Resource: "*"` and this region only.
 */
export const LOAD_BALANCER_CONTROLLER_READ_ACTIONS = [
  'ec2:DescribeAccountAttributes', 'ec2:DescribeAddresses', 'ec2:DescribeAvailabilityZones', 'ec2:DescribeInstances',
  'ec2:DescribeInternetGateways', 'ec2:DescribeNetworkInterfaces', 'ec2:DescribeRouteTables', 'ec2:DescribeSecurityGroups',
  'ec2:DescribeSubnets', 'ec2:DescribeTags', 'ec2:DescribeVpcPeeringConnections', 'ec2:DescribeVpcs', 'ec2:GetSecurityGroupsForVpc',
  'elasticloadbalancing:DescribeCapacityReservation', 'elasticloadbalancing:DescribeListenerAttributes',
  'elasticloadbalancing:DescribeListenerCertificates', 'elasticloadbalancing:DescribeListeners',
  'elasticloadbalancing:DescribeLoadBalancerAttributes', 'elasticloadbalancing:DescribeLoadBalancers',
  'elasticloadbalancing:DescribeRules', 'elasticloadbalancing:DescribeSSLPolicies', 'elasticloadbalancing:DescribeTags',
  'elasticloadbalancing:DescribeTargetGroupAttributes', 'elasticloadbalancing:DescribeTargetGroups',
  'elasticloadbalancing:DescribeTargetHealth', 'elasticloadbalancing:DescribeTrustStores',
  // ACM ListCertificates has no resource-level permission either; certificate discovery by host lists
  // the ISSUED certificates, then describes each (pkg/certs/cert_discovery.go).
  'acm:ListCertificates',
] as const;

/** Upstream actions this policy leaves out on purpose (see the module comment for why each goes). */
export const LOAD_BALANCER_CONTROLLER_DROPPED_ACTIONS = [
  'ec2:DescribeCoipPools', 'ec2:DescribeIpamPools', 'ec2:GetCoipPoolUsage', 'elasticloadbalancing:SetWebAcl',
  'iam:GetServerCertificate', 'iam:ListServerCertificates',
  'shield:CreateProtection', 'shield:DeleteProtection', 'shield:DescribeProtection', 'shield:GetSubscriptionState',
  'waf-regional:AssociateWebACL', 'waf-regional:DisassociateWebACL', 'waf-regional:GetWebACL', 'waf-regional:GetWebACLForResource',
  'wafv2:AssociateWebACL', 'wafv2:DisassociateWebACL', 'wafv2:GetWebACL', 'wafv2:GetWebACLForResource',
] as const;

/** The AWS Load Balancer Controller, least privilege for one cluster in one VPC. */
export function loadBalancerControllerPolicy(p: LoadBalancerControllerPolicyInput): PolicyDocument {
  const { partition, region, accountId } = p.account;
  const ec2 = (resource: string) => `arn:${partition}:ec2:${region}:${accountId}:${resource}`;
  const elb = (resource: string) => `arn:${partition}:elasticloadbalancing:${region}:${accountId}:${resource}`;
  const securityGroups = ec2('security-group/*');
  const loadBalancers = [elb('loadbalancer/app/*/*'), elb('loadbalancer/net/*/*')];
  const targetGroups = elb('targetgroup/*/*');
  const listeners = [elb('listener/app/*/*/*'), elb('listener/net/*/*/*')];
  const rules = [elb('listener-rule/app/*/*/*'), elb('listener-rule/net/*/*/*')];
  const tagKey = LOAD_BALANCER_CONTROLLER_CLUSTER_TAG;
  const ownedByCluster = { StringEquals: { [`aws:ResourceTag/${tagKey}`]: p.clusterName } };
  const taggedForCluster = { StringEquals: { [`aws:RequestTag/${tagKey}`]: p.clusterName } };
  return doc(
    {
      // The ELB service-linked role, created on first use in an account that never had a load balancer.
      Sid: 'CreateElbServiceLinkedRole',
      Effect: 'Allow',
      Action: ['iam:CreateServiceLinkedRole'],
      Resource: `arn:${partition}:iam::${accountId}:role/aws-service-role/elasticloadbalancing.amazonaws.com/AWSServiceRoleForElasticLoadBalancing`,
      Condition: { StringEquals: { 'iam:AWSServiceName': 'elasticloadbalancing.amazonaws.com' } },
    },
    {
      // Resource "*": these reads have no resource-level permissions; limited to this region.
      Sid: 'RegionalReads',
      Effect: 'Allow',
      Action: [...LOAD_BALANCER_CONTROLLER_READ_ACTIONS],
      Resource: '*',
      Condition: { StringEquals: { 'aws:RequestedRegion': region } },
    },
    { Sid: 'DescribeCertificates', Effect: 'Allow', Action: ['acm:DescribeCertificate'], Resource: `arn:${partition}:acm:${region}:${accountId}:certificate/*` },
    {
      // ELB checks the caller may describe the user pool of an authenticate-cognito action.
      Sid: 'DescribeCognitoUserPoolClients',
      Effect: 'Allow',
      Action: ['cognito-idp:DescribeUserPoolClient'],
      Resource: `arn:${partition}:cognito-idp:${region}:${accountId}:userpool/*`,
    },
    {
      // Upstream grants these on "*" unconditioned: the controller opens the targets' (node or pod ENI)
      // security groups to its load balancers, groups it did not create and cannot tag. Only in this VPC.
      Sid: 'ManageSecurityGroupRulesInClusterVpc',
      Effect: 'Allow',
      Action: ['ec2:AuthorizeSecurityGroupIngress', 'ec2:RevokeSecurityGroupIngress'],
      Resource: securityGroups,
      Condition: { ArnEquals: { 'ec2:Vpc': ec2(`vpc/${p.vpcId}`) } },
    },
    {
      // CreateSecurityGroup authorizes the new group and the VPC it goes into; the group must carry the cluster tag.
      Sid: 'CreateClusterTaggedSecurityGroups',
      Effect: 'Allow',
      Action: ['ec2:CreateSecurityGroup'],
      Resource: securityGroups,
      Condition: taggedForCluster,
    },
    { Sid: 'CreateSecurityGroupsInClusterVpc', Effect: 'Allow', Action: ['ec2:CreateSecurityGroup'], Resource: ec2(`vpc/${p.vpcId}`) },
    {
      Sid: 'TagSecurityGroupsOnCreate',
      Effect: 'Allow',
      Action: ['ec2:CreateTags'],
      Resource: securityGroups,
      Condition: { StringEquals: { 'ec2:CreateAction': 'CreateSecurityGroup', [`aws:RequestTag/${tagKey}`]: p.clusterName } },
    },
    {
      // Retag its own groups, never moving the cluster tag (the request may not carry it).
      Sid: 'RetagOwnSecurityGroups',
      Effect: 'Allow',
      Action: ['ec2:CreateTags', 'ec2:DeleteTags'],
      Resource: securityGroups,
      Condition: { ...ownedByCluster, Null: { [`aws:RequestTag/${tagKey}`]: 'true' } },
    },
    { Sid: 'DeleteOwnSecurityGroups', Effect: 'Allow', Action: ['ec2:DeleteSecurityGroup'], Resource: securityGroups, Condition: ownedByCluster },
    {
      Sid: 'CreateClusterTaggedLoadBalancers',
      Effect: 'Allow',
      Action: ['elasticloadbalancing:CreateLoadBalancer', 'elasticloadbalancing:CreateTargetGroup'],
      Resource: [...loadBalancers, targetGroups],
      Condition: taggedForCluster,
    },
    {
      Sid: 'TagLoadBalancersOnCreate',
      Effect: 'Allow',
      Action: ['elasticloadbalancing:AddTags'],
      Resource: [...loadBalancers, targetGroups],
      Condition: { StringEquals: { 'elasticloadbalancing:CreateAction': ['CreateLoadBalancer', 'CreateTargetGroup'], [`aws:RequestTag/${tagKey}`]: p.clusterName } },
    },
    {
      Sid: 'RetagOwnLoadBalancers',
      Effect: 'Allow',
      Action: ['elasticloadbalancing:AddTags', 'elasticloadbalancing:RemoveTags'],
      Resource: [...loadBalancers, targetGroups],
      Condition: { ...ownedByCluster, Null: { [`aws:RequestTag/${tagKey}`]: 'true' } },
    },
    {
      // Listeners and rules are created tagged (CreateListener/CreateRule carry tags, and the
      // ListenerRulesTagging feature gate is on by default at v3.5.0, pkg/config/feature_gates.go),
      // which needs AddTags on the new resource before any tag exists on it: ARNs of this account and region.
      Sid: 'TagListenersAndRules',
      Effect: 'Allow',
      Action: ['elasticloadbalancing:AddTags', 'elasticloadbalancing:RemoveTags'],
      Resource: [...listeners, ...rules],
    },
    {
      // Upstream: "*" unconditioned. A listener is created on one of the cluster's load balancers, a rule on one of its listeners.
      Sid: 'CreateListenersAndRulesOnOwnLoadBalancers',
      Effect: 'Allow',
      Action: ['elasticloadbalancing:CreateListener', 'elasticloadbalancing:CreateRule'],
      Resource: [...loadBalancers, ...listeners],
      Condition: ownedByCluster,
    },
    {
      Sid: 'ModifyOwnLoadBalancers',
      Effect: 'Allow',
      Action: [
        'elasticloadbalancing:DeleteLoadBalancer', 'elasticloadbalancing:DeleteTargetGroup', 'elasticloadbalancing:ModifyCapacityReservation',
        'elasticloadbalancing:ModifyIpPools', 'elasticloadbalancing:ModifyListenerAttributes', 'elasticloadbalancing:ModifyLoadBalancerAttributes',
        'elasticloadbalancing:ModifyTargetGroup', 'elasticloadbalancing:ModifyTargetGroupAttributes', 'elasticloadbalancing:SetIpAddressType',
        'elasticloadbalancing:SetSecurityGroups', 'elasticloadbalancing:SetSubnets',
      ],
      Resource: [...loadBalancers, targetGroups, ...listeners],
      Condition: ownedByCluster,
    },
    {
      // Upstream: "*" unconditioned.
      Sid: 'ModifyOwnListenersAndRules',
      Effect: 'Allow',
      Action: [
        'elasticloadbalancing:AddListenerCertificates', 'elasticloadbalancing:DeleteListener', 'elasticloadbalancing:DeleteRule',
        'elasticloadbalancing:ModifyListener', 'elasticloadbalancing:ModifyRule', 'elasticloadbalancing:RemoveListenerCertificates',
        'elasticloadbalancing:SetRulePriorities',
      ],
      Resource: [...listeners, ...rules],
      Condition: ownedByCluster,
    },
    {
      // Upstream: any target group. Only the cluster's own, so a TargetGroupBinding cannot register pods elsewhere.
      Sid: 'RegisterTargetsInOwnTargetGroups',
      Effect: 'Allow',
      Action: ['elasticloadbalancing:DeregisterTargets', 'elasticloadbalancing:RegisterTargets'],
      Resource: targetGroups,
      Condition: ownedByCluster,
    },
  );
}

/**
 * external-dns writes records into the platform's hosted zones and nowhere else
 * (kubernetes-sigs/external-dns v0.21.0 provider/aws/aws.go: ListHostedZones for discovery, then
 * ListResourceRecordSets and ChangeResourceRecordSets per zone; ListTagsForResources only with a zone
 * tag filter, which the platform does not set). Record types: A and AAAA (aliases to load balancers),
 * CNAME, and TXT for the ownership registry.
 */
export function externalDnsPolicy(partition: string, hostedZoneIds: readonly string[]): PolicyDocument {
  const zones = [...hostedZoneIds].sort().map((id) => `arn:${partition}:route53:::hostedzone/${id}`);
  return doc(
    {
      Sid: 'ChangeRecordsInPlatformZones',
      Effect: 'Allow',
      Action: ['route53:ChangeResourceRecordSets'],
      Resource: zones,
      Condition: { 'ForAllValues:StringEquals': { 'route53:ChangeResourceRecordSetsRecordTypes': ['A', 'AAAA', 'CNAME', 'TXT'] } },
    },
    { Sid: 'ListRecordsInPlatformZones', Effect: 'Allow', Action: ['route53:ListResourceRecordSets'], Resource: zones },
    {
      // Resource "*": ListHostedZones has no resource-level permission. Route 53 is a global service
      // served from us-east-1, which is the region every one of its requests reports.
      Sid: 'ListHostedZones',
      Effect: 'Allow',
      Action: ['route53:ListHostedZones'],
      Resource: '*',
      Condition: { StringEquals: { 'aws:RequestedRegion': 'us-east-1' } },
    },
  );
}

/**
 * The key encrypting the alerts topic: the account administers it through IAM; EventBridge may use it
 * only to publish this account's events (it must encrypt the message for the encrypted topic).
 */
export function alertsKeyPolicy(account: Account): PolicyDocument {
  const root = `arn:${account.partition}:iam::${account.accountId}:root`;
  return doc(
    {
      Sid: 'AccountAdministersKeyThroughIam',
      Effect: 'Allow',
      Principal: { AWS: root },
      Action: [
        'kms:CancelKeyDeletion', 'kms:Create*', 'kms:Decrypt', 'kms:Delete*', 'kms:Describe*', 'kms:Disable*', 'kms:Enable*', 'kms:Encrypt',
        'kms:GenerateDataKey*', 'kms:Get*', 'kms:List*', 'kms:Put*', 'kms:ReEncrypt*', 'kms:Revoke*', 'kms:ScheduleKeyDeletion',
        'kms:TagResource', 'kms:UntagResource', 'kms:Update*',
      ],
      Resource: '*',
    },
    {
      Sid: 'EventBridgePublishesToEncryptedTopic',
      Effect: 'Allow',
      Principal: { Service: 'events.amazonaws.com' },
      Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
      Resource: '*',
      Condition: { StringEquals: { 'aws:SourceAccount': account.accountId } },
    },
  );
}

/** Only the certificate expiry rule may publish to the alerts topic; TLS only. */
export function alertsTopicPolicy(topicArn: string, ruleArn: string): PolicyDocument {
  return eventBridgeTargetPolicy({ sid: 'CertificateExpiryRulePublishes', action: 'sns:Publish', target: topicArn, rules: ruleArn, deniedInsecure: ['sns:Publish', 'sns:Subscribe'] });
}

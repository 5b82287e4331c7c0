/** The ingress add-ons' policy documents, without Pulumi. */
import {
  alertsKeyPolicy,
  alertsTopicPolicy,
  externalDnsPolicy,
  LOAD_BALANCER_CONTROLLER_DROPPED_ACTIONS,
  loadBalancerControllerPolicy,
} from '../../infra/ingress-policies';
import type { PolicyDocument, PolicyStatement } from '../../lib/iam-document';
import { evaluateResources, policyDocumentProblems } from '../../lib/rules';

const account = { accountId: '111122223333', region: 'eu-west-1', partition: 'aws' };
const controller = loadBalancerControllerPolicy({ account, clusterName: 'c1', vpcId: 'vpc-0abc' });

/**
 * Every action of kubernetes-sigs/aws-load-balancer-controller v3.5.0 docs/install/iam_policy.json,
 * and those it grants only under an `elbv2.k8s.aws/cluster` tag condition (in at least one statement).
 */
const UPSTREAM_ACTIONS = [
  'acm:DescribeCertificate', 'acm:ListCertificates', 'cognito-idp:DescribeUserPoolClient', 'ec2:AuthorizeSecurityGroupIngress', 'ec2:CreateSecurityGroup',
  'ec2:CreateTags', 'ec2:DeleteSecurityGroup', 'ec2:DeleteTags', 'ec2:DescribeAccountAttributes', 'ec2:DescribeAddresses', 'ec2:DescribeAvailabilityZones',
  'ec2:DescribeCoipPools', 'ec2:DescribeInstances', 'ec2:DescribeInternetGateways', 'ec2:DescribeIpamPools', 'ec2:DescribeNetworkInterfaces',
  'ec2:DescribeRouteTables', 'ec2:DescribeSecurityGroups', 'ec2:DescribeSubnets', 'ec2:DescribeTags', 'ec2:DescribeVpcPeeringConnections',
  'ec2:DescribeVpcs', 'ec2:GetCoipPoolUsage', 'ec2:GetSecurityGroupsForVpc', 'ec2:RevokeSecurityGroupIngress',
  'elasticloadbalancing:AddListenerCertificates', 'elasticloadbalancing:AddTags', 'elasticloadbalancing:CreateListener',
  'elasticloadbalancing:CreateLoadBalancer', 'elasticloadbalancing:CreateRule', 'elasticloadbalancing:CreateTargetGroup',
  'elasticloadbalancing:DeleteListener', 'elasticloadbalancing:DeleteLoadBalancer', 'elasticloadbalancing:DeleteRule',
  'elasticloadbalancing:DeleteTargetGroup', 'elasticloadbalancing:DeregisterTargets', 'elasticloadbalancing:DescribeCapacityReservation',
  'elasticloadbalancing:DescribeListenerAttributes', 'elasticloadbalancing:DescribeListenerCertificates', 'elasticloadbalancing:DescribeListeners',
  'elasticloadbalancing:DescribeLoadBalancerAttributes', 'elasticloadbalancing:DescribeLoadBalancers', 'elasticloadbalancing:DescribeRules',
  'elasticloadbalancing:DescribeSSLPolicies', 'elasticloadbalancing:DescribeTags', 'elasticloadbalancing:DescribeTargetGroupAttributes',
  'elasticloadbalancing:DescribeTargetGroups', 'elasticloadbalancing:DescribeTargetHealth', 'elasticloadbalancing:DescribeTrustStores',
  'elasticloadbalancing:ModifyCapacityReservation', 'elasticloadbalancing:ModifyIpPools', 'elasticloadbalancing:ModifyListener',
  'elasticloadbalancing:ModifyListenerAttributes', 'elasticloadbalancing:ModifyLoadBalancerAttributes', 'elasticloadbalancing:ModifyRule',
  'elasticloadbalancing:ModifyTargetGroup', 'elasticloadbalancing:ModifyTargetGroupAttributes', 'elasticloadbalancing:RegisterTargets',
  'elasticloadbalancing:RemoveListenerCertificates', 'elasticloadbalancing:RemoveTags', 'elasticloadbalancing:SetIpAddressType',
  'elasticloadbalancing:SetRulePriorities', 'elasticloadbalancing:SetSecurityGroups', 'elasticloadbalancing:SetSubnets', 'elasticloadbalancing:SetWebAcl',
  'iam:CreateServiceLinkedRole', 'iam:GetServerCertificate', 'iam:ListServerCertificates', 'shield:CreateProtection', 'shield:DeleteProtection',
  'shield:DescribeProtection', 'shield:GetSubscriptionState', 'waf-regional:AssociateWebACL', 'waf-regional:DisassociateWebACL', 'waf-regional:GetWebACL',
  'waf-regional:GetWebACLForResource', 'wafv2:AssociateWebACL', 'wafv2:DisassociateWebACL', 'wafv2:GetWebACL', 'wafv2:GetWebACLForResource',
];
const UPSTREAM_TAG_CONDITIONED = [
  'ec2:AuthorizeSecurityGroupIngress', 'ec2:CreateTags', 'ec2:DeleteSecurityGroup', 'ec2:DeleteTags', 'ec2:RevokeSecurityGroupIngress',
  'elasticloadbalancing:AddTags', 'elasticloadbalancing:CreateLoadBalancer', 'elasticloadbalancing:CreateTargetGroup', 'elasticloadbalancing:DeleteLoadBalancer',
  'elasticloadbalancing:DeleteTargetGroup', 'elasticloadbalancing:ModifyCapacityReservation', 'elasticloadbalancing:ModifyIpPools',
  'elasticloadbalancing:ModifyListenerAttributes', 'elasticloadbalancing:ModifyLoadBalancerAttributes', 'elasticloadbalancing:ModifyTargetGroup',
  'elasticloadbalancing:ModifyTargetGroupAttributes', 'elasticloadbalancing:RemoveTags', 'elasticloadbalancing:SetIpAddressType',
  'elasticloadbalancing:SetSecurityGroups', 'elasticloadbalancing:SetSubnets',
];

const actionsOf = (s: PolicyStatement): string[] => (typeof s.Action === 'string' ? [s.Action] : [...(s.Action ?? [])]);
const resourcesOf = (s: PolicyStatement): string[] => (typeof s.Resource === 'string' ? [s.Resource] : [...(s.Resource ?? [])]);
const allActions = (d: PolicyDocument) => [...new Set(d.Statement.flatMap(actionsOf))].sort();
const sid = (d: PolicyDocument, id: string) => d.Statement.find((s) => s.Sid === id)!;

/** The posture findings of an inline role policy holding `document` (what plan, audit and CrossGuard report). */
function postureOf(document: PolicyDocument): string[] {
  return evaluateResources([{ type: 'aws:iam/rolePolicy:RolePolicy', name: 'p', props: { policy: JSON.stringify(document) } }], { environment: 'prod' }).map((f) => `${f.id}: ${f.message}`);
}

describe('AWS Load Balancer Controller policy', () => {
  it('GIVEN the policy WHEN checked by the posture rules THEN nothing is found', () => {
    expect(policyDocumentProblems(controller, 'identity')).toEqual([]);
    expect(postureOf(controller)).toEqual([]);
  });

  it('GIVEN the upstream action list THEN the policy grants a subset, leaving out exactly the dropped actions', () => {
    const ours = allActions(controller);
    expect(ours.filter((a) => !UPSTREAM_ACTIONS.includes(a))).toEqual([]);
    expect(UPSTREAM_ACTIONS.filter((a) => !ours.includes(a)).sort()).toEqual([...LOAD_BALANCER_CONTROLLER_DROPPED_ACTIONS].sort());
    expect(LOAD_BALANCER_CONTROLLER_DROPPED_ACTIONS.filter((a) => /^(waf|shield|iam:.*ServerCertificate)/.test(a) || /Coip|Ipam|SetWebAcl/.test(a))).toHaveLength(LOAD_BALANCER_CONTROLLER_DROPPED_ACTIONS.length);
  });

  it('GIVEN every "*" resource WHEN listed THEN only the regional reads use it, limited to the stack region', () => {
    const wildcards = controller.Statement.filter((s) => resourcesOf(s).includes('*'));
    expect(wildcards.map((s) => [s.Sid, s.Condition])).toEqual([['RegionalReads', { StringEquals: { 'aws:RequestedRegion': 'eu-west-1' } }]]);
    expect(actionsOf(wildcards[0]).every((a) => /^(ec2|elasticloadbalancing):(Describe|Get)|^acm:ListCertificates$/.test(a))).toBe(true);
  });

  it('GIVEN every ARN WHEN read THEN it names this partition, region and account (upstream: arn:aws:<service>:*:*:...)', () => {
    const arns = controller.Statement.flatMap(resourcesOf).filter((r) => r !== '*');
    expect(arns.length).toBeGreaterThan(15);
    for (const arn of arns) expect(arn).toMatch(/^arn:aws:(ec2|elasticloadbalancing|acm|cognito-idp):eu-west-1:111122223333:|^arn:aws:iam::111122223333:role\/aws-service-role\/elasticloadbalancing\.amazonaws\.com\//);
  });

  it('GIVEN the upstream tag conditions WHEN compared THEN each such action keeps one, naming this cluster, in every statement granting it', () => {
    // Two exceptions, both narrower than upstream: tagging listeners and rules at creation (upstream: no
    // condition either), and security group rules, limited to the cluster VPC (upstream also grants them on "*").
    const exempt = ['TagListenersAndRules', 'ManageSecurityGroupRulesInClusterVpc'];
    for (const s of controller.Statement) {
      if (exempt.includes(s.Sid!) || !actionsOf(s).some((a) => UPSTREAM_TAG_CONDITIONED.includes(a))) continue;
      const values = Object.values(s.Condition ?? {}).flatMap((c) => Object.entries(c).filter(([k]) => k.endsWith('/elbv2.k8s.aws/cluster')).map(([k, v]) => [k.split('/')[0], v]));
      expect([s.Sid, values.some(([, v]) => v === 'c1')]).toEqual([s.Sid, true]);
    }
    expect(sid(controller, 'TagListenersAndRules').Resource).toEqual([
      'arn:aws:elasticloadbalancing:eu-west-1:111122223333:listener/app/*/*/*',
      'arn:aws:elasticloadbalancing:eu-west-1:111122223333:listener/net/*/*/*',
      'arn:aws:elasticloadbalancing:eu-west-1:111122223333:listener-rule/app/*/*/*',
      'arn:aws:elasticloadbalancing:eu-west-1:111122223333:listener-rule/net/*/*/*',
    ]);
  });

  it('GIVEN the statements upstream leaves unconditioned on "*" THEN here they need this VPC or this cluster\'s tag', () => {
    expect(sid(controller, 'ManageSecurityGroupRulesInClusterVpc')).toMatchObject({
      Action: ['ec2:AuthorizeSecurityGroupIngress', 'ec2:RevokeSecurityGroupIngress'],
      Resource: 'arn:aws:ec2:eu-west-1:111122223333:security-group/*',
      Condition: { ArnEquals: { 'ec2:Vpc': 'arn:aws:ec2:eu-west-1:111122223333:vpc/vpc-0abc' } },
    });
    expect(sid(controller, 'CreateSecurityGroupsInClusterVpc').Resource).toBe('arn:aws:ec2:eu-west-1:111122223333:vpc/vpc-0abc');
    for (const id of ['CreateListenersAndRulesOnOwnLoadBalancers', 'ModifyOwnListenersAndRules', 'RegisterTargetsInOwnTargetGroups']) {
      expect(sid(controller, id).Condition).toEqual({ StringEquals: { 'aws:ResourceTag/elbv2.k8s.aws/cluster': 'c1' } });
    }
    // The cluster tag itself cannot be moved by a retag.
    expect(sid(controller, 'RetagOwnLoadBalancers').Condition).toEqual({ StringEquals: { 'aws:ResourceTag/elbv2.k8s.aws/cluster': 'c1' }, Null: { 'aws:RequestTag/elbv2.k8s.aws/cluster': 'true' } });
  });

  it('GIVEN an upstream-shaped unconditioned security group statement WHEN checked THEN the least-privilege rule refuses it', () => {
    const upstreamShape: PolicyDocument = {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: ['ec2:AuthorizeSecurityGroupIngress', 'ec2:RevokeSecurityGroupIngress'], Resource: 'arn:aws:ec2:*:*:security-group/*' }],
    };
    expect(postureOf(upstreamShape)).toEqual([
      'iam-least-privilege: policy: statement #0: ec2:AuthorizeSecurityGroupIngress, ec2:RevokeSecurityGroupIngress without a Condition applies to every security group (limit it with ec2:Vpc or a resource tag)',
    ]);
  });
});

describe('external-dns policy', () => {
  const policy = externalDnsPolicy('aws', ['ZB2', 'ZA1']);

  it('GIVEN two platform zones WHEN built THEN record changes are allowed in exactly those, for the record types external-dns writes', () => {
    expect(sid(policy, 'ChangeRecordsInPlatformZones')).toEqual({
      Sid: 'ChangeRecordsInPlatformZones',
      Effect: 'Allow',
      Action: ['route53:ChangeResourceRecordSets'],
      Resource: ['arn:aws:route53:::hostedzone/ZA1', 'arn:aws:route53:::hostedzone/ZB2'],
      Condition: { 'ForAllValues:StringEquals': { 'route53:ChangeResourceRecordSetsRecordTypes': ['A', 'AAAA', 'CNAME', 'TXT'] } },
    });
    expect(sid(policy, 'ListRecordsInPlatformZones').Resource).toEqual(['arn:aws:route53:::hostedzone/ZA1', 'arn:aws:route53:::hostedzone/ZB2']);
    expect(allActions(policy)).toEqual(['route53:ChangeResourceRecordSets', 'route53:ListHostedZones', 'route53:ListResourceRecordSets']);
  });

  it('GIVEN the one "*" resource THEN it is ListHostedZones, limited to the region Route 53 answers from', () => {
    expect(policy.Statement.filter((s) => s.Resource === '*').map((s) => [s.Action, s.Condition])).toEqual([[['route53:ListHostedZones'], { StringEquals: { 'aws:RequestedRegion': 'us-east-1' } }]]);
    expect(postureOf(policy)).toEqual([]);
  });

  it('GIVEN record changes on every zone WHEN checked THEN the least-privilege rule refuses them', () => {
    const everyZone: PolicyDocument = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['route53:ChangeResourceRecordSets'], Resource: ['arn:aws:route53:::hostedzone/*'] }] };
    expect(postureOf(everyZone)).toEqual([
      'iam-least-privilege: policy: statement #0: route53:ChangeResourceRecordSets on arn:aws:route53:::hostedzone/* (name the hosted zones: arn:aws:route53:::hostedzone/<id>)',
    ]);
    const wildcardAction: PolicyDocument = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['route53:Change*'], Resource: '*', Condition: { Bool: { 'aws:SecureTransport': true } } }] };
    expect(postureOf(wildcardAction)).toEqual(['iam-least-privilege: policy: statement #0: route53:ChangeResourceRecordSets on * (name the hosted zones: arn:aws:route53:::hostedzone/<id>)']);
    // A whole-service grant is refused once, as such, not again for each narrower promise.
    const wholeService: PolicyDocument = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['route53:*', 'ec2:*'], Resource: '*' }] };
    expect(postureOf(wholeService)).toEqual([
      'iam-least-privilege: policy: statement #0: Action "ec2:*" grants a whole service (list the actions)',
      'iam-least-privilege: policy: statement #0: Action "route53:*" grants a whole service (list the actions)',
      'iam-least-privilege: policy: statement #0: Resource "*" without a Condition (name the resources, or narrow with a Condition where AWS has no resource-level permission)',
    ]);
  });
});

describe('alert notification key and topic', () => {
  it('GIVEN the alerts key WHEN read THEN the account administers it and EventBridge may only encrypt for it, for this account', () => {
    const key = alertsKeyPolicy(account);
    expect(key.Statement.map((s) => s.Principal)).toEqual([{ AWS: 'arn:aws:iam::111122223333:root' }, { Service: 'events.amazonaws.com' }]);
    expect(key.Statement[1]).toMatchObject({ Action: ['kms:Decrypt', 'kms:GenerateDataKey*'], Condition: { StringEquals: { 'aws:SourceAccount': '111122223333' } } });
    expect(policyDocumentProblems(key, 'resource')).toEqual([]);
  });

  it('GIVEN the topic WHEN read THEN only the certificate expiry rule may publish, over TLS', () => {
    const topic = alertsTopicPolicy('arn:aws:sns:eu-west-1:111122223333:c1-platform-alerts', 'arn:aws:events:eu-west-1:111122223333:rule/c1-certificate-expiry');
    expect(topic.Statement[0]).toMatchObject({ Principal: { Service: 'events.amazonaws.com' }, Action: ['sns:Publish'], Condition: { ArnEquals: { 'aws:SourceArn': 'arn:aws:events:eu-west-1:111122223333:rule/c1-certificate-expiry' } } });
    expect(topic.Statement[1]).toMatchObject({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': false } } });
    expect(policyDocumentProblems(topic, 'resource')).toEqual([]);
  });
});

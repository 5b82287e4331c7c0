/** Policy document builders, without Pulumi. */
import {
  ebsCsiKmsPolicy,
  externalSecretsPolicy,
  flowLogsPolicy,
  interruptionQueuePolicy,
  irsaTrustPolicy,
  karpenterControllerPolicy,
  keyPolicy,
  PRICING_API_REGIONS,
  podIdentityTrustPolicy,
  type PolicyDocument,
} from '../../infra/policy-documents';
import { policyDocumentProblems } from '../../lib/rules';

const account = { accountId: '111122223333', region: 'eu-west-1', partition: 'aws' };
const karpenter = karpenterControllerPolicy({
  account,
  clusterName: 'c1',
  interruptionQueueArn: 'arn:aws:sqs:eu-west-1:111122223333:c1-karpenter-interruption',
  nodeRoleName: 'c1-karpenter-node',
  ebsKeyArn: 'arn:aws:kms:eu-west-1:111122223333:key/k',
});

function allActions(doc: PolicyDocument): string[] {
  return doc.Statement.flatMap((s) => (typeof s.Action === 'string' ? [s.Action] : [...(s.Action ?? [])]));
}

describe('trust policies', () => {
  it('GIVEN a ServiceAccount WHEN building IRSA trust THEN sub and aud are both StringEquals on the issuer host', () => {
    expect(irsaTrustPolicy('arn:aws:iam::1:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/AB', 'https://oidc.eks.eu-west-1.amazonaws.com/id/AB', 'kube-system', 'aws-node')).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'AllowServiceAccountWebIdentity',
          Effect: 'Allow',
          Principal: { Federated: 'arn:aws:iam::1:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/AB' },
          Action: ['sts:AssumeRoleWithWebIdentity'],
          Condition: {
            StringEquals: {
              'oidc.eks.eu-west-1.amazonaws.com/id/AB:sub': 'system:serviceaccount:kube-system:aws-node',
              'oidc.eks.eu-west-1.amazonaws.com/id/AB:aud': 'sts.amazonaws.com',
            },
          },
        },
      ],
    });
  });

  it('GIVEN a cluster WHEN building Pod Identity trust THEN only pods.eks for this account and cluster may assume and tag', () => {
    const [s] = podIdentityTrustPolicy(account, 'arn:aws:eks:eu-west-1:111122223333:cluster/c1').Statement;
    expect(s.Principal).toEqual({ Service: 'pods.eks.amazonaws.com' });
    expect(s.Action).toEqual(['sts:AssumeRole', 'sts:TagSession']);
    expect(s.Condition).toEqual({ StringEquals: { 'aws:SourceAccount': '111122223333' }, ArnEquals: { 'aws:SourceArn': 'arn:aws:eks:eu-west-1:111122223333:cluster/c1' } });
  });
});

describe('identity policies', () => {
  it('GIVEN External Secrets WHEN building its policy THEN it reads only <cluster>/ secrets, read actions only', () => {
    const [s] = externalSecretsPolicy(account, 'c1').Statement;
    expect(s.Resource).toBe('arn:aws:secretsmanager:eu-west-1:111122223333:secret:c1/*');
    expect(s.Action).toEqual(['secretsmanager:DescribeSecret', 'secretsmanager:GetResourcePolicy', 'secretsmanager:GetSecretValue', 'secretsmanager:ListSecretVersionIds']);
  });

  it('GIVEN the EBS key WHEN building the EBS CSI policy THEN grants are only for AWS resources', () => {
    const doc = ebsCsiKmsPolicy('arn:aws:kms:eu-west-1:111122223333:key/k');
    expect(doc.Statement.map((s) => s.Resource)).toEqual(['arn:aws:kms:eu-west-1:111122223333:key/k', 'arn:aws:kms:eu-west-1:111122223333:key/k']);
    expect(doc.Statement[1].Condition).toEqual({ Bool: { 'kms:GrantIsForAWSResource': true } });
  });

  it('GIVEN the Karpenter controller policy WHEN checked THEN it passes the least-privilege rule and grants no whole service', () => {
    expect(policyDocumentProblems(JSON.stringify(karpenter), 'identity')).toEqual([]);
    expect(allActions(karpenter).filter((a) => a.endsWith(':*'))).toEqual([]);
  });

  it('GIVEN every builder WHEN listing "*" resources THEN only the named cases use it, each with a Condition', () => {
    const wildcards = [karpenter, externalSecretsPolicy(account, 'c1'), ebsCsiKmsPolicy('k'), flowLogsPolicy('arn:aws:logs:eu-west-1:1:log-group:g')]
      .flatMap((d) => d.Statement)
      .filter((s) => s.Resource === '*')
      .map((s) => [s.Sid, s.Condition]);
    expect(wildcards).toEqual([
      // EC2 Describe* calls have no resource-level permissions: limited to this region.
      ['AllowRegionalReadActions', { StringEquals: { 'aws:RequestedRegion': 'eu-west-1' } }],
      // The Price List API has no resource-level permissions: limited to the regions serving it.
      ['AllowPricingReadActions', { StringEquals: { 'aws:RequestedRegion': [...PRICING_API_REGIONS] } }],
    ]);
  });

  it('GIVEN the reference policy of the pinned Karpenter (1.14) WHEN comparing read actions THEN every one the platform needs is granted', () => {
    // aws/karpenter-provider-aws website/content/en/v1.14/getting-started/getting-started-with-karpenter/
    // cloudformation.yaml (692ccdd0), ResourceDiscoveryPolicy, Sid AllowRegionalReadActions.
    const upstream = [
      'ec2:DescribeCapacityReservations', 'ec2:DescribeImages', 'ec2:DescribeInstances', 'ec2:DescribeInstanceStatus', 'ec2:DescribeInstanceTypeOfferings',
      'ec2:DescribeInstanceTypes', 'ec2:DescribeLaunchTemplates', 'ec2:DescribePlacementGroups', 'ec2:DescribeSecurityGroups', 'ec2:DescribeSpotPriceHistory', 'ec2:DescribeSubnets',
    ];
    // Placement groups are only looked up for an EC2NodeClass that names one (pkg/providers/placementgroup); ours names none.
    const notUsed = ['ec2:DescribePlacementGroups'];
    const reads = karpenter.Statement.find((s) => s.Sid === 'AllowRegionalReadActions')!.Action as string[];
    expect(upstream.filter((a) => !notUsed.includes(a) && !reads.includes(a))).toEqual([]);
    expect(reads).toContain('ec2:DescribeInstanceStatus');
    expect(reads).not.toContain('ec2:DescribePlacementGroups');
  });

  it('GIVEN Karpenter WHEN scoping destructive actions THEN they require the cluster-owned tag', () => {
    const deletion = karpenter.Statement.find((s) => s.Sid === 'AllowScopedDeletion')!;
    expect(deletion.Action).toEqual(['ec2:DeleteLaunchTemplate', 'ec2:TerminateInstances']);
    expect(deletion.Condition?.StringEquals).toEqual({ 'aws:ResourceTag/kubernetes.io/cluster/c1': 'owned' });
    const pass = karpenter.Statement.find((s) => s.Sid === 'AllowPassingInstanceRole')!;
    expect(pass.Resource).toBe('arn:aws:iam::111122223333:role/c1-karpenter-node');
  });
});

describe('resource policies', () => {
  it('GIVEN each key purpose WHEN building key policies THEN the account administers through IAM and only the needed service is added', () => {
    const principals = (p: 'secrets' | 'ebs' | 'logs') => keyPolicy(account, p, 'c1').Statement.map((s) => s.Principal);
    expect(principals('secrets')).toEqual([{ AWS: 'arn:aws:iam::111122223333:root' }]);
    expect(principals('logs')).toEqual([{ AWS: 'arn:aws:iam::111122223333:root' }, { Service: 'logs.eu-west-1.amazonaws.com' }]);
    expect(principals('ebs')).toEqual([
      { AWS: 'arn:aws:iam::111122223333:root' },
      { AWS: 'arn:aws:iam::111122223333:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling' },
      { AWS: 'arn:aws:iam::111122223333:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling' },
    ]);
    for (const p of ['secrets', 'ebs', 'logs'] as const) expect(policyDocumentProblems(keyPolicy(account, p, 'c1'), 'resource')).toEqual([]);
  });

  it('GIVEN the interruption queue WHEN building its policy THEN EventBridge may send and plain HTTP is denied', () => {
    const doc = interruptionQueuePolicy('arn:aws:sqs:eu-west-1:1:q');
    expect(doc.Statement.map((s) => [s.Effect, s.Action])).toEqual([['Allow', ['sqs:SendMessage']], ['Deny', ['sqs:*']]]);
    expect(doc.Statement[1].Condition).toEqual({ Bool: { 'aws:SecureTransport': false } });
    expect(policyDocumentProblems(doc, 'resource')).toEqual([]);
  });
});

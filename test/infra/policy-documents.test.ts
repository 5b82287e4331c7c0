/** Policy document builders, without Pulumi. */
import {
  ebsCsiKmsPolicy,
  externalSecretsPolicy,
  flowLogsPolicy,
  interruptionQueuePolicy,
  irsaTrustPolicy,
  KARPENTER_POLICY_REFERENCE,
  karpenterControllerPolicy,
  keyPolicy,
  PRICING_API_REGIONS,
  podIdentityTrustPolicy,
} from '../../infra/policy-documents';
import type { PolicyDocument } from '../../lib/iam-document';
import { policyDocumentProblems } from '../../lib/rules';
import { KARPENTER_CHART } from '../../charts/versions';

const SECRETS_KEY = 'arn:aws:kms:eu-west-1:111122223333:key/s';

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
    const [s] = externalSecretsPolicy(account, 'c1', SECRETS_KEY).Statement;
    expect(s.Resource).toBe('arn:aws:secretsmanager:eu-west-1:111122223333:secret:c1/*');
    expect(s.Action).toEqual(['secretsmanager:DescribeSecret', 'secretsmanager:GetResourcePolicy', 'secretsmanager:GetSecretValue', 'secretsmanager:ListSecretVersionIds']);
  });

  it('GIVEN secrets encrypted with the platform key WHEN External Secrets reads them THEN it may decrypt with that key, only through Secrets Manager and only for <cluster>/ secrets', () => {
    const decrypt = externalSecretsPolicy(account, 'c1', SECRETS_KEY).Statement.find((s) => s.Sid === 'DecryptClusterSecrets')!;
    expect(decrypt.Action).toEqual(['kms:Decrypt']);
    expect(decrypt.Resource).toBe(SECRETS_KEY);
    // Secrets Manager calls KMS with the secret's ARN as encryption context (SecretARN).
    expect(decrypt.Condition).toEqual({
      StringEquals: { 'kms:ViaService': 'secretsmanager.eu-west-1.amazonaws.com' },
      StringLike: { 'kms:EncryptionContext:SecretARN': 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:c1/*' },
    });
  });

  it('GIVEN the EBS key WHEN building the EBS CSI policy THEN every statement goes through EC2 and grants are only for AWS resources', () => {
    const doc = ebsCsiKmsPolicy('arn:aws:kms:eu-west-1:111122223333:key/k', 'eu-west-1');
    expect(doc.Statement.map((s) => s.Resource)).toEqual(['arn:aws:kms:eu-west-1:111122223333:key/k', 'arn:aws:kms:eu-west-1:111122223333:key/k']);
    for (const s of doc.Statement) expect(s.Condition?.StringEquals).toEqual({ 'kms:ViaService': 'ec2.eu-west-1.amazonaws.com' });
    expect(doc.Statement[1].Condition?.Bool).toEqual({ 'kms:GrantIsForAWSResource': true });
  });

  it('GIVEN the Karpenter controller policy WHEN checked THEN it passes the least-privilege rule and grants no whole service', () => {
    expect(policyDocumentProblems(JSON.stringify(karpenter), 'identity')).toEqual([]);
    expect(allActions(karpenter).filter((a) => a.endsWith(':*'))).toEqual([]);
  });

  it('GIVEN every builder WHEN listing "*" resources THEN only the named cases use it, each with a Condition', () => {
    const wildcards = [karpenter, externalSecretsPolicy(account, 'c1', SECRETS_KEY), ebsCsiKmsPolicy('k', 'eu-west-1'), flowLogsPolicy('arn:aws:logs:eu-west-1:1:log-group:g')]
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

describe('Karpenter controller policy against upstream', () => {
  // Facts from aws/karpenter-provider-aws tag v1.14.1,
  // website/content/en/docs/getting-started/getting-started-with-karpenter/cloudformation.yaml
  // (KarpenterControllerPolicy): the resource types of the two RunInstances/CreateFleet statements.
  // Upstream also names placement-group/* in the first; it is left out on purpose (no placement
  // groups in our EC2NodeClass; see karpenterControllerPolicy).
  const UPSTREAM_V1_14_1 = {
    AllowScopedEC2InstanceAccessActions: ['image/*', 'snapshot/*', 'security-group/*', 'subnet/*', 'capacity-reservation/*', 'placement-group/*'],
    AllowScopedEC2InstanceActionsWithTags: ['fleet/*', 'instance/*', 'volume/*', 'network-interface/*', 'launch-template/*', 'spot-instances-request/*'],
  };
  const LEFT_OUT = new Set(['placement-group/*']);
  const resourceTypes = (sid: string) => {
    const s = karpenter.Statement.find((st) => st.Sid === sid)!;
    return (typeof s.Resource === 'string' ? [s.Resource] : [...(s.Resource ?? [])]).map((r) => r.slice(r.lastIndexOf(':') + 1));
  };

  it('GIVEN the pinned Karpenter chart WHEN comparing with the policy reference THEN the policy follows the same release (re-read the upstream file on a bump)', () => {
    expect(KARPENTER_POLICY_REFERENCE.version).toBe(KARPENTER_CHART.version);
  });

  it('GIVEN upstream v1.14.1 WHEN reading the instance statements THEN each resource type upstream names is here (capacity reservations included), but for the unused placement groups', () => {
    for (const [sid, types] of Object.entries(UPSTREAM_V1_14_1)) expect(resourceTypes(sid).sort()).toEqual(types.filter((t) => !LEFT_OUT.has(t)).sort());
  });

  it('GIVEN spot is allowed WHEN building the policy THEN only the EC2 Spot service-linked role may be created, and nothing when spot is off', () => {
    const slr = karpenter.Statement.find((s) => s.Sid === 'AllowSpotServiceLinkedRoleCreation')!;
    expect(slr.Action).toEqual(['iam:CreateServiceLinkedRole']);
    expect(slr.Resource).toBe('arn:aws:iam::111122223333:role/aws-service-role/spot.amazonaws.com/AWSServiceRoleForEC2Spot');
    expect(slr.Condition).toEqual({ StringEquals: { 'iam:AWSServiceName': 'spot.amazonaws.com' } });
    const noSpot = karpenterControllerPolicy({ account, clusterName: 'c1', interruptionQueueArn: 'q', nodeRoleName: 'n', ebsKeyArn: 'k', allowSpot: false });
    expect(allActions(noSpot)).not.toContain('iam:CreateServiceLinkedRole');
  });
});

describe('resource policies', () => {
  it('GIVEN each key purpose WHEN building key policies THEN the account administers through IAM and only the needed service is added', () => {
    const principals = (p: 'secrets' | 'ebs' | 'logs') => keyPolicy(account, p, 'c1').Statement.map((s) => s.Principal);
    expect(principals('secrets')).toEqual([{ AWS: 'arn:aws:iam::111122223333:root' }]);
    expect(principals('logs')).toEqual([{ AWS: 'arn:aws:iam::111122223333:root' }, { Service: 'logs.eu-west-1.amazonaws.com' }]);
    for (const p of ['secrets', 'ebs', 'logs'] as const) expect(policyDocumentProblems(keyPolicy(account, p, 'c1'), 'resource')).toEqual([]);
  });

  it('GIVEN a fresh account without service-linked roles WHEN building the EBS key policy THEN no role is named as principal; EC2 users of this account reach the key through EC2 only', () => {
    const statements = keyPolicy(account, 'ebs', 'c1').Statement;
    // KMS refuses a key policy whose principal ARN does not exist (MalformedPolicyDocumentException).
    expect(JSON.stringify(statements)).not.toMatch(/aws-service-role/);
    const throughEc2 = statements.filter((s) => s.Sid !== 'AccountAdministersKeyThroughIam');
    expect(throughEc2).toHaveLength(2);
    for (const s of throughEc2) {
      expect(s.Principal).toEqual({ AWS: '*' });
      expect(s.Condition?.StringEquals).toEqual({ 'kms:ViaService': 'ec2.eu-west-1.amazonaws.com', 'kms:CallerAccount': '111122223333' });
    }
    expect(throughEc2.find((s) => s.Sid === 'AccountPrincipalsGrantThroughEc2ForAwsResources')?.Condition?.Bool).toEqual({ 'kms:GrantIsForAWSResource': true });
    expect(throughEc2.flatMap((s) => s.Action)).not.toContain('kms:ScheduleKeyDeletion');
  });

  it('GIVEN the interruption queue WHEN building its policy THEN only the given EventBridge rules may send, and plain HTTP is denied', () => {
    const rules = ['d', 'a', 'c', 'b'].map((r) => `arn:aws:events:eu-west-1:1:rule/${r}`);
    const doc = interruptionQueuePolicy('arn:aws:sqs:eu-west-1:1:q', rules);
    expect(doc.Statement.map((s) => [s.Effect, s.Action])).toEqual([['Allow', ['sqs:SendMessage']], ['Deny', ['sqs:*']]]);
    expect(doc.Statement[0].Principal).toEqual({ Service: 'events.amazonaws.com' });
    expect(doc.Statement[0].Condition).toEqual({ ArnEquals: { 'aws:SourceArn': [...rules].sort() } });
    expect(doc.Statement[1].Condition).toEqual({ Bool: { 'aws:SecureTransport': false } });
    expect(policyDocumentProblems(doc, 'resource')).toEqual([]);
    expect(() => interruptionQueuePolicy('q', [])).toThrow(/rule ARNs/);
  });
});

/**
 * IAM, KMS and SQS policy documents as typed objects (never `aws.iam.getPolicyDocument`: under
 * mocks an invoke proves nothing). Pure functions of names and ARNs, tested without Pulumi.
 *
 * `Resource: "*"` appears only where AWS offers no narrower resource, and then always with a
 * Condition; each such statement says so in a comment, and test/infra/policy-documents.test.ts
 * names every one of them.
 */
import { policyDocument as doc, type PolicyDocument, type PolicyStatement } from '../lib/iam-document';
import { secretsPrefix, SPOT_SERVICE_LINKED_ROLE } from '../model/names';

export interface Account {
  readonly accountId: string;
  readonly region: string;
  readonly partition: string;
}

// ---------------------------------------------------------------------------------------------
// Trust policies.

/** Trust for an AWS service (`eks.amazonaws.com`, `ec2.amazonaws.com`, ...). */
export function serviceTrustPolicy(service: string, actions: readonly string[] = ['sts:AssumeRole'], condition?: PolicyStatement['Condition']): PolicyDocument {
  return doc({ Sid: 'AllowServiceToAssume', Effect: 'Allow', Principal: { Service: service }, Action: [...actions], ...(condition ? { Condition: condition } : {}) });
}

/** The OIDC issuer without `https://`, as IAM condition keys spell it. */
export function issuerHostPath(issuerUrl: string): string {
  return issuerUrl.replace(/^https:\/\//, '');
}

/**
 * IRSA trust: only the one ServiceAccount (`:sub`) and only tokens minted for STS (`:aud`), both
 * with StringEquals, so no other ServiceAccount and no other audience can assume the role.
 */
export function irsaTrustPolicy(oidcProviderArn: string, issuerUrl: string, namespace: string, serviceAccount: string): PolicyDocument {
  const host = issuerHostPath(issuerUrl);
  return doc({
    Sid: 'AllowServiceAccountWebIdentity',
    Effect: 'Allow',
    Principal: { Federated: oidcProviderArn },
    Action: ['sts:AssumeRoleWithWebIdentity'],
    Condition: {
      StringEquals: {
        [`${host}:sub`]: `system:serviceaccount:${namespace}:${serviceAccount}`,
        [`${host}:aud`]: 'sts.amazonaws.com',
      },
    },
  });
}

/**
 * EKS Pod Identity trust: the pods.eks.amazonaws.com service, only on behalf of this account's
 * cluster (confused-deputy protection). Which ServiceAccount may use the role is decided by the
 * PodIdentityAssociation, which names exactly one.
 */
export function podIdentityTrustPolicy(account: Account, clusterArn: string): PolicyDocument {
  return serviceTrustPolicy('pods.eks.amazonaws.com', ['sts:AssumeRole', 'sts:TagSession'], {
    StringEquals: { 'aws:SourceAccount': account.accountId },
    ArnEquals: { 'aws:SourceArn': clusterArn },
  });
}

// ---------------------------------------------------------------------------------------------
// KMS key policies. In a key policy `Resource: "*"` means "this key" (AWS requires that form).

export type KeyPurpose = 'secrets' | 'ebs' | 'logs';

const KMS_ADMIN_ACTIONS = [
  'kms:CancelKeyDeletion', 'kms:Create*', 'kms:Delete*', 'kms:Describe*', 'kms:Disable*', 'kms:Enable*', 'kms:Get*',
  'kms:List*', 'kms:Put*', 'kms:Revoke*', 'kms:ScheduleKeyDeletion', 'kms:TagResource', 'kms:UntagResource', 'kms:Update*',
];
const KMS_USE_ACTIONS = ['kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:GenerateDataKey*', 'kms:ReEncrypt*'];
const KMS_GRANT_ACTIONS = ['kms:CreateGrant', 'kms:ListGrants', 'kms:RevokeGrant'];

/**
 * The account (through IAM policies, never directly to anyone) administers and uses the key;
 * each purpose adds only the AWS service principal that must use it.
 */
export function keyPolicy(account: Account, purpose: KeyPurpose, clusterName: string): PolicyDocument {
  const root = `arn:${account.partition}:iam::${account.accountId}:root`;
  const statements: PolicyStatement[] = [
    {
      Sid: 'AccountAdministersKeyThroughIam',
      Effect: 'Allow',
      Principal: { AWS: root },
      Action: [...KMS_ADMIN_ACTIONS, ...KMS_USE_ACTIONS, ...KMS_GRANT_ACTIONS],
      Resource: '*',
    },
  ];
  if (purpose === 'ebs') {
    // Whoever launches EC2 capacity with this key (EC2 Auto Scaling's service-linked role for the
    // managed node group, EC2 Spot/Fleet's for Karpenter's spot nodes, Karpenter and the EBS CSI
    // driver) uses it through EC2 only, and only from this account. No principal is named: KMS
    // refuses a key policy naming a role that does not exist yet, and those service-linked roles
    // do not exist in a fresh account until their service first runs. This is the statement form
    // AWS uses for the aws/ebs key, and the one Karpenter documents for customer-managed EBS keys
    // (aws/karpenter-provider-aws v1.5.0, website/content/en/docs/troubleshooting.md, "Node
    // terminates before ready on failed encrypted EBS volume"). kms:ViaService and kms:CallerAccount:
    // AWS KMS developer guide, "AWS KMS condition keys".
    const throughEc2 = { 'kms:ViaService': `ec2.${account.region}.amazonaws.com`, 'kms:CallerAccount': account.accountId };
    statements.push(
      { Sid: 'AccountPrincipalsUseKeyThroughEc2', Effect: 'Allow', Principal: { AWS: '*' }, Action: KMS_USE_ACTIONS, Resource: '*', Condition: { StringEquals: throughEc2 } },
      {
        Sid: 'AccountPrincipalsGrantThroughEc2ForAwsResources',
        Effect: 'Allow',
        Principal: { AWS: '*' },
        Action: ['kms:CreateGrant'],
        Resource: '*',
        Condition: { StringEquals: throughEc2, Bool: { 'kms:GrantIsForAWSResource': true } },
      },
    );
  }
  if (purpose === 'logs') {
    statements.push({
      Sid: 'CloudWatchLogsEncryptsPlatformLogGroups',
      Effect: 'Allow',
      Principal: { Service: `logs.${account.region}.amazonaws.com` },
      Action: ['kms:Decrypt*', 'kms:Describe*', 'kms:Encrypt*', 'kms:GenerateDataKey*', 'kms:ReEncrypt*'],
      Resource: '*',
      Condition: {
        ArnLike: {
          'kms:EncryptionContext:aws:logs:arn': [
            `arn:${account.partition}:logs:${account.region}:${account.accountId}:log-group:/aws/eks/${clusterName}/*`,
            `arn:${account.partition}:logs:${account.region}:${account.accountId}:log-group:/aws/vpc/${clusterName}/*`,
          ],
        },
      },
    });
  }
  return doc(...statements);
}

// ---------------------------------------------------------------------------------------------
// Identity policies.

/** The EKS cluster role envelope-encrypts Secrets with the secrets key (and nothing else). */
export function clusterEncryptionPolicy(secretsKeyArn: string): PolicyDocument {
  return doc({ Sid: 'EnvelopeEncryptSecrets', Effect: 'Allow', Action: ['kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:ListGrants'], Resource: secretsKeyArn });
}

/** VPC flow logs write into their own log group only. */
export function flowLogsPolicy(logGroupArn: string): PolicyDocument {
  return doc({
    Sid: 'WriteFlowLogs',
    Effect: 'Allow',
    Action: ['logs:CreateLogStream', 'logs:DescribeLogStreams', 'logs:PutLogEvents'],
    Resource: [logGroupArn, `${logGroupArn}:log-stream:*`],
  });
}

/**
 * The EBS CSI driver encrypts volumes with the EBS key: use it, and grant it to AWS resources, both
 * only through EC2 (the driver calls ec2:CreateVolume/AttachVolume; EC2 calls KMS on its behalf).
 */
export function ebsCsiKmsPolicy(ebsKeyArn: string, region: string): PolicyDocument {
  const viaEc2 = { 'kms:ViaService': `ec2.${region}.amazonaws.com` };
  return doc(
    { Sid: 'UseEbsKeyThroughEc2', Effect: 'Allow', Action: KMS_USE_ACTIONS, Resource: ebsKeyArn, Condition: { StringEquals: viaEc2 } },
    {
      Sid: 'GrantEbsKeyToEc2',
      Effect: 'Allow',
      Action: KMS_GRANT_ACTIONS,
      Resource: ebsKeyArn,
      Condition: { StringEquals: viaEc2, Bool: { 'kms:GrantIsForAWSResource': true } },
    },
  );
}

/**
 * External Secrets reads only the secrets under `<cluster>/` in its own account and region, and
 * decrypts them with the platform's secrets key only through Secrets Manager and only for those
 * secrets (Secrets Manager puts the secret's ARN in the encryption context: AWS Secrets Manager
 * user guide, "Secret encryption and decryption in AWS Secrets Manager").
 */
export function externalSecretsPolicy(account: Account, clusterName: string, secretsKeyArn: string): PolicyDocument {
  const secrets = `arn:${account.partition}:secretsmanager:${account.region}:${account.accountId}:secret:${secretsPrefix(clusterName)}*`;
  return doc(
    {
      Sid: 'ReadClusterSecrets',
      Effect: 'Allow',
      Action: ['secretsmanager:DescribeSecret', 'secretsmanager:GetResourcePolicy', 'secretsmanager:GetSecretValue', 'secretsmanager:ListSecretVersionIds'],
      Resource: secrets,
    },
    {
      Sid: 'DecryptClusterSecrets',
      Effect: 'Allow',
      Action: ['kms:Decrypt'],
      Resource: secretsKeyArn,
      Condition: {
        StringEquals: { 'kms:ViaService': `secretsmanager.${account.region}.amazonaws.com` },
        StringLike: { 'kms:EncryptionContext:SecretARN': secrets },
      },
    },
  );
}

/** Regions serving the AWS Price List API; Karpenter calls the one nearest its region. */
export const PRICING_API_REGIONS = ['ap-south-1', 'eu-central-1', 'us-east-1'] as const;

export interface KarpenterPolicyInput {
  readonly account: Account;
  readonly clusterName: string;
  readonly interruptionQueueArn: string;
  readonly nodeRoleName: string;
  readonly ebsKeyArn: string;
  /** Karpenter may launch spot capacity (config `karpenter.allowSpot`). @default true */
  readonly allowSpot?: boolean;
}

/**
 * The upstream reference this controller policy follows, statement by statement (same Sids). When
 * Karpenter is bumped, diff that file at the new tag against this policy and move `version`:
 * test/infra/policy-documents.test.ts fails while it differs from the pinned chart version.
 */
export const KARPENTER_POLICY_REFERENCE = {
  repository: 'aws/karpenter-provider-aws',
  version: '1.14.1',
  // At a release tag the docs of that release live under website/content/en/docs/.
  path: 'website/content/en/docs/getting-started/getting-started-with-karpenter/cloudformation.yaml',
} as const;


/**
 * The Karpenter v1 controller policy (KARPENTER_POLICY_REFERENCE), scoped to this cluster:
 * instances, fleets, launch templates and instance profiles only when tagged
 * `kubernetes.io/cluster/<name>=owned`, reads limited to this region, PassRole for the node role only.
 *
 * Checked against the reference of the pinned release (KARPENTER_CHART 1.14.1):
 * aws/karpenter-provider-aws tag v1.14.1, website/content/en/docs/getting-started/
 * getting-started-with-karpenter/cloudformation.yaml. Capacity reservations are named in
 * AllowScopedEC2InstanceAccessActions only (1.5.0 also listed them in the tagged statement; 1.14.1 does not). Since 1.5 it added `ec2:DescribeInstanceStatus` (the instance
 * status health checks of pkg/controllers/interruption, on by default: added below), placement
 * groups (RunInstances/CreateFleet on `placement-group/*`, `ec2:DescribePlacementGroups`: only used
 * for an EC2NodeClass with a placement group, which ours has not) and zonal shift
 * (`arc-zonal-shift:GetManagedResource`: only with `settings.enableZonalShift`, off by default and
 * in our values). Those two stay out until the platform uses them.
 */
export function karpenterControllerPolicy(p: KarpenterPolicyInput): PolicyDocument {
  const { partition, region, accountId } = p.account;
  const ec2 = (resource: string) => `arn:${partition}:ec2:${region}:*:${resource}`;
  const clusterTag = `kubernetes.io/cluster/${p.clusterName}`;
  const instanceProfiles = `arn:${partition}:iam::${accountId}:instance-profile/*`;
  return doc(
    {
      Sid: 'AllowScopedEC2InstanceAccessActions',
      Effect: 'Allow',
      Resource: [`arn:${partition}:ec2:${region}::image/*`, `arn:${partition}:ec2:${region}::snapshot/*`, ec2('security-group/*'), ec2('subnet/*'), ec2('capacity-reservation/*')],
      Action: ['ec2:CreateFleet', 'ec2:RunInstances'],
    },
    {
      Sid: 'AllowScopedEC2LaunchTemplateAccessActions',
      Effect: 'Allow',
      Resource: ec2('launch-template/*'),
      Action: ['ec2:CreateFleet', 'ec2:RunInstances'],
      Condition: { StringEquals: { [`aws:ResourceTag/${clusterTag}`]: 'owned' }, StringLike: { 'aws:ResourceTag/karpenter.sh/nodepool': '*' } },
    },
    {
      Sid: 'AllowScopedEC2InstanceActionsWithTags',
      Effect: 'Allow',
      Resource: [ec2('fleet/*'), ec2('instance/*'), ec2('volume/*'), ec2('network-interface/*'), ec2('launch-template/*'), ec2('spot-instances-request/*')],
      Action: ['ec2:CreateFleet', 'ec2:CreateLaunchTemplate', 'ec2:RunInstances'],
      Condition: {
        StringEquals: { [`aws:RequestTag/${clusterTag}`]: 'owned', 'aws:RequestTag/eks:eks-cluster-name': p.clusterName },
        StringLike: { 'aws:RequestTag/karpenter.sh/nodepool': '*' },
      },
    },
    {
      Sid: 'AllowScopedResourceCreationTagging',
      Effect: 'Allow',
      Resource: [ec2('fleet/*'), ec2('instance/*'), ec2('volume/*'), ec2('network-interface/*'), ec2('launch-template/*'), ec2('spot-instances-request/*')],
      Action: ['ec2:CreateTags'],
      Condition: {
        StringEquals: {
          [`aws:RequestTag/${clusterTag}`]: 'owned',
          'aws:RequestTag/eks:eks-cluster-name': p.clusterName,
          'ec2:CreateAction': ['CreateFleet', 'CreateLaunchTemplate', 'RunInstances'],
        },
        StringLike: { 'aws:RequestTag/karpenter.sh/nodepool': '*' },
      },
    },
    {
      Sid: 'AllowScopedResourceTagging',
      Effect: 'Allow',
      Resource: ec2('instance/*'),
      Action: ['ec2:CreateTags'],
      Condition: {
        StringEquals: { [`aws:ResourceTag/${clusterTag}`]: 'owned' },
        StringLike: { 'aws:ResourceTag/karpenter.sh/nodepool': '*' },
        StringEqualsIfExists: { 'aws:RequestTag/eks:eks-cluster-name': p.clusterName },
        'ForAllValues:StringEquals': { 'aws:TagKeys': ['eks:eks-cluster-name', 'karpenter.sh/nodeclaim', 'Name'] },
      },
    },
    {
      Sid: 'AllowScopedDeletion',
      Effect: 'Allow',
      Resource: [ec2('instance/*'), ec2('launch-template/*')],
      Action: ['ec2:DeleteLaunchTemplate', 'ec2:TerminateInstances'],
      Condition: { StringEquals: { [`aws:ResourceTag/${clusterTag}`]: 'owned' }, StringLike: { 'aws:ResourceTag/karpenter.sh/nodepool': '*' } },
    },
    {
      // Resource "*": EC2 Describe* calls have no resource-level permissions; limited to this region.
      Sid: 'AllowRegionalReadActions',
      Effect: 'Allow',
      Resource: '*',
      Action: [
        'ec2:DescribeAvailabilityZones', 'ec2:DescribeCapacityReservations', 'ec2:DescribeImages', 'ec2:DescribeInstances',
        'ec2:DescribeInstanceStatus', 'ec2:DescribeInstanceTypeOfferings', 'ec2:DescribeInstanceTypes', 'ec2:DescribeLaunchTemplates',
        'ec2:DescribeSecurityGroups', 'ec2:DescribeSpotPriceHistory', 'ec2:DescribeSubnets',
      ],
      Condition: { StringEquals: { 'aws:RequestedRegion': region } },
    },
    { Sid: 'AllowSSMReadActions', Effect: 'Allow', Resource: `arn:${partition}:ssm:${region}::parameter/aws/service/*`, Action: ['ssm:GetParameter'] },
    {
      // Resource "*": the Price List API has no resource-level permissions; limited to the regions serving it.
      Sid: 'AllowPricingReadActions',
      Effect: 'Allow',
      Resource: '*',
      Action: ['pricing:GetProducts'],
      Condition: { StringEquals: { 'aws:RequestedRegion': [...PRICING_API_REGIONS] } },
    },
    {
      Sid: 'AllowInterruptionQueueActions',
      Effect: 'Allow',
      Resource: p.interruptionQueueArn,
      Action: ['sqs:DeleteMessage', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl', 'sqs:ReceiveMessage'],
    },
    {
      Sid: 'AllowPassingInstanceRole',
      Effect: 'Allow',
      Resource: `arn:${partition}:iam::${accountId}:role/${p.nodeRoleName}`,
      Action: ['iam:PassRole'],
      Condition: { StringEquals: { 'iam:PassedToService': 'ec2.amazonaws.com' } },
    },
    {
      Sid: 'AllowScopedInstanceProfileCreationActions',
      Effect: 'Allow',
      Resource: instanceProfiles,
      Action: ['iam:CreateInstanceProfile'],
      Condition: {
        StringEquals: { [`aws:RequestTag/${clusterTag}`]: 'owned', 'aws:RequestTag/eks:eks-cluster-name': p.clusterName, 'aws:RequestTag/topology.kubernetes.io/region': region },
        StringLike: { 'aws:RequestTag/karpenter.k8s.aws/ec2nodeclass': '*' },
      },
    },
    {
      Sid: 'AllowScopedInstanceProfileTagActions',
      Effect: 'Allow',
      Resource: instanceProfiles,
      Action: ['iam:TagInstanceProfile'],
      Condition: {
        StringEquals: {
          [`aws:ResourceTag/${clusterTag}`]: 'owned',
          'aws:ResourceTag/topology.kubernetes.io/region': region,
          [`aws:RequestTag/${clusterTag}`]: 'owned',
          'aws:RequestTag/eks:eks-cluster-name': p.clusterName,
          'aws:RequestTag/topology.kubernetes.io/region': region,
        },
        StringLike: { 'aws:ResourceTag/karpenter.k8s.aws/ec2nodeclass': '*', 'aws:RequestTag/karpenter.k8s.aws/ec2nodeclass': '*' },
      },
    },
    {
      Sid: 'AllowScopedInstanceProfileActions',
      Effect: 'Allow',
      Resource: instanceProfiles,
      Action: ['iam:AddRoleToInstanceProfile', 'iam:DeleteInstanceProfile', 'iam:RemoveRoleFromInstanceProfile'],
      Condition: {
        StringEquals: { [`aws:ResourceTag/${clusterTag}`]: 'owned', 'aws:ResourceTag/topology.kubernetes.io/region': region },
        StringLike: { 'aws:ResourceTag/karpenter.k8s.aws/ec2nodeclass': '*' },
      },
    },
    { Sid: 'AllowInstanceProfileReadActions', Effect: 'Allow', Resource: instanceProfiles, Action: ['iam:GetInstanceProfile', 'iam:ListInstanceProfiles'] },
    { Sid: 'AllowAPIServerEndpointDiscovery', Effect: 'Allow', Resource: `arn:${partition}:eks:${region}:${accountId}:cluster/${p.clusterName}`, Action: ['eks:DescribeCluster'] },
    {
      // Nodes' root volumes are encrypted with the EBS key; EC2 uses it on Karpenter's behalf only.
      Sid: 'AllowEbsKeyForNodeVolumes',
      Effect: 'Allow',
      Resource: p.ebsKeyArn,
      Action: ['kms:CreateGrant', 'kms:Decrypt', 'kms:DescribeKey', 'kms:GenerateDataKeyWithoutPlaintext', 'kms:ReEncrypt*'],
      Condition: { StringEquals: { 'kms:ViaService': `ec2.${region}.amazonaws.com` } },
    },
    ...(p.allowSpot === false
      ? []
      : [
          {
            // In an account that never ran spot, EC2 creates AWSServiceRoleForEC2Spot on the first spot
            // launch with the caller's credentials, or fails with ServiceLinkedRoleCreationNotPermitted
            // (upstream v1.5.0 website/content/en/docs/troubleshooting.md, "Missing Service Linked Role").
            // Only that role, only for that service: an account that has it is unaffected.
            Sid: 'AllowSpotServiceLinkedRoleCreation',
            Effect: 'Allow' as const,
            Resource: `arn:${partition}:iam::${accountId}:role/aws-service-role/${SPOT_SERVICE_LINKED_ROLE.service}/${SPOT_SERVICE_LINKED_ROLE.roleName}`,
            Action: ['iam:CreateServiceLinkedRole'],
            Condition: { StringEquals: { 'iam:AWSServiceName': SPOT_SERVICE_LINKED_ROLE.service } },
          },
        ]),
  );
}

/**
 * Only the stack's own EventBridge rules may send to the interruption queue (a forged
 * interruption drains a node), over TLS only. Upstream (KARPENTER_POLICY_REFERENCE) allows the
 * events.amazonaws.com and sqs.amazonaws.com service principals with no condition; here the
 * EventBridge principal is bound to the rules by `aws:SourceArn` (the confused-deputy guard AWS
 * documents for EventBridge targets: EventBridge user guide, "Amazon SQS permissions"), and the
 * SQS principal is left out: nothing in this stack sends as SQS.
 */
export function interruptionQueuePolicy(queueArn: string, ruleArns: readonly string[]): PolicyDocument {
  if (ruleArns.length === 0) throw new RangeError('interruptionQueuePolicy needs the EventBridge rule ARNs that may send');
  return eventBridgeTargetPolicy({ sid: 'EventBridgeRulesSendInterruptionEvents', action: 'sqs:SendMessage', target: queueArn, rules: [...ruleArns].sort(), deniedInsecure: ['sqs:*'] });
}

export interface EventBridgeTargetPolicyInput {
  readonly sid: string;
  /** What the rules do to the target (`sqs:SendMessage`, `sns:Publish`). */
  readonly action: string;
  readonly target: string;
  /** The rules that may deliver (`aws:SourceArn`): one ARN, or a list. */
  readonly rules: string | readonly string[];
  /** Actions refused without TLS. */
  readonly deniedInsecure: readonly string[];
}

/**
 * The resource policy of an EventBridge target (a queue, a topic): only the named rules may deliver,
 * through the events.amazonaws.com principal bound by `aws:SourceArn` (the confused-deputy guard of the
 * EventBridge user guide), and nothing without TLS.
 */
export function eventBridgeTargetPolicy(p: EventBridgeTargetPolicyInput): PolicyDocument {
  return doc(
    {
      Sid: p.sid,
      Effect: 'Allow',
      Principal: { Service: 'events.amazonaws.com' },
      Action: [p.action],
      Resource: p.target,
      Condition: { ArnEquals: { 'aws:SourceArn': p.rules } },
    },
    { Sid: 'DenyInsecureTransport', Effect: 'Deny', Principal: '*', Action: [...p.deniedInsecure], Resource: p.target, Condition: { Bool: { 'aws:SecureTransport': false } } },
  );
}

/**
 * The CrossGuard pack's policies (infra/policy/policies.ts), exercised the way the analyzer calls
 * them: validateResource(args, reportViolation). infra/policy/index.ts is never imported (it would
 * start the policy pack's server).
 */
import type { ResourceValidationArgs, ResourceValidationPolicy } from '@pulumi/policy';
import { contextFor, frameworkOf, platformPolicies, toPolicy } from '../../infra/policy/policies';
import { RESOURCE_RULES } from '../../lib/rules';

const KEY = 'arn:aws:kms:eu-west-1:444455556666:key/0b3c9a1e-1f2e-4d3c-9b8a-7a6b5c4d3e2f';
const doc = (statement: object): string => JSON.stringify({ Version: '2012-10-17', Statement: [statement] });

const CLUSTER = {
  encryptionConfig: { provider: { keyArn: KEY }, resources: ['secrets'] },
  enabledClusterLogTypes: ['api', 'audit', 'authenticator', 'controllerManager', 'scheduler'],
  vpcConfig: { endpointPrivateAccess: true, endpointPublicAccess: false, subnetIds: ['subnet-1'] },
  accessConfig: { authenticationMode: 'API', bootstrapClusterCreatorAdminPermissions: false },
};
const LAUNCH_TEMPLATE = {
  metadataOptions: { httpTokens: 'required', httpPutResponseHopLimit: 1 },
  blockDeviceMappings: [{ deviceName: '/dev/xvda', ebs: { encrypted: 'true', kmsKeyId: KEY } }],
};

interface Case {
  readonly type: string;
  readonly pass: Record<string, unknown>;
  readonly fail: Record<string, unknown>;
  readonly message: RegExp;
  readonly stack?: string;
}

/** One passing and one failing resource per rule, in the prod stack unless said otherwise. */
const CASES: Record<string, Case> = {
  'kms-key-rotation': { type: 'aws:kms/key:Key', pass: { enableKeyRotation: true }, fail: { enableKeyRotation: false }, message: /^enableKeyRotation is not true/ },
  'eks-secrets-encryption': { type: 'aws:eks/cluster:Cluster', pass: CLUSTER, fail: { ...CLUSTER, encryptionConfig: undefined }, message: /^encryptionConfig does not cover resources \["secrets"\]/ },
  'eks-control-plane-logging': { type: 'aws:eks/cluster:Cluster', pass: CLUSTER, fail: { ...CLUSTER, enabledClusterLogTypes: ['api'] }, message: /^enabledClusterLogTypes is missing audit, authenticator, controllerManager, scheduler/ },
  'eks-private-endpoint': { type: 'aws:eks/cluster:Cluster', pass: CLUSTER, fail: { ...CLUSTER, vpcConfig: { endpointPrivateAccess: false, endpointPublicAccess: false } }, message: /^vpcConfig\.endpointPrivateAccess is not true/ },
  'eks-public-endpoint-prod': { type: 'aws:eks/cluster:Cluster', pass: CLUSTER, fail: { ...CLUSTER, vpcConfig: { endpointPrivateAccess: true, endpointPublicAccess: true, publicAccessCidrs: ['203.0.113.0/24'] } }, message: /^vpcConfig\.endpointPublicAccess is not false in prod/ },
  'eks-public-endpoint-allowlist': { type: 'aws:eks/cluster:Cluster', stack: 'dev', pass: { ...CLUSTER, vpcConfig: { endpointPrivateAccess: true, endpointPublicAccess: true, publicAccessCidrs: ['203.0.113.0/24'] } }, fail: { ...CLUSTER, vpcConfig: { endpointPrivateAccess: true, endpointPublicAccess: true, publicAccessCidrs: ['0.0.0.0/0'] } }, message: /^publicAccessCidrs contains 0\.0\.0\.0\/0/ },
  'eks-public-endpoint': { type: 'aws:eks/cluster:Cluster', stack: 'dev', pass: CLUSTER, fail: { ...CLUSTER, vpcConfig: { endpointPrivateAccess: true, endpointPublicAccess: true, publicAccessCidrs: ['203.0.113.0/24'] } }, message: /^public API endpoint is on \(allowlisted: 203\.0\.113\.0\/24\)$/ },
  'eks-no-creator-admin': { type: 'aws:eks/cluster:Cluster', pass: CLUSTER, fail: { ...CLUSTER, accessConfig: { authenticationMode: 'API', bootstrapClusterCreatorAdminPermissions: true } }, message: /^accessConfig\.bootstrapClusterCreatorAdminPermissions is not false/ },
  'nodes-private': { type: 'aws:eks/nodeGroup:NodeGroup', pass: { nodeGroupName: 'system' }, fail: { nodeGroupName: 'system', remoteAccess: { ec2SshKey: 'ops' } }, message: /^remoteAccess is set/ },
  'imdsv2-hop-limit': { type: 'aws:ec2/launchTemplate:LaunchTemplate', pass: LAUNCH_TEMPLATE, fail: { ...LAUNCH_TEMPLATE, metadataOptions: { httpTokens: 'required', httpPutResponseHopLimit: 2 } }, message: /^metadataOptions\.httpPutResponseHopLimit is 2/ },
  'ebs-encrypted': { type: 'aws:ebs/volume:Volume', pass: { encrypted: true, kmsKeyId: KEY }, fail: { encrypted: false }, message: /^encrypted is not true$/ },
  'iam-least-privilege': { type: 'aws:iam/rolePolicy:RolePolicy', pass: { policy: doc({ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*' }) }, fail: { policy: doc({ Effect: 'Allow', Action: 's3:*', Resource: 'arn:aws:s3:::b/*' }) }, message: /^policy: statement #0: Action "s3:\*" grants a whole service/ },
  'eks-addon-pinned': { type: 'aws:eks/addon:Addon', pass: { addonName: 'coredns', addonVersion: 'v1.11.4-eksbuild.24' }, fail: { addonName: 'coredns' }, message: /^addonVersion is not set for coredns/ },
  'vpc-cni-network-policy': { type: 'aws:eks/addon:Addon', pass: { addonName: 'vpc-cni', addonVersion: 'v1.20.1-eksbuild.3', configurationValues: '{"enableNetworkPolicy":"true"}' }, fail: { addonName: 'vpc-cni', addonVersion: 'v1.20.1-eksbuild.3', configurationValues: '{}' }, message: /^configurationValues\.enableNetworkPolicy is not "true"/ },
  'sqs-encrypted': { type: 'aws:sqs/queue:Queue', pass: { sqsManagedSseEnabled: true }, fail: {}, message: /^neither sqsManagedSseEnabled nor kmsMasterKeyId is set/ },
  'sns-topic-encrypted': { type: 'aws:sns/topic:Topic', pass: { kmsMasterKeyId: KEY }, fail: { name: 'alerts' }, message: /^kmsMasterKeyId is not set/ },
  'log-group-encrypted-retained': { type: 'aws:cloudwatch/logGroup:LogGroup', pass: { kmsKeyId: KEY, retentionInDays: 365 }, fail: { retentionInDays: 365 }, message: /^kmsKeyId is not set/ },
};

function validate(policy: ResourceValidationPolicy, type: string, props: Record<string, unknown>, stack = 'prod', config: Record<string, unknown> = {}): string[] {
  const violations: string[] = [];
  const args = { type, name: 'r', urn: `urn:pulumi:${stack}::platform::${type}::r`, props, getConfig: () => config } as unknown as ResourceValidationArgs;
  const validations = policy.validateResource;
  for (const v of Array.isArray(validations) ? validations : validations ? [validations] : []) void v(args, (message: string) => violations.push(message));
  return violations;
}

describe('CrossGuard policies built from the shared rules', () => {
  const policies = new Map(platformPolicies().map((p) => [p.name, p]));

  it('GIVEN the rule catalogue WHEN converted THEN there is one policy per rule, and a test case for each', () => {
    expect([...policies.keys()]).toEqual(RESOURCE_RULES.map((r) => r.id));
    expect(Object.keys(CASES).sort()).toEqual(RESOURCE_RULES.map((r) => r.id).sort());
  });

  it.each(Object.entries(CASES))('GIVEN rule %s WHEN a compliant resource is validated THEN nothing is reported; a violating one THEN the rule message', (id, c) => {
    const policy = policies.get(id) as ResourceValidationPolicy;
    expect(validate(policy, c.type, c.pass, c.stack)).toEqual([]);
    const violations = validate(policy, c.type, c.fail, c.stack);
    expect(violations).toHaveLength(1);
    expect(violations[0]).toMatch(c.message);
  });

  it('GIVEN a rule WHEN converted THEN enforcement, severity and compliance framework follow the rule', () => {
    const rule = RESOURCE_RULES.find((r) => r.id === 'eks-secrets-encryption');
    const policy = toPolicy(rule!);
    expect([policy.name, policy.enforcementLevel, policy.severity, policy.description]).toEqual([
      'eks-secrets-encryption', 'mandatory', 'critical', 'Kubernetes Secrets are envelope-encrypted with a customer-managed KMS key (CIS EKS 5.3.1)',
    ]);
    expect(policy.framework).toEqual({ name: 'CIS Amazon EKS Benchmark', version: '1.7.0', reference: '5.3.1', specification: 'https://www.cisecurity.org/benchmark/kubernetes' });
    expect(toPolicy(RESOURCE_RULES.find((r) => r.id === 'eks-public-endpoint')!).enforcementLevel).toBe('advisory');
    expect(frameworkOf('EKS BP: pinned add-ons')).toBeUndefined();
  });

  it('GIVEN a resource of another type WHEN validated THEN the policy ignores it', () => {
    expect(validate(policies.get('kms-key-rotation')!, 'aws:s3/bucket:Bucket', { enableKeyRotation: false })).toEqual([]);
  });

  it('GIVEN the environment WHEN deciding the context THEN policy config wins over the stack name', () => {
    expect(contextFor({ urn: 'urn:pulumi:dev::platform::t::n' })).toEqual({ environment: 'dev' });
    expect(contextFor({ urn: 'urn:pulumi:staging::platform::t::n' })).toEqual({});
    expect(contextFor({ urn: 'urn:pulumi:dev::platform::t::n', getConfig: () => ({ environment: 'prod' }) })).toEqual({ environment: 'prod' });
    const publicCluster = { ...CLUSTER, vpcConfig: { endpointPrivateAccess: true, endpointPublicAccess: true, publicAccessCidrs: ['203.0.113.0/24'] } };
    expect(validate(policies.get('eks-public-endpoint-prod')!, 'aws:eks/cluster:Cluster', publicCluster, 'dev')).toEqual([]);
    expect(validate(policies.get('eks-public-endpoint-prod')!, 'aws:eks/cluster:Cluster', publicCluster, 'dev', { environment: 'prod' })).toHaveLength(1);
  });
});

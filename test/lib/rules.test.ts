import { actionCovers } from '../../lib/iam-document';
import { evaluateResources, isBlocking, policyDocumentProblems, RESOURCE_RULES, type ResourceView } from '../../lib/rules';

const hardenedCluster: ResourceView = {
  type: 'aws:eks/cluster:Cluster',
  name: 'cluster',
  props: {
    encryptionConfig: { provider: { keyArn: 'arn:aws:kms:eu-west-1:111122223333:key/abc' }, resources: ['secrets'] },
    enabledClusterLogTypes: ['api', 'audit', 'authenticator', 'controllerManager', 'scheduler'],
    vpcConfig: { endpointPrivateAccess: true, endpointPublicAccess: false, subnetIds: ['subnet-1'] },
    accessConfig: { authenticationMode: 'API', bootstrapClusterCreatorAdminPermissions: false },
  },
};

function withProps(base: ResourceView, props: Record<string, unknown>): ResourceView {
  return { ...base, props: { ...base.props, ...props } };
}

function ids(resources: ResourceView[], environment: 'dev' | 'prod' = 'prod'): string[] {
  return evaluateResources(resources, { environment }).map((f) => f.id);
}

describe('rule catalogue', () => {
  it('GIVEN the rules WHEN listed THEN ids are unique and every mandatory high rule blocks', () => {
    const all = RESOURCE_RULES.map((r) => r.id);
    expect(new Set(all).size).toBe(all.length);
    expect(isBlocking({ severity: 'high', enforcement: 'mandatory' })).toBe(true);
    expect(isBlocking({ severity: 'high', enforcement: 'advisory' })).toBe(false);
    // CrossGuard blocks on any mandatory violation; plan and audit agree with it.
    expect(isBlocking({ severity: 'medium', enforcement: 'mandatory' })).toBe(true);
    expect(isBlocking({ severity: 'low', enforcement: 'advisory' })).toBe(false);
  });
});

describe('EKS cluster rules', () => {
  it('GIVEN a hardened prod cluster WHEN evaluated THEN there is no finding', () => {
    expect(evaluateResources([hardenedCluster], { environment: 'prod' })).toEqual([]);
  });

  it('GIVEN no secrets encryption WHEN evaluated THEN CIS EKS 5.3.1 blocks', () => {
    const findings = evaluateResources([withProps(hardenedCluster, { encryptionConfig: undefined })], { environment: 'prod' });
    expect(findings).toEqual([
      expect.objectContaining({ id: 'eks-secrets-encryption', control: 'CIS EKS 5.3.1', severity: 'critical', blocking: true, resource: 'aws:eks/cluster:Cluster::cluster' }),
    ]);
  });

  it('GIVEN encryption without a key WHEN evaluated THEN the key is asked for', () => {
    const findings = evaluateResources([withProps(hardenedCluster, { encryptionConfig: { resources: ['secrets'], provider: {} } })], {});
    expect(findings.map((f) => f.message)).toEqual(['encryptionConfig.provider.keyArn is not set (name the customer-managed KMS key)']);
  });

  it('GIVEN only api and audit logs WHEN evaluated THEN the three missing types are named', () => {
    const findings = evaluateResources([withProps(hardenedCluster, { enabledClusterLogTypes: ['api', 'audit'] })], { environment: 'prod' });
    expect(findings.map((f) => [f.id, f.message])).toEqual([
      ['eks-control-plane-logging', 'enabledClusterLogTypes is missing authenticator, controllerManager, scheduler (enable all of api, audit, authenticator, controllerManager, scheduler)'],
    ]);
  });

  it('GIVEN an allowlisted public endpoint WHEN in dev THEN only the advisory finding remains, and in prod it blocks', () => {
    const open = withProps(hardenedCluster, { vpcConfig: { endpointPrivateAccess: true, endpointPublicAccess: true, publicAccessCidrs: ['203.0.113.0/24'] } });
    expect(evaluateResources([open], { environment: 'dev' }).map((f) => [f.id, f.blocking, f.message])).toEqual([
      ['eks-public-endpoint', false, 'public API endpoint is on (allowlisted: 203.0.113.0/24)'],
    ]);
    expect(ids([open], 'prod')).toEqual(['eks-public-endpoint-prod', 'eks-public-endpoint']);
  });

  it('GIVEN a public endpoint open to 0.0.0.0/0 or with no list WHEN in dev THEN the allowlist rule blocks', () => {
    const anywhere = withProps(hardenedCluster, { vpcConfig: { endpointPrivateAccess: true, endpointPublicAccess: true, publicAccessCidrs: ['0.0.0.0/0'] } });
    const unlisted = withProps(hardenedCluster, { vpcConfig: { endpointPrivateAccess: false } });
    expect(evaluateResources([anywhere], { environment: 'dev' }).filter((f) => f.blocking).map((f) => f.message)).toEqual([
      'publicAccessCidrs contains 0.0.0.0/0 (list narrow networks only)',
    ]);
    expect(ids([unlisted], 'dev')).toEqual(['eks-private-endpoint', 'eks-public-endpoint-allowlist', 'eks-public-endpoint']);
  });

  it('GIVEN the config-map auth mode with creator admin WHEN evaluated THEN both are reported', () => {
    const findings = evaluateResources([withProps(hardenedCluster, { accessConfig: undefined })], { environment: 'prod' });
    expect(findings.map((f) => f.message)).toEqual([
      'accessConfig.authenticationMode is "CONFIG_MAP" (use API with access entries)',
      'accessConfig.bootstrapClusterCreatorAdminPermissions is not false (grant admins through access entries)',
    ]);
  });
});

describe('node rules', () => {
  const template: ResourceView = {
    type: 'aws:ec2/launchTemplate:LaunchTemplate',
    name: 'system',
    props: {
      metadataOptions: { httpEndpoint: 'enabled', httpTokens: 'required', httpPutResponseHopLimit: 1 },
      blockDeviceMappings: [{ deviceName: '/dev/xvda', ebs: { encrypted: 'true', kmsKeyId: 'arn:aws:kms:eu-west-1:1:key/x', volumeType: 'gp3' } }],
    },
  };

  it('GIVEN a hardened launch template WHEN evaluated THEN it passes', () => {
    expect(ids([template])).toEqual([]);
  });

  it('GIVEN IMDSv1 and hop limit 2 WHEN evaluated THEN both are named', () => {
    const weak = withProps(template, { metadataOptions: { httpTokens: 'optional', httpPutResponseHopLimit: 2 } });
    expect(evaluateResources([weak], {}).map((f) => f.message)).toEqual([
      "metadataOptions.httpPutResponseHopLimit is 2 (set 1 so pods cannot reach the node's metadata)",
      'metadataOptions.httpTokens is "optional" (set required: IMDSv2 only)',
    ]);
  });

  it('GIVEN an unencrypted root volume and a public NIC WHEN evaluated THEN both rules fire', () => {
    const weak = withProps(template, {
      blockDeviceMappings: [{ deviceName: '/dev/xvda', ebs: { encrypted: 'false' } }],
      networkInterfaces: [{ associatePublicIpAddress: 'true' }],
    });
    expect(ids([weak])).toEqual(['ebs-encrypted', 'ebs-encrypted', 'nodes-private']);
  });

  it('GIVEN a node group with SSH remote access WHEN evaluated THEN nodes-private blocks', () => {
    const group: ResourceView = { type: 'aws:eks/nodeGroup:NodeGroup', name: 'system', props: { remoteAccess: { ec2SshKey: 'k' } } };
    expect(evaluateResources([group], {}).map((f) => [f.id, f.control, f.blocking])).toEqual([['nodes-private', 'CIS EKS 5.4.3', true]]);
  });
});

describe('policy documents', () => {
  const doc = (statement: object) => JSON.stringify({ Version: '2012-10-17', Statement: [statement] });

  it('GIVEN Action "*" WHEN checked THEN it is refused', () => {
    expect(policyDocumentProblems(doc({ Effect: 'Allow', Action: '*', Resource: 'arn:aws:s3:::b' }), 'identity')).toEqual([
      'statement #0: Action "*" grants a whole service (list the actions)',
    ]);
  });

  it('GIVEN a service wildcard and a prefix wildcard WHEN checked THEN only the service wildcard is refused', () => {
    expect(policyDocumentProblems(doc({ Sid: 'S', Effect: 'Allow', Action: ['s3:*', 'kms:Describe*'], Resource: 'arn:aws:s3:::b' }), 'identity')).toEqual([
      'statement S #0: Action "s3:*" grants a whole service (list the actions)',
    ]);
  });

  it('GIVEN Resource "*" WHEN with and without a Condition THEN only the unconditioned one is refused', () => {
    const bare = doc({ Effect: 'Allow', Action: 'ec2:DescribeInstances', Resource: '*' });
    const narrowed = doc({ Effect: 'Allow', Action: 'ec2:RunInstances', Resource: '*', Condition: { StringEquals: { 'aws:RequestTag/cluster': 'x' } } });
    expect(policyDocumentProblems(bare, 'identity')).toHaveLength(1);
    expect(policyDocumentProblems(narrowed, 'identity')).toEqual([]);
  });

  it('GIVEN a key policy with Resource "*" WHEN checked as a resource policy THEN it passes (it means the key itself)', () => {
    const keyPolicy = doc({ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::1:root' }, Action: ['kms:Decrypt'], Resource: '*' });
    expect(policyDocumentProblems(keyPolicy, 'resource')).toEqual([]);
  });

  it('GIVEN Principal "*" without a Condition WHEN checked THEN it is refused; Deny statements are not judged', () => {
    expect(policyDocumentProblems(doc({ Effect: 'Allow', Principal: '*', Action: 'sqs:SendMessage', Resource: '*' }), 'resource')).toEqual([
      'statement #0: Principal "*" without a Condition lets anyone in',
    ]);
    expect(policyDocumentProblems(doc({ Effect: 'Deny', Principal: '*', Action: '*', Resource: '*' }), 'resource')).toEqual([]);
  });

  it('GIVEN a role with a bad inline policy WHEN evaluated THEN the finding names the inline policy', () => {
    const role: ResourceView = {
      type: 'aws:iam/role:Role',
      name: 'r',
      props: { assumeRolePolicy: doc({ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }), inlinePolicies: [{ name: 'p', policy: doc({ Effect: 'Allow', Action: 'iam:*', Resource: '*' }) }] },
    };
    expect(evaluateResources([role], {}).map((f) => f.message)).toEqual([
      'inlinePolicies[p]: statement #0: Action "iam:*" grants a whole service (list the actions)',
      'inlinePolicies[p]: statement #0: Resource "*" without a Condition (name the resources, or narrow with a Condition where AWS has no resource-level permission)',
    ]);
  });

  it('GIVEN text that is not JSON WHEN checked THEN it is reported as unreadable', () => {
    expect(policyDocumentProblems('{not json', 'identity')).toEqual(['is not a readable policy document (expected JSON with a Statement list)']);
  });
});

describe('other resources', () => {
  it('GIVEN a key without rotation, an unpinned add-on, a plain queue and an unencrypted log group WHEN evaluated THEN each is found', () => {
    const found = evaluateResources(
      [
        { type: 'aws:kms/key:Key', name: 'k', props: { enableKeyRotation: false } },
        { type: 'aws:eks/addon:Addon', name: 'coredns', props: { addonName: 'coredns' } },
        { type: 'aws:eks/addon:Addon', name: 'cni', props: { addonName: 'vpc-cni', addonVersion: 'v1', configurationValues: '{"enableNetworkPolicy":"false"}' } },
        { type: 'aws:sqs/queue:Queue', name: 'q', props: {} },
        { type: 'aws:cloudwatch/logGroup:LogGroup', name: 'l', props: { retentionInDays: 30 } },
      ],
      { environment: 'prod' },
    );
    expect(found.map((f) => `${f.severity} ${f.id} ${f.resource}`)).toEqual([
      'high kms-key-rotation aws:kms/key:Key::k',
      'high vpc-cni-network-policy aws:eks/addon:Addon::cni',
      'medium eks-addon-pinned aws:eks/addon:Addon::coredns',
      'medium log-group-encrypted-retained aws:cloudwatch/logGroup:LogGroup::l',
      'medium sqs-encrypted aws:sqs/queue:Queue::q',
    ]);
  });
});

describe('IAM action patterns', () => {
  it('GIVEN wildcard patterns WHEN matched against actions THEN they cover as IAM does: any run of characters, case-insensitively', () => {
    expect(actionCovers('route53:Change*', 'route53:ChangeResourceRecordSets')).toBe(true);
    expect(actionCovers('ROUTE53:changeresourcerecordsets', 'route53:ChangeResourceRecordSets')).toBe(true);
    expect(actionCovers('ec2:*SecurityGroup*', 'ec2:AuthorizeSecurityGroupIngress')).toBe(true);
    expect(actionCovers('*', 'ec2:DeleteSecurityGroup')).toBe(true);
    expect(actionCovers('ec2:Describe*', 'ec2:DeleteSecurityGroup')).toBe(false);
    expect(actionCovers('route53:ChangeResourceRecordSets', 'route53:ChangeResourceRecordSetsX')).toBe(false);
    // Characters special to regular expressions are literal in IAM.
    expect(actionCovers('ec2:Delete.ecurityGroup', 'ec2:DeleteSecurityGroup')).toBe(false);
  });
});

import { auditFixture, summarize, URN } from './helpers';

describe('audit of a first create of the whole platform', () => {
  const report = auditFixture('create-platform');

  it('GIVEN the create preview WHEN audited THEN every resource is one create and the summary counts them', () => {
    expect(report.stack).toBe('prod');
    expect(report.environment).toBe('prod');
    expect(report.noOp).toBe(false);
    expect(report.changes).toHaveLength(126);
    expect(report.changes.every((c) => c.op === 'create')).toBe(true);
    expect(report.operations).toEqual([['create', 126]]);
    expect(report.types.find((t) => t.type === 'aws:iam/role:Role')?.counts).toEqual({ create: 8 });
    expect(report.types.find((t) => t.type === 'kubernetes:core/v1:Namespace')?.counts).toEqual({ create: 8 });
  });

  it('GIVEN the hardened platform WHEN audited THEN no rule fails', () => {
    expect(report.findings).toEqual([]);
  });

  it('GIVEN values known only after apply WHEN the shared rules read them THEN those checks are reported as not judged', () => {
    expect(report.unjudged.map((u) => `${u.id} ${u.resource.split('::').pop()}: ${u.reason}`)).toEqual([
      'log-group-encrypted-retained control-plane-logs: kmsKeyId is known only after apply',
      'eks-secrets-encryption cluster: encryptionConfig.provider.keyArn is known only after apply',
      'iam-least-privilege cluster-secrets-encryption: policy is known only after apply',
      'iam-least-privilege ebs-csi: assumeRolePolicy is known only after apply',
      'iam-least-privilege vpc-cni: assumeRolePolicy is known only after apply',
      'iam-least-privilege ebs-csi-ebs-key: policy is known only after apply',
      'iam-least-privilege karpenter-controller-karpenter-controller: policy is known only after apply',
      'log-group-encrypted-retained flow-logs: kmsKeyId is known only after apply',
      'ebs-encrypted system-nodes: blockDeviceMappings[0].ebs.kmsKeyId is known only after apply',
    ]);
  });
});

describe('audit of a risky update', () => {
  const report = auditFixture('risky-update');

  it('GIVEN the risky update WHEN audited THEN exactly these findings, most severe first', () => {
    expect(summarize(report)).toEqual([
      'critical eks-endpoint-made-public cluster',
      'critical sg-open-to-world bastion-ssh',
      'critical k8s-rbac-widened platform-readonly',
      'high eks-control-plane-logging cluster',
      'high eks-public-endpoint-prod cluster',
      'high sg-open-to-world api-ipv6',
      'high iam-trust-widened ebs-csi',
      'high iam-least-privilege karpenter-controller-karpenter-controller',
      'high iam-least-privilege karpenter-controller-karpenter-controller',
      'high iam-wildcard-added karpenter-controller-karpenter-controller',
      'high iam-wildcard-added karpenter-controller-karpenter-controller',
      'high kms-key-policy-widened secrets-key',
      'high kms-key-rotation secrets-key',
      'high kms-rotation-disabled secrets-key',
      'high imdsv2-hop-limit system-nodes',
      'high imdsv2-relaxed system-nodes',
      'high gatekeeper-enforcement-relaxed privileged-containers',
      'high psa-level-lowered payments',
      'medium log-retention-reduced control-plane-logs',
      'medium eks-logging-reduced cluster',
      'medium eks-public-endpoint cluster',
      'low psa-level-lowered payments',
    ]);
  });

  it('GIVEN the cluster change WHEN audited THEN findings carry control, path and message', () => {
    const cluster = report.findings.filter((f) => f.resource === URN.cluster);
    expect(cluster.map((f) => [f.id, f.control, f.kind, f.path ?? null, f.blocking])).toEqual([
      ['eks-endpoint-made-public', 'CIS EKS 5.4.2', 'change', 'vpcConfig.endpointPublicAccess', false],
      ['eks-control-plane-logging', 'CIS EKS 2.1.1', 'policy', null, true],
      ['eks-public-endpoint-prod', 'CIS EKS 5.4.2', 'policy', null, true],
      ['eks-logging-reduced', 'CIS EKS 2.1.1', 'change', 'enabledClusterLogTypes', false],
      ['eks-public-endpoint', 'CIS EKS 5.4.2', 'policy', null, false],
    ]);
    expect(cluster[3].message).toBe('control-plane logging turned off for controllerManager, scheduler');
  });

  it('GIVEN a key policy gaining a statement WHEN audited THEN the policy is diffed statement by statement', () => {
    const key = report.changes.find((c) => c.urn === URN.secretsKey);
    const policy = key?.properties.find((p) => p.path === 'policy');
    expect(policy?.statements?.map((s) => `${s.status} ${s.label}`)).toEqual(['unchanged AccountAdministersKeyThroughIam', 'added PartnerDecrypt']);
    expect(policy?.statements?.[1].after).toEqual({ Sid: 'PartnerDecrypt', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::999988887777:root' }, Action: ['kms:Decrypt', 'kms:DescribeKey'], Resource: '*' });
    expect(key?.properties.map((p) => p.path)).toEqual(['enableKeyRotation', 'policy']);
  });

  it('GIVEN the preview summary WHEN audited THEN operations come from changeSummary in display order', () => {
    expect(report.operations).toEqual([['create', 2], ['update', 10], ['replace', 1], ['same', 115]]);
    expect(report.diagnostics.map((d) => d.severity)).toEqual(['warning']);
  });
});

describe('audit of a destructive replace and delete', () => {
  const report = auditFixture('destructive-replace');

  it('GIVEN replacements and deletes WHEN audited THEN exactly these findings', () => {
    expect(summarize(report)).toEqual([
      'critical eks-secrets-encryption cluster',
      'critical eks-secrets-encryption-removed cluster',
      'critical stateful-resource-replaced cluster',
      'critical kms-key-deleted logs-key',
      'high stateful-resource-deleted control-plane-logs',
      'high gatekeeper-constraint-deleted host-namespaces',
      'high stateful-resource-deleted search',
      'medium stateful-resource-replaced system',
    ]);
  });

  it('GIVEN --show-replacement-steps output WHEN grouped THEN each replaced resource reads as one change', () => {
    expect(report.changes.map((c) => `${c.op} ${c.name}`)).toEqual(['replace cluster', 'replace system', 'delete host-namespaces', 'delete search', 'delete control-plane-logs', 'delete logs-key']);
    const cluster = report.changes[0];
    expect(cluster.stepOps).toEqual(['create-replacement', 'replace', 'delete-replaced']);
    expect(cluster.deleteBeforeReplace).toBe(false);
    expect(cluster.properties.map((p) => [p.path, p.kind, p.replace])).toEqual([['encryptionConfig', 'delete', true]]);
    const nodes = report.changes.find((c) => c.urn === URN.nodeGroup);
    expect(nodes?.stepOps).toEqual(['delete-replaced', 'replace', 'create-replacement']);
    expect(nodes?.deleteBeforeReplace).toBe(true);
  });

  it('GIVEN the protected cluster WHEN replaced THEN the finding says the update will fail until protect is lifted', () => {
    const f = report.findings.find((x) => x.id === 'stateful-resource-replaced' && x.resource === URN.cluster);
    expect(f?.message).toBe('Cluster replaced: every workload, Secret and in-cluster object goes with the old cluster (forced by encryptionConfig; the resource is protected: the update will fail until protect is lifted)');
    expect(f?.control).toBe('AWS WA REL09');
  });
});

describe('audit of a no-op preview', () => {
  const report = auditFixture('no-op');

  it('GIVEN a preview that changes nothing WHEN audited THEN it says so and has zero findings', () => {
    expect(report.noOp).toBe(true);
    expect(report.changes).toEqual([]);
    expect(report.findings).toEqual([]);
    expect(report.operations).toEqual([['same', 126]]);
  });
});

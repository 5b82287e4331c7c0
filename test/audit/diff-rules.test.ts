import { type ResourceChange } from '../../lib/audit/changes';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { checkChange, DIFF_RULES, type DiffRule } from '../../lib/audit/diff-rules';

function change(type: string, op: string, before: Record<string, unknown> | undefined, after: Record<string, unknown> | undefined, extra: Partial<ResourceChange> = {}): ResourceChange {
  return { urn: `urn:pulumi:prod::platform::${type}::r`, type, name: 'r', stack: 'prod', op, stepOps: [op], before, after, diffReasons: [], replaceReasons: [], deleteBeforeReplace: false, protect: false, retainOnDelete: false, properties: [], ...extra };
}

function ids(c: ResourceChange, environment: 'dev' | 'prod' = 'prod'): string[] {
  return checkChange(c, { environment }).map((f) => `${f.severity} ${f.id}: ${f.message}`);
}

const trust = (condition?: Record<string, unknown>, principal: unknown = { Federated: 'arn:aws:iam::1:oidc-provider/x' }): string =>
  JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: 'Irsa', Effect: 'Allow', Principal: principal, Action: 'sts:AssumeRoleWithWebIdentity', ...(condition ? { Condition: condition } : {}) }] });

describe('IAM change rules', () => {
  it('GIVEN a trust policy opened to everyone WHEN checked THEN it is critical', () => {
    expect(ids(change('aws:iam/role:Role', 'update', { assumeRolePolicy: trust() }, { assumeRolePolicy: trust(undefined, '*') }))).toEqual([
      'critical iam-trust-widened: assumeRolePolicy statement Irsa lets * assume the role (anyone)',
    ]);
  });

  it('GIVEN an unchanged trust policy WHEN checked THEN nothing is reported', () => {
    const doc = trust({ StringEquals: { 'x:sub': 'system:serviceaccount:a:b' } });
    expect(ids(change('aws:iam/role:Role', 'update', { assumeRolePolicy: doc }, { assumeRolePolicy: doc }))).toEqual([]);
  });

  it('GIVEN an attachment of AdministratorAccess WHEN created THEN it is critical', () => {
    expect(ids(change('aws:iam/rolePolicyAttachment:RolePolicyAttachment', 'create', undefined, { policyArn: 'arn:aws:iam::aws:policy/AdministratorAccess', role: 'x' }))).toEqual([
      'critical iam-admin-policy-attached: attaches arn:aws:iam::aws:policy/AdministratorAccess (administrative privileges)',
    ]);
  });

  it('GIVEN "*" on "*" added WHEN checked THEN it is critical and the resource wildcard is named too', () => {
    const doc = (st: object[]): string => JSON.stringify({ Version: '2012-10-17', Statement: st });
    const before = { policy: doc([{ Sid: 'Read', Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*' }]) };
    const after = { policy: doc([{ Sid: 'Read', Effect: 'Allow', Action: '*', Resource: '*' }]) };
    expect(ids(change('aws:iam/rolePolicy:RolePolicy', 'update', before, after))).toEqual([
      'critical iam-wildcard-added: policy statement Read now allows "*" on "*"',
      'high iam-wildcard-added: policy statement Read now applies to Resource "*" without a Condition',
    ]);
  });
});

describe('network change rules', () => {
  const sg = (cidrs: string[], port = 443): Record<string, unknown> => ({ ingress: [{ protocol: 'tcp', fromPort: port, toPort: port, cidrBlocks: cidrs }] });

  it('GIVEN an ingress widened from /16 to /8 WHEN checked THEN it is a medium widening', () => {
    expect(ids(change('aws:ec2/securityGroup:SecurityGroup', 'update', sg(['10.40.0.0/16']), sg(['10.0.0.0/8'])))).toEqual(['medium sg-ingress-widened: ingress tcp 443 widened from 10.40.0.0/16 to 10.0.0.0/8']);
  });

  it('GIVEN all traffic opened to the internet WHEN checked THEN it is critical', () => {
    const rule = { type: 'ingress', protocol: '-1', fromPort: 0, toPort: 0, cidrBlocks: ['0.0.0.0/0'] };
    expect(ids(change('aws:ec2/securityGroupRule:SecurityGroupRule', 'create', undefined, rule))).toEqual(['critical sg-open-to-world: ingress all traffic opened to 0.0.0.0/0']);
  });

  it('GIVEN egress to the internet WHEN checked THEN nothing is reported', () => {
    const rule = { type: 'egress', protocol: '-1', fromPort: 0, toPort: 0, cidrBlocks: ['0.0.0.0/0'] };
    expect(ids(change('aws:ec2/securityGroupRule:SecurityGroupRule', 'create', undefined, rule))).toEqual([]);
  });

  it('GIVEN a dev cluster endpoint allowlist widened to everyone WHEN checked THEN it is critical', () => {
    const cluster = (cidrs: string[]): Record<string, unknown> => ({ vpcConfig: { endpointPublicAccess: true, publicAccessCidrs: cidrs } });
    expect(ids(change('aws:eks/cluster:Cluster', 'update', cluster(['203.0.113.0/24']), cluster(['203.0.113.0/24', '0.0.0.0/0'])), 'dev')).toEqual([
      'critical eks-endpoint-allowlist-widened: the public endpoint allowlist now admits 0.0.0.0/0',
    ]);
  });
});

describe('stateful and Kubernetes change rules', () => {
  it('GIVEN a KMS key created WHEN checked THEN nothing is reported; deleted THEN critical', () => {
    expect(ids(change('aws:kms/key:Key', 'create', undefined, { enableKeyRotation: true }))).toEqual([]);
    expect(ids(change('aws:kms/key:Key', 'delete', { enableKeyRotation: true }, undefined))).toEqual([
      'critical kms-key-deleted: Key deleted: data encrypted under the key becomes unreadable once the key is gone',
    ]);
  });

  it('GIVEN a namespace losing its enforce label WHEN checked THEN it counts as privileged', () => {
    const ns = (labels: Record<string, string>): Record<string, unknown> => ({ metadata: { name: 'a', labels } });
    expect(ids(change('kubernetes:core/v1:Namespace', 'update', ns({ 'pod-security.kubernetes.io/enforce': 'baseline' }), ns({})))).toEqual([
      'high psa-level-lowered: Pod Security enforce level lowered from baseline to none (privileged)',
    ]);
  });

  it('GIVEN a Role gaining escalate and a binding gaining system:authenticated WHEN checked THEN both are flagged', () => {
    const role = (verbs: string[]): Record<string, unknown> => ({ rules: [{ apiGroups: ['rbac.authorization.k8s.io'], resources: ['roles'], verbs }] });
    expect(ids(change('kubernetes:rbac.authorization.k8s.io/v1:Role', 'update', role(['get']), role(['get', 'escalate'])))).toEqual([
      'high k8s-rbac-widened: grants escalating verbs: escalate rbac.authorization.k8s.io/roles',
    ]);
    const binding = (groups: string[]): Record<string, unknown> => ({ roleRef: { kind: 'ClusterRole', name: 'view' }, subjects: groups.map((name) => ({ kind: 'Group', name })) });
    expect(ids(change('kubernetes:rbac.authorization.k8s.io/v1:ClusterRoleBinding', 'update', binding(['auditors']), binding(['auditors', 'system:authenticated'])))).toEqual([
      'critical k8s-rbac-widened: binds ClusterRole view to Group:system:authenticated',
    ]);
  });

  it('GIVEN a constraint moved from deny to warn and excluding a namespace WHEN checked THEN both relaxations show', () => {
    const c = (action: string, excluded: string[]): Record<string, unknown> => ({ spec: { enforcementAction: action, match: { excludedNamespaces: excluded } } });
    expect(ids(change('kubernetes:constraints.gatekeeper.sh/v1beta1:K8sRequiredLabels', 'update', c('deny', []), c('warn', ['payments'])))).toEqual([
      'high gatekeeper-enforcement-relaxed: K8sRequiredLabels enforcement relaxed from deny to warn (violations are admitted)',
      'medium gatekeeper-enforcement-relaxed: K8sRequiredLabels no longer applies to namespaces payments',
    ]);
  });

  it('GIVEN EBS encryption turned off in a launch template WHEN checked THEN CIS AWS 2.2.1 is named', () => {
    const lt = (encrypted: string): Record<string, unknown> => ({ blockDeviceMappings: [{ deviceName: '/dev/xvda', ebs: { encrypted } }] });
    expect(checkChange(change('aws:ec2/launchTemplate:LaunchTemplate', 'update', lt('true'), lt('false')), {}).map((f) => [f.id, f.control, f.path])).toEqual([
      ['encryption-removed', 'CIS AWS 2.2.1', 'blockDeviceMappings[0].ebs.encrypted'],
    ]);
  });
});

describe('the change rule table', () => {
  it('GIVEN every change rule WHEN listed THEN each id belongs to one rule and lib/audit/README.md lists exactly these ids', () => {
    const ids = DIFF_RULES.map((r) => r.id);
    expect(ids.filter((id, i) => ids.indexOf(id) !== i)).toEqual([]);
    const readme = fs.readFileSync(path.join(__dirname, '..', '..', 'lib', 'audit', 'README.md'), 'utf8');
    const documented = [...readme.matchAll(/^\| `([a-z0-9-]+)` \| /gm)].map((m) => m[1]);
    expect([...documented].sort()).toEqual([...ids].sort());
  });

  it('GIVEN a rule whose check returns findings WHEN run through checkChange THEN they carry the rule\'s id, whatever the rule says', () => {
    const rule = DIFF_RULES.find((r) => r.id === 'kms-rotation-disabled') as DiffRule;
    const c = change('aws:kms/key:Key', 'update', { enableKeyRotation: true }, { enableKeyRotation: false });
    expect(rule.check(c, {}).map((f) => Object.keys(f))).toEqual([['severity', 'control', 'path', 'message']]);
    expect(checkChange(c, {}).map((f) => f.id)).toEqual(['kms-rotation-disabled']);
  });
});

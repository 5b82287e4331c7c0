/** Stack-level posture checks over hand-built inventories (no Pulumi). */
import { parseStackConfig } from '../../lib/config/load';
import { evaluatePosture, STACK_CHECK_IDS, type PlannedResource } from '../../lib/posture';
import { redactSecrets } from '../../lib/run-program';
import { stackConfig } from '../helpers/pulumi';

const prod = parseStackConfig(stackConfig('prod'), 'Pulumi.prod.yaml');
const ec2Trust = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }] });

function vpcWithControls(): PlannedResource[] {
  return [
    { type: 'aws:ec2/vpc:Vpc', name: 'vpc', id: 'vpc-1', props: {} },
    { type: 'aws:ec2/flowLog:FlowLog', name: 'fl', id: 'fl-1', props: { vpcId: 'vpc-1', trafficType: 'ALL' } },
    { type: 'aws:ec2/defaultSecurityGroup:DefaultSecurityGroup', name: 'dsg', id: 'sg-1', props: { vpcId: 'vpc-1', ingress: [], egress: [] } },
  ];
}

function ids(resources: PlannedResource[]): string[] {
  return evaluatePosture(resources, prod).map((f) => `${f.id} ${f.control} ${f.blocking ? 'blocking' : 'advisory'}`);
}

describe('stack-level posture', () => {
  it('GIVEN the checks WHEN listed THEN they cover identities, ECR, private nodes, flow logs, default SG, log group, scanning', () => {
    expect(STACK_CHECK_IDS).toEqual([
      'dedicated-workload-identities',
      'nodes-ecr-read-only',
      'nodes-private-subnets',
      'vpc-flow-logs',
      'default-security-group-closed',
      'control-plane-log-group',
      'gatekeeper-enforcement',
      'argocd-local-admin',
      'ecr-scan-on-push',
    ]);
  });

  it('GIVEN Gatekeeper constraints WHEN any does not deny THEN one blocking finding counts them (prod accepts no such weakening)', () => {
    const constraint = (name: string, enforcementAction?: string): PlannedResource => ({
      type: 'kubernetes:constraints.gatekeeper.sh/v1beta1:PlatformHostPorts',
      name,
      props: { spec: enforcementAction ? { enforcementAction } : {} },
    });
    expect(ids([constraint('a', 'deny'), constraint('b')])).toEqual([]);
    const findings = evaluatePosture([constraint('a', 'deny'), constraint('b', 'dryrun'), constraint('c', 'warn')], prod);
    expect(findings.map((f) => [f.id, f.blocking, f.message])).toEqual([
      ['gatekeeper-enforcement', true, '2 of 3 Gatekeeper constraints admit violations (enforcementAction dryrun, warn, not deny)'],
    ]);
  });

  it('GIVEN the Argo CD release WHEN its local admin is not explicitly off THEN it is a finding', () => {
    const release = (cm: Record<string, unknown> | undefined): PlannedResource => ({ type: 'kubernetes:helm.sh/v3:Release', name: 'argocd', props: { name: 'argocd', values: cm ? { configs: { cm } } : {} } });
    expect(ids([release({ 'admin.enabled': false })])).toEqual([]);
    expect(ids([release({ 'admin.enabled': true })])).toEqual(['argocd-local-admin CIS EKS 5.5.1 blocking']);
    expect(ids([release(undefined)])).toEqual(['argocd-local-admin CIS EKS 5.5.1 blocking']);
  });

  it('GIVEN a VPC with flow logs and a closed default SG WHEN evaluated THEN nothing is found; without them both are', () => {
    expect(ids(vpcWithControls())).toEqual([]);
    expect(ids([{ type: 'aws:ec2/vpc:Vpc', name: 'vpc', id: 'vpc-1', props: {} }])).toEqual([
      'default-security-group-closed CIS AWS 5.4 blocking',
      'vpc-flow-logs CIS AWS 3.7 blocking',
    ]);
  });

  it('GIVEN a node role with the CNI policy and no ECR read-only policy WHEN evaluated THEN 5.2.1 and 5.1.3 block', () => {
    const resources: PlannedResource[] = [
      { type: 'aws:iam/role:Role', name: 'nodes', props: { name: 'nodes', assumeRolePolicy: ec2Trust } },
      { type: 'aws:iam/rolePolicyAttachment:RolePolicyAttachment', name: 'cni', props: { role: 'nodes', policyArn: 'arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy' } },
    ];
    const findings = evaluatePosture(resources, prod);
    expect(findings.map((f) => [f.id, f.control, f.blocking, f.message])).toEqual([
      ['dedicated-workload-identities', 'CIS EKS 5.2.1', true, 'node role carries add-on policy arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy (give the add-on its own identity)'],
      ['nodes-ecr-read-only', 'CIS EKS 5.1.3', true, 'node role has no ECR read-only policy (attach AmazonEC2ContainerRegistryPullOnly)'],
    ]);
  });

  it('GIVEN one role used by two Pod Identity associations WHEN evaluated THEN 5.2.1 names both users', () => {
    const assoc = (ns: string): PlannedResource => ({ type: 'aws:eks/podIdentityAssociation:PodIdentityAssociation', name: ns, props: { namespace: ns, serviceAccount: ns, roleArn: 'arn:aws:iam::1:role/shared' } });
    expect(evaluatePosture([assoc('a'), assoc('b')], prod).map((f) => f.message)).toEqual(['one role serves a/a, b/b (give each its own role)']);
  });

  it('GIVEN a node group in a subnet routed to an internet gateway WHEN evaluated THEN 5.4.3 blocks', () => {
    const resources: PlannedResource[] = [
      ...vpcWithControls(),
      { type: 'aws:ec2/subnet:Subnet', name: 'public-0', id: 'subnet-pub', props: { mapPublicIpOnLaunch: false } },
      { type: 'aws:ec2/subnet:Subnet', name: 'private-0', id: 'subnet-priv', props: { mapPublicIpOnLaunch: false } },
      { type: 'aws:ec2/routeTable:RouteTable', name: 'public', id: 'rtb-pub', props: { routes: [{ cidrBlock: '0.0.0.0/0', gatewayId: 'igw-1' }] } },
      { type: 'aws:ec2/routeTableAssociation:RouteTableAssociation', name: 'public-0', id: 'a-1', props: { subnetId: 'subnet-pub', routeTableId: 'rtb-pub' } },
      { type: 'aws:eks/nodeGroup:NodeGroup', name: 'system', props: { subnetIds: ['subnet-priv', 'subnet-pub'] } },
    ];
    expect(evaluatePosture(resources, prod).map((f) => [f.id, f.blocking, f.message])).toEqual([
      ['nodes-private-subnets', true, 'subnet public-0 routes to an internet gateway or assigns public IPs (use private subnets)'],
    ]);
  });

  it('GIVEN an IRSA role trusting two ServiceAccounts WHEN evaluated THEN 5.2.1 blocks', () => {
    const trust = JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { Federated: 'arn' }, Action: 'sts:AssumeRoleWithWebIdentity', Condition: { StringEquals: { 'x:sub': ['system:serviceaccount:a:a', 'system:serviceaccount:b:b'], 'x:aud': 'sts.amazonaws.com' } } }],
    });
    const findings = evaluatePosture([{ type: 'aws:iam/role:Role', name: 'r', props: { name: 'r', assumeRolePolicy: trust } }], prod);
    expect(findings.map((f) => f.message)).toEqual(['IRSA trust names 2 ServiceAccounts (system:serviceaccount:a:a, system:serviceaccount:b:b); bind each role to exactly one']);
  });
});

describe('redactSecrets', () => {
  it('GIVEN props holding a Pulumi secret WHEN redacted THEN the value is replaced by [secret] and the rest kept', () => {
    const secret = { '4dabf18193072939515e22adb298388d': '1b47061264138c4ac30d75fd1eb44270', value: 'hunter2' };
    expect(redactSecrets({ a: 1, b: [secret, 'x'], c: { d: secret } })).toEqual({ a: 1, b: ['[secret]', 'x'], c: { d: '[secret]' } });
  });
});

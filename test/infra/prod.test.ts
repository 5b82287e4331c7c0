/* eslint-disable @typescript-eslint/no-explicit-any -- Helm values and object specs are untyped JSON queried field by field */
/**
 * The prod stack under mocks: one program run for the whole file, then concrete assertions on
 * what the program registered.
 */
import { ADDON_NAMES, ADDON_VERSIONS } from '../../model/versions';
import { CLUSTER_ADMIN_ACCESS_POLICY } from '../../infra/cluster';
import { INTERRUPTION_EVENTS } from '../../infra/karpenter';
import { WORKLOAD_IDENTITIES } from '../../model/identities';
import { interruptionQueueName, MAX_CLUSTER_NAME_LENGTH, roleName } from '../../model/names';
import { NODE_MANAGED_POLICIES } from '../../infra/nodes';
import type { ProgramRun } from '../../lib/run-program';
import { evaluatePosture } from '../../lib/posture';
import { versionFindings } from '../../lib/versions/findings';
import { readStatements, type PolicyStatement } from '../../lib/iam-document';
import { policyDocumentProblems } from '../../lib/rules';
import { parseStackConfig } from '../../lib/config/load';
import { expectFormerUrnsKept } from '../helpers/aliases';
import { ofType, runStack, single, stackConfig } from '../helpers/pulumi';
import { helmRelease, helmReleases, kubernetesProvider, kubernetesResources, missingDependencies, objectName, objectNamed, objectsOfKind } from '../helpers/wiring';
import { HELM_RELEASES } from '../../charts';

let run: ProgramRun;
beforeAll(async () => {
  run = await runStack('prod');
});

const CLUSTER = 'platform-prod';
const ACCOUNT = '444455556666';

describe('prod: KMS', () => {
  it('GIVEN the prod stack WHEN planned THEN four customer-managed keys rotate, each with its alias', () => {
    const keys = ofType(run, 'aws:kms/key:Key');
    expect(keys.map((k) => k.name).sort()).toEqual(['ingress-alerts-key', 'keys-ebs-key', 'keys-logs-key', 'keys-secrets-key']);
    for (const key of keys) {
      expect(key.props.enableKeyRotation).toBe(true);
      expect(key.props.deletionWindowInDays).toBe(30);
    }
    expect(ofType(run, 'aws:kms/alias:Alias').map((a) => a.props.name).sort()).toEqual([
      `alias/${CLUSTER}/alerts`,
      `alias/${CLUSTER}/ebs`,
      `alias/${CLUSTER}/logs`,
      `alias/${CLUSTER}/secrets`,
    ]);
  });

  it('GIVEN the logs key WHEN reading its policy THEN only CloudWatch Logs of this region, for the platform log groups, may use it', () => {
    const statements = readStatements(single(run, 'aws:kms/key:Key', 'keys-logs-key').props.policy)!;
    const logs = statements.find((s) => s.Sid === 'CloudWatchLogsEncryptsPlatformLogGroups') as PolicyStatement;
    expect(logs.Principal).toEqual({ Service: 'logs.eu-west-1.amazonaws.com' });
    expect(logs.Condition?.ArnLike?.['kms:EncryptionContext:aws:logs:arn']).toEqual([
      `arn:aws:logs:eu-west-1:${ACCOUNT}:log-group:/aws/eks/${CLUSTER}/*`,
      `arn:aws:logs:eu-west-1:${ACCOUNT}:log-group:/aws/vpc/${CLUSTER}/*`,
    ]);
    expect(statements.find((s) => s.Sid === 'AccountAdministersKeyThroughIam')?.Principal).toEqual({ AWS: `arn:aws:iam::${ACCOUNT}:root` });
  });
});

describe('prod: EKS cluster', () => {
  it('GIVEN the prod stack WHEN planned THEN the cluster pins 1.35 and envelope-encrypts secrets with the secrets key', () => {
    const cluster = single(run, 'aws:eks/cluster:Cluster');
    const secretsKey = single(run, 'aws:kms/key:Key', 'keys-secrets-key');
    expect(cluster.props.version).toBe('1.35');
    expect(cluster.props.encryptionConfig).toEqual({ resources: ['secrets'], provider: { keyArn: `arn:aws:kms:eu-west-1:${ACCOUNT}:key/${secretsKey.id}` } });
  });

  it('GIVEN the prod stack WHEN planned THEN all five log types go to a retained log group encrypted with the logs key', () => {
    const cluster = single(run, 'aws:eks/cluster:Cluster');
    expect(cluster.props.enabledClusterLogTypes).toEqual(['api', 'audit', 'authenticator', 'controllerManager', 'scheduler']);
    const group = ofType(run, 'aws:cloudwatch/logGroup:LogGroup').find((g) => g.props.name === `/aws/eks/${CLUSTER}/cluster`)!;
    expect(group.props.retentionInDays).toBe(365);
    expect(group.props.kmsKeyId).toBe(`arn:aws:kms:eu-west-1:${ACCOUNT}:key/${single(run, 'aws:kms/key:Key', 'keys-logs-key').id}`);
  });

  it('GIVEN prod WHEN planned THEN only the private endpoint is on, and deletion protection too', () => {
    const cluster = single(run, 'aws:eks/cluster:Cluster');
    const vpcConfig = cluster.props.vpcConfig as Record<string, unknown>;
    expect(vpcConfig.endpointPrivateAccess).toBe(true);
    expect(vpcConfig.endpointPublicAccess).toBe(false);
    expect(vpcConfig.publicAccessCidrs).toBeUndefined();
    expect(cluster.props.deletionProtection).toBe(true);
  });

  it('GIVEN two admin principals WHEN planned THEN API mode grants exactly them cluster admin, and no one implicitly', () => {
    const cluster = single(run, 'aws:eks/cluster:Cluster');
    expect(cluster.props.accessConfig).toEqual({ authenticationMode: 'API', bootstrapClusterCreatorAdminPermissions: false });
    const associations = ofType(run, 'aws:eks/accessPolicyAssociation:AccessPolicyAssociation');
    expect(associations.map((a) => a.props.principalArn).sort()).toEqual([`arn:aws:iam::${ACCOUNT}:role/platform-admin`, `arn:aws:iam::${ACCOUNT}:role/platform-breakglass`]);
    for (const a of associations) {
      expect(a.props.policyArn).toBe(CLUSTER_ADMIN_ACCESS_POLICY);
      expect(a.props.accessScope).toEqual({ type: 'cluster' });
    }
  });

  it('GIVEN the cluster issuer WHEN planned THEN an OIDC provider for STS exists for it', () => {
    const oidc = single(run, 'aws:iam/openIdConnectProvider:OpenIdConnectProvider');
    expect(oidc.props.clientIdLists).toEqual(['sts.amazonaws.com']);
    expect(oidc.props.url).toBe(run.outputs.oidcIssuerUrl);
    expect(String(oidc.props.url)).toMatch(/^https:\/\/oidc\.eks\.eu-west-1\.amazonaws\.com\/id\/[0-9A-F]{32}$/);
  });
});

describe('prod: network', () => {
  it('GIVEN three AZs WHEN planned THEN each has one public and one private subnet, tagged for discovery', () => {
    const subnets = ofType(run, 'aws:ec2/subnet:Subnet');
    const priv = subnets.filter((s) => s.name.startsWith('network-private-'));
    const pub = subnets.filter((s) => s.name.startsWith('network-public-'));
    expect(new Set(priv.map((s) => s.props.availabilityZone))).toEqual(new Set(['eu-west-1a', 'eu-west-1b', 'eu-west-1c']));
    expect(new Set(pub.map((s) => s.props.availabilityZone))).toEqual(new Set(['eu-west-1a', 'eu-west-1b', 'eu-west-1c']));
    expect(priv.map((s) => s.props.cidrBlock).sort()).toEqual(['10.40.0.0/18', '10.40.128.0/18', '10.40.64.0/18']);
    for (const s of priv) {
      expect(s.props.tags).toMatchObject({ 'kubernetes.io/role/internal-elb': '1', [`kubernetes.io/cluster/${CLUSTER}`]: 'shared', 'karpenter.sh/discovery': CLUSTER });
      expect(s.props.mapPublicIpOnLaunch).toBe(false);
    }
    for (const s of pub) expect(s.props.tags).toMatchObject({ 'kubernetes.io/role/elb': '1' });
  });

  it('GIVEN natGateways perAz WHEN planned THEN there are 3 NAT gateways, each private route table using its own', () => {
    const nats = ofType(run, 'aws:ec2/natGateway:NatGateway');
    expect(nats).toHaveLength(3);
    const privateRoutes = ofType(run, 'aws:ec2/routeTable:RouteTable').filter((t) => t.name.startsWith('network-private-'));
    const natIds = privateRoutes.map((t) => (t.props.routes as { natGatewayId: string }[])[0].natGatewayId);
    expect(new Set(natIds)).toEqual(new Set(nats.map((n) => n.id)));
  });

  it('GIVEN the VPC WHEN planned THEN flow logs capture ALL traffic into an encrypted group and the default security group has no rules', () => {
    const vpc = single(run, 'aws:ec2/vpc:Vpc');
    const flowLog = single(run, 'aws:ec2/flowLog:FlowLog');
    expect(flowLog.props).toMatchObject({ vpcId: vpc.id, trafficType: 'ALL', logDestinationType: 'cloud-watch-logs' });
    const group = ofType(run, 'aws:cloudwatch/logGroup:LogGroup').find((g) => g.props.name === `/aws/vpc/${CLUSTER}/flow-logs`)!;
    expect(group.props).toMatchObject({ retentionInDays: 365, kmsKeyId: expect.stringMatching(/^arn:aws:kms:/) });
    expect(single(run, 'aws:ec2/defaultSecurityGroup:DefaultSecurityGroup').props).toMatchObject({ vpcId: vpc.id, ingress: [], egress: [] });
  });
});

describe('prod: nodes', () => {
  it('GIVEN the system node group WHEN planned THEN it spans the three private subnets with config sizes, tainted for system workloads', () => {
    const group = single(run, 'aws:eks/nodeGroup:NodeGroup');
    const privateIds = ofType(run, 'aws:ec2/subnet:Subnet').filter((s) => s.name.startsWith('network-private-')).map((s) => s.id).sort();
    expect([...(group.props.subnetIds as string[])].sort()).toEqual(privateIds);
    expect(group.props.scalingConfig).toEqual({ minSize: 3, desiredSize: 3, maxSize: 6 });
    expect(group.props.instanceTypes).toEqual(['m6i.xlarge', 'm6a.xlarge', 'm7i.xlarge']);
    expect(group.props.taints).toEqual([{ key: 'CriticalAddonsOnly', value: 'true', effect: 'NO_SCHEDULE' }]);
    expect(group.props.remoteAccess).toBeUndefined();
  });

  it('GIVEN the launch template WHEN planned THEN IMDSv2 is required with hop limit 1 and the gp3 root volume is encrypted with the EBS key', () => {
    const lt = single(run, 'aws:ec2/launchTemplate:LaunchTemplate');
    expect(lt.props.metadataOptions).toMatchObject({ httpTokens: 'required', httpPutResponseHopLimit: 1, httpEndpoint: 'enabled' });
    expect(lt.props.blockDeviceMappings).toEqual([
      {
        deviceName: '/dev/xvda',
        ebs: { volumeSize: 100, volumeType: 'gp3', encrypted: 'true', kmsKeyId: `arn:aws:kms:eu-west-1:${ACCOUNT}:key/${single(run, 'aws:kms/key:Key', 'keys-ebs-key').id}`, deleteOnTermination: 'true' },
      },
    ]);
  });

  it('GIVEN node roles WHEN planned THEN they carry exactly the node policies (ECR pull only, no CNI policy)', () => {
    const attachments = ofType(run, 'aws:iam/rolePolicyAttachment:RolePolicyAttachment');
    for (const role of [roleName(CLUSTER, 'system-nodes'), roleName(CLUSTER, 'karpenter-node')]) {
      expect(attachments.filter((a) => a.props.role === role).map((a) => a.props.policyArn).sort()).toEqual([...NODE_MANAGED_POLICIES].sort());
    }
  });
});

describe('prod: add-ons and identities', () => {
  it('GIVEN Kubernetes 1.35 WHEN planned THEN every add-on runs the exported pin', () => {
    const addons = ofType(run, 'aws:eks/addon:Addon');
    expect(addons.map((a) => a.props.addonName).sort()).toEqual([...ADDON_NAMES].sort());
    for (const a of addons) expect(a.props.addonVersion).toBe(ADDON_VERSIONS['1.35'][a.props.addonName as (typeof ADDON_NAMES)[number]]);
    expect(ADDON_VERSIONS['1.35']).toEqual({
      'vpc-cni': 'v1.22.3-eksbuild.1',
      'kube-proxy': 'v1.35.3-eksbuild.13',
      'eks-pod-identity-agent': 'v1.3.10-eksbuild.3',
      coredns: 'v1.14.3-eksbuild.3',
      'aws-ebs-csi-driver': 'v1.63.1-eksbuild.1',
      'metrics-server': 'v0.9.0-eksbuild.5',
    });
  });

  it('GIVEN the 1.36 pins WHEN compared with the 1.35 ones THEN kube-proxy follows the minor and every pin is an eksbuild', () => {
    // kube-proxy builds exist per Kubernetes minor (the EKS user guide's managing-kube-proxy table).
    expect(ADDON_VERSIONS['1.36']['kube-proxy']).toMatch(/^v1\.36\.\d+-eksbuild\.\d+$/);
    expect(ADDON_VERSIONS['1.35']['kube-proxy']).toMatch(/^v1\.35\.\d+-eksbuild\.\d+$/);
    for (const v of ['1.35', '1.36'] as const) for (const pin of Object.values(ADDON_VERSIONS[v])) expect(pin).toMatch(/^v\d+\.\d+\.\d+-eksbuild\.\d+$/);
  });

  it('GIVEN prod WHEN planned THEN the system node group runs the stack version, after the control plane', () => {
    const group = single(run, 'aws:eks/nodeGroup:NodeGroup');
    expect(group.props.version).toBe('1.35');
    expect(group.props.clusterName).toBe(CLUSTER);
  });

  it('GIVEN the VPC CNI WHEN planned THEN network policy and prefix delegation are on, with its own IRSA role', () => {
    const cni = ofType(run, 'aws:eks/addon:Addon').find((a) => a.props.addonName === 'vpc-cni')!;
    expect(JSON.parse(String(cni.props.configurationValues))).toEqual({ enableNetworkPolicy: 'true', env: { ENABLE_PREFIX_DELEGATION: 'true', WARM_PREFIX_TARGET: '1' } });
    expect(cni.props.serviceAccountRoleArn).toBe(`arn:aws:iam::${ACCOUNT}:role/${roleName(CLUSTER, 'vpc-cni')}`);
  });

  it('GIVEN the IRSA roles WHEN reading their trust THEN both :sub and :aud are pinned with StringEquals', () => {
    const issuerHost = String(run.outputs.oidcIssuerUrl).replace('https://', '');
    for (const component of ['vpc-cni', 'ebs-csi'] as const) {
      const role = ofType(run, 'aws:iam/role:Role').find((r) => r.props.name === roleName(CLUSTER, component))!;
      const [statement] = readStatements(role.props.assumeRolePolicy)!;
      const { namespace, serviceAccount } = WORKLOAD_IDENTITIES[component];
      expect(statement.Action).toEqual(['sts:AssumeRoleWithWebIdentity']);
      expect(statement.Principal).toEqual({ Federated: run.outputs.oidcProviderArn });
      expect(statement.Condition).toEqual({
        StringEquals: { [`${issuerHost}:sub`]: `system:serviceaccount:${namespace}:${serviceAccount}`, [`${issuerHost}:aud`]: 'sts.amazonaws.com' },
      });
    }
  });

  it('GIVEN External Secrets, Karpenter and the ingress add-ons WHEN planned THEN each has a Pod Identity association to its own role', () => {
    const associations = ofType(run, 'aws:eks/podIdentityAssociation:PodIdentityAssociation').map((a) => [a.props.namespace, a.props.serviceAccount, a.props.roleArn]);
    expect(associations.sort()).toEqual([
      ['aws-load-balancer-controller', 'aws-load-balancer-controller', `arn:aws:iam::${ACCOUNT}:role/${roleName(CLUSTER, 'lb-controller')}`],
      ['external-dns', 'external-dns', `arn:aws:iam::${ACCOUNT}:role/${roleName(CLUSTER, 'external-dns')}`],
      ['external-secrets', 'external-secrets', `arn:aws:iam::${ACCOUNT}:role/${roleName(CLUSTER, 'external-secrets')}`],
      ['karpenter', 'karpenter', `arn:aws:iam::${ACCOUNT}:role/${roleName(CLUSTER, 'karpenter-controller')}`],
    ]);
  });

  it('GIVEN External Secrets WHEN reading its policy THEN it may read only secrets under the cluster prefix', () => {
    const policy = ofType(run, 'aws:iam/rolePolicy:RolePolicy').find((p) => p.props.role === roleName(CLUSTER, 'external-secrets'))!;
    const statements = readStatements(policy.props.policy)!;
    const secretsKey = `arn:aws:kms:eu-west-1:${ACCOUNT}:key/${single(run, 'aws:kms/key:Key', 'keys-secrets-key').id}`;
    expect(statements.map((s) => s.Resource)).toEqual([`arn:aws:secretsmanager:eu-west-1:${ACCOUNT}:secret:${CLUSTER}/*`, secretsKey]);
  });

  it('GIVEN every IAM and KMS document WHEN checked THEN none grants "*" actions or unconditioned "*" resources', () => {
    const documents = [
      ...ofType(run, 'aws:iam/rolePolicy:RolePolicy').map((p) => [p.name, policyDocumentProblems(p.props.policy, 'identity')] as const),
      ...ofType(run, 'aws:iam/role:Role').map((r) => [r.name, policyDocumentProblems(r.props.assumeRolePolicy, 'trust')] as const),
      ...ofType(run, 'aws:kms/key:Key').map((k) => [k.name, policyDocumentProblems(k.props.policy, 'resource')] as const),
      ...ofType(run, 'aws:sqs/queuePolicy:QueuePolicy').map((q) => [q.name, policyDocumentProblems(q.props.policy, 'resource')] as const),
      ...ofType(run, 'aws:sns/topicPolicy:TopicPolicy').map((q) => [q.name, policyDocumentProblems(q.props.policy, 'resource')] as const),
    ];
    expect(documents.length).toBe(7 + 10 + 4 + 1 + 1);
    expect(documents.filter(([, problems]) => problems.length > 0)).toEqual([]);
  });
});

describe('prod: Karpenter', () => {
  it('GIVEN Karpenter WHEN planned THEN the interruption queue is encrypted and fed by the five EventBridge rules of Karpenter\'s CloudFormation', () => {
    const queue = single(run, 'aws:sqs/queue:Queue');
    expect(queue.props).toMatchObject({ name: interruptionQueueName(CLUSTER), sqsManagedSseEnabled: true, messageRetentionSeconds: 300 });
    const rules = ofType(run, 'aws:cloudwatch/eventRule:EventRule').filter((r) => r.name.startsWith('karpenter-'));
    const patterns = rules.map((r) => JSON.parse(String(r.props.eventPattern)) as { source: string[]; 'detail-type': string[] });
    // The EventPatterns of aws/karpenter-provider-aws v1.14.1 website/content/en/docs/getting-started/
    // getting-started-with-karpenter/cloudformation.yaml (ScheduledChangeRule ... CapacityReservationInterruptionRule).
    expect(patterns.map((p) => `${p.source.join()} ${p['detail-type'].join()}`).sort()).toEqual([
      'aws.ec2 EC2 Capacity Reservation Instance Interruption Warning',
      'aws.ec2 EC2 Instance Rebalance Recommendation',
      'aws.ec2 EC2 Instance State-change Notification',
      'aws.ec2 EC2 Spot Instance Interruption Warning',
      'aws.health AWS Health Event',
    ]);
    expect(patterns.map((p) => Object.keys(p).sort())).toEqual(rules.map(() => ['detail-type', 'source']));
    expect(Object.keys(INTERRUPTION_EVENTS)).toHaveLength(rules.length);
    const targets = ofType(run, 'aws:cloudwatch/eventTarget:EventTarget').filter((t) => t.name.startsWith('karpenter-'));
    expect(targets.map((t) => t.props.arn)).toEqual(Array(5).fill(`arn:aws:sqs:eu-west-1:${ACCOUNT}:${interruptionQueueName(CLUSTER)}`));
  });

  it('GIVEN the physical names built from the cluster name WHEN it had the longest length the config accepts THEN each would fit its AWS limit', () => {
    // AWS API references: EventBridge PutRule Name 1-64, IAM CreateRole RoleName 1-64, SQS CreateQueue QueueName 1-80.
    const limits: Record<string, number> = { 'aws:cloudwatch/eventRule:EventRule': 64, 'aws:iam/role:Role': 64, 'aws:sqs/queue:Queue': 80 };
    const named = run.resources.filter((r) => r.type in limits && typeof r.props.name === 'string');
    expect(named.filter((r) => r.type === 'aws:cloudwatch/eventRule:EventRule').map((r) => r.props.name).sort()).toEqual(
      ['capacity-reservation', 'instance-state-change', 'rebalance', 'scheduled-change', 'spot-interruption'].map((s) => `${CLUSTER}-karpenter-${s}`).concat(`${CLUSTER}-certificate-expiry`).sort(),
    );
    for (const r of named) expect(String(r.props.name).startsWith(`${CLUSTER}-`)).toBe(true);
    const tooLong = named.filter((r) => String(r.props.name).length - CLUSTER.length + MAX_CLUSTER_NAME_LENGTH > limits[r.type]);
    expect(tooLong.map((r) => r.props.name)).toEqual([]);
    // The longest rule is the tightest fit: one character more in the cluster name would not fit.
    expect(Math.max(...named.filter((r) => r.type === 'aws:cloudwatch/eventRule:EventRule').map((r) => String(r.props.name).length - CLUSTER.length)) + MAX_CLUSTER_NAME_LENGTH).toBe(64);
  });

  it('GIVEN the EKS-created cluster security group WHEN planned THEN it carries the discovery tag EC2NodeClasses select by', () => {
    const tag = single(run, 'aws:ec2/tag:Tag');
    expect(tag.props).toEqual({ resourceId: run.outputs.clusterSecurityGroupId, key: 'karpenter.sh/discovery', value: CLUSTER });
    expect(String(run.outputs.clusterSecurityGroupId)).toMatch(/^sg-[0-9a-f]{17}$/);
  });

  it('GIVEN the Karpenter node role WHEN planned THEN it joins through an EC2_LINUX access entry', () => {
    const entry = ofType(run, 'aws:eks/accessEntry:AccessEntry').find((e) => e.props.type === 'EC2_LINUX')!;
    expect(entry.props.principalArn).toBe(`arn:aws:iam::${ACCOUNT}:role/${roleName(CLUSTER, 'karpenter-node')}`);
  });
});

describe('prod: versions', () => {
  it('GIVEN prod as planned WHEN judged on 2026-12-01 THEN there is no version finding: 1.35, its add-ons, charts and AMI all in support', () => {
    expect(versionFindings(run.resources, '2026-12-01')).toEqual([]);
    // What is judged is what the program recorded: the cluster, six add-ons, eight releases, the EC2NodeClass alias.
    expect(ofType(run, 'aws:eks/addon:Addon')).toHaveLength(6);
    expect(ofType(run, 'kubernetes:helm.sh/v3:Release')).toHaveLength(8);
    expect((single(run, 'kubernetes:karpenter.k8s.aws/v1:EC2NodeClass').props.spec as { amiSelectorTerms: unknown }).amiSelectorTerms).toEqual([{ alias: 'al2023@v20260714' }]);
  });
});

describe('prod: outputs and posture', () => {
  it('GIVEN the program WHEN it returns THEN outputs name the cluster, roles, queue and a token-free kubeconfig', () => {
    expect(run.outputs).toMatchObject({
      clusterName: CLUSTER,
      kubernetesVersion: '1.35',
      karpenterInterruptionQueueName: interruptionQueueName(CLUSTER),
      karpenterNodeRoleName: roleName(CLUSTER, 'karpenter-node'),
      roleArns: {
        'vpc-cni': `arn:aws:iam::${ACCOUNT}:role/${CLUSTER}-vpc-cni`,
        'ebs-csi': `arn:aws:iam::${ACCOUNT}:role/${CLUSTER}-ebs-csi`,
        'external-secrets': `arn:aws:iam::${ACCOUNT}:role/${CLUSTER}-external-secrets`,
        'karpenter-controller': `arn:aws:iam::${ACCOUNT}:role/${CLUSTER}-karpenter-controller`,
      },
    });
    expect(run.outputs.privateSubnetIds).toHaveLength(3);
    const kubeconfig = JSON.parse(String(run.outputs.kubeconfig));
    expect(kubeconfig.users[0].user).toEqual({
      exec: {
        apiVersion: 'client.authentication.k8s.io/v1beta1',
        command: 'aws',
        args: ['eks', 'get-token', '--cluster-name', CLUSTER, '--region', 'eu-west-1', '--output', 'json'],
        interactiveMode: 'Never',
      },
    });
    expect(String(run.outputs.kubeconfig)).not.toMatch(/"token"/);
  });

  it('GIVEN the prod inventory WHEN evaluated THEN there is no finding at all', () => {
    const config = parseStackConfig(stackConfig('prod'), 'Pulumi.prod.yaml');
    expect(evaluatePosture(run.resources, config)).toEqual([]);
  });

  it('GIVEN the program WHEN run THEN it made no invoke (everything comes from config)', () => {
    expect(run.invokes).toEqual([]);
  });
});

describe('prod: platform wiring (add-ons and tenants inside the cluster)', () => {
  const releases = () => helmReleases(run);
  const release = (name: string) => helmRelease(run, name);

  it('GIVEN prod WHEN planned THEN every enabled add-on is a Helm release with its exact pinned chart', () => {
    expect(releases().map((r) => r.props.name).sort()).toEqual(HELM_RELEASES.map((r) => r.name).sort());
    for (const pinned of HELM_RELEASES) {
      const props = release(pinned.name).props;
      const oci = pinned.pin.repo.startsWith('oci://');
      expect(props).toMatchObject({ name: pinned.name, namespace: pinned.namespace, version: pinned.pin.version, createNamespace: false, atomic: true });
      expect(props.chart).toBe(oci ? `${pinned.pin.repo}/${pinned.pin.chart}` : pinned.pin.chart);
      expect(props.repositoryOpts).toEqual(oci ? undefined : { repo: pinned.pin.repo });
    }
    expect(release('karpenter').props.chart).toBe(`oci://public.ecr.aws/karpenter/karpenter`);
  });

  // Gatekeeper's webhook skips only namespaces labelled admission.gatekeeper.sh/ignore (gatekeeper v3.23.0
  // website/docs/exempt-namespaces.md); EKS creates kube-system and kube-node-lease, so the label is a patch.
  it('GIVEN prod (webhook failing closed) WHEN planned THEN the control-plane namespaces get the Gatekeeper ignore label by a server-side-apply patch, before the Gatekeeper release', () => {
    const patches = ofType(run, 'kubernetes:core/v1:NamespacePatch');
    const byName = (a: { name: string }, b: { name: string }) => (a.name < b.name ? -1 : 1);
    expect(patches.map((p) => p.props.metadata as { name: string }).sort(byName)).toEqual([
      { name: 'kube-node-lease', labels: { 'admission.gatekeeper.sh/ignore': 'control-plane' } },
      { name: 'kube-public', labels: { 'admission.gatekeeper.sh/ignore': 'control-plane' } },
      { name: 'kube-system', labels: { 'admission.gatekeeper.sh/ignore': 'control-plane' } },
    ]);
    for (const p of patches) expect(release('gatekeeper').dependencies).toContain(p.urn);
    // Only namespaces Gatekeeper is told to exempt may carry the label (its check-ignore-label webhook).
    const exempt = (release('gatekeeper').props.values as { controllerManager: { exemptNamespaces: string[] } }).controllerManager.exemptNamespaces;
    expect(exempt).toEqual(expect.arrayContaining(patches.map((p) => (p.props.metadata as { name: string }).name)));
  });

  it('GIVEN prod WHEN planned THEN the releases carry the hardened prod values', () => {
    const gatekeeper = release('gatekeeper').props.values as Record<string, any>;
    expect(gatekeeper.replicas).toBe(3);
    const argocd = release('argocd').props.values as Record<string, any>;
    expect(argocd.configs.cm['admin.enabled']).toBe(false);
    expect(argocd.configs.params['server.insecure']).toBe(false);
    const karpenter = release('karpenter').props.values as Record<string, any>;
    expect(karpenter.settings).toEqual({ clusterName: CLUSTER, interruptionQueue: interruptionQueueName(CLUSTER) });
    expect(karpenter.serviceAccount).toEqual({ create: false, name: 'karpenter' });
  });

  it('GIVEN prod WHEN planned THEN every Kubernetes resource goes through the cluster provider, whose kubeconfig holds no token', () => {
    const provider = kubernetesProvider(run);
    const k8s = kubernetesResources(run);
    expect(k8s.length).toBeGreaterThan(100);
    for (const r of k8s) expect(r.provider).toBe(`${provider.urn}::${provider.id}`);
    const kubeconfig = JSON.parse(String(provider.props.kubeconfig));
    expect(kubeconfig.users[0].user.exec.command).toBe('aws');
    expect(kubeconfig.users[0].user.exec.args).toEqual(expect.arrayContaining(['eks', 'get-token', '--cluster-name', CLUSTER]));
    expect(kubeconfig.users[0].user.token).toBeUndefined();
  });

  it('GIVEN prod WHEN planned THEN nothing reaches the cluster before nodes, DNS, admin access and the Pod Identity associations exist', () => {
    const provider = kubernetesProvider(run);
    const needed = [
      single(run, 'aws:eks/nodeGroup:NodeGroup'),
      ...ofType(run, 'aws:eks/addon:Addon').filter((a) => a.props.addonName === 'coredns'),
      // No implicit creator admin: the deployer reaches the API only through an admin access entry.
      ...ofType(run, 'aws:eks/accessPolicyAssociation:AccessPolicyAssociation'),
      ...ofType(run, 'aws:eks/podIdentityAssociation:PodIdentityAssociation'),
    ];
    expect(needed).toHaveLength(8);
    expect(missingDependencies(provider, needed)).toEqual([]);
  });

  it('GIVEN prod WHEN planned THEN namespaces and identity ServiceAccounts come before every Helm release', () => {
    const before = [...objectsOfKind(run, 'Namespace'), ...objectsOfKind(run, 'ServiceAccount')];
    expect(before.map(objectName)).toEqual(expect.arrayContaining(['karpenter', 'monitoring', 'payments', 'karpenter/karpenter', 'external-secrets/external-secrets']));
    for (const r of releases()) expect(missingDependencies(r, before)).toEqual([]);
    for (const ns of objectsOfKind(run, 'Namespace')) expect(ns.dependencies).toEqual([]);
  });

  it('GIVEN Gatekeeper failing closed in prod WHEN planned THEN every other release waits for Gatekeeper\'s (its webhook serves before anything else is sent to it)', () => {
    const gatekeeper = release('gatekeeper');
    expect((gatekeeper.props.values as { validatingWebhookFailurePolicy: string }).validatingWebhookFailurePolicy).toBe('Fail');
    const others = releases().filter((r) => r.props.name !== 'gatekeeper');
    expect(others.map((r) => r.props.name).sort()).toEqual(['argocd', 'aws-load-balancer-controller', 'external-dns', 'external-secrets', 'karpenter', 'kube-prometheus-stack', 'x509-certificate-exporter']);
    for (const r of others) expect({ release: r.name, missing: missingDependencies(r, [gatekeeper]) }).toEqual({ release: r.name, missing: [] });
    expect(missingDependencies(gatekeeper, others)).toHaveLength(others.length);
  });

  it('GIVEN prod WHEN planned THEN custom resources wait for the release that brings their CRDs', () => {
    const cases: [string, string][] = [
      ['NodePool', 'karpenter'],
      ['EC2NodeClass', 'karpenter'],
      ['ConstraintTemplate', 'gatekeeper'],
      ['PrometheusRule', 'kube-prometheus-stack'],
      ['ServiceMonitor', 'kube-prometheus-stack'],
      ['ClusterSecretStore', 'external-secrets'],
      ['ExternalSecret', 'external-secrets'],
      ['AppProject', 'argocd'],
    ];
    for (const [kind, releaseName] of cases) {
      const objects = objectsOfKind(run, kind);
      expect(objects.length).toBeGreaterThan(0);
      for (const o of objects) expect(o.dependencies).toContain(release(releaseName).urn);
    }
  });

  it('GIVEN prod WHEN planned THEN Gatekeeper constraints come last: after their templates and everything else applied', () => {
    const k8s = kubernetesResources(run);
    const constraints = k8s.filter((r) => r.type.startsWith('kubernetes:constraints.gatekeeper.sh/'));
    expect(constraints).toHaveLength(objectsOfKind(run, 'ConstraintTemplate').length);
    const everythingElse = k8s.filter((r) => !r.type.startsWith('kubernetes:constraints.gatekeeper.sh/'));
    for (const c of constraints) {
      expect(missingDependencies(c, everythingElse)).toEqual([]);
      expect(c.props.spec).toMatchObject({ enforcementAction: 'deny' });
    }
  });

  it('GIVEN prod WHEN planned THEN AWS outputs replace the offline placeholders in the applied objects', () => {
    const nodeClass = single(run, 'kubernetes:karpenter.k8s.aws/v1:EC2NodeClass');
    const ebsKey = single(run, 'aws:kms/key:Key', 'keys-ebs-key');
    const spec = nodeClass.props.spec as Record<string, any>;
    expect(spec.role).toBe(roleName(CLUSTER, 'karpenter-node'));
    expect(spec.blockDeviceMappings[0].ebs.kmsKeyID).toBe(`arn:aws:kms:eu-west-1:${ACCOUNT}:key/${ebsKey.id}`);
    expect(nodeClass.dependencies).toEqual(expect.arrayContaining([ebsKey.urn]));
    const storageClass = single(run, 'kubernetes:storage.k8s.io/v1:StorageClass');
    expect((storageClass.props.parameters as Record<string, string>).kmsKeyId).toBe(`arn:aws:kms:eu-west-1:${ACCOUNT}:key/${ebsKey.id}`);
  });

  it('GIVEN prod WHEN planned THEN Pulumi creates no Kubernetes Secret (credentials come through External Secrets)', () => {
    expect(objectsOfKind(run, 'Secret')).toEqual([]);
    expect(kubernetesResources(run).filter((r) => 'stringData' in r.props || ('data' in r.props && r.type.endsWith(':Secret')))).toEqual([]);
    expect(objectsOfKind(run, 'ExternalSecret').length).toBeGreaterThan(0);
  });

  it('GIVEN prod WHEN planned THEN every tenant of the stack config gets its namespace, quota and AppProject', () => {
    for (const tenant of ['payments', 'search', 'checkout']) {
      expect(objectsOfKind(run, 'Namespace').map(objectName)).toContain(tenant);
      expect(objectsOfKind(run, 'ResourceQuota').some((q) => (q.props.metadata as Record<string, string>).namespace === tenant)).toBe(true);
      expect(objectsOfKind(run, 'AppProject').map(objectName)).toContain(`argocd/${tenant}`);
    }
  });
});

describe('prod: first deploy in a fresh account (AWS side)', () => {
  const awsResources = () => run.resources.filter((r) => r.type.startsWith('aws:'));

  it('GIVEN the stack WHEN planned THEN every AWS resource goes through one explicit provider that refuses any account but platform:accountId', () => {
    const provider = single(run, 'pulumi:providers:aws');
    expect(provider.props).toMatchObject({ region: 'eu-west-1', allowedAccountIds: JSON.stringify([ACCOUNT]) });
    expect(awsResources().length).toBeGreaterThan(80);
    const others = awsResources().filter((r) => r.provider !== `${provider.urn}::${provider.id}`);
    expect(others.map((r) => `${r.type}::${r.name}`)).toEqual([]);
  });

  it('GIVEN the VPC flow log WHEN planned THEN it waits for its role policy (a flow log without it cannot deliver)', () => {
    const policy = ofType(run, 'aws:iam/rolePolicy:RolePolicy').find((p) => p.props.role === roleName(CLUSTER, 'vpc-flow-logs'))!;
    expect(single(run, 'aws:ec2/flowLog:FlowLog').dependencies).toContain(policy.urn);
  });

  it('GIVEN the interruption queue WHEN planned THEN its policy lets exactly the five EventBridge rules send', () => {
    const policy = readStatements(single(run, 'aws:sqs/queuePolicy:QueuePolicy').props.policy)![0];
    // Karpenter's five rules (the certificate-expiry rule of the ingress targets its SNS topic, not the queue).
    const rules = ofType(run, 'aws:cloudwatch/eventRule:EventRule')
      .filter((r) => String(r.props.name).includes('-karpenter-'))
      .map((r) => `arn:aws:events:eu-west-1:${ACCOUNT}:rule/${String(r.props.name)}`);
    expect(rules).toHaveLength(5);
    expect(policy.Principal).toEqual({ Service: 'events.amazonaws.com' });
    expect(policy.Condition).toEqual({ ArnEquals: { 'aws:SourceArn': [...rules].sort() } });
  });

  it('GIVEN the EBS key WHEN planned THEN its policy names no service-linked role (KMS would refuse it in an account that has none yet)', () => {
    expect(String(single(run, 'aws:kms/key:Key', 'keys-ebs-key').props.policy)).not.toMatch(/aws-service-role/);
  });

  it('GIVEN spot allowed WHEN planned THEN Karpenter may create the EC2 Spot service-linked role, and only that one', () => {
    const policy = ofType(run, 'aws:iam/rolePolicy:RolePolicy').find((p) => p.props.role === roleName(CLUSTER, 'karpenter-controller'))!;
    const slr = readStatements(policy.props.policy)!.filter((s) => JSON.stringify(s.Action).includes('iam:CreateServiceLinkedRole'));
    expect(slr.map((s) => [s.Resource, s.Condition])).toEqual([
      [`arn:aws:iam::${ACCOUNT}:role/aws-service-role/spot.amazonaws.com/AWSServiceRoleForEC2Spot`, { StringEquals: { 'iam:AWSServiceName': 'spot.amazonaws.com' } }],
    ]);
  });
});

describe('prod: Grafana admin secret', () => {
  const secret = () => single(run, 'aws:secretsmanager/secret:Secret', 'platform-secrets-grafana-admin');

  it('GIVEN monitoring WHEN planned THEN the stack owns the Secrets Manager entry the ExternalSecret reads, encrypted with the platform secrets key', () => {
    const secretsKey = single(run, 'aws:kms/key:Key', 'keys-secrets-key');
    expect(secret().props).toMatchObject({ name: `${CLUSTER}/monitoring/grafana-admin`, kmsKeyId: `arn:aws:kms:eu-west-1:${ACCOUNT}:key/${secretsKey.id}`, recoveryWindowInDays: 30 });
    const external = objectNamed(run, 'ExternalSecret', 'monitoring/grafana-admin');
    const keys = ((external.props.spec as Record<string, any>).data as { remoteRef: { key: string } }[]).map((d) => d.remoteRef.key);
    expect(new Set(keys)).toEqual(new Set([secret().props.name]));
  });

  it('GIVEN the generated password WHEN planned THEN its value is a Pulumi secret: masked in the inventory, absent from every output', () => {
    const version = single(run, 'aws:secretsmanager/secretVersion:SecretVersion', 'platform-secrets-grafana-admin');
    expect(version.props.secretString).toBe('[secret]');
    expect(single(run, 'random:index/randomPassword:RandomPassword', 'platform-secrets-grafana-admin').props).toMatchObject({ length: 32, special: false });
    // The mocks' stand-in password must not leak anywhere the plan prints or writes.
    const everything = JSON.stringify({ resources: run.resources, outputs: run.outputs });
    expect(everything).not.toMatch(/mock-password-/);
  });

  it('GIVEN the releases WHEN planned THEN kube-prometheus-stack starts only after the ExternalSecret, its store and the secret value exist, and those after External Secrets itself', () => {
    const kps = helmRelease(run, 'kube-prometheus-stack');
    const eso = helmRelease(run, 'external-secrets');
    const external = objectNamed(run, 'ExternalSecret', 'monitoring/grafana-admin');
    const store = single(run, 'kubernetes:external-secrets.io/v1:ClusterSecretStore');
    expect(missingDependencies(kps, [external, store])).toEqual([]);
    for (const o of [external, store]) expect(o.dependencies).toContain(eso.urn);
    expect(eso.dependencies).not.toContain(external.urn);
    expect(kubernetesProvider(run).dependencies).toContain(single(run, 'aws:secretsmanager/secretVersion:SecretVersion', 'platform-secrets-grafana-admin').urn);
    // Argo CD's OIDC secret merges into a Secret its chart creates: it waits for the argocd release instead.
    const oidc = objectNamed(run, 'ExternalSecret', 'argocd/argocd-oidc');
    expect(oidc.dependencies).toContain(helmRelease(run, 'argocd').urn);
  });
});

describe('prod: the deployer reaches the private endpoint (bootstrap path)', () => {
  it('GIVEN privateAccessCidrs WHEN planned THEN the cluster security group admits 443 from exactly those networks', () => {
    const rules = ofType(run, 'aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule');
    expect(rules.map((r) => [r.props.securityGroupId, r.props.cidrIpv4, r.props.fromPort, r.props.toPort, r.props.ipProtocol])).toEqual([
      [run.outputs.clusterSecurityGroupId, '10.100.0.0/16', 443, 443, 'tcp'],
    ]);
  });

  it('GIVEN a transit gateway WHEN planned THEN the private subnets attach to it and route the deployer network back through it', () => {
    const attachment = single(run, 'aws:ec2transitgateway/vpcAttachment:VpcAttachment');
    const privateIds = ofType(run, 'aws:ec2/subnet:Subnet').filter((s) => s.name.startsWith('network-private-')).map((s) => s.id).sort();
    expect(attachment.props).toMatchObject({ transitGatewayId: 'tgw-0a1b2c3d4e5f60718', vpcId: single(run, 'aws:ec2/vpc:Vpc').id });
    expect([...(attachment.props.subnetIds as string[])].sort()).toEqual(privateIds);
    for (const table of ofType(run, 'aws:ec2/routeTable:RouteTable').filter((t) => t.name.startsWith('network-private-'))) {
      expect((table.props.routes as Record<string, unknown>[]).filter((r) => r.transitGatewayId)).toEqual([{ cidrBlock: '10.100.0.0/16', transitGatewayId: 'tgw-0a1b2c3d4e5f60718' }]);
      expect(table.dependencies).toContain(attachment.urn);
    }
  });

  it('GIVEN inClusterStack separate WHEN planned THEN the stack publishes what prod-cluster needs: its validated config, endpoint and AWS outputs', () => {
    const published = run.outputs.inCluster as Record<string, any>;
    const config = parseStackConfig(stackConfig('prod'), 'Pulumi.prod.yaml');
    expect(parseStackConfig(published.platformConfig, 'published')).toEqual({ ...config, aws: {} });
    expect(published).toMatchObject({ stack: 'prod', clusterName: CLUSTER, endpoint: run.outputs.clusterEndpoint });
    expect(published.aws).toMatchObject({ externalSecretsRoleArn: `arn:aws:iam::${ACCOUNT}:role/${CLUSTER}-external-secrets`, interruptionQueueName: interruptionQueueName(CLUSTER) });
    expect(JSON.stringify(published)).not.toMatch(/secure|mock-password/);
  });

  it('GIVEN tenant principals WHEN planned THEN each maps to its team group through an access entry with no access policy', () => {
    const entries = ofType(run, 'aws:eks/accessEntry:AccessEntry').filter((e) => e.name.startsWith('cluster-tenant-'));
    expect(entries.map((e) => [e.props.principalArn, e.props.kubernetesGroups, e.props.type])).toEqual([
      [`arn:aws:iam::${ACCOUNT}:role/team-checkout`, ['team-checkout'], 'STANDARD'],
      [`arn:aws:iam::${ACCOUNT}:role/team-payments`, ['team-payments'], 'STANDARD'],
      [`arn:aws:iam::${ACCOUNT}:role/team-search`, ['team-search'], 'STANDARD'],
    ]);
    const associated = new Set(ofType(run, 'aws:eks/accessPolicyAssociation:AccessPolicyAssociation').map((a) => a.props.principalArn));
    for (const e of entries) expect(associated.has(e.props.principalArn as string)).toBe(false);
    // The group is what the tenant's RoleBinding binds.
    const binding = objectsOfKind(run, 'RoleBinding').find((b) => (b.props.metadata as Record<string, string>).namespace === 'payments')!;
    expect((binding.props.subjects as { name: string }[]).map((s) => s.name)).toEqual(['team-payments']);
  });
});

describe('prod: stacks created before #14', () => {
  it('GIVEN the URNs such a stack holds WHEN the program runs THEN each is reached once, by its own URN or by an alias, and no alias points elsewhere', () => {
    expectFormerUrnsKept(run, 'prod', 269, 65);
  });
});

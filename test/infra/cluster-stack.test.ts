/**
 * The in-cluster stack of prod (Pulumi.prod-cluster.yaml) under mocks: it reads prod's published
 * `inCluster` output through a StackReference and applies only the in-cluster half.
 */
import { placeholderInputs } from '../../charts';
import { parseStackConfig } from '../../lib/config/load';
import { publishableConfig, type PublishedInCluster } from '../../infra/main';
import type { ProgramRun } from '../../lib/run-program';
import { runProgramUnderMocks } from '../../lib/run-program';
import { loadProgram, single, stackConfig } from '../helpers/pulumi';
import { helmReleases, kubernetesProvider, kubernetesResources, objectName } from '../helpers/wiring';

const prod = parseStackConfig(stackConfig('prod'), 'Pulumi.prod.yaml');
const placeholders = placeholderInputs(prod);
const ENDPOINT = 'https://0123456789ABCDEF0123456789ABCDEF.gr7.eu-west-1.eks.amazonaws.com';
const published: PublishedInCluster = {
  stack: 'prod',
  platformConfig: publishableConfig(prod),
  clusterName: prod.clusterName,
  endpoint: ENDPOINT,
  certificateAuthority: Buffer.from('ca').toString('base64'),
  aws: {
    ebsKmsKeyArn: 'arn:aws:kms:eu-west-1:444455556666:key/0b7d8c4e-1111-2222-3333-444455556666',
    externalSecretsRoleArn: placeholders.externalSecretsRoleArn,
    karpenterControllerRoleArn: placeholders.karpenterControllerRoleArn,
    karpenterNodeRoleName: placeholders.karpenterNodeRoleName,
    interruptionQueueName: placeholders.interruptionQueueName,
  },
};

let run: ProgramRun;
beforeAll(async () => {
  const rawConfig = { ...stackConfig('prod-cluster'), 'aws:profile': 'platform-prod-deployer' };
  run = await runProgramUnderMocks({ program: loadProgram, stack: 'prod-cluster', rawConfig, config: prod, stackOutputs: { 'organization/platform/prod': { inCluster: published } } });
});

describe('prod-cluster: the in-cluster stack', () => {
  it('GIVEN platform:awsStack prod WHEN run THEN it references organization/platform/prod and creates no AWS resource', () => {
    // A StackReference is read, not registered: the stack reports which stack it read.
    expect(run.outputs).toMatchObject({ awsStack: 'organization/platform/prod', clusterName: 'platform-prod', endpoint: ENDPOINT });
    expect(run.resources.filter((r) => r.type.startsWith('aws:') || r.type === 'pulumi:providers:aws')).toEqual([]);
  });

  it('GIVEN the published config WHEN run THEN every enabled release and tenant of prod is applied through the cluster provider', () => {
    expect(helmReleases(run).map((r) => r.props.name).sort()).toEqual(['argocd', 'aws-load-balancer-controller', 'external-dns', 'external-secrets', 'gatekeeper', 'karpenter', 'kube-prometheus-stack', 'x509-certificate-exporter']);
    const provider = kubernetesProvider(run);
    for (const r of kubernetesResources(run)) expect(r.provider).toBe(`${provider.urn}::${provider.id}`);
    const names = kubernetesResources(run).map(objectName);
    expect(names).toEqual(expect.arrayContaining(['payments', 'search', 'checkout']));
  });

  it('GIVEN this stack\'s own aws:profile WHEN run THEN the kubeconfig targets the published endpoint and gets tokens with that profile', () => {
    const kubeconfig = JSON.parse(String(kubernetesProvider(run).props.kubeconfig));
    expect(kubeconfig.clusters[0].cluster.server).toBe(ENDPOINT);
    expect(kubeconfig.users[0].user.exec.args).toEqual(['eks', 'get-token', '--cluster-name', 'platform-prod', '--region', 'eu-west-1', '--profile', 'platform-prod-deployer', '--output', 'json']);
  });

  it('GIVEN published AWS outputs WHEN run THEN they replace the placeholders (the EBS key ARN reaches the StorageClass)', () => {
    const storageClass = single(run, 'kubernetes:storage.k8s.io/v1:StorageClass');
    expect((storageClass.props.parameters as Record<string, string>).kmsKeyId).toBe(published.aws.ebsKmsKeyArn);
  });
});

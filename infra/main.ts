/**
 * Wires the infrastructure modules together for one stack: KMS keys, network, EKS control plane,
 * workload identities, add-ons, system nodes and Karpenter's AWS side. The platform wiring
 * (Kubernetes provider, Helm releases, cdk8s output) builds on `PlatformOutputs`.
 */
import * as pulumi from '@pulumi/pulumi';
import { EksAddons } from './addons';
import { Cluster } from './cluster';
import type { PlatformConfig } from '../model/config';
import { WorkloadIdentities, type ClusterIdentityContext, type WorkloadRole } from './identity';
import { Ingress } from './ingress';
import { Karpenter } from './karpenter';
import { Keys } from './kms';
import { buildKubeconfig } from './kubeconfig';
import { Network } from './network';
import { SystemNodes } from './nodes';
import type { PlatformObjects } from '../charts';
import { PlatformDeployment, type AwsOutputs } from './platform';
import { ebsCsiKmsPolicy, externalSecretsPolicy, type Account } from './policy-documents';
import { createAwsProvider } from './provider';
import { PlatformSecrets } from './secrets';

/** Partition of every ARN the program writes (commercial AWS regions). */
export const PARTITION = 'aws';

/** The stack's AWS profile and role, for `aws eks get-token` (the same identity the AWS provider uses). */
export function deployerIdentity(config: PlatformConfig): { profile?: string; roleArn?: string } {
  const roleArn = config.aws.assumeRoles?.[0]?.roleArn;
  return { ...(config.aws.profile ? { profile: config.aws.profile } : {}), ...(roleArn ? { roleArn } : {}) };
}

export interface PlatformOutputs {
  readonly clusterName: pulumi.Output<string>;
  readonly clusterArn: pulumi.Output<string>;
  readonly clusterEndpoint: pulumi.Output<string>;
  readonly clusterCertificateAuthority: pulumi.Output<string>;
  readonly clusterSecurityGroupId: pulumi.Output<string>;
  readonly kubernetesVersion: string;
  readonly oidcIssuerUrl: pulumi.Output<string>;
  readonly oidcProviderArn: pulumi.Output<string>;
  readonly vpcId: pulumi.Output<string>;
  readonly privateSubnetIds: pulumi.Output<string[]>;
  readonly publicSubnetIds: pulumi.Output<string[]>;
  readonly secretsKeyArn: pulumi.Output<string>;
  readonly ebsKeyArn: pulumi.Output<string>;
  readonly logsKeyArn: pulumi.Output<string>;
  readonly systemNodeRoleName: pulumi.Output<string>;
  /** IAM role ARN per component (`vpc-cni`, `ebs-csi`, `external-secrets`, `karpenter-controller`, `lb-controller`, `external-dns`), only those enabled. */
  readonly roleArns: Readonly<Record<string, pulumi.Output<string>>>;
  /** Present when Karpenter is enabled. */
  readonly karpenterNodeRoleName?: pulumi.Output<string>;
  readonly karpenterInterruptionQueueName?: pulumi.Output<string>;
  /** Present when ingress is enabled: the ACM certificate ARN per domain, and the topic certificate expiry notifications go to. */
  readonly certificateArns?: Readonly<Record<string, pulumi.Output<string>>>;
  readonly alertsTopicArn?: pulumi.Output<string>;
  /** kubeconfig (JSON) authenticating with `aws eks get-token`. */
  readonly kubeconfig: pulumi.Output<string>;
  /** Present when `delivery.inClusterStack` is `separate`: what the in-cluster stack reads. */
  readonly inCluster?: pulumi.Output<PublishedInCluster>;
}

/**
 * Creates the whole platform for one stack: the AWS side, then (through PlatformDeployment) the
 * add-ons and tenants inside the cluster. `stack` names the GitOps path `dist/<stack>`.
 */
export interface CreatePlatformOptions {
  /**
   * Apply the in-cluster half in this run. `platform plan` sets it to show both stacks of a split
   * environment at once. @default config.delivery.inClusterStack === 'same'
   */
  readonly inCluster?: boolean;
  /** Told the synthesized objects of the in-cluster half, when it is applied (PlatformDeploymentArgs.onSynthesized). @default nobody */
  readonly onSynthesized?: (objects: PlatformObjects) => void;
}

export function createPlatform(config: PlatformConfig, stack: string = config.environment, options: CreatePlatformOptions = {}): PlatformOutputs {
  const account: Account = { accountId: config.accountId, region: config.region, partition: PARTITION };

  // Every AWS resource below inherits this provider from its component: pinned to the stack's
  // account (allowedAccountIds), with the stack's profile or role.
  const awsProvider = createAwsProvider(config);
  const aws: pulumi.ComponentResourceOptions = { providers: [awsProvider] };

  const keys = new Keys('keys', { config, account }, aws);
  const network = new Network('network', { config, account, logsKeyArn: keys.logsKeyArn }, aws);
  const cluster = new Cluster('cluster', { config, privateSubnetIds: network.privateSubnetIds, secretsKeyArn: keys.secretsKeyArn, logsKeyArn: keys.logsKeyArn }, aws);
  const secrets = new PlatformSecrets('platform-secrets', { config, secretsKeyArn: keys.secretsKeyArn }, aws);

  const identity: ClusterIdentityContext = {
    config,
    account,
    clusterName: cluster.name,
    clusterArn: cluster.arn,
    oidcProviderArn: cluster.oidcProviderArn,
    oidcIssuerUrl: cluster.oidcIssuerUrl,
  };
  const identities = new WorkloadIdentities(
    'workload-identities',
    {
      context: identity,
      roles: [
        { component: 'vpc-cni', managedPolicyArns: ['arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy'] },
        {
          component: 'ebs-csi',
          managedPolicyArns: ['arn:aws:iam::aws:policy/service-role/AmazonEBSCSIDriverPolicy'],
          inlinePolicies: { 'ebs-key': keys.ebsKeyArn.apply((arn) => ebsCsiKmsPolicy(arn, config.region)) },
        },
        ...(config.addons.externalSecrets
          ? [{ component: 'external-secrets' as const, inlinePolicies: { 'read-cluster-secrets': keys.secretsKeyArn.apply((arn) => externalSecretsPolicy(account, config.clusterName, arn)) } }]
          : []),
      ],
    },
    aws,
  );
  const roles: WorkloadRole[] = [...identities.roles];

  // Networking add-ons first: nodes only become Ready once the CNI and kube-proxy run on them.
  const addons = new EksAddons(
    'addons',
    {
      config,
      clusterName: cluster.name,
      serviceAccountRoleArns: { 'vpc-cni': identities.role('vpc-cni').roleArn, 'aws-ebs-csi-driver': identities.role('ebs-csi').roleArn },
      ready: { 'vpc-cni': identities.role('vpc-cni').ready, 'aws-ebs-csi-driver': identities.role('ebs-csi').ready },
    },
    aws,
  );
  const nodes = new SystemNodes('system-nodes', { config, clusterName: cluster.name, privateSubnetIds: network.privateSubnetIds, ebsKeyArn: keys.ebsKeyArn, dependsOn: addons.beforeNodes }, aws);
  // Deployments need nodes to schedule on, or the add-on stays DEGRADED.
  const { coredns } = addons.installOnNodes([nodes.nodeGroup]);

  const karpenter = config.addons.karpenter
    ? new Karpenter('karpenter', { identity, clusterSecurityGroupId: cluster.clusterSecurityGroupId, ebsKeyArn: keys.ebsKeyArn }, aws)
    : undefined;
  if (karpenter) roles.push(karpenter.controller);

  const ingress = config.addons.ingress ? new Ingress('ingress', { identity, vpcId: network.vpcId }, aws) : undefined;
  if (ingress) roles.push(ingress.controller, ingress.externalDns);

  const inClusterAws: AwsOutputs = {
    ebsKmsKeyArn: keys.ebsKeyArn,
    ...(config.addons.externalSecrets ? { externalSecretsRoleArn: identities.role('external-secrets').roleArn } : {}),
    ...(karpenter ? { karpenterControllerRoleArn: karpenter.controller.roleArn, karpenterNodeRoleName: karpenter.nodeRoleName, interruptionQueueName: karpenter.queueName } : {}),
    ...(ingress ? { loadBalancerControllerRoleArn: ingress.controller.roleArn, externalDnsRoleArn: ingress.externalDns.roleArn } : {}),
  };
  const clusterAccess: ClusterAccess = { clusterName: cluster.name, endpoint: cluster.endpoint, certificateAuthority: cluster.certificateAuthority };
  const kubeconfig = kubeconfigFor(config.region, clusterAccess, deployerIdentity(config));

  // In-cluster platform: waits for schedulable system nodes, DNS, the admins' cluster access (the
  // deployer's only way in), the deployer network's way to the endpoint, every workload identity
  // (Pod Identity associations included) and the secret values, so no add-on starts without them.
  if (options.inCluster ?? config.delivery.inClusterStack === 'same') {
    const deployerPath = network.transitGatewayAttachment ? [network.transitGatewayAttachment] : [];
    deployInCluster(
      config,
      stack,
      kubeconfig,
      inClusterAws,
      [nodes.nodeGroup, coredns, ...cluster.adminAccess, ...cluster.deployerAccess, ...deployerPath, ...roles.flatMap((r) => r.ready), ...secrets.ready],
      options.onSynthesized,
    );
  }

  return {
    clusterName: cluster.name,
    clusterArn: cluster.arn,
    clusterEndpoint: cluster.endpoint,
    clusterCertificateAuthority: cluster.certificateAuthority,
    clusterSecurityGroupId: cluster.clusterSecurityGroupId,
    kubernetesVersion: config.kubernetesVersion,
    oidcIssuerUrl: cluster.oidcIssuerUrl,
    oidcProviderArn: cluster.oidcProviderArn,
    vpcId: network.vpcId,
    privateSubnetIds: pulumi.all(network.privateSubnetIds),
    publicSubnetIds: pulumi.all(network.publicSubnetIds),
    secretsKeyArn: keys.secretsKeyArn,
    ebsKeyArn: keys.ebsKeyArn,
    logsKeyArn: keys.logsKeyArn,
    systemNodeRoleName: nodes.nodeRoleName,
    roleArns: Object.fromEntries(roles.map((r) => [r.component, r.roleArn])),
    ...(karpenter ? { karpenterNodeRoleName: karpenter.nodeRoleName, karpenterInterruptionQueueName: karpenter.queueName } : {}),
    ...(ingress ? { certificateArns: ingress.certificateArns, alertsTopicArn: ingress.alertsTopicArn } : {}),
    kubeconfig,
    // What the in-cluster stack reads through its StackReference (cluster-stack.ts).
    ...(config.delivery.inClusterStack === 'separate'
      ? { inCluster: pulumi.output({ stack, platformConfig: publishableConfig(config), ...clusterAccess, aws: pulumi.output(inClusterAws) }) as unknown as pulumi.Output<PublishedInCluster> }
      : {}),
  };
}

/** The cluster's API coordinates, as the in-cluster half needs them. */
export interface ClusterAccess {
  readonly clusterName: pulumi.Input<string>;
  readonly endpoint: pulumi.Input<string>;
  readonly certificateAuthority: pulumi.Input<string>;
}

/** The `inCluster` output of an AWS stack whose in-cluster half runs in a separate stack. */
export interface PublishedInCluster {
  /** The AWS stack's name: names the GitOps path `dist/<stack>`. */
  readonly stack: string;
  /** The AWS stack's validated config (`platform:` keys and aws:region), re-validated by the in-cluster stack. */
  readonly platformConfig: Record<string, unknown>;
  readonly clusterName: string;
  readonly endpoint: string;
  readonly certificateAuthority: string;
  readonly aws: { readonly [K in keyof AwsOutputs]?: string };
}

/** The validated config as a raw stack-config map (no `aws:` settings but the region: those are the deployer's own). */
export function publishableConfig(config: PlatformConfig): Record<string, unknown> {
  const out: Record<string, unknown> = { 'aws:region': config.region };
  for (const [key, value] of Object.entries(config)) if (key !== 'region' && key !== 'aws') out[`platform:${key}`] = value;
  return out;
}

/** A kubeconfig authenticating with `aws eks get-token` as the given deployer identity. */
export function kubeconfigFor(region: string, access: ClusterAccess, identity: { profile?: string; roleArn?: string }): pulumi.Output<string> {
  return pulumi
    .all([access.clusterName, access.endpoint, access.certificateAuthority])
    .apply(([clusterName, endpoint, ca]) => JSON.stringify(buildKubeconfig({ clusterName, endpoint, certificateAuthorityData: ca, region, ...identity }), null, 2));
}

/** The in-cluster half: a Kubernetes provider for the cluster, then the add-ons and tenants (platform.ts). */
export function deployInCluster(
  config: PlatformConfig,
  stack: string,
  kubeconfig: pulumi.Input<string>,
  aws: AwsOutputs,
  clusterReady: pulumi.Resource[],
  onSynthesized?: (objects: PlatformObjects) => void,
): PlatformDeployment {
  return new PlatformDeployment('platform', { config, stack, kubeconfig, aws, clusterReady, onSynthesized });
}

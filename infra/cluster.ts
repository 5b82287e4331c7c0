/**
 * The EKS control plane: pinned Kubernetes version, Secrets envelope-encrypted with the secrets
 * key (CIS EKS 5.3.1), all five control-plane log types into a retained, encrypted log group
 * (CIS EKS 2.1.1), the private endpoint always on and the public one off in prod or allowlisted
 * (CIS EKS 5.4.1/5.4.2), API authentication with access entries for the configured admins and no
 * implicit creator admin (CIS EKS 4.1.1), and the OIDC provider for IRSA.
 */
import * as cloudwatch from '@pulumi/aws/cloudwatch';
import * as eks from '@pulumi/aws/eks';
import * as iam from '@pulumi/aws/iam';
import * as vpc from '@pulumi/aws/vpc';
import * as pulumi from '@pulumi/pulumi';
import type { PlatformConfig } from '../model/config';
import { roleName } from '../model/names';
import { clusterEncryptionPolicy, serviceTrustPolicy } from './policy-documents';
import { withName } from '../model/tags';
import { childOptions } from './component';

/** The access policy EKS grants the configured admin principals, cluster-wide. */
export const CLUSTER_ADMIN_ACCESS_POLICY = 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy';

export interface ClusterArgs {
  readonly config: PlatformConfig;
  readonly privateSubnetIds: pulumi.Input<string>[];
  readonly secretsKeyArn: pulumi.Input<string>;
  readonly logsKeyArn: pulumi.Input<string>;
}

export class Cluster extends pulumi.ComponentResource {
  readonly name: pulumi.Output<string>;
  readonly arn: pulumi.Output<string>;
  readonly endpoint: pulumi.Output<string>;
  readonly certificateAuthority: pulumi.Output<string>;
  readonly oidcIssuerUrl: pulumi.Output<string>;
  readonly oidcProviderArn: pulumi.Output<string>;
  readonly clusterSecurityGroupId: pulumi.Output<string>;
  /** The cluster resource, for `dependsOn` of what must wait for it. */
  readonly resource: eks.Cluster;
  /**
   * The admins' access policy associations. With no implicit creator admin, whoever runs
   * `pulumi up` reaches the Kubernetes API only through one of these: Kubernetes resources wait for them.
   */
  readonly adminAccess: eks.AccessPolicyAssociation[];
  /**
   * 443 from each deployer network (`endpoint.privateAccessCidrs`) on the cluster security group: the
   * EKS user guide's condition for reaching a private endpoint from a connected network.
   */
  readonly deployerAccess: vpc.SecurityGroupIngressRule[];
  /** One access entry per tenant principal, mapping it to the tenant's Kubernetes group. */
  readonly tenantAccess: eks.AccessEntry[];

  constructor(componentName: string, args: ClusterArgs, opts?: pulumi.ComponentResourceOptions) {
    super('platform:cluster:Cluster', componentName, {}, opts);
    const { config } = args;
    const name = config.clusterName;
    const child = childOptions(this, componentName === 'cluster');

    const role = new iam.Role(
      componentName,
      {
        name: roleName(name, 'cluster'),
        description: `EKS control plane of ${name}`,
        assumeRolePolicy: JSON.stringify(serviceTrustPolicy('eks.amazonaws.com', ['sts:AssumeRole', 'sts:TagSession'])),
        tags: withName(config, roleName(name, 'cluster')),
      },
      child(),
    );
    const clusterPolicy = new iam.RolePolicyAttachment(`${componentName}-policy`, { role: role.name, policyArn: 'arn:aws:iam::aws:policy/AmazonEKSClusterPolicy' }, child());
    const encryptionPolicy = new iam.RolePolicy(
      `${componentName}-secrets-encryption`,
      { role: role.name, name: 'envelope-encrypt-secrets', policy: pulumi.output(args.secretsKeyArn).apply((arn) => JSON.stringify(clusterEncryptionPolicy(arn))) },
      child(),
    );

    // EKS writes to this exact name; creating it first sets retention and encryption before any log arrives.
    const logGroup = new cloudwatch.LogGroup(
      `${componentName}-control-plane-logs`,
      { name: `/aws/eks/${name}/cluster`, retentionInDays: config.logging.retentionDays, kmsKeyId: args.logsKeyArn, tags: withName(config, `${name}-control-plane`) },
      child('control-plane-logs'),
    );

    const { publicAccess, publicAccessCidrs } = config.endpoint;
    const cluster = new eks.Cluster(
      componentName,
      {
        name,
        version: config.kubernetesVersion,
        roleArn: role.arn,
        vpcConfig: {
          subnetIds: args.privateSubnetIds,
          endpointPrivateAccess: true,
          endpointPublicAccess: publicAccess,
          ...(publicAccess ? { publicAccessCidrs: [...publicAccessCidrs] } : {}),
        },
        ...(config.encryption.secrets ? { encryptionConfig: { resources: ['secrets'], provider: { keyArn: args.secretsKeyArn } } } : {}),
        enabledClusterLogTypes: [...config.logging.controlPlaneLogTypes],
        accessConfig: { authenticationMode: 'API', bootstrapClusterCreatorAdminPermissions: false },
        // The managed add-ons (infra/addons.ts) replace the unmanaged defaults EKS would otherwise install.
        bootstrapSelfManagedAddons: false,
        kubernetesNetworkConfig: { ipFamily: 'ipv4' },
        // Standard support only: a cluster is upgraded rather than silently billed for extended support.
        upgradePolicy: { supportType: 'STANDARD' },
        deletionProtection: config.environment === 'prod',
        tags: withName(config, name),
      },
      child(undefined, { dependsOn: [clusterPolicy, encryptionPolicy, logGroup] }),
    );
    this.resource = cluster;
    this.name = cluster.name;
    this.arn = cluster.arn;
    this.endpoint = cluster.endpoint;
    this.certificateAuthority = cluster.certificateAuthority.apply((ca) => ca.data ?? '');
    this.oidcIssuerUrl = cluster.identities.apply((ids) => ids[0]?.oidcs?.[0]?.issuer ?? '');
    this.clusterSecurityGroupId = cluster.vpcConfig.apply((v) => v.clusterSecurityGroupId);

    this.adminAccess = config.adminPrincipals.map((principalArn, i) => {
      const entry = new eks.AccessEntry(`${componentName}-admin-${i}`, { clusterName: cluster.name, principalArn, type: 'STANDARD', tags: withName(config, `${name}-admin-${i}`) }, child(`admin-${i}`));
      return new eks.AccessPolicyAssociation(
        `${componentName}-admin-${i}`,
        { clusterName: cluster.name, principalArn, policyArn: CLUSTER_ADMIN_ACCESS_POLICY, accessScope: { type: 'cluster' } },
        child(`admin-${i}`, { dependsOn: [entry] }),
      );
    });

    // The EKS-created cluster security group admits the control plane's own traffic only; a
    // connected network needs its own 443 rule ("Cluster API server endpoint", EKS user guide).
    this.deployerAccess = config.endpoint.privateAccessCidrs.map(
      (cidrIpv4, i) =>
        new vpc.SecurityGroupIngressRule(
          `${componentName}-deployer-api-${i}`,
          {
            securityGroupId: this.clusterSecurityGroupId,
            cidrIpv4,
            ipProtocol: 'tcp',
            fromPort: 443,
            toPort: 443,
            description: `Kubernetes API (private endpoint) from deployer network ${cidrIpv4}`,
            tags: withName(config, `${name}-deployer-api-${i}`),
          },
          child(`deployer-api-${i}`),
        ),
    );

    // Tenants: each team principal is mapped to its teamGroup, which only the tenant's namespace
    // RoleBinding (charts/tenants) binds. No access policy: no cluster-wide right at all.
    this.tenantAccess = config.tenants.flatMap((tenant) =>
      tenant.principals.map(
        (principalArn, i) =>
          new eks.AccessEntry(
            `${componentName}-tenant-${tenant.name}-${i}`,
            { clusterName: cluster.name, principalArn, type: 'STANDARD', kubernetesGroups: [tenant.teamGroup], tags: withName(config, `${name}-tenant-${tenant.name}-${i}`) },
            child(`tenant-${tenant.name}-${i}`),
          ),
      ),
    );

    const oidc = new iam.OpenIdConnectProvider(
      `${componentName}-oidc`,
      { url: this.oidcIssuerUrl, clientIdLists: ['sts.amazonaws.com'], tags: withName(config, `${name}-oidc`) },
      child('oidc'),
    );
    this.oidcProviderArn = oidc.arn;

    this.registerOutputs({ name: this.name, endpoint: this.endpoint, oidcProviderArn: this.oidcProviderArn });
  }
}

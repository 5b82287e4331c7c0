/**
 * EKS managed add-ons, each pinned per Kubernetes version (looked up from the EKS add-on version
 * tables; `aws eks describe-addon-versions --kubernetes-version <v> --addon-name <name>` lists
 * newer builds). The VPC CNI enforces NetworkPolicies (CIS EKS 5.4.4) and hands out /28 prefixes
 * (prefix delegation: more pods per node, fewer EC2 API calls).
 */
import * as eks from '@pulumi/aws/eks';
import type * as pulumi from '@pulumi/pulumi';
import type { PlatformConfig } from './config';
import type { KubernetesVersion } from './versions';
import { SYSTEM_NODE_TOLERATION } from './names';
import { withName } from './tags';

export const ADDON_NAMES = ['vpc-cni', 'kube-proxy', 'eks-pod-identity-agent', 'coredns', 'aws-ebs-csi-driver', 'metrics-server'] as const;
export type AddonName = (typeof ADDON_NAMES)[number];

/**
 * The pinned add-on versions, per supported Kubernetes version. Where each build comes from (read
 * 2026-12-01; `aws eks describe-addon-versions --kubernetes-version <v> --addon-name <name>` confirms
 * them per region before a first deploy, as the README says):
 * - kube-proxy, coredns: the EKS user guide's "latest version of the Amazon EKS add-on type" tables
 *   (docs.aws.amazon.com/eks/latest/userguide/managing-kube-proxy.md and managing-coredns.md, the
 *   1.35 and 1.36 rows). Certain.
 * - vpc-cni, eks-pod-identity-agent, aws-ebs-csi-driver, metrics-server: builds EKS reported for that
 *   Kubernetes version through `describe-addon-versions`, as recorded with the query and its date in
 *   public Terraform configurations (1.35: the defaults in ap-northeast-2 on 2026-08-04; 1.36: vpc-cni's
 *   default on 2026-09-28, the others from configurations and upgrade runbooks of 1.36 clusters).
 *   Real builds offered for that version, but second-hand: confirm them before the first deploy.
 */
export const ADDON_VERSIONS: Readonly<Record<KubernetesVersion, Readonly<Record<AddonName, string>>>> = {
  '1.35': {
    'vpc-cni': 'v1.22.3-eksbuild.1',
    'kube-proxy': 'v1.35.3-eksbuild.13',
    'eks-pod-identity-agent': 'v1.3.10-eksbuild.3',
    coredns: 'v1.14.3-eksbuild.3',
    'aws-ebs-csi-driver': 'v1.63.1-eksbuild.1',
    'metrics-server': 'v0.9.0-eksbuild.5',
  },
  '1.36': {
    'vpc-cni': 'v1.22.4-eksbuild.3',
    'kube-proxy': 'v1.36.0-eksbuild.14',
    'eks-pod-identity-agent': 'v1.3.10-eksbuild.3',
    coredns: 'v1.14.3-eksbuild.3',
    'aws-ebs-csi-driver': 'v1.63.1-eksbuild.1',
    'metrics-server': 'v0.9.0-eksbuild.10',
  },
};

/** Tolerating the system nodes' taint, so add-on Deployments can run before Karpenter adds capacity. */
const SYSTEM_TOLERATION = SYSTEM_NODE_TOLERATION;

/** Add-on configuration values (each add-on's own JSON schema: `aws eks describe-addon-configuration`). */
export const ADDON_CONFIGURATION: Readonly<Partial<Record<AddonName, Record<string, unknown>>>> = {
  'vpc-cni': { enableNetworkPolicy: 'true', env: { ENABLE_PREFIX_DELEGATION: 'true', WARM_PREFIX_TARGET: '1' } },
  'aws-ebs-csi-driver': { controller: { tolerations: [SYSTEM_TOLERATION] } },
  'metrics-server': { tolerations: [SYSTEM_TOLERATION] },
};

export interface AddonsArgs {
  readonly config: PlatformConfig;
  readonly clusterName: pulumi.Input<string>;
  /** IRSA role ARNs of the add-ons that call AWS. */
  readonly serviceAccountRoleArns: Readonly<Partial<Record<AddonName, pulumi.Input<string>>>>;
}

/** Installs one add-on, pinned; `dependsOn` orders it against node groups. */
export function createAddon(args: AddonsArgs, addon: AddonName, parent: pulumi.Resource, dependsOn: pulumi.Resource[] = []): eks.Addon {
  const values = ADDON_CONFIGURATION[addon];
  const roleArn = args.serviceAccountRoleArns[addon];
  return new eks.Addon(
    addon,
    {
      clusterName: args.clusterName,
      addonName: addon,
      addonVersion: ADDON_VERSIONS[args.config.kubernetesVersion][addon],
      ...(values ? { configurationValues: JSON.stringify(values) } : {}),
      ...(roleArn ? { serviceAccountRoleArn: roleArn } : {}),
      resolveConflictsOnCreate: 'OVERWRITE',
      resolveConflictsOnUpdate: 'OVERWRITE',
      tags: withName(args.config, `${args.config.clusterName}-${addon}`),
    },
    { parent, dependsOn },
  );
}

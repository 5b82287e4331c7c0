/**
 * EKS managed add-ons, each pinned per Kubernetes version (ADDON_VERSIONS, in model/versions.ts so
 * that reading the pins never loads Pulumi). The VPC CNI enforces NetworkPolicies (CIS EKS 5.4.4) and
 * hands out /28 prefixes (prefix delegation: more pods per node, fewer EC2 API calls).
 */
import * as eks from '@pulumi/aws/eks';
import type * as pulumi from '@pulumi/pulumi';
import type { PlatformConfig } from '../model/config';
import { SYSTEM_NODE_TOLERATION } from '../model/names';
import { withName } from '../model/tags';
import { ADDON_VERSIONS, type AddonName } from '../model/versions';

/**
 * Add-on configuration values (each add-on's own JSON schema: `aws eks describe-addon-configuration`).
 * The add-on Deployments tolerate the system nodes' taint, so they run before Karpenter adds capacity.
 */
export const ADDON_CONFIGURATION: Readonly<Partial<Record<AddonName, Record<string, unknown>>>> = {
  'vpc-cni': { enableNetworkPolicy: 'true', env: { ENABLE_PREFIX_DELEGATION: 'true', WARM_PREFIX_TARGET: '1' } },
  'aws-ebs-csi-driver': { controller: { tolerations: [SYSTEM_NODE_TOLERATION] } },
  'metrics-server': { tolerations: [SYSTEM_NODE_TOLERATION] },
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

/**
 * EKS managed add-ons, each pinned per Kubernetes version (ADDON_VERSIONS, in model/versions.ts so
 * that reading the pins never loads Pulumi). The VPC CNI enforces NetworkPolicies (CIS EKS 5.4.4) and
 * hands out /28 prefixes (prefix delegation: more pods per node, fewer EC2 API calls).
 */
import * as eks from '@pulumi/aws/eks';
import * as pulumi from '@pulumi/pulumi';
import type { PlatformConfig } from '../model/config';
import { SYSTEM_NODE_TOLERATION } from '../model/names';
import { withName } from '../model/tags';
import { ADDON_VERSIONS, type AddonName } from '../model/versions';
import { childOptions, type ChildOptions } from './component';

/**
 * Add-on configuration values (each add-on's own JSON schema: `aws eks describe-addon-configuration`).
 * The add-on Deployments tolerate the system nodes' taint, so they run before Karpenter adds capacity.
 */
export const ADDON_CONFIGURATION: Readonly<Partial<Record<AddonName, Record<string, unknown>>>> = {
  'vpc-cni': { enableNetworkPolicy: 'true', env: { ENABLE_PREFIX_DELEGATION: 'true', WARM_PREFIX_TARGET: '1' } },
  'aws-ebs-csi-driver': { controller: { tolerations: [SYSTEM_NODE_TOLERATION] } },
  'metrics-server': { tolerations: [SYSTEM_NODE_TOLERATION] },
};

/** Add-ons nodes need before they get Ready (pod networking, Service routing, Pod Identity credentials). */
export const ADDONS_BEFORE_NODES = ['vpc-cni', 'kube-proxy', 'eks-pod-identity-agent'] as const satisfies readonly AddonName[];
/** Add-ons that run as Deployments: installed once nodes can schedule them, or they stay DEGRADED. */
export const ADDONS_ON_NODES = ['coredns', 'aws-ebs-csi-driver', 'metrics-server'] as const satisfies readonly AddonName[];

export interface EksAddonsArgs {
  readonly config: PlatformConfig;
  readonly clusterName: pulumi.Input<string>;
  /** IRSA role ARNs of the add-ons that call AWS. */
  readonly serviceAccountRoleArns: Readonly<Partial<Record<AddonName, pulumi.Input<string>>>>;
  /** What an add-on waits for besides nodes (its role's policies). @default nothing */
  readonly ready?: Readonly<Partial<Record<AddonName, readonly pulumi.Resource[]>>>;
}

/**
 * The EKS managed add-ons, pinned, in two steps around the system node group: the networking ones
 * when the component is created (`beforeNodes`, which the node group waits for), the others on
 * `installOnNodes(nodes)`, which completes the component.
 */
export class EksAddons extends pulumi.ComponentResource {
  readonly beforeNodes: readonly eks.Addon[];
  /** Every add-on installed so far, by name. */
  readonly installed: Partial<Record<AddonName, eks.Addon>> = {};
  private readonly child: ChildOptions;

  constructor(
    private readonly componentName: string,
    private readonly args: EksAddonsArgs,
    opts?: pulumi.ComponentResourceOptions,
  ) {
    super('platform:addons:Addons', componentName, {}, opts);
    this.child = childOptions(this, componentName === 'addons');
    this.beforeNodes = ADDONS_BEFORE_NODES.map((addon) => this.install(addon, []));
  }

  /** Installs the add-ons that run on nodes, after `nodes`; returns them by name. */
  installOnNodes(nodes: readonly pulumi.Resource[]): Readonly<Record<(typeof ADDONS_ON_NODES)[number], eks.Addon>> {
    const onNodes = Object.fromEntries(ADDONS_ON_NODES.map((addon) => [addon, this.install(addon, nodes)])) as Record<(typeof ADDONS_ON_NODES)[number], eks.Addon>;
    this.registerOutputs({ addons: Object.keys(this.installed) });
    return onNodes;
  }

  /** One add-on, pinned for the stack's Kubernetes version. */
  private install(addon: AddonName, after: readonly pulumi.Resource[]): eks.Addon {
    const { config, clusterName, serviceAccountRoleArns, ready } = this.args;
    const values = ADDON_CONFIGURATION[addon];
    const roleArn = serviceAccountRoleArns[addon];
    const created = new eks.Addon(
      `${this.componentName}-${addon}`,
      {
        clusterName,
        addonName: addon,
        addonVersion: ADDON_VERSIONS[config.kubernetesVersion][addon],
        ...(values ? { configurationValues: JSON.stringify(values) } : {}),
        ...(roleArn ? { serviceAccountRoleArn: roleArn } : {}),
        resolveConflictsOnCreate: 'OVERWRITE',
        resolveConflictsOnUpdate: 'OVERWRITE',
        tags: withName(config, `${config.clusterName}-${addon}`),
      },
      this.child(addon, { dependsOn: [...after, ...(ready?.[addon] ?? [])] }),
    );
    this.installed[addon] = created;
    return created;
  }
}

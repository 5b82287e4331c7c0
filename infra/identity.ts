/**
 * Workload identity: every add-on that calls AWS gets its own IAM role (CIS EKS 5.2.1), bound to
 * exactly one ServiceAccount (model/identities.ts), either through IRSA (trust on the OIDC provider
 * with StringEquals on `:sub` and `:aud`) or through an EKS Pod Identity association.
 */
import * as eks from '@pulumi/aws/eks';
import * as iam from '@pulumi/aws/iam';
import * as pulumi from '@pulumi/pulumi';
import type { PolicyDocument } from '../lib/iam-document';
import type { PlatformConfig } from '../model/config';
import { WORKLOAD_IDENTITIES, type WorkloadBinding, type WorkloadComponent } from '../model/identities';
import { roleName } from '../model/names';
import { withName } from '../model/tags';
import { childOptions, type ChildOptions } from './component';
import { irsaTrustPolicy, podIdentityTrustPolicy, type Account } from './policy-documents';

export interface WorkloadRoleArgs {
  /** Which identity (model/identities.ts): the role is `roleName(cluster, component)`, bound to its ServiceAccount. */
  readonly component: WorkloadComponent;
  /** AWS-managed policies to attach. @default none */
  readonly managedPolicyArns?: readonly string[];
  /** Inline policies by name; documents may depend on outputs (key ARNs, queue ARNs). @default none */
  readonly inlinePolicies?: Readonly<Record<string, pulumi.Input<PolicyDocument>>>;
  /**
   * Create the Pod Identity association here. False when an EKS managed add-on carries the
   * association itself. @default true
   */
  readonly associate?: boolean;
}

export interface ClusterIdentityContext {
  readonly config: PlatformConfig;
  readonly account: Account;
  readonly clusterName: pulumi.Input<string>;
  readonly clusterArn: pulumi.Input<string>;
  readonly oidcProviderArn: pulumi.Input<string>;
  readonly oidcIssuerUrl: pulumi.Input<string>;
}

export interface WorkloadRole extends WorkloadBinding {
  readonly component: WorkloadComponent;
  readonly roleName: string;
  readonly roleArn: pulumi.Output<string>;
  /** Resolves once the role can be used: its policies attached and, for Pod Identity, its association made. */
  readonly ready: pulumi.Resource[];
}

/**
 * The reusable factory: one role, its policies, and (for Pod Identity) its association, named from
 * `name` (`<name>`, `<name>-<policy>`). `was` is the name they were derived from before #14, when it differs.
 */
export function createWorkloadRole(name: string, ctx: ClusterIdentityContext, args: WorkloadRoleArgs, child: ChildOptions, was?: string): WorkloadRole {
  const binding = WORKLOAD_IDENTITIES[args.component];
  const physicalName = roleName(ctx.config.clusterName, args.component);
  const formerly = (suffix?: string) => (was === undefined ? undefined : suffix === undefined ? was : `${was}-${suffix}`);
  const trust =
    binding.mechanism === 'irsa'
      ? pulumi.all([ctx.oidcProviderArn, ctx.oidcIssuerUrl]).apply(([arn, issuer]) => JSON.stringify(irsaTrustPolicy(arn, issuer, binding.namespace, binding.serviceAccount)))
      : pulumi.output(ctx.clusterArn).apply((arn) => JSON.stringify(podIdentityTrustPolicy(ctx.account, arn)));
  const role = new iam.Role(
    name,
    {
      name: physicalName,
      description: `${args.component} (${binding.namespace}/${binding.serviceAccount}) of ${ctx.config.clusterName} via ${binding.mechanism === 'irsa' ? 'IRSA' : 'EKS Pod Identity'}`,
      assumeRolePolicy: trust,
      tags: withName(ctx.config, physicalName, { 'platform:service-account': `${binding.namespace}/${binding.serviceAccount}` }),
    },
    child(formerly()),
  );
  const ready: pulumi.Resource[] = [];
  for (const arn of args.managedPolicyArns ?? []) {
    const short = arn.slice(arn.lastIndexOf('/') + 1);
    ready.push(new iam.RolePolicyAttachment(`${name}-${short}`, { role: role.name, policyArn: arn }, child(formerly(short))));
  }
  for (const [policyName, document] of Object.entries(args.inlinePolicies ?? {})) {
    ready.push(new iam.RolePolicy(`${name}-${policyName}`, { role: role.name, name: policyName, policy: pulumi.output(document).apply((d) => JSON.stringify(d)) }, child(formerly(policyName))));
  }
  if (binding.mechanism === 'pod-identity' && (args.associate ?? true)) {
    const association = new eks.PodIdentityAssociation(
      name,
      { clusterName: ctx.clusterName, namespace: binding.namespace, serviceAccount: binding.serviceAccount, roleArn: role.arn, tags: withName(ctx.config, physicalName) },
      // A copy: the association joins `ready` below and must not wait for itself.
      child(formerly(), { dependsOn: [...ready] }),
    );
    // Pods get credentials only once the association exists.
    ready.push(association);
  }
  return { component: args.component, ...binding, roleName: physicalName, roleArn: role.arn, ready };
}

export interface WorkloadIdentitiesArgs {
  readonly context: ClusterIdentityContext;
  /** One role per entry, in this order. */
  readonly roles: readonly WorkloadRoleArgs[];
}

/** The workload roles of the add-ons that are not components of their own (the CNI, the EBS CSI driver, External Secrets). */
export class WorkloadIdentities extends pulumi.ComponentResource {
  readonly roles: readonly WorkloadRole[];

  constructor(name: string, args: WorkloadIdentitiesArgs, opts?: pulumi.ComponentResourceOptions) {
    super('platform:identity:WorkloadIdentities', name, {}, opts);
    const child = childOptions(this, name === 'workload-identities');
    this.roles = args.roles.map((role) => createWorkloadRole(`${name}-${role.component}`, args.context, role, child, role.component));
    this.registerOutputs({ roleArns: Object.fromEntries(this.roles.map((r) => [r.component, r.roleArn])) });
  }

  /** The role of one component; throws when this component has none (a wiring mistake). */
  role(component: WorkloadComponent): WorkloadRole {
    const found = this.roles.find((r) => r.component === component);
    if (!found) throw new Error(`workload identity ${component} is not among ${this.roles.map((r) => r.component).join(', ')}`);
    return found;
  }
}

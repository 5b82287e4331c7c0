/**
 * Workload identity: every add-on that calls AWS gets its own IAM role (CIS EKS 5.2.1), bound to
 * exactly one ServiceAccount, either through IRSA (trust on the OIDC provider with StringEquals
 * on `:sub` and `:aud`) or through an EKS Pod Identity association.
 */
import * as eks from '@pulumi/aws/eks';
import * as iam from '@pulumi/aws/iam';
import * as pulumi from '@pulumi/pulumi';
import type { PlatformConfig } from '../model/config';
import { roleName } from '../model/names';
import type { PolicyDocument } from '../lib/iam-document';
import { irsaTrustPolicy, podIdentityTrustPolicy, type Account } from './policy-documents';
import { withName } from '../model/tags';

export interface WorkloadBinding {
  readonly namespace: string;
  readonly serviceAccount: string;
}

export type IdentityMechanism = 'irsa' | 'pod-identity';

export interface WorkloadRoleArgs extends WorkloadBinding {
  /** Physical role name suffix: the role is `roleName(cluster, component)`. */
  readonly component: string;
  readonly mechanism: IdentityMechanism;
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
  readonly component: string;
  readonly mechanism: IdentityMechanism;
  readonly roleName: string;
  readonly roleArn: pulumi.Output<string>;
  /** Resolves once the role can be used: its policies attached and, for Pod Identity, its association made. */
  readonly ready: pulumi.Resource[];
}

/** The reusable factory: one role, its policies, and (for Pod Identity) its association. */
export function createWorkloadRole(ctx: ClusterIdentityContext, args: WorkloadRoleArgs, parent: pulumi.Resource): WorkloadRole {
  const name = roleName(ctx.config.clusterName, args.component);
  const trust =
    args.mechanism === 'irsa'
      ? pulumi.all([ctx.oidcProviderArn, ctx.oidcIssuerUrl]).apply(([arn, issuer]) => JSON.stringify(irsaTrustPolicy(arn, issuer, args.namespace, args.serviceAccount)))
      : pulumi.output(ctx.clusterArn).apply((arn) => JSON.stringify(podIdentityTrustPolicy(ctx.account, arn)));
  const role = new iam.Role(
    args.component,
    {
      name,
      description: `${args.component} (${args.namespace}/${args.serviceAccount}) of ${ctx.config.clusterName} via ${args.mechanism === 'irsa' ? 'IRSA' : 'EKS Pod Identity'}`,
      assumeRolePolicy: trust,
      tags: withName(ctx.config, name, { 'platform:service-account': `${args.namespace}/${args.serviceAccount}` }),
    },
    { parent },
  );
  const ready: pulumi.Resource[] = [];
  for (const arn of args.managedPolicyArns ?? []) {
    const short = arn.slice(arn.lastIndexOf('/') + 1);
    ready.push(new iam.RolePolicyAttachment(`${args.component}-${short}`, { role: role.name, policyArn: arn }, { parent }));
  }
  for (const [policyName, document] of Object.entries(args.inlinePolicies ?? {})) {
    ready.push(new iam.RolePolicy(`${args.component}-${policyName}`, { role: role.name, name: policyName, policy: pulumi.output(document).apply((d) => JSON.stringify(d)) }, { parent }));
  }
  if (args.mechanism === 'pod-identity' && (args.associate ?? true)) {
    const association = new eks.PodIdentityAssociation(
      args.component,
      { clusterName: ctx.clusterName, namespace: args.namespace, serviceAccount: args.serviceAccount, roleArn: role.arn, tags: withName(ctx.config, name) },
      // A copy: the association joins `ready` below and must not wait for itself.
      { parent, dependsOn: [...ready] },
    );
    // Pods get credentials only once the association exists.
    ready.push(association);
  }
  return { component: args.component, mechanism: args.mechanism, namespace: args.namespace, serviceAccount: args.serviceAccount, roleName: name, roleArn: role.arn, ready };
}

import { ApiObject } from 'cdk8s';
import type * as kplus from 'cdk8s-plus-28';
import type { Construct } from 'constructs';
import { namespacedChecker } from './internal/validation';

/** IRSA: the pod's token is exchanged for the role named in the `eks.amazonaws.com/role-arn` annotation. */
export interface IrsaIdentity {
  readonly type: 'irsa';
  readonly roleArn: string;
}

/**
 * EKS Pod Identity: an association (created on the AWS side for this namespace and ServiceAccount)
 * gives the role; nothing is written on the ServiceAccount.
 */
export interface PodIdentity {
  readonly type: 'pod-identity';
  readonly roleArn: string;
}

export interface WorkloadServiceAccountProps {
  /** @default the enclosing Chart's namespace (one of the two is required) */
  readonly namespace?: string;
  /** @default the construct id */
  readonly name?: string;
  /** The AWS identity the workload assumes. @default none (no AWS access) */
  readonly identity?: IrsaIdentity | PodIdentity;
  /**
   * Loosening: mount the token into every pod using this account. Only workloads that call the
   * Kubernetes API need it; a stolen token acts with the account's rights.
   * @default false
   */
  readonly automountServiceAccountToken?: boolean;
  /** @default none */
  readonly labels?: Readonly<Record<string, string>>;
}

const ROLE_ARN = /^arn:aws(-cn|-us-gov)?:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/;

/**
 * A ServiceAccount bound to an AWS IAM role through IRSA or EKS Pod Identity. It is a cdk8s-plus
 * `IServiceAccount`: pass it as `serviceAccount` to a hardened workload or any cdk8s-plus workload,
 * or as a RoleBinding subject. A plain ApiObject underneath: creating one does not load cdk8s-plus.
 */
export class WorkloadServiceAccount extends ApiObject implements kplus.IServiceAccount {
  readonly serviceAccountName: string;
  readonly serviceAccountNamespace: string;
  /** What the AWS side needs to bind the role (a Pod Identity association or the IRSA trust policy). */
  readonly identity?: IrsaIdentity | PodIdentity;
  /** @see kplus.IApiResource */
  readonly resourceType = 'serviceaccounts';

  constructor(scope: Construct, id: string, props: WorkloadServiceAccountProps) {
    const name = props.name ?? id;
    const { check, namespace } = namespacedChecker('WorkloadServiceAccount', scope, name, props.namespace);
    check.dnsSubdomain('name', name);
    if (props.identity && !ROLE_ARN.test(props.identity.roleArn)) {
      check.fail(`identity.roleArn must be an IAM role ARN like arn:aws:iam::123456789012:role/name (got ${JSON.stringify(props.identity.roleArn)})`);
    }
    if (props.identity && props.identity.type !== 'irsa' && props.identity.type !== 'pod-identity') {
      check.fail(`identity.type must be irsa or pod-identity (got ${JSON.stringify((props.identity as { type: unknown }).type)})`);
    }
    const annotations = props.identity?.type === 'irsa' ? { 'eks.amazonaws.com/role-arn': props.identity.roleArn } : undefined;
    super(scope, id, {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: { name, namespace, ...(props.labels ? { labels: { ...props.labels } } : {}), ...(annotations ? { annotations } : {}) },
      automountServiceAccountToken: props.automountServiceAccountToken ?? false,
    });
    this.serviceAccountName = name;
    this.serviceAccountNamespace = namespace;
    this.identity = props.identity;
  }

  /** @see kplus.IApiResource */
  get resourceName(): string {
    return this.name;
  }

  /** The RoleBinding subject for this account (kplus.ISubject). */
  toSubjectConfiguration(): kplus.SubjectConfiguration {
    return { kind: this.kind, name: this.name, apiGroup: this.apiGroup, namespace: this.serviceAccountNamespace };
  }
}

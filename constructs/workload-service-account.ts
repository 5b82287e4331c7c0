import { ApiObject } from 'cdk8s';
import type { Construct } from 'constructs';
import { PropChecker } from './internal/validation';

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
  readonly namespace: string;
  /** @default the construct id */
  readonly name?: string;
  /** The AWS identity the workload assumes. @default none (no AWS access) */
  readonly identity?: IrsaIdentity | PodIdentity;
  /** Loosening: mount the token into every pod using this account. @default false */
  readonly automountServiceAccountToken?: boolean;
  /** @default none */
  readonly labels?: Readonly<Record<string, string>>;
}

const ROLE_ARN = /^arn:aws(-cn|-us-gov)?:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/;

/** A ServiceAccount bound to an AWS IAM role through IRSA or EKS Pod Identity. */
export class WorkloadServiceAccount extends ApiObject {
  readonly serviceAccountName: string;
  readonly serviceAccountNamespace: string;
  /** What the AWS side needs to bind the role (a Pod Identity association or the IRSA trust policy). */
  readonly identity?: IrsaIdentity | PodIdentity;

  constructor(scope: Construct, id: string, props: WorkloadServiceAccountProps) {
    const name = props.name ?? id;
    const check = new PropChecker(`WorkloadServiceAccount ${props.namespace}/${name}`);
    check.dnsLabel('namespace', props.namespace);
    check.dnsSubdomain('name', name);
    if (props.identity && !ROLE_ARN.test(props.identity.roleArn)) {
      check.fail(`identity.roleArn must be an IAM role ARN like arn:aws:iam::123456789012:role/name (got ${JSON.stringify(props.identity.roleArn)})`);
    }
    const annotations = props.identity?.type === 'irsa' ? { 'eks.amazonaws.com/role-arn': props.identity.roleArn } : undefined;
    super(scope, id, {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: { name, namespace: props.namespace, ...(props.labels ? { labels: { ...props.labels } } : {}), ...(annotations ? { annotations } : {}) },
      automountServiceAccountToken: props.automountServiceAccountToken ?? false,
    });
    this.serviceAccountName = name;
    this.serviceAccountNamespace = props.namespace;
    this.identity = props.identity;
  }
}

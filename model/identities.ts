/**
 * Workload identities: which in-cluster ServiceAccount each AWS role of the platform is bound to,
 * and how. infra/ creates the roles (and the Pod Identity associations or IRSA trust) from this
 * table; charts/ renders the ServiceAccounts and Helm values against the same names, so both sides
 * agree by construction.
 */
import { roleArn } from './names';
import { NAMESPACES } from './namespaces';

export type IdentityMechanism = 'irsa' | 'pod-identity';

export interface WorkloadBinding {
  readonly namespace: string;
  readonly serviceAccount: string;
  readonly mechanism: IdentityMechanism;
}

/**
 * One entry per IAM role: the key is the role's component (`<cluster>-<component>`, names.ts
 * roleName; short enough for any 40-character cluster name).
 */
export const WORKLOAD_IDENTITIES = {
  'vpc-cni': { namespace: 'kube-system', serviceAccount: 'aws-node', mechanism: 'irsa' },
  'ebs-csi': { namespace: 'kube-system', serviceAccount: 'ebs-csi-controller-sa', mechanism: 'irsa' },
  'external-secrets': { namespace: NAMESPACES.externalSecrets, serviceAccount: 'external-secrets', mechanism: 'pod-identity' },
  'karpenter-controller': { namespace: NAMESPACES.karpenter, serviceAccount: 'karpenter', mechanism: 'pod-identity' },
  'lb-controller': { namespace: NAMESPACES.loadBalancerController, serviceAccount: 'aws-load-balancer-controller', mechanism: 'pod-identity' },
  'external-dns': { namespace: NAMESPACES.externalDns, serviceAccount: 'external-dns', mechanism: 'pod-identity' },
} as const satisfies Readonly<Record<string, WorkloadBinding>>;

export type WorkloadComponent = keyof typeof WORKLOAD_IDENTITIES;

/** ARN of a workload identity's role, known before it exists (physical names are fixed). */
export function workloadRoleArn(accountId: string, clusterName: string, component: WorkloadComponent): string {
  return roleArn(accountId, clusterName, component);
}

/** What the charts need from the AWS side, and offline placeholders for it. */
import type { PlatformConfig } from '../infra/config';
import { interruptionQueueName, kmsAliasName, roleArn, roleName, secretsPrefix } from '../infra/names';
import { EXTERNAL_DNS_COMPONENT, LOAD_BALANCER_CONTROLLER_COMPONENT } from '../infra/ingress-model';

/**
 * Values only AWS knows once the infrastructure exists. `platform synth` uses placeholderInputs;
 * the Pulumi program passes the real outputs.
 */
export interface AwsInputs {
  readonly clusterName: string;
  readonly region: string;
  readonly accountId: string;
  /** Role External Secrets assumes (EKS Pod Identity). */
  readonly externalSecretsRoleArn: string;
  /** Role the Karpenter controller assumes (EKS Pod Identity). */
  readonly karpenterControllerRoleArn: string;
  /** Role (name) Karpenter's nodes get through their instance profile. */
  readonly karpenterNodeRoleName: string;
  /** SQS queue receiving EC2 interruption events. */
  readonly interruptionQueueName: string;
  /** KMS key encrypting EBS volumes (node root volumes, PersistentVolumes). */
  readonly ebsKmsKeyArn: string;
  /** Prefix of the Secrets Manager secrets the cluster may read. */
  readonly secretsPrefix: string;
  /** Role the AWS Load Balancer Controller assumes (EKS Pod Identity). */
  readonly loadBalancerControllerRoleArn: string;
  /** Role external-dns assumes (EKS Pod Identity). */
  readonly externalDnsRoleArn: string;
}

/**
 * Deterministic, offline stand-ins derived from the stack config and infra/names.ts. They equal the
 * real values by construction (infra creates exactly these names, and the EBS key is referenced by
 * its alias ARN), so `platform synth` output is deployable as is in GitOps mode; the Pulumi program
 * still swaps in its outputs to record the dependencies.
 */
export function placeholderInputs(config: PlatformConfig): AwsInputs {
  const { clusterName, region, accountId } = config;
  return {
    clusterName,
    region,
    accountId,
    externalSecretsRoleArn: roleArn(accountId, clusterName, 'external-secrets'),
    karpenterControllerRoleArn: roleArn(accountId, clusterName, 'karpenter-controller'),
    karpenterNodeRoleName: roleName(clusterName, 'karpenter-node'),
    interruptionQueueName: interruptionQueueName(clusterName),
    ebsKmsKeyArn: `arn:aws:kms:${region}:${accountId}:${kmsAliasName(clusterName, 'ebs')}`,
    secretsPrefix: secretsPrefix(clusterName),
    loadBalancerControllerRoleArn: roleArn(accountId, clusterName, LOAD_BALANCER_CONTROLLER_COMPONENT),
    externalDnsRoleArn: roleArn(accountId, clusterName, EXTERNAL_DNS_COMPONENT),
  };
}

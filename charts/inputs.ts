/** What the charts need from the AWS side, and offline placeholders for it. */
import type { PlatformConfig } from '../model/config';
import { workloadRoleArn } from '../model/identities';
import { interruptionQueueName, karpenterNodeRoleName, kmsAliasName, secretsPrefix } from '../model/names';

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
 * Deterministic, offline stand-ins derived from the stack config and model/names.ts. They equal the
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
    externalSecretsRoleArn: workloadRoleArn(accountId, clusterName, 'external-secrets'),
    karpenterControllerRoleArn: workloadRoleArn(accountId, clusterName, 'karpenter-controller'),
    karpenterNodeRoleName: karpenterNodeRoleName(clusterName),
    interruptionQueueName: interruptionQueueName(clusterName),
    ebsKmsKeyArn: `arn:aws:kms:${region}:${accountId}:${kmsAliasName(clusterName, 'ebs')}`,
    secretsPrefix: secretsPrefix(clusterName),
    loadBalancerControllerRoleArn: workloadRoleArn(accountId, clusterName, 'lb-controller'),
    externalDnsRoleArn: workloadRoleArn(accountId, clusterName, 'external-dns'),
  };
}

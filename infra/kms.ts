/**
 * Customer-managed KMS keys, one per purpose so each key policy admits only the service that
 * needs it: Kubernetes Secrets envelope encryption (CIS EKS 5.3.1), EBS volumes, CloudWatch Logs.
 * All rotate yearly (CIS AWS 3.6) and wait 30 days before deletion.
 */
// Service modules, not the '@pulumi/aws' root: the root loads every service (~0.3 s more start-up).
import * as kms from '@pulumi/aws/kms';
import * as pulumi from '@pulumi/pulumi';
import type { PlatformConfig } from '../model/config';
import { kmsAliasName } from '../model/names';
import { keyPolicy, type Account, type KeyPurpose } from './policy-documents';
import { withName } from '../model/tags';
import { childOptions } from './component';

export const KEY_DELETION_WINDOW_DAYS = 30;

export interface PlatformKeys {
  readonly secretsKeyArn: pulumi.Output<string>;
  readonly ebsKeyArn: pulumi.Output<string>;
  readonly logsKeyArn: pulumi.Output<string>;
}

const DESCRIPTIONS: Record<KeyPurpose, string> = {
  secrets: 'envelope encryption of Kubernetes Secrets',
  ebs: 'EBS volumes of nodes and persistent volumes',
  logs: 'CloudWatch Logs of the control plane and VPC flow logs',
};

export interface KeysArgs {
  readonly config: PlatformConfig;
  readonly account: Account;
}

export class Keys extends pulumi.ComponentResource implements PlatformKeys {
  readonly secretsKeyArn: pulumi.Output<string>;
  readonly ebsKeyArn: pulumi.Output<string>;
  readonly logsKeyArn: pulumi.Output<string>;

  constructor(name: string, { config, account }: KeysArgs, opts?: pulumi.ComponentResourceOptions) {
    super('platform:kms:Keys', name, {}, opts);
    const child = childOptions(this, name === 'keys');
    const key = (purpose: KeyPurpose) => {
      const k = new kms.Key(
        `${name}-${purpose}-key`,
        {
          description: `${config.clusterName}: ${DESCRIPTIONS[purpose]}`,
          enableKeyRotation: true,
          deletionWindowInDays: KEY_DELETION_WINDOW_DAYS,
          keyUsage: 'ENCRYPT_DECRYPT',
          customerMasterKeySpec: 'SYMMETRIC_DEFAULT',
          policy: JSON.stringify(keyPolicy(account, purpose, config.clusterName)),
          tags: withName(config, `${config.clusterName}-${purpose}`),
        },
        child(`${purpose}-key`),
      );
      new kms.Alias(`${name}-${purpose}-key-alias`, { name: kmsAliasName(config.clusterName, purpose), targetKeyId: k.keyId }, child(`${purpose}-key-alias`));
      return k.arn;
    };
    this.secretsKeyArn = key('secrets');
    this.ebsKeyArn = key('ebs');
    this.logsKeyArn = key('logs');
    this.registerOutputs({ secretsKeyArn: this.secretsKeyArn, ebsKeyArn: this.ebsKeyArn, logsKeyArn: this.logsKeyArn });
  }
}

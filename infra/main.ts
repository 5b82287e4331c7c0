/** Wires the infrastructure modules together for one stack. */
import * as aws from '@pulumi/aws';
import type { PlatformConfig } from './config';

export interface PlatformOutputs {
  readonly clusterName: string;
}

export function createPlatform(config: PlatformConfig): PlatformOutputs {
  new aws.kms.Key('secrets', { enableKeyRotation: true, description: `${config.clusterName} secrets` });
  return { clusterName: config.clusterName };
}

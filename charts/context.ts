import type { PlatformConfig } from '../model/config';
import type { AwsInputs } from './inputs';

/** What every platform chart is built from: the validated stack config and the AWS inputs. */
export interface PlatformChartProps {
  readonly config: PlatformConfig;
  readonly inputs: AwsInputs;
}

/** Pod Security Standards version pinned on namespaces: the cluster's Kubernetes minor version. */
export function podSecurityVersion(config: PlatformConfig): string {
  return `v${config.kubernetesVersion}`;
}

export const PART_OF_LABEL = { 'app.kubernetes.io/part-of': 'eks-platform' } as const;

/** Tags every platform resource carries: the stack's own tags plus who manages it. */
import type { PlatformConfig } from './config';

export type Tags = Record<string, string>;

export function baseTags(config: PlatformConfig): Tags {
  return { ...config.tags, 'platform:cluster': config.clusterName, 'platform:environment': config.environment, 'managed-by': 'pulumi' };
}

export function withName(config: PlatformConfig, name: string, extra: Tags = {}): Tags {
  return { ...baseTags(config), Name: name, ...extra };
}

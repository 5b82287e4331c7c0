/**
 * The Pulumi program: what `pulumi up -s <stack>` runs (through infra/index.ts) and what
 * `platform plan` runs under mocks. Reads the stack's config once, validates it, builds the platform.
 */
import * as pulumi from '@pulumi/pulumi';
import { isClusterStackConfig, loadStackConfigFromRuntime } from '../lib/config/load';
import { createPlatform, type CreatePlatformOptions } from './main';

/**
 * An in-cluster stack's file names its AWS stack (`platform:awsStack`); any other stack is an AWS
 * stack, which applies the in-cluster half too unless `delivery.inClusterStack` is `separate`.
 */
export async function program(options: CreatePlatformOptions = {}): Promise<Record<string, unknown>> {
  const all = pulumi.runtime.allConfig();
  if (isClusterStackConfig(all)) {
    const { clusterStackProgram } = await import('./cluster-stack');
    return clusterStackProgram(all, pulumi.getStack());
  }
  const config = loadStackConfigFromRuntime(all, pulumi.getStack());
  return { ...createPlatform(config, pulumi.getStack(), options) };
}

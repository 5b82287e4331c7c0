/**
 * The Pulumi program: what `pulumi up -s <stack>` runs (through infra/index.ts) and what
 * `platform plan` runs under mocks. Reads the stack's config once, validates it, builds the platform.
 */
import * as pulumi from '@pulumi/pulumi';
import { loadStackConfigFromRuntime } from './config';
import { createPlatform } from './main';

export async function program(): Promise<Record<string, unknown>> {
  const config = loadStackConfigFromRuntime(pulumi.runtime.allConfig(), pulumi.getStack());
  return { ...createPlatform(config, pulumi.getStack()) };
}

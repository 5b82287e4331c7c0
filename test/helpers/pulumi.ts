/**
 * Runs the real Pulumi program under RecordingMocks for a stack of this repository, optionally with
 * config overrides, and offers small queries over what it registered. One run per test file:
 * Pulumi's runtime state is global (jest gives every test file a fresh global).
 */
import * as path from 'node:path';
import { parseStackConfig, readStackConfigFileRaw } from '../../lib/config/load';
import type { RecordedResource } from '../../lib/pulumi-mocks';
import { runProgramUnderMocks, type ProgramRun, type PulumiProgram } from '../../lib/run-program';

export const REPO = path.resolve(__dirname, '..', '..');

/** Raw config of `Pulumi.<stack>.yaml` with `overrides` (full `namespace:key` names) applied. */
export function stackConfig(stack: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { ...readStackConfigFileRaw(path.join(REPO, `Pulumi.${stack}.yaml`)), ...overrides };
}

export async function runStack(stack: string, overrides: Record<string, unknown> = {}): Promise<ProgramRun> {
  const rawConfig = stackConfig(stack, overrides);
  const config = parseStackConfig(rawConfig, `Pulumi.${stack}.yaml`);
  return runProgramUnderMocks({ program: loadProgram, stack, rawConfig, config });
}

/** The program `pulumi up` runs, loaded after the mocks are set. */
export async function loadProgram(): Promise<PulumiProgram> {
  return (await import('../../infra/program')).program;
}

export function ofType(run: ProgramRun, type: string): RecordedResource[] {
  return run.resources.filter((r) => r.type === type);
}

/** The single resource of `type` (named `name` when given); fails the test when there is not exactly one. */
export function single(run: ProgramRun, type: string, name?: string): RecordedResource {
  const found = ofType(run, type).filter((r) => name === undefined || r.name === name);
  if (found.length !== 1) {
    throw new Error(`expected one ${type}${name ? ` named ${name}` : ''}, found ${found.length}: ${found.map((r) => r.name).join(', ')}`);
  }
  return found[0];
}

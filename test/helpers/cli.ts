/** Spawns the bundled `platform` command (jest's globalSetup builds it) and captures what it did. */
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

export const PLATFORM_BIN = path.resolve(__dirname, '..', '..', 'bin', 'platform.js');

export interface CliResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export function platform(args: readonly string[], opts: { cwd?: string; input?: string } = {}): CliResult {
  const result = spawnSync(process.execPath, [PLATFORM_BIN, ...args], {
    cwd: opts.cwd ?? path.resolve(__dirname, '..', '..'),
    input: opts.input,
    encoding: 'utf8',
    env: { ...process.env, NODE_OPTIONS: '' },
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Asserts the contract for bad input: exit 2, exactly one line on stderr, no stack trace. */
export function expectOneLineError(result: CliResult, pattern: RegExp): void {
  expect(result.status).toBe(2);
  const lines = result.stderr.trimEnd().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(pattern);
  expect(result.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/);
}

/** Locating and loading a stack's config for the CLI (`--stack <name>` or `--config <file>`). */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { type ClusterStackConfig, type PlatformConfig } from '../model/config';
import { isClusterStackConfig, parseClusterStackConfig, parseStackConfig, readStackConfigFileRaw } from './config/load';
import { UserError } from './errors';
import { REPO_ROOT } from './paths';

export { REPO_ROOT };

const STACK_NAME = /^[A-Za-z0-9_.-]{1,100}$/;

/**
 * The Pulumi project directory: the nearest folder at or above the working directory that holds
 * Pulumi.yaml, else this repository.
 */
export function projectDir(cwd = process.cwd()): string {
  for (let dir = path.resolve(cwd); ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'Pulumi.yaml'))) return dir;
    if (path.dirname(dir) === dir) return REPO_ROOT;
  }
}

export interface LoadedStack {
  /** Stack name: `--stack`, or the `<name>` of a `Pulumi.<name>.yaml` given as `--config`. */
  readonly stack: string;
  readonly configFile: string;
  /** The file's `config:` map as written (what the Pulumi CLI would hand the program). */
  readonly rawConfig: Readonly<Record<string, unknown>>;
  readonly config: PlatformConfig;
  /** Set when the stack asked for is an in-cluster stack: then the fields above are its AWS stack's. */
  readonly clusterStack?: { readonly stack: string; readonly configFile: string; readonly config: ClusterStackConfig };
}

/**
 * Reads a stack file once: the raw map and its validated form. An in-cluster stack's file
 * (`platform:awsStack`) resolves to its AWS stack's file beside it, which holds the platform config.
 */
function readStack(stack: string, configFile: string): LoadedStack {
  const rawConfig = readStackConfigFileRaw(configFile);
  if (!isClusterStackConfig(rawConfig)) return { stack, configFile, rawConfig, config: parseStackConfig(rawConfig, configFile) };
  const own = parseClusterStackConfig(rawConfig, configFile);
  const awsStack = own.awsStack.slice(own.awsStack.lastIndexOf('/') + 1);
  const awsFile = path.join(path.dirname(configFile), `Pulumi.${awsStack}.yaml`);
  if (!fs.existsSync(awsFile)) {
    throw new UserError(`${configFile}: platform:awsStack: ${awsFile} does not exist (the in-cluster stack reads its platform config from its AWS stack's file)`);
  }
  const aws = readStack(awsStack, awsFile);
  if (aws.clusterStack) throw new UserError(`${configFile}: platform:awsStack: ${awsFile} is an in-cluster stack too (name the AWS stack)`);
  if (aws.config.delivery.inClusterStack !== 'separate') {
    throw new UserError(`${configFile}: platform:awsStack: ${awsFile} applies its in-cluster half itself (set platform:delivery.inClusterStack: separate there)`);
  }
  return { ...aws, clusterStack: { stack, configFile, config: own } };
}

/** Reads and validates the config of `--stack <name>`, or of `--config <file>` when given. */
export function loadStack(opts: { stack?: string; config?: string }): LoadedStack {
  if (opts.config !== undefined) {
    const base = path.basename(opts.config);
    const named = /^Pulumi\.(.+)\.ya?ml$/.exec(base);
    const stack = opts.stack ?? named?.[1] ?? 'custom';
    return readStack(stack, opts.config);
  }
  const stack = opts.stack ?? 'dev';
  if (!STACK_NAME.test(stack)) {
    throw new UserError(`--stack: invalid stack name ${JSON.stringify(stack)} (expected letters, digits, _ . -)`);
  }
  const dir = projectDir();
  const file = path.join(dir, `Pulumi.${stack}.yaml`);
  if (!fs.existsSync(file)) {
    const known = fs
      .readdirSync(dir)
      .map((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1])
      .filter((s): s is string => Boolean(s))
      .sort();
    throw new UserError(`--stack: no stack named ${JSON.stringify(stack)}: ${path.relative(process.cwd(), file) || file} does not exist (stacks: ${known.join(', ') || 'none'})`);
  }
  return readStack(stack, path.relative(process.cwd(), file) || file);
}

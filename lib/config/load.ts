/**
 * Loading the stack configuration: a stack file (`Pulumi.<stack>.yaml`, read as Pulumi reads it) or
 * the Pulumi runtime's config map, validated against the schema (model/config.ts) into a typed,
 * deeply frozen object. Every other module reads that object, never raw config. Every error is one
 * line, `<source>: <key>: <what is wrong> (<what is accepted>)` (explain.ts words it).
 */
import * as fs from 'node:fs';
import { parse as parseYamlText, YAMLParseError } from 'yaml';
import { AWS_CONFIG_KEYS, awsSchema, PROJECT, stackSchema, type ClusterStackConfig, type PlatformConfig } from '../../model/config';
import { UserError } from '../errors';
import { yamlErrorMessage } from '../yaml';
import { clip, describeType, explainIssues, formatValue, quoteKey } from './explain';

/** `aws:` keys that would put static credentials in the stack file. */
const AWS_STATIC_CREDENTIAL_KEYS = ['accessKey', 'secretKey', 'token'];

/** Keys outside the project namespace that a stack file may carry. */
const PROVIDER_NAMESPACES = ['aws', 'kubernetes'] as const;

/**
 * Validates raw stack config: a map of `namespace:key` (or bare `key`, meaning `platform:key`)
 * to values as written in `Pulumi.<stack>.yaml` or as the Pulumi runtime reports them.
 * Throws a UserError whose message is one line naming `source`, the key, the value and what is accepted.
 */
export function parseStackConfig(raw: Readonly<Record<string, unknown>>, source: string): PlatformConfig {
  const project: Record<string, unknown> = {};
  /** Top-level values YAML typed as numbers or booleans, as written (the runtime hands them over as text). */
  const typed = new Map<string, unknown>();
  for (const [fullKey, value] of Object.entries(raw)) {
    if (fullKey !== fullKey.trim()) {
      throw new UserError(`${source}: ${quoteKey(fullKey)}: key has leading or trailing spaces (write it as ${quoteKey(fullKey.trim())})`);
    }
    const colon = fullKey.indexOf(':');
    const namespace = colon < 0 ? PROJECT : fullKey.slice(0, colon);
    const key = colon < 0 ? fullKey : fullKey.slice(colon + 1);
    if (namespace === PROJECT || fullKey === 'aws:region') {
      const shown = namespace === PROJECT ? `${PROJECT}:${key}` : fullKey;
      checkPlainValue(value, shown, source);
      if (typeof value === 'number' || typeof value === 'boolean') {
        // Pulumi passes a top-level `1.33` or `111122223333` to the program as the text "1.33" (config.Value).
        typed.set(namespace === PROJECT ? key : 'region', value);
      }
    }
    const asText = (v: unknown): unknown => (typeof v === 'number' || typeof v === 'boolean' ? String(v) : v);
    if (namespace === PROJECT) {
      if (key === 'region') throw new UserError(`${source}: ${PROJECT}:region: unknown key (set the region as aws:region)`);
      if (key === 'aws') throw new UserError(`${source}: ${PROJECT}:aws: unknown key (set AWS provider settings as aws:<key>, e.g. aws:profile)`);
      project[key] = decodeRuntimeValue(asText(value));
    } else if (fullKey === 'aws:region') {
      project.region = asText(value);
    } else if (namespace === 'aws') {
      if (AWS_STATIC_CREDENTIAL_KEYS.includes(key)) {
        throw new UserError(`${source}: ${fullKey}: static credentials are not read from stack config (use aws:profile, aws:assumeRoles or credentials from the environment)`);
      }
      if (!(AWS_CONFIG_KEYS as readonly string[]).includes(key)) {
        throw new UserError(`${source}: ${quoteKey(fullKey)}: unknown key (accepted: ${AWS_CONFIG_KEYS.map((k) => `aws:${k}`).join(', ')}; the program builds its own AWS provider and forwards only these)`);
      }
      checkPlainValue(value, fullKey, source);
      project.aws = { ...(project.aws as object | undefined), [key]: decodeRuntimeValue(value) };
    } else if (!(PROVIDER_NAMESPACES as readonly string[]).includes(namespace)) {
      throw new UserError(`${source}: ${fullKey}: unknown config namespace '${namespace}' (accepted: ${PROJECT}:<key>, ${PROVIDER_NAMESPACES.map((n) => `${n}:<key>`).join(', ')})`);
    }
  }
  if (!('aws:region' in raw)) {
    throw new UserError(`${source}: aws:region: missing (expected an AWS region like eu-west-1)`);
  }
  const result = stackSchema.safeParse(project, { reportInput: true });
  if (!result.success) {
    // A typo shows up both as an unknown key and as the missing key it was meant to be: name the typo.
    throw new UserError(`${source}: ${explainIssues(result.error.issues, project, typed)}`);
  }
  return deepFreeze(result.data) as PlatformConfig;
}

const STACK_REFERENCE = /^([\w.-]{1,100}|[\w.-]{1,100}\/[\w.-]{1,100}\/[\w.-]{1,100})$/;

/** Whether raw stack config is an in-cluster stack's (it names its AWS stack). */
export function isClusterStackConfig(raw: Readonly<Record<string, unknown>>): boolean {
  return `${PROJECT}:awsStack` in raw || 'awsStack' in raw;
}

/**
 * Validates an in-cluster stack's file: `platform:awsStack` and the `aws:` settings get-token needs;
 * every other platform setting lives in the AWS stack's file, and is refused here, naming where it belongs.
 */
export function parseClusterStackConfig(raw: Readonly<Record<string, unknown>>, source: string): ClusterStackConfig {
  let awsStack: unknown;
  const awsRaw: Record<string, unknown> = {};
  for (const [fullKey, value] of Object.entries(raw)) {
    const colon = fullKey.indexOf(':');
    const namespace = colon < 0 ? PROJECT : fullKey.slice(0, colon);
    const key = colon < 0 ? fullKey : fullKey.slice(colon + 1);
    if (namespace === PROJECT && key === 'awsStack') awsStack = value;
    else if (namespace === PROJECT) {
      throw new UserError(`${source}: ${quoteKey(`${PROJECT}:${key}`)}: not read by an in-cluster stack (set it in the AWS stack's file; this stack takes the AWS stack's validated config from its outputs)`);
    } else if (namespace === 'aws' && (key === 'profile' || key === 'assumeRoles')) {
      checkPlainValue(value, fullKey, source);
      awsRaw[key] = decodeRuntimeValue(value);
    } else if (namespace !== 'kubernetes') {
      throw new UserError(`${source}: ${quoteKey(fullKey)}: unknown key for an in-cluster stack (accepted: ${PROJECT}:awsStack, aws:profile, aws:assumeRoles)`);
    }
  }
  if (typeof awsStack !== 'string' || !STACK_REFERENCE.test(awsStack)) {
    throw new UserError(`${source}: ${PROJECT}:awsStack: expected the AWS stack's name (prod) or <organization>/<project>/<stack> (got ${formatValue(awsStack)})`);
  }
  const aws = awsSchema.safeParse(awsRaw, { reportInput: true });
  if (!aws.success) throw new UserError(`${source}: ${explainIssues([{ ...aws.error.issues[0], path: ['aws', ...aws.error.issues[0].path] }], { aws: awsRaw })}`);
  return deepFreeze({ awsStack, aws: aws.data }) as ClusterStackConfig;
}

/**
 * Reads and validates a stack config file (`Pulumi.<stack>.yaml` format: a top-level `config:` map).
 * Missing, empty, unreadable or malformed files are UserErrors naming the file.
 */
export function readStackConfigFile(file: string): PlatformConfig {
  return parseStackConfig(readStackConfigFileRaw(file), file);
}

/** The `config:` map of a stack file, unvalidated (what the Pulumi CLI would hand the program). */
export function readStackConfigFileRaw(file: string): Record<string, unknown> {
  let textContent: string;
  try {
    textContent = fs.readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new UserError(`${file}: no such file (expected a stack config like Pulumi.dev.yaml)`);
    if (code === 'EISDIR') throw new UserError(`${file}: is a directory (expected a stack config file like Pulumi.dev.yaml)`);
    throw new UserError(`${file}: cannot read (${code ?? 'error'})`);
  }
  const doc = parseConfigYaml(textContent, file);
  if (doc === null || doc === undefined) throw new UserError(`${file}: file is empty (expected a top-level 'config:' map)`);
  if (typeof doc !== 'object' || Array.isArray(doc)) {
    throw new UserError(`${file}: top level is ${describeType(doc)} (expected a map with a 'config:' key)`);
  }
  const allowedTop = ['config', 'encryptionsalt', 'secretsprovider', 'encryptedkey', 'environment'];
  for (const key of Object.keys(doc)) {
    if (!allowedTop.includes(key)) {
      throw new UserError(`${file}: ${key}: unknown top-level key (accepted: ${allowedTop.join(', ')})`);
    }
  }
  const config = (doc as Record<string, unknown>).config;
  if (config === undefined || config === null) throw new UserError(`${file}: config: missing (expected a map of ${PROJECT}:<key> settings)`);
  if (typeof config !== 'object' || Array.isArray(config)) {
    throw new UserError(`${file}: config: is ${describeType(config)} (expected a map of ${PROJECT}:<key> settings)`);
  }
  return config as Record<string, unknown>;
}

/**
 * YAML as Pulumi reads stack files (Go yaml.v3): merge keys (`<<: *anchor`) are honoured; duplicate
 * keys are refused, naming the key.
 */
function parseConfigYaml(textContent: string, file: string): unknown {
  try {
    return parseYamlText(textContent, { prettyErrors: true, uniqueKeys: true, merge: true, maxAliasCount: 100 });
  } catch (err) {
    if (!(err instanceof YAMLParseError)) throw err;
    let message = yamlErrorMessage(err, file);
    if (err.code === 'DUPLICATE_KEY') {
      const key = /^[ \t]*("(?:[^"\\\n]|\\.)*"|'[^'\n]*'|[^\n]+?)[ \t]*:(?:[ \t]|\r?\n|$)/.exec(textContent.slice(err.pos[0]))?.[1];
      if (key) message += ` (duplicate key ${clip(key.replace(/^["']|["']$/g, ''))}; keep one)`;
    }
    throw new UserError(message);
  }
}

/**
 * Refuses what a plain setting cannot be: an encrypted Pulumi secret (`secure:`) anywhere in the
 * value, or a nested key with leading or trailing spaces. Names the key, never echoes a secret.
 */
function checkPlainValue(value: unknown, key: string, source: string): void {
  if (isSecureValue(value)) {
    throw new UserError(`${source}: ${key}: is an encrypted secret (secure:), but secrets are not accepted for this key (it holds no credential: write the plain value)`);
  }
  if (Array.isArray(value)) value.forEach((v, i) => checkPlainValue(v, `${key}[${i}]`, source));
  else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (k !== k.trim()) throw new UserError(`${source}: ${key}.${quoteKey(k)}: key has leading or trailing spaces (write it as ${quoteKey(k.trim())})`);
      checkPlainValue(v, `${key}.${quoteKey(k)}`, source);
    }
  }
}

/** A Pulumi secret as a stack file holds it: `{secure: <ciphertext>}`. */
function isSecureValue(value: unknown): boolean {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length === 1 && typeof (value as { secure?: unknown }).secure === 'string';
}

/**
 * Reads the running stack's config from the Pulumi runtime (what `pulumi up -s <stack>` passes in).
 * Same validation as for files.
 */
export function loadStackConfigFromRuntime(allConfig: Readonly<Record<string, string>>, stack: string): PlatformConfig {
  return parseStackConfig(allConfig, `Pulumi.${stack}.yaml`);
}

/** The runtime passes structured values as JSON text; YAML files give them as values already. */
function decodeRuntimeValue(value: unknown): unknown {
  if (typeof value === 'string' && /^\s*[[{]/.test(value)) {
    try {
      return JSON.parse(value);
    } catch {
      return value;
    }
  }
  return value;
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

/**
 * Runs a Pulumi program in-process under RecordingMocks, with a stack's config, and returns every
 * registered resource with its inputs, parent, dependencies and provider, plus the stack outputs.
 * The program is handed in (`platform plan` and the tests pass infra/program.ts, the same function
 * `pulumi up` runs), and loaded only once the mocks are in place, as Pulumi requires.
 *
 * Pulumi keeps its runtime state in globals: run one program per process (or per jest test file).
 */
import type * as pulumiType from '@pulumi/pulumi';
import { PROJECT, type PlatformConfig } from '../model/config';
import { deferUnusedPulumiModules } from './lazy-modules';
import { RecordingMocks, type RecordedResource } from './pulumi-mocks';

export interface ProgramRun {
  readonly resources: readonly RecordedResource[];
  readonly outputs: Record<string, unknown>;
  readonly invokes: readonly string[];
}

/** A Pulumi program: what it returns becomes the stack outputs. */
export type PulumiProgram = (options: { readonly inCluster: boolean }) => Promise<Record<string, unknown>>;

export interface RunOptions {
  /** Loads the program; called after the mocks are set, so the program's modules see them. */
  readonly program: () => Promise<PulumiProgram>;
  readonly stack: string;
  /** Raw stack config (`namespace:key` -> value) exactly as in the stack file. */
  readonly rawConfig: Readonly<Record<string, unknown>>;
  /** Validated config, for the mock account (id, region, AZs). */
  readonly config: PlatformConfig;
  /**
   * Keep the stack trace Pulumi records on every internal promise (only its promise-leak report
   * reads them). Off, the run skips capturing ~10,000 traces. @default false
   */
  readonly promiseStackTraces?: boolean;
  /**
   * Apply the in-cluster half in this run even when the stack leaves it to a separate in-cluster
   * stack, so one plan shows both. @default true
   */
  readonly inCluster?: boolean;
  /** Outputs of other stacks, by qualified name, for StackReferences (an in-cluster stack's). @default none */
  readonly stackOutputs?: Readonly<Record<string, Record<string, unknown>>>;
}

interface AliasSpec {
  getName(): string;
  getType(): string;
  getStack(): string;
  getProject(): string;
  getParenturn(): string;
  getNoparent(): boolean;
}
interface AliasMessage {
  getUrn(): string;
  getSpec(): AliasSpec | undefined;
}
interface MonitorRequest {
  getType(): string;
  getName(): string;
  getParent(): string;
  getProvider(): string;
  getDependenciesList(): string[];
  getObject(): unknown;
  getAliasesList(): AliasMessage[];
}
interface MonitorResponse {
  getUrn(): string;
  getId(): string;
}
type Callback = (err: unknown, response?: MonitorResponse) => void;
interface Monitor {
  registerResource(req: MonitorRequest, callback: Callback): Promise<void>;
}

/** The config map as the Pulumi CLI hands it to a program: strings, with structured values as JSON. */
export function toRuntimeConfig(raw: Readonly<Record<string, unknown>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(raw)) {
    const full = key.includes(':') ? key : `${PROJECT}:${key}`;
    out[full] = typeof value === 'string' ? value : JSON.stringify(value);
  }
  return out;
}

export async function runProgramUnderMocks(opts: RunOptions): Promise<ProgramRun> {
  deferUnusedPulumiModules();
  const pulumi: typeof pulumiType = await import('@pulumi/pulumi');
  const mocks = new RecordingMocks({
    accountId: opts.config.accountId,
    region: opts.config.region,
    availabilityZones: opts.config.network.availabilityZones,
    stackOutputs: opts.stackOutputs,
  });
  pulumi.runtime.setAllConfig(toRuntimeConfig(opts.rawConfig));
  // 'organization': the organization name of self-managed (DIY) backends, and Pulumi's default.
  await pulumi.runtime.setMocks(mocks, PROJECT, opts.stack, false, 'organization');

  const resources: RecordedResource[] = [];
  const monitor = pulumi.runtime.getMonitor() as unknown as Monitor;
  const register = monitor.registerResource.bind(monitor);
  monitor.registerResource = (req, callback) => {
    // A renamed resource keeps its identity (see RecordingMocks.formerName).
    const former = req.getAliasesList().map((a) => a.getSpec()).find((spec) => spec && spec.getName() !== '' && spec.getType() === '')?.getName();
    if (former !== undefined) mocks.formerName(req.getType(), req.getName(), former);
    return register(req, (err, response) => {
      if (!err && response) {
        const aliases = req.getAliasesList().map((a) => aliasUrn(a, req, opts.stack));
        resources.push({
          type: req.getType(),
          name: req.getName(),
          urn: response.getUrn(),
          id: response.getId(),
          props: redactSecrets(pulumi.runtime.deserializeProperties(req.getObject() as Parameters<typeof pulumi.runtime.deserializeProperties>[0]) as Record<string, unknown>),
          parent: req.getParent() || undefined,
          dependencies: [...req.getDependenciesList()].sort(),
          provider: req.getProvider() || undefined,
          ...(aliases.length > 0 ? { aliases } : {}),
        });
      }
      callback(err, response);
    });
  };

  const program = await opts.program();
  let outputs: Record<string, unknown> = {};
  const stackTraceLimit = Error.stackTraceLimit;
  if (!opts.promiseStackTraces) Error.stackTraceLimit = 0;
  try {
    await pulumi.runtime.runInPulumiStack(async () => {
      const exported = await program({ inCluster: opts.inCluster ?? true });
      outputs = await resolveOutputs(pulumi, exported);
      return exported;
    });
    // Resources created inside apply callbacks register late; wait for all of them.
    await pulumi.runtime.disconnect();
  } finally {
    Error.stackTraceLimit = stackTraceLimit;
  }
  // Components register through the same call; keep the inventory in a stable order.
  resources.sort((a, b) => (a.urn < b.urn ? -1 : a.urn > b.urn ? 1 : 0));
  return { resources, outputs, invokes: mocks.calls.map((c) => c.token) };
}

/**
 * The URN an alias names, built as the mocks build URNs (the parent's type, then the resource's type):
 * an alias given as a URN, or a spec whose empty fields mean "as the resource is now".
 */
function aliasUrn(alias: AliasMessage, req: MonitorRequest, stack: string): string {
  const spec = alias.getSpec();
  if (!spec) return alias.getUrn();
  const parent = spec.getNoparent() ? '' : spec.getParenturn() || req.getParent();
  const type = spec.getType() || req.getType();
  const qualified = parent ? `${parent.split('::')[2].split('$').pop()}$${type}` : type;
  return `urn:pulumi:${spec.getStack() || stack}::${spec.getProject() || PROJECT}::${qualified}::${spec.getName() || req.getName()}`;
}

/** Pulumi's wire marker of a secret value (`{[SIG]: SECRET_SIG, value}`). */
const SIG_KEY = '4dabf18193072939515e22adb298388d';
const SECRET_SIG = '1b47061264138c4ac30d75fd1eb44270';
export const REDACTED = '[secret]';

/**
 * The inventory must never carry a secret's value (it is printed and written to files):
 * replaces every secret-marked value with `[secret]`, as `pulumi preview --json` does.
 */
export function redactSecrets<T>(value: T): T {
  if (Array.isArray(value)) return value.map(redactSecrets) as T;
  if (value && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    if (o[SIG_KEY] === SECRET_SIG) return REDACTED as T;
    return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, redactSecrets(v)])) as T;
  }
  return value;
}

async function resolveOutputs(pulumi: typeof pulumiType, exported: Record<string, unknown>): Promise<Record<string, unknown>> {
  const resolved = await new Promise<unknown>((resolve) => pulumi.output(exported).apply((v) => resolve(v)));
  return (resolved ?? {}) as Record<string, unknown>;
}

/** Prop validation shared by the constructs: each check returns nothing or throws a ConstructError. */
import { Chart, SizeRoundingBehavior, type Duration, type Size } from 'cdk8s';
import type { IConstruct } from 'constructs';

/** Thrown when a prop is invalid; the message names the construct, the prop, the value and the fix. */
export class ConstructError extends Error {
  override readonly name = 'ConstructError';
}

/** Builds `<Construct> <namespace>/<name>: <message>` errors for one construct instance. */
export class PropChecker {
  constructor(readonly what: string) {}

  fail(message: string): never {
    throw new ConstructError(`${this.what}: ${message}`);
  }

  dnsLabel(prop: string, value: unknown): void {
    if (typeof value !== 'string' || !DNS_LABEL.test(value)) this.fail(`${prop} must be a DNS label: lowercase letters, digits and -, at most 63 characters (got ${show(value)})`);
  }

  dnsSubdomain(prop: string, value: unknown): void {
    if (typeof value !== 'string' || !DNS_SUBDOMAIN.test(value)) this.fail(`${prop} must be a DNS subdomain: lowercase letters, digits, - and ., at most 253 characters (got ${show(value)})`);
  }

  intRange(prop: string, value: unknown, min: number, max = Number.MAX_SAFE_INTEGER): void {
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
      this.fail(max === Number.MAX_SAFE_INTEGER ? `${prop} must be a whole number >= ${min} (got ${show(value)})` : `${prop} must be a whole number from ${min} to ${max} (got ${show(value)})`);
    }
  }

  quantity(prop: string, value: string | undefined, example: string): void {
    if (value === undefined || value === '') this.fail(`${prop} is required (e.g. ${example})`);
    if (parseQuantity(value) === undefined) this.fail(`${prop} must be a Kubernetes quantity like ${example} (got ${JSON.stringify(value)})`);
  }

  /**
   * A cdk8s Size that renders as whole mebibytes: cdk8s-plus writes container memory as `<n>Mi`
   * (and throws at synth time on a fraction), so a fraction is refused here, where the prop is named.
   */
  mebibytes(prop: string, value: unknown, example: string): number {
    if (!isSize(value)) this.fail(`${prop} is required, as a cdk8s Size (e.g. ${example}) (got ${show(value)})`);
    const mib = value.toMebibytes({ rounding: SizeRoundingBehavior.NONE });
    if (!Number.isInteger(mib) || mib < 1) this.fail(`${prop} must be a whole number of mebibytes, at least 1 (got ${value.asString()}; e.g. ${example})`);
    return mib;
  }

  /** A Duration of whole seconds within [min, max]; returns the seconds. */
  seconds(prop: string, value: unknown, min: number, max = Number.MAX_SAFE_INTEGER): number {
    if (!isDuration(value)) this.fail(`${prop} must be a cdk8s Duration, e.g. Duration.minutes(5) (got ${show(value)})`);
    const s = value.toSeconds({ integral: false });
    if (!Number.isInteger(s) || s < min || s > max) {
      this.fail(max === Number.MAX_SAFE_INTEGER ? `${prop} must be whole seconds, at least ${min} (got ${s} seconds)` : `${prop} must be whole seconds from ${min} to ${max} (got ${s} seconds)`);
    }
    return s;
  }

  /** Images must name a version tag or a digest: `latest` and untagged references are mutable. */
  image(prop: string, image: unknown): void {
    const problem = imageProblem(image);
    if (problem) this.fail(`${prop} ${problem}`);
  }
}

export const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
export const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/;

// Duck-typed rather than instanceof: an app that ends up with two copies of cdk8s still passes its values.
function isSize(value: unknown): value is Size {
  return typeof (value as Size | undefined)?.toMebibytes === 'function' && typeof (value as Size).asString === 'function';
}

function isDuration(value: unknown): value is Duration {
  return typeof (value as Duration | undefined)?.toSeconds === 'function' && typeof (value as Duration).toHumanString === 'function';
}

/** A value as it appears in an error message: strings quoted, objects shown as JSON. */
export function show(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

/** Why an image reference is not pinned, or undefined when it is. */
export function imageProblem(image: unknown): string | undefined {
  if (typeof image !== 'string' || !image || /\s/.test(image)) return `must be an image reference like registry/name:1.2.3 (got ${show(image)})`;
  const at = image.indexOf('@');
  if (at >= 0) {
    return /^sha256:[0-9a-f]{64}$/.test(image.slice(at + 1)) ? undefined : `digest must be sha256:<64 hex digits> (got ${JSON.stringify(image)})`;
  }
  const lastSlash = image.lastIndexOf('/');
  const colon = image.indexOf(':', lastSlash + 1);
  if (colon < 0) return `must carry a version tag or digest (got ${JSON.stringify(image)}; pin it, e.g. ${image}:1.2.3 or ${image}@sha256:...)`;
  const tag = image.slice(colon + 1);
  if (tag === 'latest') return `must not use the mutable tag latest (got ${JSON.stringify(image)}; pin a version tag or digest)`;
  if (!/^[\w][\w.-]{0,127}$/.test(tag)) return `has an invalid tag ${JSON.stringify(tag)} (got ${JSON.stringify(image)})`;
  return undefined;
}

const SUFFIX: Record<string, number> = {
  '': 1, m: 1e-3, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18,
  Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60,
};

/** The numeric value of a Kubernetes quantity (`500m` -> 0.5, `1Gi` -> 1073741824), or undefined if malformed. */
export function parseQuantity(value: string | number): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value !== 'string') return undefined;
  const m = /^(\d+(?:\.\d+)?|\.\d+)(m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei)?$/.exec(value);
  if (!m) return undefined;
  return Number(m[1]) * SUFFIX[m[2] ?? ''];
}

function missingNamespace(kind: string, name: string): never {
  throw new ConstructError(`${kind} ${name}: namespace is required: set the namespace prop, or create the construct in a Chart with a namespace (new Chart(app, id, { namespace }))`);
}

/**
 * The checker of a namespaced construct and the namespace it goes to: its own prop, else the
 * enclosing Chart's `namespace`. Nothing lands in `default` by accident: with neither, it refuses.
 */
export function namespacedChecker(kind: string, scope: IConstruct, name: string, namespace: string | undefined): { check: PropChecker; namespace: string } {
  let ns = namespace;
  if (ns === undefined) {
    for (let s: IConstruct | undefined = scope; s; s = s.node.scope) {
      if (Chart.isChart(s)) {
        ns = s.namespace;
        break;
      }
    }
  }
  if (ns === undefined) missingNamespace(kind, name);
  const check = new PropChecker(`${kind} ${ns}/${name}`);
  check.dnsLabel('namespace', ns);
  return { check, namespace: ns };
}

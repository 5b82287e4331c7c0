/** Prop validation shared by the constructs: each check returns nothing or throws a ConstructError. */

/** Thrown by a construct's constructor when a prop is invalid; the message names the construct, the prop, the value and the fix. */
export class ConstructError extends Error {
  override readonly name = 'ConstructError';
}

/** Builds `<Construct> <namespace>/<name>: <message>` errors for one construct instance. */
export class PropChecker {
  constructor(private readonly what: string) {}

  fail(message: string): never {
    throw new ConstructError(`${this.what}: ${message}`);
  }

  dnsLabel(prop: string, value: string): void {
    if (!DNS_LABEL.test(value)) this.fail(`${prop} must be a DNS label: lowercase letters, digits and -, at most 63 characters (got ${JSON.stringify(value)})`);
  }

  dnsSubdomain(prop: string, value: string): void {
    if (!DNS_SUBDOMAIN.test(value)) this.fail(`${prop} must be a DNS subdomain: lowercase letters, digits, - and ., at most 253 characters (got ${JSON.stringify(value)})`);
  }

  intRange(prop: string, value: number, min: number, max = Number.MAX_SAFE_INTEGER): void {
    if (!Number.isInteger(value) || value < min || value > max) {
      this.fail(max === Number.MAX_SAFE_INTEGER ? `${prop} must be a whole number >= ${min} (got ${value})` : `${prop} must be a whole number from ${min} to ${max} (got ${value})`);
    }
  }

  quantity(prop: string, value: string | undefined, example: string): void {
    if (value === undefined || value === '') this.fail(`${prop} is required (e.g. ${example})`);
    if (parseQuantity(value) === undefined) this.fail(`${prop} must be a Kubernetes quantity like ${example} (got ${JSON.stringify(value)})`);
  }

  /** Images must name a version tag or a digest: `latest` and untagged references are mutable. */
  image(prop: string, image: string): void {
    const problem = imageProblem(image);
    if (problem) this.fail(`${prop} ${problem}`);
  }
}

export const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
export const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/;

/** Why an image reference is not pinned, or undefined when it is. */
export function imageProblem(image: string): string | undefined {
  if (!image || /\s/.test(image)) return `must be an image reference like registry/name:1.2.3 (got ${JSON.stringify(image)})`;
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
  const m = /^(\d+(?:\.\d+)?|\.\d+)(m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei)?$/.exec(value);
  if (!m) return undefined;
  return Number(m[1]) * SUFFIX[m[2] ?? ''];
}

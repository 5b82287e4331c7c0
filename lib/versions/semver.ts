/**
 * The little version arithmetic the catalogue needs: Kubernetes minors (`1.35`), release versions
 * (`v1.22.3-eksbuild.1`, `10.1.1`, `0.9.0`) and Helm `kubeVersion` ranges (`>=1.25.0-0`). Pure.
 */

/** `1.35` style Kubernetes minor. */
export const MINOR_PATTERN = /^1\.(\d{1,3})$/;

/** The numeric parts of a version, ignoring a leading `v` and anything after `-` or `+`. */
export function versionParts(version: string): number[] {
  const core = version.replace(/^v/, '').split(/[-+]/)[0];
  return core.split('.').map((p) => (/^\d+$/.test(p) ? Number(p) : NaN));
}

/** Negative, zero or positive as `a` is older than, equal to or newer than `b` (numeric parts only). */
export function compareVersions(a: string, b: string): number {
  const pa = versionParts(a);
  const pb = versionParts(b);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/** `1.35` of `1.35`, `v1.35.3-eksbuild.13` or `1.35.6`. */
export function minorOf(version: string): string {
  const [major, minor] = versionParts(version);
  return `${major}.${minor}`;
}

/** The minor after `1.35`: `1.36`. */
export function nextMinor(minor: string): string {
  const [major, m] = versionParts(minor);
  return `${major}.${m + 1}`;
}

/** Minors strictly between `from` and `to` (`1.35`, `1.38` -> `1.36`, `1.37`). */
export function minorsBetween(from: string, to: string): string[] {
  const out: string[] = [];
  for (let v = nextMinor(from); compareVersions(v, to) < 0; v = nextMinor(v)) out.push(v);
  return out;
}

/** Every minor from `from` to `to`, both included. */
export function minorRange(from: string, to: string): string[] {
  return [from, ...minorsBetween(from, to), ...(compareVersions(from, to) < 0 ? [to] : [])];
}

const COMPARATOR = /^(>=|<=|>|<|=|==)?\s*v?(\d+(?:\.\d+){0,2})(?:-[0-9A-Za-z.-]+)?$/;

/**
 * Whether Kubernetes `minor` (taken as `minor.0`) satisfies a Helm chart's `kubeVersion` range:
 * comparators joined by spaces or commas (all must hold), alternatives by `||`. A range this does not
 * understand is reported, never guessed: the caller gets `undefined`.
 */
export function satisfiesRange(range: string, minor: string): boolean | undefined {
  const alternatives = range.split('||').map((a) => a.trim());
  let any = false;
  for (const alt of alternatives) {
    const comparators = alt.split(/[\s,]+/).filter(Boolean);
    // `>= 1.19.0-0`: an operator written apart from its version.
    const joined: string[] = [];
    for (const c of comparators) {
      if (/^(>=|<=|>|<|=|==)$/.test(c)) joined.push(c);
      else if (joined.length > 0 && /^(>=|<=|>|<|=|==)$/.test(joined[joined.length - 1])) joined[joined.length - 1] += c;
      else joined.push(c);
    }
    let all = true;
    for (const c of joined) {
      const m = COMPARATOR.exec(c);
      if (!m) return undefined;
      const d = compareVersions(`${minor}.0`, m[2]);
      const op = m[1] ?? '=';
      const ok = op === '>=' ? d >= 0 : op === '<=' ? d <= 0 : op === '>' ? d > 0 : op === '<' ? d < 0 : d === 0;
      all = all && ok;
    }
    any = any || all;
  }
  return any;
}

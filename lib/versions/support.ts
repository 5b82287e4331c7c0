/**
 * Judgements over the catalogue: where a Kubernetes minor stands in the EKS support calendar on a
 * date, and whether a pinned add-on build, chart release or AMI release supports a minor (with the
 * first release that does when it does not). Pure; dates are passed in.
 */
import { ADDON_BUILDS, AMI_RELEASES, CHART_RELEASES, FIRST_SUPPORT, KARPENTER_COMPATIBILITY } from './components';
import { daysBetween } from './dates';
import { kubernetesRelease, type KubernetesRelease } from './kubernetes';
import { compareVersions, nextMinor, satisfiesRange } from './semver';

/** `1.32-1.35` for a run of consecutive minors, else `1.33, 1.35`. */
export function minorList(minors: readonly string[]): string {
  const sorted = [...minors].sort(compareVersions);
  const consecutive = sorted.every((m, i) => i === 0 || nextMinor(sorted[i - 1]) === m);
  return consecutive && sorted.length > 2 ? `${sorted[0]}-${sorted[sorted.length - 1]}` : sorted.join(', ');
}

/** Days before the end of standard support from which a stack is warned. */
export const ENDING_SOON_DAYS = 90;

export type SupportPhase = 'standard' | 'standard-ending' | 'extended' | 'unsupported';

export interface SupportWindow {
  readonly release: KubernetesRelease;
  readonly phase: SupportPhase;
  /** Days from the date judged on to the end of the current phase (negative once past). */
  readonly daysLeft: number;
}

/**
 * Where `minor` stands on `asOf`: standard support (ending within ENDING_SOON_DAYS or not), extended
 * support, or no support at all (past extended support, or past the single end date of versions that
 * had no extended support). `undefined` when the minor is not in the catalogue.
 */
export function supportWindow(minor: string, asOf: string): SupportWindow | undefined {
  const release = kubernetesRelease(minor);
  if (!release) return undefined;
  const toStandardEnd = daysBetween(asOf, release.endOfStandardSupport);
  if (toStandardEnd > 0) return { release, phase: toStandardEnd <= ENDING_SOON_DAYS ? 'standard-ending' : 'standard', daysLeft: toStandardEnd };
  if (release.endOfExtendedSupport === null) return { release, phase: 'unsupported', daysLeft: toStandardEnd };
  const toExtendedEnd = daysBetween(asOf, release.endOfExtendedSupport);
  return { release, phase: toExtendedEnd > 0 ? 'extended' : 'unsupported', daysLeft: toExtendedEnd };
}

export type Verdict =
  | { readonly supported: true; readonly basis: string; readonly source: string }
  | { readonly supported: false; readonly reason: string; readonly firstWith?: string; readonly source: string }
  | { readonly supported: 'unknown'; readonly reason: string };

/** An EKS add-on build: supported where EKS is known to offer it. */
export function addonSupport(addon: string, version: string, minor: string): Verdict {
  const b = ADDON_BUILDS.find((x) => x.addon === addon && x.version === version);
  if (!b) return { supported: 'unknown', reason: 'not in the version catalogue (lib/versions/components.ts ADDON_BUILDS)' };
  if (b.kubernetes.includes(minor)) return { supported: true, basis: `offered for ${minorList(b.kubernetes)}`, source: b.source };
  const later = ADDON_BUILDS.filter((x) => x.addon === addon && x.kubernetes.includes(minor));
  return {
    supported: false,
    reason: `offered for ${minorList(b.kubernetes)}, not ${minor}`,
    ...(later.length > 0 ? { firstWith: later.map((x) => x.version).sort(compareVersions)[0] } : {}),
    source: b.source,
  };
}

function karpenterSupport(version: string, minor: string): Verdict {
  const { minimum, source } = KARPENTER_COMPATIBILITY;
  const needed = minimum[minor];
  const listed = Object.keys(minimum).sort(compareVersions);
  if (needed === undefined) {
    return { supported: false, reason: `Kubernetes ${minor} is not in Karpenter's compatibility matrix (${listed[0]}-${listed[listed.length - 1]})`, source };
  }
  if (compareVersions(version, needed) >= 0) return { supported: true, basis: `compatibility matrix: ${minor} needs >= ${needed}`, source };
  return { supported: false, reason: `older than ${needed}, the first release supporting ${minor} (compatibility matrix)`, firstWith: `karpenter ${needed}`, source };
}

/** A Helm chart release: its `kubeVersion`, and its project's supported minors when it lists them. */
export function chartSupport(chart: string, version: string, minor: string): Verdict {
  if (chart === 'karpenter') return karpenterSupport(version, minor);
  const r = CHART_RELEASES.find((x) => x.chart === chart && x.version === version);
  if (!r) return { supported: 'unknown', reason: 'not in the version catalogue (lib/versions/components.ts CHART_RELEASES)' };
  const firstWith = FIRST_SUPPORT.find((f) => f.chart === chart && f.minor === minor)?.release;
  const unsupported = (reason: string): Verdict => ({ supported: false, reason, ...(firstWith ? { firstWith } : {}), source: r.source });
  if (r.kubeVersion !== undefined) {
    const ok = satisfiesRange(r.kubeVersion, minor);
    if (ok === undefined) return { supported: 'unknown', reason: `kubeVersion ${JSON.stringify(r.kubeVersion)} is not a range this tool reads` };
    if (!ok) return unsupported(`requires Kubernetes ${r.kubeVersion} (Chart.yaml kubeVersion)`);
  }
  if (r.kubernetes !== undefined && !r.kubernetes.includes(minor)) {
    return unsupported(`supported on ${minorList(r.kubernetes)} (${r.basis}), not ${minor}`);
  }
  return { supported: true, basis: r.basis, source: r.source };
}

/** An AMI alias such as `al2023@v20260714`: supported when that release has builds for the minor. */
export function amiSupport(alias: string, minor: string): Verdict {
  const m = /^al2023@(v\d{8})$/.exec(alias);
  if (!m) return { supported: 'unknown', reason: 'not a pinned AL2023 release (al2023@vYYYYMMDD)' };
  const r = AMI_RELEASES.find((x) => x.release === m[1]);
  if (!r) return { supported: 'unknown', reason: `release ${m[1]} is not in the version catalogue (lib/versions/components.ts AMI_RELEASES)` };
  if (r.kubernetes.includes(minor)) return { supported: true, basis: `AL2023 builds for ${minorList(r.kubernetes)}`, source: r.source };
  const first = AMI_RELEASES.find((x) => x.kubernetes.includes(minor));
  return {
    supported: false,
    reason: `has AL2023 builds for ${minorList(r.kubernetes)}, not ${minor}`,
    ...(first ? { firstWith: `al2023@${first.release}` } : {}),
    source: r.source,
  };
}

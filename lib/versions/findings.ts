/**
 * Version findings of a planned stack, judged against the catalogue on a given date from what the
 * program recorded (not from the config): the cluster's Kubernetes version in the EKS support
 * calendar, and every pinned EKS add-on, Helm chart (a Helm release, or an Argo CD Application in
 * GitOps delivery) and Karpenter AMI alias against that version.
 *
 * - past end of extended support (or of the only support, before 1.21): critical, blocking
 * - past standard support: high, blocking (billed as extended support, or upgraded by EKS itself
 *   when the cluster's upgradePolicy is STANDARD, as this platform's are)
 * - within ENDING_SOON_DAYS of the end of standard support: medium
 * - a pin that does not support the cluster's version: high, blocking
 * - a version or pin the catalogue does not know: medium (the catalogue needs the fact first)
 */
import type { Finding, ResourceView } from '../rules';
import { resourceLabel } from '../rules';
import { addonSupport, amiSupport, chartSupport, ENDING_SOON_DAYS, supportWindow, type Verdict } from './support';
import { fieldsOf } from '../untyped';
import { TYPES } from '../resource-types';

export const VERSION_FINDING_IDS = [
  'k8s-version-unsupported',
  'k8s-version-extended-support',
  'k8s-version-support-ending',
  'version-pin-unsupported',
  'version-uncatalogued',
] as const;

const CONTROL_LIFECYCLE = 'EKS Kubernetes version lifecycle';
const CONTROL_PINS = 'Pinned versions (version catalogue)';


/** `karpenter` of `oci://public.ecr.aws/karpenter/karpenter`: an OCI chart is named by the last path segment. */
function ociChartName(ref: string): string {
  return ref.slice(ref.lastIndexOf('/') + 1);
}

/** The chart and version a Helm release or an Argo CD Application pins, if it pins one. */
function chartPin(r: ResourceView): { chart: string; version: string } | undefined {
  if (r.type === TYPES.helmRelease && typeof r.props.chart === 'string' && typeof r.props.version === 'string') {
    return { chart: r.props.chart.startsWith('oci://') ? ociChartName(r.props.chart) : r.props.chart, version: r.props.version };
  }
  if (r.type === TYPES.argoApplication) {
    const source = fieldsOf(fieldsOf(r.props.spec).source);
    const repoURL = typeof source.repoURL === 'string' ? source.repoURL : '';
    // A Helm repository chart is named by `chart`, an OCI one by its repository URL (oci://.../<chart>).
    const chart = typeof source.chart === 'string' ? source.chart : repoURL.startsWith('oci://') ? ociChartName(repoURL) : undefined;
    if (chart && typeof source.targetRevision === 'string') return { chart, version: source.targetRevision };
  }
  return undefined;
}

function pinFinding(r: ResourceView, what: string, minor: string, verdict: Verdict): Finding | undefined {
  if (verdict.supported === true) return undefined;
  if (verdict.supported === 'unknown') {
    return { id: 'version-uncatalogued', severity: 'medium', resource: resourceLabel(r), control: CONTROL_PINS, message: `${what}: ${verdict.reason}: its support for Kubernetes ${minor} cannot be judged`, blocking: false };
  }
  const first = verdict.firstWith ? `; first with ${minor}: ${verdict.firstWith}` : '';
  return { id: 'version-pin-unsupported', severity: 'high', resource: resourceLabel(r), control: CONTROL_PINS, message: `${what}: ${verdict.reason}${first} (${verdict.source})`, blocking: true };
}

/** Every version finding of the recorded resources on `asOf` (`YYYY-MM-DD`). */
export function versionFindings(resources: readonly ResourceView[], asOf: string): Finding[] {
  const findings: Finding[] = [];
  for (const cluster of resources.filter((r) => r.type === TYPES.cluster)) {
    const minor = String(cluster.props.version);
    const label = resourceLabel(cluster);
    const window = supportWindow(minor, asOf);
    if (!window) {
      findings.push({ id: 'version-uncatalogued', severity: 'medium', resource: label, control: CONTROL_LIFECYCLE, message: `Kubernetes ${minor} is not in the version catalogue (lib/versions/kubernetes.ts): its EKS support dates are unknown`, blocking: false });
      continue;
    }
    const { release, phase, daysLeft } = window;
    if (phase === 'unsupported') {
      const end = release.endOfExtendedSupport ?? release.endOfStandardSupport;
      findings.push({ id: 'k8s-version-unsupported', severity: 'critical', resource: label, control: CONTROL_LIFECYCLE, message: `Kubernetes ${minor} left all EKS support on ${end} (as of ${asOf}): EKS upgrades such control planes itself and no longer creates clusters on it`, blocking: true });
    } else if (phase === 'extended') {
      // The cluster's upgradePolicy decides what the end of standard support means (EKS user guide,
      // extended support FAQ: with extended support disabled the cluster is upgraded automatically).
      const standardOnly = fieldsOf(cluster.props.upgradePolicy).supportType === 'STANDARD';
      const consequence = standardOnly
        ? `with upgradePolicy STANDARD, EKS upgrades the control plane itself, on its own schedule, while add-ons and nodes stay behind`
        : `extended support is billed per cluster hour until ${release.endOfExtendedSupport}`;
      findings.push({ id: 'k8s-version-extended-support', severity: 'high', resource: label, control: CONTROL_LIFECYCLE, message: `Kubernetes ${minor} left EKS standard support on ${release.endOfStandardSupport} (as of ${asOf}): ${consequence}`, blocking: true });
    } else if (phase === 'standard-ending') {
      findings.push({ id: 'k8s-version-support-ending', severity: 'medium', resource: label, control: CONTROL_LIFECYCLE, message: `Kubernetes ${minor} leaves EKS standard support on ${release.endOfStandardSupport}, in ${daysLeft} day${daysLeft === 1 ? '' : 's'} (as of ${asOf}; warned from ${ENDING_SOON_DAYS} days): plan the upgrade (npx platform upgrade)`, blocking: false });
    }
    for (const addon of resources.filter((r) => r.type === TYPES.addon)) {
      const name = String(addon.props.addonName);
      const version = addon.props.addonVersion;
      if (typeof version !== 'string') continue; // unpinned add-ons are the eks-addon-pinned rule's finding
      const f = pinFinding(addon, `EKS add-on ${name} ${version}`, minor, addonSupport(name, version, minor));
      if (f) findings.push(f);
    }
    for (const r of resources) {
      const pin = chartPin(r);
      if (pin) {
        const f = pinFinding(r, `chart ${pin.chart} ${pin.version}`, minor, chartSupport(pin.chart, pin.version, minor));
        if (f) findings.push(f);
      }
      if (r.type === 'kubernetes:karpenter.k8s.aws/v1:EC2NodeClass') {
        for (const term of (fieldsOf(r.props.spec).amiSelectorTerms as unknown[] | undefined) ?? []) {
          const alias = fieldsOf(term).alias;
          if (typeof alias !== 'string') continue;
          const f = pinFinding(r, `Karpenter AMI alias ${alias}`, minor, amiSupport(alias, minor));
          if (f) findings.push(f);
        }
      }
    }
  }
  return findings;
}

/**
 * The version catalogue: the EKS Kubernetes calendar, the API removals and deprecations of each
 * minor, and what each pinned add-on, chart and AMI release supports, all with their sources and the
 * date they were read; plus the judgements `platform plan` and `platform upgrade` make over them.
 * Imports nothing of the platform: pins are passed in.
 */
export { API_LIFECYCLE, apiLifecycle, type ApiLifecycle } from './apis';
export { ADDON_BUILDS, AMI_RELEASES, CHART_RELEASES, FIRST_SUPPORT, KARPENTER_COMPATIBILITY, type AddonBuild, type AmiRelease, type ChartRelease, type FirstSupport } from './components';
export { AS_OF_ENV, daysBetween, isIsoDate, resolveAsOf } from './dates';
export { KUBERNETES_RELEASES, kubernetesRelease, newestMinor, type KubernetesRelease, type Sourced } from './kubernetes';
export { compareVersions, MINOR_PATTERN, minorOf, minorRange, minorsBetween, nextMinor, satisfiesRange } from './semver';
export { addonSupport, amiSupport, chartSupport, ENDING_SOON_DAYS, minorList, supportWindow, type SupportPhase, type SupportWindow, type Verdict } from './support';

/** The version catalogue: complete, sourced, consistent with the EKS rules it records, and covering every pin. */
import { ADDON_NAMES, ADDON_VERSIONS } from '../../model/versions';
import { SUPPORTED_KUBERNETES_VERSIONS } from '../../model/versions';
import { HELM_RELEASES, KARPENTER_AMI_ALIAS } from '../../charts';
import {
  addonSupport,
  amiSupport,
  API_LIFECYCLE,
  apiLifecycle,
  chartSupport,
  daysBetween,
  isIsoDate,
  KUBERNETES_RELEASES,
  minorRange,
  newestMinor,
  resolveAsOf,
  satisfiesRange,
  supportWindow,
  type Sourced,
} from '../../lib/versions';
import { ADDON_BUILDS, AMI_RELEASES, CHART_RELEASES, FIRST_SUPPORT, KARPENTER_COMPATIBILITY } from '../../lib/versions/components';
import { compareVersions, minorsBetween } from '../../lib/versions/semver';

const addMonths = (date: string, months: number): string => {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() + months);
  return d.toISOString().slice(0, 10);
};
const expectSourced = (facts: readonly Sourced[]) => {
  for (const f of facts) {
    expect(f.source.length).toBeGreaterThan(10);
    expect(isIsoDate(f.readOn)).toBe(true);
  }
};

describe('Kubernetes calendar', () => {
  it('GIVEN the catalogue THEN it has every minor from 1.16 to the newest, in order, each sourced', () => {
    expect(KUBERNETES_RELEASES.map((r) => r.minor)).toEqual(minorRange('1.16', newestMinor()));
    expect(newestMinor()).toBe('1.36');
    expectSourced(KUBERNETES_RELEASES);
    for (const r of KUBERNETES_RELEASES) {
      for (const d of [r.eksRelease, r.endOfStandardSupport, r.upstreamRelease, r.endOfExtendedSupport].filter((x): x is string => typeof x === 'string')) expect(isIsoDate(d)).toBe(true);
      expect(daysBetween(r.eksRelease, r.endOfStandardSupport)).toBeGreaterThan(365);
    }
  });

  it('GIVEN the EKS rules (12 months of extended support from 1.23; 14 months of standard support from 1.27) THEN every date follows them', () => {
    for (const r of KUBERNETES_RELEASES.filter((x) => compareVersions(x.minor, '1.23') >= 0)) expect([r.minor, r.endOfExtendedSupport]).toEqual([r.minor, addMonths(r.endOfStandardSupport, 12)]);
    for (const r of KUBERNETES_RELEASES.filter((x) => compareVersions(x.minor, '1.27') >= 0)) {
      expect(Math.abs(daysBetween(addMonths(r.eksRelease, 14), r.endOfStandardSupport))).toBeLessThanOrEqual(2);
    }
    // Before 1.21 EKS had one end-of-support date.
    expect(KUBERNETES_RELEASES.filter((r) => r.endOfExtendedSupport === null).map((r) => r.minor)).toEqual(['1.16', '1.17', '1.18', '1.19', '1.20']);
  });

  it('GIVEN the dates the issue and the EKS calendar state THEN the catalogue has them', () => {
    const end = (m: string) => KUBERNETES_RELEASES.find((r) => r.minor === m)!.endOfStandardSupport;
    expect([end('1.32'), end('1.33'), end('1.34'), end('1.35')]).toEqual(['2026-03-23', '2026-07-29', '2026-12-02', '2027-03-27']);
    expect(KUBERNETES_RELEASES.find((r) => r.minor === '1.35')).toMatchObject({ eksRelease: '2026-01-28', endOfExtendedSupport: '2028-03-27' });
  });

  it.each([
    ['1.35', '2026-12-01', 'standard', 116],
    ['1.35', '2026-12-27', 'standard-ending', 90],
    ['1.35', '2027-03-26', 'standard-ending', 1],
    ['1.35', '2027-03-27', 'extended', 366],
    ['1.32', '2026-12-01', 'extended', 112],
    ['1.31', '2026-12-01', 'unsupported', -5],
    ['1.20', '2022-10-31', 'standard-ending', 1],
    ['1.20', '2022-11-01', 'unsupported', 0],
  ])('GIVEN %s on %s THEN it is in %s support (%d days to the end of it)', (minor, asOf, phase, daysLeft) => {
    expect(supportWindow(minor, asOf)).toMatchObject({ phase, daysLeft });
  });

  it('GIVEN a minor the catalogue lacks THEN no window is made up', () => {
    expect(supportWindow('1.37', '2026-12-01')).toBeUndefined();
  });
});

describe('API removals', () => {
  // Every removal the Kubernetes deprecation guide lists from v1.16 to v1.32, restated from the guide
  // (kubernetes/website content/en/docs/reference/using-api/deprecation-guide.md): group/version, kinds, removed in.
  const GUIDE: [string, string[], string][] = [
    ['extensions/v1beta1', ['NetworkPolicy', 'DaemonSet', 'Deployment', 'ReplicaSet'], '1.16'],
    ['apps/v1beta1', ['Deployment', 'StatefulSet', 'ReplicaSet'], '1.16'],
    ['apps/v1beta2', ['DaemonSet', 'Deployment', 'StatefulSet', 'ReplicaSet'], '1.16'],
    ['admissionregistration.k8s.io/v1beta1', ['MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration'], '1.22'],
    ['apiextensions.k8s.io/v1beta1', ['CustomResourceDefinition'], '1.22'],
    ['apiregistration.k8s.io/v1beta1', ['APIService'], '1.22'],
    ['authentication.k8s.io/v1beta1', ['TokenReview'], '1.22'],
    ['authorization.k8s.io/v1beta1', ['LocalSubjectAccessReview', 'SelfSubjectAccessReview', 'SubjectAccessReview'], '1.22'],
    ['certificates.k8s.io/v1beta1', ['CertificateSigningRequest'], '1.22'],
    ['coordination.k8s.io/v1beta1', ['Lease'], '1.22'],
    ['extensions/v1beta1', ['Ingress'], '1.22'],
    ['networking.k8s.io/v1beta1', ['Ingress', 'IngressClass'], '1.22'],
    ['rbac.authorization.k8s.io/v1beta1', ['ClusterRole', 'ClusterRoleBinding', 'Role', 'RoleBinding'], '1.22'],
    ['scheduling.k8s.io/v1beta1', ['PriorityClass'], '1.22'],
    ['storage.k8s.io/v1beta1', ['CSIDriver', 'CSINode', 'StorageClass', 'VolumeAttachment'], '1.22'],
    ['batch/v1beta1', ['CronJob'], '1.25'],
    ['discovery.k8s.io/v1beta1', ['EndpointSlice'], '1.25'],
    ['events.k8s.io/v1beta1', ['Event'], '1.25'],
    ['autoscaling/v2beta1', ['HorizontalPodAutoscaler'], '1.25'],
    ['policy/v1beta1', ['PodDisruptionBudget', 'PodSecurityPolicy'], '1.25'],
    ['node.k8s.io/v1beta1', ['RuntimeClass'], '1.25'],
    ['flowcontrol.apiserver.k8s.io/v1beta1', ['FlowSchema', 'PriorityLevelConfiguration'], '1.26'],
    ['autoscaling/v2beta2', ['HorizontalPodAutoscaler'], '1.26'],
    ['storage.k8s.io/v1beta1', ['CSIStorageCapacity'], '1.27'],
    ['flowcontrol.apiserver.k8s.io/v1beta2', ['FlowSchema', 'PriorityLevelConfiguration'], '1.29'],
    ['flowcontrol.apiserver.k8s.io/v1beta3', ['FlowSchema', 'PriorityLevelConfiguration'], '1.32'],
  ];

  it.each(GUIDE)('GIVEN the guide removes %s %j in %s THEN the catalogue records each', (apiVersion, kinds, removedIn) => {
    for (const kind of kinds) expect(apiLifecycle(apiVersion, kind)).toMatchObject({ removedIn });
  });

  it('GIVEN every entry THEN it is sourced, unique, and a removal names a replacement served by then or says what to do', () => {
    expectSourced(API_LIFECYCLE);
    const keys = API_LIFECYCLE.map((e) => `${e.apiVersion}|${e.kind}`);
    expect(new Set(keys).size).toBe(keys.length);
    // Still-served entries are deprecated ones.
    expect(API_LIFECYCLE.filter((e) => e.removedIn === undefined && e.deprecatedIn === undefined)).toEqual([]);
    // A replacement was served before (or when) its predecessor went away.
    expect(API_LIFECYCLE.filter((e) => e.replacement && compareVersions(e.replacement.since, e.removedIn ?? newestMinor()) > 0)).toEqual([]);
    // Without a replacement, the entry says what to do instead.
    expect(API_LIFECYCLE.filter((e) => !e.replacement).map((e) => [e.apiVersion, e.kind, e.note])).toEqual([
      ['policy/v1beta1', 'PodSecurityPolicy', expect.stringMatching(/Pod Security Admission/)],
    ]);
    expect(API_LIFECYCLE.filter((e) => e.deprecatedIn && e.removedIn && compareVersions(e.deprecatedIn, e.removedIn) > 0)).toEqual([]);
  });

  it('GIVEN the newer removals THEN DRA beta (1.36) and the alpha APIs (1.33-1.35) are recorded, and v1 Endpoints is deprecated but served', () => {
    expect(apiLifecycle('resource.k8s.io/v1beta1', 'ResourceClaim')).toMatchObject({ removedIn: '1.36', replacement: { apiVersion: 'resource.k8s.io/v1' } });
    expect(apiLifecycle('admissionregistration.k8s.io/v1alpha1', 'ValidatingAdmissionPolicy')).toMatchObject({ removedIn: '1.33' });
    expect(apiLifecycle('storage.k8s.io/v1alpha1', 'VolumeAttributesClass')).toMatchObject({ removedIn: '1.35' });
    expect(apiLifecycle('v1', 'Endpoints')).toMatchObject({ deprecatedIn: '1.33', replacement: { apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice' } });
    expect(apiLifecycle('v1', 'Endpoints')?.removedIn).toBeUndefined();
    expect(apiLifecycle('apps/v1', 'Deployment')).toBeUndefined();
  });
});

describe('pinned add-ons, charts and AMI', () => {
  it('GIVEN every EKS add-on pin THEN the catalogue knows the build and it is offered for its Kubernetes version', () => {
    expectSourced(ADDON_BUILDS);
    for (const minor of SUPPORTED_KUBERNETES_VERSIONS) {
      for (const addon of ADDON_NAMES) expect([minor, addon, addonSupport(addon, ADDON_VERSIONS[minor][addon], minor).supported]).toEqual([minor, addon, true]);
    }
  });

  it('GIVEN the 1.35 kube-proxy pin WHEN judged for 1.36 THEN it is not offered and the 1.36 build is named', () => {
    expect(addonSupport('kube-proxy', 'v1.35.3-eksbuild.13', '1.36')).toMatchObject({ supported: false, firstWith: 'v1.36.0-eksbuild.14' });
    expect(addonSupport('kube-proxy', 'v1.99.0-eksbuild.1', '1.35')).toMatchObject({ supported: 'unknown' });
  });

  it('GIVEN every Helm release pin THEN the catalogue knows it and it supports 1.35; on 1.36 only argo-cd falls short, naming Argo CD 3.5', () => {
    expectSourced(CHART_RELEASES);
    expectSourced(FIRST_SUPPORT);
    for (const r of HELM_RELEASES) expect([r.pin.chart, chartSupport(r.pin.chart, r.pin.version, '1.35').supported]).toEqual([r.pin.chart, true]);
    const on136 = HELM_RELEASES.filter((r) => chartSupport(r.pin.chart, r.pin.version, '1.36').supported !== true).map((r) => r.pin.chart);
    expect(on136).toEqual(['argo-cd']);
    expect(chartSupport('argo-cd', '10.1.1', '1.36')).toMatchObject({ supported: false, firstWith: expect.stringMatching(/^Argo CD 3\.5 /) });
  });

  it('GIVEN the previous pins WHEN judged for 1.35 THEN external-secrets 0.20.4 and karpenter 1.5.0 fall short, each naming the first release that has it', () => {
    // external-secrets stability-support.md: 0.20.x tested on 1.34 only; 2.0 first with 1.35.
    expect(chartSupport('external-secrets', '0.20.4', '1.35')).toMatchObject({ supported: false, firstWith: 'external-secrets 2.0 (tested on 1.34-1.35)' });
    // Karpenter compatibility matrix: 1.35 needs >= 1.9.
    expect(chartSupport('karpenter', '1.5.0', '1.35')).toMatchObject({ supported: false, firstWith: 'karpenter 1.9.0' });
    expect(chartSupport('karpenter', '1.14.1', '1.36')).toMatchObject({ supported: true });
    expect(chartSupport('karpenter', '1.14.1', '1.37')).toMatchObject({ supported: false });
    expect(chartSupport('argo-cd', '9.2.1', '1.35')).toMatchObject({ supported: false, firstWith: 'argo-cd 10.1.1 (Argo CD 3.4)' });
    expect(KARPENTER_COMPATIBILITY.minimum['1.36']).toBe('1.13.0');
  });

  it('GIVEN the AMI alias THEN its release has builds for both supported versions; the previous one names the first release with 1.35', () => {
    expectSourced(AMI_RELEASES);
    for (const minor of SUPPORTED_KUBERNETES_VERSIONS) expect(amiSupport(KARPENTER_AMI_ALIAS, minor).supported).toBe(true);
    expect(amiSupport('al2023@v20250807', '1.35')).toMatchObject({ supported: false, firstWith: 'al2023@v20260114' });
    expect(amiSupport('al2023@latest', '1.35')).toMatchObject({ supported: 'unknown' });
  });
});

describe('version arithmetic and dates', () => {
  it.each([
    ['>=1.25.0-0', '1.35', true],
    ['>= 1.19.0-0', '1.19', true],
    ['>= 1.19.0-0', '1.18', false],
    ['>=1.21.0 <1.36.0', '1.36', false],
    ['>=1.21.0, <1.36.0', '1.35', true],
    ['<1.20.0 || >=1.30.0', '1.31', true],
    ['^1.25', '1.35', undefined],
  ])('GIVEN kubeVersion %s WHEN judging %s THEN %s', (range, minor, expected) => {
    expect(satisfiesRange(range, minor)).toBe(expected);
  });

  it('GIVEN versions THEN they order numerically and minors step one at a time', () => {
    expect(['v1.22.4-eksbuild.3', 'v1.22.10-eksbuild.1', '1.9.0', '1.14.1'].sort(compareVersions)).toEqual(['1.9.0', '1.14.1', 'v1.22.4-eksbuild.3', 'v1.22.10-eksbuild.1']);
    expect(minorsBetween('1.35', '1.38')).toEqual(['1.36', '1.37']);
    expect(minorRange('1.9', '1.11')).toEqual(['1.9', '1.10', '1.11']);
  });

  it('GIVEN an explicit date, the environment or the clock THEN the date is chosen in that order and checked', () => {
    expect(resolveAsOf('2027-01-02', { PLATFORM_AS_OF: '2026-12-01' })).toBe('2027-01-02');
    expect(resolveAsOf(undefined, { PLATFORM_AS_OF: '2026-12-01' })).toBe('2026-12-01');
    expect(resolveAsOf(undefined, {}, () => new Date('2030-05-06T23:59:00Z'))).toBe('2030-05-06');
    expect(() => resolveAsOf('2026-02-30', {})).toThrow('--as-of: expected a date written YYYY-MM-DD, e.g. 2026-12-01 (got "2026-02-30")');
    expect(() => resolveAsOf(undefined, { PLATFORM_AS_OF: '1/12/2026' })).toThrow('PLATFORM_AS_OF: expected a date');
  });
});

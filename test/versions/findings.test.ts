/** Version findings over recorded resources: each kind proven with a fixed date. */
import { versionFindings } from '../../lib/versions/findings';
import type { ResourceView } from '../../lib/rules';

const cluster = (version: string): ResourceView => ({ type: 'aws:eks/cluster:Cluster', name: 'cluster', props: { name: 'c1', version } });
const addon = (addonName: string, addonVersion: string | undefined): ResourceView => ({ type: 'aws:eks/addon:Addon', name: addonName, props: { addonName, ...(addonVersion ? { addonVersion } : {}) } });
const release = (name: string, chart: string, version: string): ResourceView => ({ type: 'kubernetes:helm.sh/v3:Release', name, props: { chart, version } });
const nodeClass = (alias: string): ResourceView => ({ type: 'kubernetes:karpenter.k8s.aws/v1:EC2NodeClass', name: 'default', props: { spec: { amiSelectorTerms: [{ alias }] } } });
const summary = (resources: ResourceView[], asOf: string) => versionFindings(resources, asOf).map((f) => [f.id, f.severity, f.blocking, f.resource]);

describe('Kubernetes support window', () => {
  it.each([
    // EKS calendar, 1.35: standard support until 2027-03-27, extended until 2028-03-27.
    ['2026-12-01', []],
    ['2026-12-26', []],
    ['2026-12-27', [['k8s-version-support-ending', 'medium', false, 'aws:eks/cluster:Cluster::cluster']]],
    ['2027-03-27', [['k8s-version-extended-support', 'high', true, 'aws:eks/cluster:Cluster::cluster']]],
    ['2028-03-27', [['k8s-version-unsupported', 'critical', true, 'aws:eks/cluster:Cluster::cluster']]],
  ])('GIVEN a 1.35 cluster WHEN judged on %s THEN %j', (asOf, expected) => {
    expect(summary([cluster('1.35')], asOf)).toEqual(expected);
  });

  it('GIVEN the issue\'s starting point (dev 1.33, prod 1.32) on 2026-12-01 THEN both bill extended support', () => {
    const [dev] = versionFindings([cluster('1.33')], '2026-12-01');
    const [prod] = versionFindings([cluster('1.32')], '2026-12-01');
    expect(dev.message).toBe('Kubernetes 1.33 left EKS standard support on 2026-07-29 (as of 2026-12-01): extended support is billed per cluster hour until 2027-07-29');
    expect(prod.message).toBe('Kubernetes 1.32 left EKS standard support on 2026-03-23 (as of 2026-12-01): extended support is billed per cluster hour until 2027-03-23');
  });

  it('GIVEN 1.34 the day before its end of standard support THEN the medium finding counts the day', () => {
    expect(versionFindings([cluster('1.34')], '2026-12-01')[0].message).toBe(
      'Kubernetes 1.34 leaves EKS standard support on 2026-12-02, in 1 day (as of 2026-12-01; warned from 90 days): plan the upgrade (npx platform upgrade)',
    );
  });

  it('GIVEN a cluster that opted out of extended support WHEN past standard support THEN the finding says EKS upgrades it itself', () => {
    const standardOnly: ResourceView = { ...cluster('1.35'), props: { version: '1.35', upgradePolicy: { supportType: 'STANDARD' } } };
    expect(versionFindings([standardOnly], '2027-04-01')[0].message).toBe(
      'Kubernetes 1.35 left EKS standard support on 2027-03-27 (as of 2027-04-01): with upgradePolicy STANDARD, EKS upgrades the control plane itself, on its own schedule, while add-ons and nodes stay behind',
    );
  });

  it('GIVEN a version before extended support existed, past its only end date THEN it is critical', () => {
    expect(versionFindings([cluster('1.20')], '2023-01-01')[0]).toMatchObject({ id: 'k8s-version-unsupported', message: expect.stringContaining('left all EKS support on 2022-11-01') });
  });

  it('GIVEN a version the catalogue lacks THEN it says so instead of guessing', () => {
    expect(summary([cluster('1.37')], '2026-12-01')).toEqual([['version-uncatalogued', 'medium', false, 'aws:eks/cluster:Cluster::cluster']]);
  });
});

describe('pins against the cluster version', () => {
  it('GIVEN the pins of the platform on 1.35 THEN none is a finding', () => {
    // Pulumi records an OCI chart by its full reference (infra/platform.ts passes oci://<repo>/<chart>).
    const resources = [cluster('1.35'), addon('kube-proxy', 'v1.35.3-eksbuild.13'), addon('coredns', 'v1.14.3-eksbuild.3'), release('argocd', 'argo-cd', '10.1.1'), release('karpenter', 'oci://public.ecr.aws/karpenter/karpenter', '1.14.1'), nodeClass('al2023@v20260714')];
    expect(versionFindings(resources, '2026-12-01')).toEqual([]);
  });

  it('GIVEN the previous pins on 1.35 THEN each is a blocking high finding naming the first release with 1.35', () => {
    const resources = [cluster('1.35'), addon('kube-proxy', 'v1.36.0-eksbuild.14'), release('external-secrets', 'external-secrets', '0.20.4'), release('karpenter', 'karpenter', '1.5.0'), nodeClass('al2023@v20250807')];
    const findings = versionFindings(resources, '2026-12-01');
    expect(findings.map((f) => [f.id, f.severity, f.blocking])).toEqual(Array(4).fill(['version-pin-unsupported', 'high', true]));
    expect(findings.map((f) => f.message.replace(/ \(.*$/, ''))).toEqual([
      'EKS add-on kube-proxy v1.36.0-eksbuild.14: offered for 1.36, not 1.35; first with 1.35: v1.35.3-eksbuild.13',
      'chart external-secrets 0.20.4: supported on 1.34',
      'chart karpenter 1.5.0: older than 1.9.0, the first release supporting 1.35',
      'Karpenter AMI alias al2023@v20250807: has AL2023 builds for 1.28-1.33, not 1.35; first with 1.35: al2023@v20260114',
    ]);
    expect(findings[1].message).toContain('supported on 1.34 (External Secrets 0.20 tested versions), not 1.35; first with 1.35: external-secrets 2.0');
  });

  it('GIVEN a 1.36 cluster with the current argo-cd pin THEN Argo CD 3.5 is named as the first with 1.36', () => {
    const [f] = versionFindings([cluster('1.36'), release('argocd', 'argo-cd', '10.1.1')], '2026-12-01');
    expect(f).toMatchObject({ id: 'version-pin-unsupported', resource: 'kubernetes:helm.sh/v3:Release::argocd' });
    expect(f.message).toMatch(/^chart argo-cd 10\.1\.1: supported on 1\.32-1\.35 \(Argo CD 3\.4 tested versions\), not 1\.36; first with 1\.36: Argo CD 3\.5 /);
  });

  it('GIVEN GitOps delivery THEN the Argo CD Applications\' charts are judged too (Helm repository and OCI)', () => {
    const app = (name: string, source: Record<string, unknown>): ResourceView => ({ type: 'kubernetes:argoproj.io/v1alpha1:Application', name, props: { spec: { source } } });
    const resources = [
      cluster('1.35'),
      app('argocd/external-secrets', { repoURL: 'https://charts.external-secrets.io', chart: 'external-secrets', targetRevision: '0.20.4' }),
      app('argocd/karpenter', { repoURL: 'oci://public.ecr.aws/karpenter/karpenter', path: '.', targetRevision: '1.5.0' }),
      app('argocd/platform', { repoURL: 'https://github.com/example/gitops.git', path: 'dist/prod', targetRevision: 'main' }),
    ];
    expect(summary(resources, '2026-12-01').map(([id, , , resource]) => [id, resource])).toEqual([
      ['version-pin-unsupported', 'kubernetes:argoproj.io/v1alpha1:Application::argocd/external-secrets'],
      ['version-pin-unsupported', 'kubernetes:argoproj.io/v1alpha1:Application::argocd/karpenter'],
    ]);
  });

  it('GIVEN pins the catalogue does not know THEN each is a medium, non-blocking finding asking for the fact', () => {
    const findings = versionFindings([cluster('1.35'), addon('coredns', 'v1.15.0-eksbuild.1'), release('gatekeeper', 'gatekeeper', '3.24.0'), addon('vpc-cni', undefined)], '2026-12-01');
    expect(findings.map((f) => [f.id, f.severity, f.blocking])).toEqual([
      ['version-uncatalogued', 'medium', false],
      ['version-uncatalogued', 'medium', false],
    ]);
    expect(findings[1].message).toBe('chart gatekeeper 3.24.0: not in the version catalogue (lib/versions/components.ts CHART_RELEASES): its support for Kubernetes 1.35 cannot be judged');
  });
});

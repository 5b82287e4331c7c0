/**
 * `platform upgrade` lists the manual CRD step when the plan rolls kube-prometheus-stack's pin. No
 * catalogued kube-prometheus-stack release fails a supported minor today (Chart.yaml kubeVersion
 * `>=1.25.0-0`), so the catalogue's verdict for it is replaced here by one that asks for a roll.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { KUBE_PROMETHEUS_STACK_CHART, enabledReleases, placeholderInputs } from '../../charts';
import { parseStackConfig } from '../../lib/config/load';
import { REPO_ROOT } from '../../lib/stack';
import { stackConfig } from '../helpers/pulumi';
import { chartRollStep, upgradeReadiness, type ChartPinInput, type UpgradeInput } from '../../lib/upgrade';
import { ADDON_VERSIONS, SUPPORTED_KUBERNETES_VERSIONS } from '../../model/versions';

jest.mock('../../lib/versions', () => {
  const actual = jest.requireActual('../../lib/versions');
  return {
    ...actual,
    chartSupport: (chart: string, version: string, minor: string) =>
      chart === 'kube-prometheus-stack' && version === '79.6.1' && minor === '1.36'
        ? { supported: false, reason: 'test: requires a newer release', firstWith: 'kube-prometheus-stack 80.0.0' }
        : actual.chartSupport(chart, version, minor),
  };
});

const kps: ChartPinInput = { name: 'kube-prometheus-stack', chart: KUBE_PROMETHEUS_STACK_CHART.chart, version: KUBE_PROMETHEUS_STACK_CHART.version };
const input = (charts: ChartPinInput[]): UpgradeInput => ({
  stack: 'dev', configFile: 'Pulumi.dev.yaml', from: '1.35', to: '1.36', asOf: '2026-12-01',
  supportedVersions: SUPPORTED_KUBERNETES_VERSIONS, addonPins: ADDON_VERSIONS, charts, stackObjects: [], manifests: [], manifestFiles: 0,
});

describe('GIVEN kube-prometheus-stack, whose CRDs Helm installs once and never upgrades (README.md at kube-prometheus-stack-79.6.1)', () => {
  it('THEN rolling its pin has a step of its own: the CRDs of the new release, applied server-side before pulumi up, with the runbook section', () => {
    const step = chartRollStep(kps, 'dev');
    expect(step).toContain('apply the CRDs of the new kube-prometheus-stack release');
    expect(step).toContain('server-side');
    expect(step).toContain('before that pulumi up -s dev');
    expect(step).toContain('docs/upgrade.md, "CRDs Helm does not upgrade"');
    // Charts whose CRDs Helm or the chart upgrades themselves have none.
    expect(chartRollStep({ name: 'argocd', chart: 'argo-cd', version: '10.1.1' }, 'dev')).toBeUndefined();
  });

  it('WHEN the plan rolls its pin THEN the CRD step follows the roll, before the control plane moves', () => {
    const { steps } = upgradeReadiness(input([kps]));
    const roll = steps.findIndex((s) => s.includes('move kube-prometheus-stack 79.6.1 to kube-prometheus-stack 80.0.0'));
    const crds = steps.findIndex((s) => s.includes('apply the CRDs of the new kube-prometheus-stack release'));
    const controlPlane = steps.findIndex((s) => s.startsWith('pulumi up -s dev: the EKS control plane moves'));
    expect(roll).toBeGreaterThanOrEqual(0);
    expect(crds).toBe(roll + 1);
    expect(controlPlane).toBeGreaterThan(crds);
  });

  it('WHEN its pin stays THEN no CRD step is listed', () => {
    const { steps } = upgradeReadiness(input([{ name: 'argocd', chart: 'argo-cd', version: '10.1.1' }]));
    expect(steps.some((s) => s.includes('CRDs'))).toBe(false);
  });
});

describe('GIVEN the kube-prometheus-stack release the stacks install', () => {
  it('THEN its CRD upgrade job stays off, and the runbook section the step names applies the chart\'s own CRDs server-side', () => {
    const config = parseStackConfig(stackConfig('prod'), 'Pulumi.prod.yaml');
    const kpsValues = enabledReleases(config, placeholderInputs(config)).find(({ release }) => release.pin.chart === 'kube-prometheus-stack')!.values;
    expect(kpsValues.crds).toEqual({ enabled: true, upgradeJob: { enabled: false } });
    const runbook = fs.readFileSync(path.join(REPO_ROOT, 'docs', 'upgrade.md'), 'utf8');
    const section = runbook.split('### CRDs Helm does not upgrade')[1]?.split(/\n## /)[0] ?? '';
    // The chart keeps them in its crds subchart's crds/ folder (charts/kube-prometheus-stack/charts/crds/crds/ at kube-prometheus-stack-79.6.1).
    expect(section).toContain('helm pull kube-prometheus-stack --repo https://prometheus-community.github.io/helm-charts');
    expect(section).toContain('kubectl apply --server-side --force-conflicts -f "/tmp/kps-$V/kube-prometheus-stack/charts/crds/crds/"');
    expect(KUBE_PROMETHEUS_STACK_CHART.repo).toBe('https://prometheus-community.github.io/helm-charts');
  });
});

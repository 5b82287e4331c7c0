/**
 * What rolling a chart's pin takes beyond `pulumi up`, for the charts that need more.
 *
 * kube-prometheus-stack keeps the Prometheus operator's CRDs in `crds/` (of its `crds` subchart:
 * prometheus-community/helm-charts kube-prometheus-stack-79.6.1, charts/kube-prometheus-stack/charts/crds/crds/).
 * Helm installs a chart's `crds/` once and never upgrades them ("With Helm v3, CRDs created by this
 * chart are not updated by default and should be manually updated", README.md at that tag), and the
 * chart's own upgrade job is off (`crds.upgradeJob.enabled: false`, values.yaml: "in preview"). The Pulumi
 * path installs the chart with Helm's semantics (helm.v3.Release), so a new operator would run against
 * the old schemas, whose structural pruning silently drops the fields they do not know. GitOps delivery
 * is not affected: Argo CD renders Helm charts with their CRDs (argoproj/argo-cd v3.4.4
 * util/helm/cmd.go: `--include-crds` unless `skipCrds`) and applies them on every sync.
 */
import type { ChartPinInput } from './types';

/** The runbook section holding the commands (docs/upgrade.md). */
export const CRD_RUNBOOK = 'docs/upgrade.md, "CRDs Helm does not upgrade"';

const STEPS: Readonly<Record<string, (chart: ChartPinInput, stack: string) => string>> = {
  'kube-prometheus-stack': (c, stack) =>
    `Pulumi delivery: before that pulumi up -s ${stack}, apply the CRDs of the new kube-prometheus-stack release (now ${c.version}) server-side: Helm never upgrades a chart's crds/ (${CRD_RUNBOOK}).`,
};

/** The extra step rolling `chart`'s pin needs, if any. */
export function chartRollStep(chart: ChartPinInput, stack: string): string | undefined {
  return STEPS[chart.chart]?.(chart, stack);
}

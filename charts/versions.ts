/**
 * Upstream Helm charts and images the platform installs: one pin per chart, shown in the README and
 * asserted by tests. Bumping a pin is a reviewed change (read the chart's upgrade notes first).
 */

export interface HelmChartPin {
  /** Helm repository URL (`https://...`) or OCI registry (`oci://...`). */
  readonly repo: string;
  readonly chart: string;
  readonly version: string;
  /** Version of the application image the chart deploys, pinned in values too (absent for umbrella charts). */
  readonly appVersion?: string;
}

export const GATEKEEPER_CHART: HelmChartPin = {
  repo: 'https://open-policy-agent.github.io/gatekeeper/charts',
  chart: 'gatekeeper',
  version: '3.23.0',
  appVersion: 'v3.23.0',
};

export const ARGOCD_CHART: HelmChartPin = {
  repo: 'https://argoproj.github.io/argo-helm',
  chart: 'argo-cd',
  version: '9.2.1',
  appVersion: 'v3.2.3',
};

export const KUBE_PROMETHEUS_STACK_CHART: HelmChartPin = {
  repo: 'https://prometheus-community.github.io/helm-charts',
  chart: 'kube-prometheus-stack',
  version: '79.6.1',
  // An umbrella of several images (operator, Prometheus, Grafana, exporters): the chart version pins them all.
};

export const EXTERNAL_SECRETS_CHART: HelmChartPin = {
  repo: 'https://charts.external-secrets.io',
  chart: 'external-secrets',
  version: '0.20.4',
  appVersion: 'v0.20.4',
};

export const KARPENTER_CHART: HelmChartPin = {
  repo: 'oci://public.ecr.aws/karpenter',
  chart: 'karpenter',
  version: '1.5.0',
  appVersion: '1.5.0',
};

/** EKS-optimized Amazon Linux 2023 AMI release Karpenter nodes boot from (never `@latest`). */
export const KARPENTER_AMI_ALIAS = 'al2023@v20250807';

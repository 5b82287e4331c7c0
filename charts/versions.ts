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

// ---------------------------------------------------------------------------------------------
// Ingress (issue #16). Each chart's supported Kubernetes range is recorded next to its pin.

/**
 * AWS Load Balancer Controller, chart and image v3.5.0 (aws/eks-charts `stable/aws-load-balancer-controller`,
 * commit 5239609 "aws-load-balancer-controller: v3.5.0", identical to kubernetes-sigs/aws-load-balancer-controller
 * tag v3.5.0 `helm/aws-load-balancer-controller`). Its Chart.yaml sets no `kubeVersion`; the controller at
 * v3.5.0 is built against k8s.io/client-go v0.36.2 (go.mod) and docs/deploy/installation.md requires
 * Kubernetes 1.22+ from v2.5.0 on: covers 1.33 to 1.36.
 */
export const AWS_LOAD_BALANCER_CONTROLLER_CHART: HelmChartPin = {
  repo: 'https://aws.github.io/eks-charts',
  chart: 'aws-load-balancer-controller',
  version: '3.5.0',
  appVersion: 'v3.5.0',
};

/**
 * external-dns chart 1.21.1 (kubernetes-sigs/external-dns tag external-dns-helm-chart-1.21.1, appVersion 0.21.0; no
 * `kubeVersion` in its Chart.yaml). README.md at that tag: ExternalDNS >= 0.18 is the line for Kubernetes >= 1.33, with
 * no upper bound (client-go v0.35.3 in go.mod at v0.21.0; it uses only GA APIs: Ingress and EndpointSlice v1).
 */
export const EXTERNAL_DNS_CHART: HelmChartPin = {
  repo: 'https://kubernetes-sigs.github.io/external-dns',
  chart: 'external-dns',
  version: '1.21.1',
  appVersion: 'v0.21.0',
};

/**
 * x509-certificate-exporter 4.2.0 (enix/x509-certificate-exporter tag v4.2.0; the release workflow packages
 * `chart/` with --version and --app-version from the tag and pushes it to oci://quay.io/enix/charts, chart/README.md).
 * No `kubeVersion` in its Chart.yaml; built against k8s.io/client-go v0.36.3 (go.mod) and reads only core v1 Secrets
 * and Namespaces. It watches the TLS Secrets the platform relies on, which kube-prometheus-stack 79.6.1 has no metric
 * for (its rules cover only API server and kubelet certificates: templates/prometheus/rules-1.14/).
 */
export const X509_CERTIFICATE_EXPORTER_CHART: HelmChartPin = {
  repo: 'oci://quay.io/enix/charts',
  chart: 'x509-certificate-exporter',
  version: '4.2.0',
  appVersion: '4.2.0',
};

/**
 * Upstream Helm charts and images the platform installs: one pin per chart, shown in the README and
 * asserted by tests. Bumping a pin is a reviewed change (read the chart's upgrade notes first).
 *
 * Each pin supports both Kubernetes versions of model/versions.ts (1.35 and 1.36) unless its comment
 * says otherwise; the support facts, with their sources, are read off the pinned upstream release.
 */

export interface HelmChartPin {
  /** Helm repository URL (`https://...`) or OCI registry (`oci://...`). */
  readonly repo: string;
  readonly chart: string;
  readonly version: string;
  /** Version of the application image the chart deploys, pinned in values too (absent for umbrella charts). */
  readonly appVersion?: string;
}

/**
 * open-policy-agent/gatekeeper v3.23.0 (cdf332c3): charts/gatekeeper/Chart.yaml has no `kubeVersion`,
 * and docs/Release_Management.md ("Supported Kubernetes Versions") holds every Gatekeeper release
 * still supported compatible with every Kubernetes minor still supported upstream. No newer release.
 */
export const GATEKEEPER_CHART: HelmChartPin = {
  repo: 'https://open-policy-agent.github.io/gatekeeper/charts',
  chart: 'gatekeeper',
  version: '3.23.0',
  appVersion: 'v3.23.0',
};

/**
 * argoproj/argo-helm argo-cd-10.1.1 (af0a9310): `kubeVersion: ">=1.25.0-0"`, Argo CD v3.4.4. Argo CD
 * tests each release against four Kubernetes minors (argoproj/argo-cd
 * docs/operator-manual/tested-kubernetes-versions.md): 3.2 (the previous pin, chart 9.2.1) covered
 * 1.30-1.33, 3.4 covers 1.32-1.35. 1.36 needs Argo CD 3.5 (1.33-1.36, at v3.5.1), which this chart
 * repository had not released at argo-cd-10.1.1; `platform upgrade --to 1.36` reports it.
 * 10.0.0 turned `global.networkPolicy.create` on by default (README "Upgrading"): the chart now ships
 * the upstream NetworkPolicies of its components.
 */
export const ARGOCD_CHART: HelmChartPin = {
  repo: 'https://argoproj.github.io/argo-helm',
  chart: 'argo-cd',
  version: '10.1.1',
  appVersion: 'v3.4.4',
};

/**
 * prometheus-community/helm-charts kube-prometheus-stack-79.6.1: `kubeVersion: ">=1.25.0-0"` and no
 * other support statement, so 1.35 and 1.36 are in range and the pin stays.
 */
export const KUBE_PROMETHEUS_STACK_CHART: HelmChartPin = {
  repo: 'https://prometheus-community.github.io/helm-charts',
  chart: 'kube-prometheus-stack',
  version: '79.6.1',
  // An umbrella of several images (operator, Prometheus, Grafana, exporters): the chart version pins them all.
};

/**
 * external-secrets/external-secrets helm-chart-2.8.0 (6f1eed57): `kubeVersion: ">= 1.19.0-0"`;
 * docs/introduction/stability-support.md lists the Kubernetes versions each release is tested with:
 * 0.20.x (the previous pin) 1.34 only, 2.8 1.35-1.36. Every values key charts/external-secrets sets
 * exists in that chart's values.yaml, and the `external-secrets.io/v1` kinds the platform creates are
 * served (and stored) by its CRDs.
 */
export const EXTERNAL_SECRETS_CHART: HelmChartPin = {
  repo: 'https://charts.external-secrets.io',
  chart: 'external-secrets',
  version: '2.8.0',
  appVersion: 'v2.8.0',
};

/**
 * aws/karpenter-provider-aws v1.14.1: website/content/en/v1.14/upgrading/compatibility.md (commit
 * 1d927085, "docs: update for patch release v1.14.1") needs Karpenter >= 1.9 for Kubernetes 1.35 and
 * >= 1.13 for 1.36; the previous pin (1.5.0) stopped at 1.33. The NodePool and EC2NodeClass fields the
 * karpenter chart sets are all in that release's v1 CRDs (pkg/apis/crds), and every values key it
 * sets is in its charts/karpenter/values.yaml.
 */
export const KARPENTER_CHART: HelmChartPin = {
  repo: 'oci://public.ecr.aws/karpenter',
  chart: 'karpenter',
  version: '1.14.1',
  appVersion: '1.14.1',
};

/**
 * EKS-optimized Amazon Linux 2023 AMI release Karpenter nodes boot from (never `@latest`).
 * awslabs/amazon-eks-ami CHANGELOG.md, "AMI Release v20260714" (tag v20260714, b4fffb70): AL2023
 * builds for Kubernetes 1.30 through 1.36 (1.35.6 and 1.36.2 kubelets).
 */
export const KARPENTER_AMI_ALIAS = 'al2023@v20260714';

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

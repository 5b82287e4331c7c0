/**
 * Which Kubernetes minors each pinned add-on, chart and node AMI release supports, and which release
 * first supports a newer minor. Data with its source and the date it was read; the judgements over it
 * are in support.ts.
 *
 * "Supports" means what the project itself states: a chart's `kubeVersion`, the versions a project
 * says it tests or supports a release on, an EKS add-on build being offered for that version. Where a
 * project states nothing beyond `kubeVersion`, that range is the whole statement.
 */
import type { Sourced } from './kubernetes';

const READ_ON = '2026-12-01';

/** EKS add-on builds and the Kubernetes minors EKS is known to offer each for. */
export interface AddonBuild extends Sourced {
  readonly addon: string;
  readonly version: string;
  readonly kubernetes: readonly string[];
}

const EKS_GUIDE = (page: string) => `docs.aws.amazon.com/eks/latest/userguide/${page} (table "latest version of the Amazon EKS add-on type")`;
const RECORDED_135 = 'public Terraform configuration recording `aws eks describe-addon-versions --kubernetes-version 1.35` defaults (ap-northeast-2, 2026-08-04)';
const RECORDED_136 = 'public Terraform configurations and an upgrade runbook of EKS 1.36 clusters pinning this build (2026-08..09)';

const build = (addon: string, version: string, kubernetes: readonly string[], source: string): AddonBuild => ({ addon, version, kubernetes, source, readOn: READ_ON });

export const ADDON_BUILDS: readonly AddonBuild[] = [
  build('kube-proxy', 'v1.35.3-eksbuild.13', ['1.35'], EKS_GUIDE('managing-kube-proxy.md')),
  build('kube-proxy', 'v1.36.0-eksbuild.14', ['1.36'], EKS_GUIDE('managing-kube-proxy.md')),
  build('coredns', 'v1.14.3-eksbuild.3', ['1.35', '1.36'], EKS_GUIDE('managing-coredns.md')),
  build('vpc-cni', 'v1.22.3-eksbuild.1', ['1.35', '1.36'], `${RECORDED_135}; also measured on a 1.36 cluster`),
  build('vpc-cni', 'v1.22.4-eksbuild.3', ['1.36'], 'public Terraform configuration: "EKS\'s default for Kubernetes 1.36 (`aws eks describe-addon-versions --kubernetes-version 1.36`, 2026-09-28)"'),
  build('eks-pod-identity-agent', 'v1.3.10-eksbuild.3', ['1.33', '1.34', '1.35', '1.36'], `EKS upgrade runbook "sourced live from aws eks describe-addon-versions" (1.33-1.35); ${RECORDED_135}; ${RECORDED_136}`),
  build('aws-ebs-csi-driver', 'v1.63.1-eksbuild.1', ['1.35', '1.36'], `${RECORDED_135}; measured on a 1.36 cluster`),
  build('metrics-server', 'v0.9.0-eksbuild.5', ['1.35'], RECORDED_135),
  build('metrics-server', 'v0.9.0-eksbuild.10', ['1.36'], RECORDED_136),
];

/** A chart release: its `kubeVersion`, and the minors its project supports it on when it says so. */
export interface ChartRelease extends Sourced {
  readonly chart: string;
  readonly version: string;
  readonly appVersion?: string;
  /** Chart.yaml `kubeVersion`, when set. */
  readonly kubeVersion?: string;
  /** Minors the project tests or supports this release on; absent when it publishes no such list. */
  readonly kubernetes?: readonly string[];
  /** How the project states support, shown with a verdict. */
  readonly basis: string;
}

/** For a chart, the first release (of the chart or its application) supporting a minor. */
export interface FirstSupport extends Sourced {
  readonly chart: string;
  readonly minor: string;
  /** What to move to, e.g. `external-secrets 2.8.0` or `Argo CD 3.5 (no argo-helm chart for it yet)`. */
  readonly release: string;
}

const release = (r: Omit<ChartRelease, 'readOn'>): ChartRelease => ({ ...r, readOn: READ_ON });
const first = (chart: string, minor: string, rel: string, source: string): FirstSupport => ({ chart, minor, release: rel, source, readOn: READ_ON });

const ARGO_TESTED = 'argoproj/argo-cd docs/operator-manual/tested-kubernetes-versions.md';
const ESO_TESTED = 'external-secrets/external-secrets@6f1eed57 (helm-chart-2.8.0) docs/introduction/stability-support.md';
const KARPENTER_MATRIX = 'aws/karpenter-provider-aws@1d927085 (v1.14.1 docs) website/content/en/v1.14/upgrading/compatibility.md';

/** The minors from `first` to `last`, inclusive (both `1.<n>`). */
function minors(first: string, last: string): string[] {
  const [a, b] = [first, last].map((v) => Number(v.split('.')[1]));
  return Array.from({ length: b - a + 1 }, (_, i) => `1.${a + i}`);
}

export const CHART_RELEASES: readonly ChartRelease[] = [
  release({
    chart: 'gatekeeper', version: '3.23.0', appVersion: 'v3.23.0',
    basis: 'no kubeVersion; supported with every Kubernetes minor supported upstream',
    source: 'open-policy-agent/gatekeeper@cdf332c3 (v3.23.0) charts/gatekeeper/Chart.yaml, docs/Release_Management.md "Supported Kubernetes Versions"',
  }),
  release({
    chart: 'argo-cd', version: '10.1.1', appVersion: 'v3.4.4', kubeVersion: '>=1.25.0-0', kubernetes: ['1.32', '1.33', '1.34', '1.35'],
    basis: 'Argo CD 3.4 tested versions',
    source: `argoproj/argo-helm@af0a9310 (argo-cd-10.1.1) charts/argo-cd/Chart.yaml; ${ARGO_TESTED} @109ca7ca (v3.5.1)`,
  }),
  release({
    chart: 'argo-cd', version: '9.2.1', appVersion: 'v3.2.3', kubeVersion: '>=1.25.0-0', kubernetes: ['1.31', '1.32', '1.33', '1.34'],
    basis: 'Argo CD 3.2 tested versions',
    source: `argoproj/argo-helm (argo-cd-9.2.1) charts/argo-cd/Chart.yaml; ${ARGO_TESTED} @443415b5 (v3.4.4)`,
  }),
  release({
    chart: 'kube-prometheus-stack', version: '79.6.1', kubeVersion: '>=1.25.0-0',
    basis: 'kubeVersion (no other support statement)',
    source: 'prometheus-community/helm-charts (kube-prometheus-stack-79.6.1) charts/kube-prometheus-stack/Chart.yaml',
  }),
  release({
    chart: 'external-secrets', version: '2.8.0', appVersion: 'v2.8.0', kubeVersion: '>= 1.19.0-0', kubernetes: ['1.35', '1.36'],
    basis: 'External Secrets 2.8 tested versions',
    source: `external-secrets/external-secrets@6f1eed57 (helm-chart-2.8.0) deploy/charts/external-secrets/Chart.yaml; ${ESO_TESTED}`,
  }),
  release({
    chart: 'external-secrets', version: '0.20.4', appVersion: 'v0.20.4', kubeVersion: '>= 1.19.0-0', kubernetes: ['1.34'],
    basis: 'External Secrets 0.20 tested versions',
    source: `external-secrets/external-secrets (helm-chart-0.20.4) deploy/charts/external-secrets/Chart.yaml; ${ESO_TESTED}`,
  }),
  // The ingress charts publish no kubeVersion and no tested-versions list: each range runs from the
  // project's stated minimum to the Kubernetes minor of the client-go it is built with (an API the
  // platform cannot vouch for beyond that), as read at the pinned tag.
  release({
    chart: 'aws-load-balancer-controller', version: '3.5.0', appVersion: 'v3.5.0', kubernetes: minors('1.22', '1.36'),
    basis: 'Kubernetes 1.22+ (installation guide), built with client-go v0.36',
    source: 'kubernetes-sigs/aws-load-balancer-controller (v3.5.0) helm/aws-load-balancer-controller/Chart.yaml (no kubeVersion), docs/deploy/installation.md, go.mod',
  }),
  release({
    chart: 'external-dns', version: '1.21.1', appVersion: 'v0.21.0', kubernetes: minors('1.33', '1.36'),
    basis: 'ExternalDNS >= 0.18 for Kubernetes >= 1.33 (README, no upper bound); GA APIs only; judged to the newest catalogued minor',
    source: 'kubernetes-sigs/external-dns (external-dns-helm-chart-1.21.1) charts/external-dns/Chart.yaml (no kubeVersion), README.md compatibility table, go.mod (client-go v0.35.3)',
  }),
  release({
    chart: 'x509-certificate-exporter', version: '4.2.0', appVersion: '4.2.0', kubernetes: minors('1.33', '1.36'),
    basis: 'no stated range; reads core v1 Secrets only, built with client-go v0.36; judged for the minors the platform runs',
    source: 'enix/x509-certificate-exporter (v4.2.0) chart/Chart.yaml (no kubeVersion), go.mod',
  }),
];

/**
 * Karpenter's compatibility matrix: the oldest Karpenter release for each Kubernetes minor. A
 * release supports a minor when it is at least that old release and the minor is in the matrix.
 */
export const KARPENTER_COMPATIBILITY: Sourced & { readonly minimum: Readonly<Record<string, string>> } = {
  minimum: { '1.30': '0.37.0', '1.31': '1.0.5', '1.32': '1.2.0', '1.33': '1.5.0', '1.34': '1.6.0', '1.35': '1.9.0', '1.36': '1.13.0' },
  source: KARPENTER_MATRIX,
  readOn: READ_ON,
};

export const FIRST_SUPPORT: readonly FirstSupport[] = [
  first('argo-cd', '1.36', 'Argo CD 3.5 (tested on 1.33-1.36); no argo-helm argo-cd chart with it in the catalogue yet', `${ARGO_TESTED} @109ca7ca (v3.5.1); argoproj/argo-helm@af0a9310 newest chart argo-cd-10.1.1 (Argo CD v3.4.4)`),
  first('argo-cd', '1.35', 'argo-cd 10.1.1 (Argo CD 3.4)', `${ARGO_TESTED} @109ca7ca (v3.5.1)`),
  first('external-secrets', '1.35', 'external-secrets 2.0 (tested on 1.34-1.35)', ESO_TESTED),
  first('external-secrets', '1.36', 'external-secrets 2.8.0 (tested on 1.35-1.36)', ESO_TESTED),
];

/** An EKS-optimized AL2023 AMI release (what `al2023@v<date>` pins) and the minors it has builds for. */
export interface AmiRelease extends Sourced {
  readonly release: string;
  readonly kubernetes: readonly string[];
}

const AMI_CHANGELOG = 'awslabs/amazon-eks-ami@81fec2e8 CHANGELOG.md';
const ami = (rel: string, from: string, toMinor: string): AmiRelease => {
  const [, a] = from.split('.').map(Number);
  const [, b] = toMinor.split('.').map(Number);
  return { release: rel, kubernetes: Array.from({ length: b - a + 1 }, (_, i) => `1.${a + i}`), source: `${AMI_CHANGELOG}, "AMI Release ${rel}"`, readOn: READ_ON };
};

/** The pinned release, the previous pin, and the first release with each newer minor. Oldest first. */
export const AMI_RELEASES: readonly AmiRelease[] = [
  ami('v20250807', '1.28', '1.33'),
  ami('v20250915', '1.28', '1.34'),
  ami('v20260114', '1.29', '1.35'),
  ami('v20260610', '1.30', '1.36'),
  ami('v20260714', '1.30', '1.36'),
];

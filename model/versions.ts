/**
 * Kubernetes versions and the EKS add-on pins for each: plain data, importable without Pulumi
 * (the config schema accepts these versions, `platform upgrade` and `platform preflight` read the pins,
 * infra/addons.ts installs the add-ons).
 */

/**
 * Kubernetes versions this blueprint is built and tested for. The EKS add-on pins below (ADDON_VERSIONS)
 * exist for each of them; a stack config naming any other version is refused.
 *
 * Both are in EKS standard support on 2026-12-01 (calendar in lib/versions/kubernetes.ts): 1.35 until
 * 2027-03-27, 1.36 until 2027-08-02. Both stacks run 1.35: 1.36 is offered so `platform upgrade --to
 * 1.36` has its pins to judge, and what still blocks it (the Argo CD chart) is reported there.
 */
export const SUPPORTED_KUBERNETES_VERSIONS = ['1.35', '1.36'] as const;

export type KubernetesVersion = (typeof SUPPORTED_KUBERNETES_VERSIONS)[number];

export const ADDON_NAMES = ['vpc-cni', 'kube-proxy', 'eks-pod-identity-agent', 'coredns', 'aws-ebs-csi-driver', 'metrics-server'] as const;
export type AddonName = (typeof ADDON_NAMES)[number];

/**
 * The pinned add-on versions, per supported Kubernetes version. Where each build comes from (read
 * 2026-12-01; `aws eks describe-addon-versions --kubernetes-version <v> --addon-name <name>` confirms
 * them per region before a first deploy, as the README says):
 * - kube-proxy, coredns: the EKS user guide's "latest version of the Amazon EKS add-on type" tables
 *   (docs.aws.amazon.com/eks/latest/userguide/managing-kube-proxy.md and managing-coredns.md, the
 *   1.35 and 1.36 rows). Certain.
 * - vpc-cni, eks-pod-identity-agent, aws-ebs-csi-driver, metrics-server: builds EKS reported for that
 *   Kubernetes version through `describe-addon-versions`, as recorded with the query and its date in
 *   public Terraform configurations (1.35: the defaults in ap-northeast-2 on 2026-08-04; 1.36: vpc-cni's
 *   default on 2026-09-28, the others from configurations and upgrade runbooks of 1.36 clusters).
 *   Real builds offered for that version, but second-hand: confirm them before the first deploy.
 */
export const ADDON_VERSIONS: Readonly<Record<KubernetesVersion, Readonly<Record<AddonName, string>>>> = {
  '1.35': {
    'vpc-cni': 'v1.22.3-eksbuild.1',
    'kube-proxy': 'v1.35.3-eksbuild.13',
    'eks-pod-identity-agent': 'v1.3.10-eksbuild.3',
    coredns: 'v1.14.3-eksbuild.3',
    'aws-ebs-csi-driver': 'v1.63.1-eksbuild.1',
    'metrics-server': 'v0.9.0-eksbuild.5',
  },
  '1.36': {
    'vpc-cni': 'v1.22.4-eksbuild.3',
    'kube-proxy': 'v1.36.0-eksbuild.14',
    'eks-pod-identity-agent': 'v1.3.10-eksbuild.3',
    coredns: 'v1.14.3-eksbuild.3',
    'aws-ebs-csi-driver': 'v1.63.1-eksbuild.1',
    'metrics-server': 'v0.9.0-eksbuild.10',
  },
};

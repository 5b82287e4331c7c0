/**
 * Kubernetes versions this blueprint is built and tested for. The EKS add-on pins in
 * `infra/addons.ts` exist for each of them; a stack config naming any other version is refused.
 */
export const SUPPORTED_KUBERNETES_VERSIONS = ['1.32', '1.33'] as const;

export type KubernetesVersion = (typeof SUPPORTED_KUBERNETES_VERSIONS)[number];

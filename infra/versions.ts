/**
 * Kubernetes versions this blueprint is built and tested for. The EKS add-on pins in
 * `infra/addons.ts` exist for each of them; a stack config naming any other version is refused.
 *
 * Both are in EKS standard support on 2026-12-01 (calendar in lib/versions/kubernetes.ts): 1.35 until
 * 2027-03-27, 1.36 until 2027-08-02. Both stacks run 1.35: 1.36 is offered so `platform upgrade --to
 * 1.36` has its pins to judge, and what still blocks it (the Argo CD chart) is reported there.
 */
export const SUPPORTED_KUBERNETES_VERSIONS = ['1.35', '1.36'] as const;

export type KubernetesVersion = (typeof SUPPORTED_KUBERNETES_VERSIONS)[number];

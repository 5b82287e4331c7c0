/**
 * A pod spec that passes the whole policy library: what a compliant workload looks like. Its image is
 * one the library's default registries allow (an add-on's; a stack's constraint adds the stack's ECR).
 */
export const HARDENED_POD_SPEC = {
  serviceAccountName: 'web',
  securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
  containers: [
    {
      name: 'web',
      image: 'quay.io/prometheus/prometheus:v3.5.0',
      resources: { requests: { cpu: '100m', memory: '64Mi' }, limits: { memory: '64Mi' } },
      securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
    },
  ],
};

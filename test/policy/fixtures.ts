/** A pod spec that passes the whole policy library: what a compliant workload looks like. */
export const HARDENED_POD_SPEC = {
  serviceAccountName: 'web',
  securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
  containers: [
    {
      name: 'web',
      image: 'public.ecr.aws/example/web:1.0.0',
      resources: { requests: { cpu: '100m', memory: '64Mi' }, limits: { memory: '64Mi' } },
      securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
    },
  ],
};

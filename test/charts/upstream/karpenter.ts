/**
 * aws/karpenter-provider-aws v1.14.1, charts/karpenter (published as chart 1.14.1: the release
 * script only rewrites Chart.yaml's versions and the controller image in values.yaml, commit
 * c88abbba "Stable Release updates Release v1.14.1").
 */
import { at, list, map, mergeValues, truthy, type ChartModel, type Values } from './helm';
import type { RecordedValuesKeys } from './values-keys';

const READ_AT = 'aws/karpenter-provider-aws v1.14.1';

/** charts/karpenter/values.yaml: the keys the Deployment's pod fields come from. */
export const KARPENTER_DEFAULTS: Values = {
  replicas: 2,
  podSecurityContext: { fsGroup: 65532, seccompProfile: { type: 'RuntimeDefault' } },
  hostNetwork: false,
  initContainers: {},
  nodeSelector: { 'kubernetes.io/os': 'linux' },
  affinity: {
    nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'karpenter.sh/nodepool', operator: 'DoesNotExist' }] }] } },
    podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: 'kubernetes.io/hostname' }] },
  },
  tolerations: [{ key: 'CriticalAddonsOnly', operator: 'Exists' }],
  extraVolumes: [],
  controller: {
    containerName: 'controller',
    securityContext: { appArmorProfile: {}, seLinuxOptions: {}, seccompProfile: {} },
    resources: {},
    sidecarContainer: [],
    metrics: { port: 8080 },
    healthProbe: { port: 8081 },
  },
};

/** charts/karpenter/values.yaml: the keys the platform sets. */
export const KARPENTER_VALUES_KEYS: RecordedValuesKeys = {
  source: `${READ_AT} charts/karpenter/values.yaml`,
  keys: ['replicas', 'serviceAccount.create', 'serviceAccount.name', 'settings.clusterName', 'settings.interruptionQueue', 'podDisruptionBudget.name', 'podDisruptionBudget.maxUnavailable', 'logLevel'],
  passThrough: ['podSecurityContext', 'nodeSelector', 'tolerations', 'controller.resources'],
};

/** The 1.5.0 default the issue found (v1.5.0 charts/karpenter/values.yaml `podSecurityContext`), for the negative control. */
export const KARPENTER_1_5_0_POD_SECURITY_CONTEXT = { runAsNonRoot: false, fsGroup: 65532, seccompProfile: { type: 'RuntimeDefault' } };

export function karpenterModel(defaults: Values = KARPENTER_DEFAULTS): ChartModel {
  return {
    chart: 'karpenter',
    version: '1.14.1',
    readAt: READ_AT,
    valuesKeys: KARPENTER_VALUES_KEYS,
    values: (user) => mergeValues(defaults, user),
    unmodelled: [],
    workloads: (v) => {
      const sc = map(v, 'controller.securityContext');
      // templates/deployment.yaml: the controller container's security context is fixed in the
      // template; only appArmorProfile, seLinuxOptions and seccompProfile come from values, when non-empty.
      const containerSecurityContext: Record<string, unknown> = {
        privileged: false,
        allowPrivilegeEscalation: false,
        readOnlyRootFilesystem: true,
        runAsNonRoot: true,
        runAsUser: 65532,
        runAsGroup: 65532,
        capabilities: { drop: ['ALL'] },
      };
      for (const k of ['appArmorProfile', 'seLinuxOptions', 'seccompProfile']) if (truthy(sc[k])) containerSecurityContext[k] = sc[k];
      return [
        {
          kind: 'Deployment',
          name: 'karpenter',
          replicas: at(v, 'replicas') as number,
          source: `${READ_AT} charts/karpenter/templates/deployment.yaml`,
          pod: {
            // `with .Values.podSecurityContext`, `if .Values.hostNetwork`.
            ...(truthy(at(v, 'podSecurityContext')) ? { securityContext: map(v, 'podSecurityContext') } : {}),
            ...(at(v, 'hostNetwork') === true ? { hostNetwork: true } : {}),
            containers: [
              {
                name: String(at(v, 'controller.containerName')),
                securityContext: containerSecurityContext,
                resources: map(v, 'controller.resources'),
                ports: [{ containerPort: at(v, 'controller.metrics.port') as number }, { containerPort: at(v, 'controller.healthProbe.port') as number }],
              },
              // `range .Values.controller.sidecarContainer`: rendered as given.
              ...(list(v, 'controller.sidecarContainer') as never[]),
            ],
            ...(truthy(at(v, 'initContainers')) ? { initContainers: at(v, 'initContainers') as never[] } : {}),
            ...(truthy(at(v, 'extraVolumes')) ? { volumes: list(v, 'extraVolumes') } : {}),
            nodeSelector: map(v, 'nodeSelector'),
            tolerations: list(v, 'tolerations'),
            affinity: map(v, 'affinity'),
          },
        },
      ];
    },
  };
}

/** open-policy-agent/gatekeeper v3.23.0 (cdf332c3), charts/gatekeeper. */
import { at, list, map, mergeValues, truthy, type ChartModel, type ContainerSpec, type PodSpecModel, type Values, type WorkloadModel } from './helm';
import type { RecordedValuesKeys } from './values-keys';

const READ_AT = 'open-policy-agent/gatekeeper v3.23.0';
const T = `${READ_AT} charts/gatekeeper/templates`;

const HARDENED = {
  allowPrivilegeEscalation: false,
  capabilities: { drop: ['ALL'] },
  readOnlyRootFilesystem: true,
  runAsGroup: 999,
  runAsNonRoot: true,
  runAsUser: 1000,
};
const PLACEMENT = { affinity: {}, tolerations: [], nodeSelector: { 'kubernetes.io/os': 'linux' } };

/** charts/gatekeeper/values.yaml: the keys the pod fields of every workload template come from. */
export const GATEKEEPER_DEFAULTS: Values = {
  replicas: 3,
  disableAudit: false,
  disableValidatingWebhook: false,
  disableMutation: false,
  enableRuntimeDefaultSeccompProfile: true,
  extraVolumes: [],
  upgradeCRDs: { enabled: true },
  crds: { ...PLACEMENT, resources: {}, securityContext: { ...HARDENED, runAsGroup: 65532, runAsUser: 65532 } },
  postInstall: { labelNamespace: { enabled: true, extraNamespaces: [] }, probeWebhook: { enabled: true }, ...PLACEMENT, securityContext: HARDENED },
  postUpgrade: { labelNamespace: { enabled: false, extraNamespaces: [] }, ...PLACEMENT, resources: {}, securityContext: HARDENED },
  preUninstall: { deleteWebhookConfigurations: { enabled: false }, ...PLACEMENT, resources: {}, securityContext: HARDENED },
  controllerManager: {
    containerName: 'manager',
    hostNetwork: false,
    port: 8443,
    metricsPort: 8888,
    healthPort: 9090,
    affinity: {
      podAntiAffinity: {
        preferredDuringSchedulingIgnoredDuringExecution: [
          { podAffinityTerm: { labelSelector: { matchExpressions: [{ key: 'gatekeeper.sh/operation', operator: 'In', values: ['webhook'] }] }, topologyKey: 'kubernetes.io/hostname' }, weight: 100 },
        ],
      },
    },
    tolerations: [],
    nodeSelector: { 'kubernetes.io/os': 'linux' },
    resources: { limits: { memory: '512Mi' }, requests: { cpu: '100m', memory: '512Mi' } },
    securityContext: HARDENED,
    podSecurityContext: { fsGroup: 999, supplementalGroups: [999] },
  },
  audit: {
    containerName: 'manager',
    hostNetwork: false,
    metricsPort: 8888,
    healthPort: 9090,
    affinity: {},
    tolerations: [],
    nodeSelector: { 'kubernetes.io/os': 'linux' },
    resources: { limits: { memory: '512Mi' }, requests: { cpu: '100m', memory: '512Mi' } },
    securityContext: HARDENED,
    podSecurityContext: { fsGroup: 999, supplementalGroups: [999] },
  },
};

/**
 * Every container's security context is `seccompProfile: RuntimeDefault` (when
 * enableRuntimeDefaultSeccompProfile) followed by `toYaml` of the group's `securityContext`.
 */
function containerSecurityContext(v: Values, group: string): Record<string, unknown> {
  return { ...(at(v, 'enableRuntimeDefaultSeccompProfile') ? { seccompProfile: { type: 'RuntimeDefault' } } : {}), ...map(v, `${group}.securityContext`) };
}

/** The hook Jobs render `nodeSelector`, `affinity` and `tolerations` of their group as given. */
function placement(v: Values, group: string): Pick<PodSpecModel, 'nodeSelector' | 'tolerations' | 'affinity'> {
  return { nodeSelector: map(v, `${group}.nodeSelector`), tolerations: list(v, `${group}.tolerations`), affinity: map(v, `${group}.affinity`) };
}

const certVolume = { name: 'cert', secret: { secretName: 'gatekeeper-webhook-server-cert' } };

/**
 * charts/gatekeeper/values.yaml: the keys the platform sets, and two the templates read without a
 * default there.
 */
export const GATEKEEPER_VALUES_KEYS: RecordedValuesKeys = {
  source: `${READ_AT} charts/gatekeeper/values.yaml`,
  keys: [
    'image.release', 'replicas', 'auditInterval', 'constraintViolationsLimit', 'validatingWebhookFailurePolicy', 'validatingWebhookTimeoutSeconds', 'enableDeleteOperations',
    // Not in values.yaml: the Deployments pass them on `if hasKey .Values "emitAdmissionEvents"` / `"emitAuditEvents"`.
    'emitAdmissionEvents', 'emitAuditEvents',
    'logDenies', 'postInstall.labelNamespace.enabled', 'pdb.controllerManager.minAvailable', 'controllerManager.exemptNamespaces',
  ],
  passThrough: [
    'postInstall.nodeSelector', 'postInstall.tolerations',
    // Not in values.yaml: the webhook probe container renders `.Values.postInstall.resources` (templates/_helpers.tpl).
    'postInstall.resources',
    'postUpgrade.nodeSelector', 'postUpgrade.tolerations', 'postUpgrade.resources', 'preUninstall.nodeSelector', 'preUninstall.tolerations', 'preUninstall.resources',
    'crds.nodeSelector', 'crds.tolerations', 'crds.resources', 'controllerManager.nodeSelector', 'controllerManager.tolerations', 'controllerManager.resources',
    'audit.nodeSelector', 'audit.tolerations', 'audit.resources',
  ],
};

export function gatekeeperModel(): ChartModel {
  return {
    chart: 'gatekeeper',
    version: '3.23.0',
    readAt: READ_AT,
    valuesKeys: GATEKEEPER_VALUES_KEYS,
    values: (user) => mergeValues(GATEKEEPER_DEFAULTS, user),
    unmodelled: [
      // gatekeeper-audit-deployment.yaml: the violation-export sidecar and volume.
      { source: `${T}/gatekeeper-audit-deployment.yaml (export sidecar)`, when: (v) => truthy(at(v, 'enableViolationExport')) },
    ],
    workloads: (v) => {
      const out: WorkloadModel[] = [];
      const probe = (): ContainerSpec => ({ name: 'webhook-probe-post', securityContext: containerSecurityContext(v, 'postInstall'), resources: map(v, 'postInstall.resources') });
      const deployment = (name: string, group: 'controllerManager' | 'audit', replicas: number, extraVolumes: Record<string, unknown>[], ports: number[]): WorkloadModel => ({
        kind: 'Deployment',
        name,
        replicas,
        source: `${T}/gatekeeper-${group === 'audit' ? 'audit' : 'controller-manager'}-deployment.yaml`,
        pod: {
          securityContext: map(v, `${group}.podSecurityContext`),
          hostNetwork: at(v, `${group}.hostNetwork`) === true,
          containers: [{ name: String(at(v, `${group}.containerName`)), securityContext: containerSecurityContext(v, group), resources: map(v, `${group}.resources`), ports: ports.map((containerPort) => ({ containerPort })) }],
          volumes: [...list(v, 'extraVolumes'), certVolume, ...extraVolumes],
          ...placement(v, group),
        },
      });
      out.push(deployment('gatekeeper-controller-manager', 'controllerManager', at(v, 'replicas') as number, [], [at(v, 'controllerManager.port'), at(v, 'controllerManager.metricsPort'), at(v, 'controllerManager.healthPort')] as number[]));
      if (!at(v, 'disableAudit')) {
        out.push(deployment('gatekeeper-audit', 'audit', 1, [{ name: 'tmp-volume', emptyDir: {} }], [at(v, 'audit.metricsPort'), at(v, 'audit.healthPort')] as number[]));
      }
      if (at(v, 'upgradeCRDs.enabled')) {
        out.push({
          kind: 'Job',
          name: 'gatekeeper-update-crds-hook',
          hook: 'pre-install,pre-upgrade',
          replicas: 1,
          source: `${T}/upgrade-crds-hook.yaml`,
          pod: { containers: [{ name: 'crds-upgrade', securityContext: containerSecurityContext(v, 'crds'), resources: map(v, 'crds.resources') }], ...placement(v, 'crds') },
        });
      }
      const labelNamespace = at(v, 'postInstall.labelNamespace.enabled') === true;
      const probeEnabled = at(v, 'postInstall.probeWebhook.enabled') === true;
      const labelContainers = (group: 'postInstall' | 'postUpgrade'): ContainerSpec[] => [
        { name: 'kubectl-label', securityContext: containerSecurityContext(v, group), resources: map(v, `${group}.resources`) },
        ...(truthy(at(v, `${group}.labelNamespace.extraNamespaces`)) ? [{ name: 'kubectl-label-extra', securityContext: containerSecurityContext(v, group), resources: map(v, `${group}.resources`) }] : []),
      ];
      if (labelNamespace) {
        out.push({
          kind: 'Job',
          name: 'gatekeeper-update-namespace-label',
          hook: 'post-install',
          replicas: 1,
          source: `${T}/namespace-post-install.yaml`,
          pod: {
            containers: labelContainers('postInstall'),
            ...(probeEnabled ? { initContainers: [probe()], volumes: [certVolume] } : {}),
            ...placement(v, 'postInstall'),
          },
        });
      }
      if (!at(v, 'disableValidatingWebhook') && !labelNamespace && probeEnabled) {
        out.push({
          kind: 'Job',
          name: 'gatekeeper-probe-webhook-post-install',
          hook: 'post-install',
          replicas: 1,
          source: `${T}/probe-webhook-post-install.yaml`,
          pod: { containers: [probe()], volumes: [certVolume], ...placement(v, 'postInstall') },
        });
      }
      if (at(v, 'postUpgrade.labelNamespace.enabled') === true) {
        out.push({
          kind: 'Job',
          name: 'gatekeeper-update-namespace-label-post-upgrade',
          hook: 'post-upgrade',
          replicas: 1,
          source: `${T}/namespace-post-upgrade.yaml`,
          pod: { containers: labelContainers('postUpgrade'), ...placement(v, 'postUpgrade') },
        });
      }
      if ((!at(v, 'disableValidatingWebhook') || !at(v, 'disableMutation')) && at(v, 'preUninstall.deleteWebhookConfigurations.enabled') === true) {
        out.push({
          kind: 'Job',
          name: 'gatekeeper-delete-webhook-configs',
          hook: 'pre-delete',
          replicas: 1,
          source: `${T}/webhook-configs-pre-delete.yaml`,
          pod: { containers: [{ name: 'kubectl-delete', securityContext: containerSecurityContext(v, 'preUninstall'), resources: map(v, 'preUninstall.resources') }], ...placement(v, 'preUninstall') },
        });
      }
      return out;
    },
  };
}

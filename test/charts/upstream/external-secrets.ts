/** external-secrets/external-secrets helm-chart-2.8.0 (6f1eed57), deploy/charts/external-secrets. */
import { at, list, map, mergeValues, orDefault, truthy, type ChartModel, type Values, type WorkloadModel } from './helm';
import type { RecordedValuesKeys } from './values-keys';

const READ_AT = 'external-secrets/external-secrets helm-chart-2.8.0';
const T = `${READ_AT} deploy/charts/external-secrets/templates`;

const HARDENED = {
  allowPrivilegeEscalation: false,
  capabilities: { drop: ['ALL'] },
  enabled: true,
  readOnlyRootFilesystem: true,
  runAsNonRoot: true,
  runAsUser: 1000,
  seccompProfile: { type: 'RuntimeDefault' },
};
const COMPONENT = {
  replicaCount: 1,
  podSecurityContext: { enabled: true },
  securityContext: HARDENED,
  resources: {},
  nodeSelector: {},
  tolerations: [],
  affinity: {},
  hostNetwork: false,
  extraInitContainers: [],
  extraVolumes: [],
};

/** deploy/charts/external-secrets/values.yaml: the keys the three Deployments' pod fields come from. */
export const EXTERNAL_SECRETS_DEFAULTS: Values = {
  global: { nodeSelector: {}, tolerations: [], affinity: {} },
  createOperator: true,
  ...COMPONENT,
  extraContainers: [],
  webhook: { ...COMPONENT, create: true, certManager: { enabled: false } },
  certController: { ...COMPONENT, create: true },
  'bitwarden-sdk-server': { enabled: false },
};

/** deploy/charts/external-secrets/values.yaml: the keys the platform sets. */
export const EXTERNAL_SECRETS_VALUES_KEYS: RecordedValuesKeys = {
  source: `${READ_AT} deploy/charts/external-secrets/values.yaml`,
  keys: [
    'installCRDs', 'image.tag', 'replicaCount', 'serviceAccount.create', 'serviceAccount.name', 'podDisruptionBudget.enabled', 'podDisruptionBudget.minAvailable',
    'metrics.service.enabled', 'webhook.replicaCount', 'webhook.podDisruptionBudget.enabled', 'webhook.podDisruptionBudget.minAvailable',
  ],
  passThrough: ['global.nodeSelector', 'global.tolerations', 'resources', 'webhook.resources', 'certController.resources'],
};

/**
 * `with .Values.<c>.podSecurityContext` / `.securityContext`: rendered only when `enabled` and at
 * least one other key is set, without `enabled` (templates/_helpers.tpl renderSecurityContext; the
 * OpenShift adaptation applies only on OpenShift).
 */
function rendered(sc: Record<string, unknown>): Record<string, unknown> | undefined {
  if (!sc.enabled || Object.keys(sc).length <= 1) return undefined;
  const { enabled: _enabled, ...rest } = sc;
  return rest;
}

export function externalSecretsModel(): ChartModel {
  return {
    chart: 'external-secrets',
    version: '2.8.0',
    readAt: READ_AT,
    valuesKeys: EXTERNAL_SECRETS_VALUES_KEYS,
    values: (user) => mergeValues(EXTERNAL_SECRETS_DEFAULTS, user),
    unmodelled: [{ source: `${READ_AT} bitwarden-sdk-server subchart`, when: (v) => truthy(at(v, 'bitwarden-sdk-server.enabled')) }],
    workloads: (v) => {
      const component = (name: string, template: string, prefix: string, container: string, extraVolumes: Record<string, unknown>[], extraContainers: boolean): WorkloadModel => {
        const p = (k: string) => (prefix ? `${prefix}.${k}` : k);
        const podSc = rendered(map(v, p('podSecurityContext')));
        const sc = rendered(map(v, p('securityContext')));
        const volumes = [...extraVolumes, ...list(v, p('extraVolumes'))];
        return {
          kind: 'Deployment',
          name,
          replicas: at(v, p('replicaCount')) as number,
          source: `${T}/${template}`,
          pod: {
            ...(podSc ? { securityContext: podSc } : {}),
            hostNetwork: at(v, p('hostNetwork')) === true,
            containers: [
              { name: container, ...(sc ? { securityContext: sc } : {}), resources: map(v, p('resources')) },
              ...(extraContainers ? (list(v, 'extraContainers') as never[]) : []),
            ],
            ...(truthy(at(v, p('extraInitContainers'))) ? { initContainers: list(v, p('extraInitContainers')) as never[] } : {}),
            ...(volumes.length > 0 ? { volumes } : {}),
            // `<c>.nodeSelector | default .Values.global.nodeSelector`, same for tolerations and affinity.
            nodeSelector: orDefault(at(v, p('nodeSelector')), map(v, 'global.nodeSelector')),
            tolerations: orDefault(at(v, p('tolerations')), list(v, 'global.tolerations')),
            affinity: orDefault(at(v, p('affinity')), map(v, 'global.affinity')),
          },
        };
      };
      const out: WorkloadModel[] = [];
      if (at(v, 'createOperator')) out.push(component('external-secrets', 'deployment.yaml', '', 'external-secrets', [], true));
      if (at(v, 'webhook.create')) out.push(component('external-secrets-webhook', 'webhook-deployment.yaml', 'webhook', 'webhook', [{ name: 'certs', secret: { secretName: 'external-secrets-webhook' } }], false));
      if (at(v, 'certController.create') && !at(v, 'webhook.certManager.enabled')) {
        out.push(component('external-secrets-cert-controller', 'cert-controller-deployment.yaml', 'certController', 'cert-controller', [], false));
      }
      return out;
    },
  };
}

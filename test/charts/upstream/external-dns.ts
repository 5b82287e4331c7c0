/** kubernetes-sigs/external-dns external-dns-helm-chart-1.21.1 (9f264513), charts/external-dns. */
import { at, list, map, mergeValues, truthy, type ChartModel, type ContainerSpec, type Values } from './helm';
import type { RecordedValuesKeys } from './values-keys';

const READ_AT = 'kubernetes-sigs/external-dns external-dns-helm-chart-1.21.1';
const CHART = `${READ_AT} charts/external-dns`;

/** values.yaml: the keys the Deployment's pod fields come from. */
export const EXTERNAL_DNS_DEFAULTS: Values = {
  nameOverride: null,
  namespaceOverride: null,
  podLabels: {},
  image: { repository: 'registry.k8s.io/external-dns/external-dns', tag: null },
  serviceAccount: { create: true, name: null },
  automountServiceAccountToken: true,
  extraContainers: [],
  initContainers: [],
  podSecurityContext: { runAsNonRoot: true, fsGroup: 65534, seccompProfile: { type: 'RuntimeDefault' } },
  securityContext: { privileged: false, allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, runAsNonRoot: true, runAsUser: 65532, runAsGroup: 65532, capabilities: { drop: ['ALL'] } },
  extraVolumes: [],
  resources: {},
  nodeSelector: {},
  affinity: {},
  tolerations: [],
  provider: { name: 'aws', webhook: { resources: {}, securityContext: {} } },
  secretConfiguration: { enabled: false },
};

/** values.yaml, every key (maps and leaves). */
export const EXTERNAL_DNS_VALUES_KEYS: RecordedValuesKeys = {
  source: `${CHART}/values.yaml`,
  keys: [
    'global', 'global.imagePullSecrets', 'image', 'image.repository', 'image.tag', 'image.pullPolicy',
    'imagePullSecrets', 'nameOverride', 'fullnameOverride', 'namespaceOverride', 'commonLabels', 'serviceAccount',
    'serviceAccount.create', 'serviceAccount.labels', 'serviceAccount.annotations', 'serviceAccount.name',
    'serviceAccount.automountServiceAccountToken', 'service', 'service.annotations', 'service.port',
    'service.ipFamilies', 'service.ipFamilyPolicy', 'rbac', 'rbac.create', 'rbac.additionalPermissions',
    'deploymentAnnotations', 'extraContainers', 'deploymentStrategy', 'deploymentStrategy.type',
    'revisionHistoryLimit', 'podLabels', 'podAnnotations', 'automountServiceAccountToken', 'shareProcessNamespace',
    'podSecurityContext', 'podSecurityContext.runAsNonRoot', 'podSecurityContext.fsGroup',
    'podSecurityContext.seccompProfile', 'podSecurityContext.seccompProfile.type', 'priorityClassName',
    'terminationGracePeriodSeconds', 'dnsPolicy', 'dnsConfig', 'initContainers', 'securityContext',
    'securityContext.privileged', 'securityContext.allowPrivilegeEscalation',
    'securityContext.readOnlyRootFilesystem', 'securityContext.runAsNonRoot', 'securityContext.runAsUser',
    'securityContext.runAsGroup', 'securityContext.capabilities', 'securityContext.capabilities.drop', 'env',
    'livenessProbe', 'livenessProbe.httpGet', 'livenessProbe.httpGet.path', 'livenessProbe.httpGet.port',
    'livenessProbe.initialDelaySeconds', 'livenessProbe.periodSeconds', 'livenessProbe.timeoutSeconds',
    'livenessProbe.failureThreshold', 'livenessProbe.successThreshold', 'readinessProbe', 'readinessProbe.httpGet',
    'readinessProbe.httpGet.path', 'readinessProbe.httpGet.port', 'readinessProbe.initialDelaySeconds',
    'readinessProbe.periodSeconds', 'readinessProbe.timeoutSeconds', 'readinessProbe.failureThreshold',
    'readinessProbe.successThreshold', 'extraVolumes', 'extraVolumeMounts', 'resources', 'nodeSelector', 'affinity',
    'topologySpreadConstraints', 'tolerations', 'serviceMonitor', 'serviceMonitor.enabled',
    'serviceMonitor.additionalLabels', 'serviceMonitor.annotations', 'serviceMonitor.namespace',
    'serviceMonitor.interval', 'serviceMonitor.scrapeTimeout', 'serviceMonitor.scheme', 'serviceMonitor.tlsConfig',
    'serviceMonitor.bearerTokenFile', 'serviceMonitor.relabelings', 'serviceMonitor.metricRelabelings',
    'serviceMonitor.targetLabels', 'logLevel', 'logFormat', 'interval', 'triggerLoopOnEvent', 'namespaced',
    'enableGatewayListenerSets', 'gatewayNamespace', 'sourceNamespace', 'sources', 'policy', 'registry', 'txtOwnerId',
    'txtPrefix', 'txtSuffix', 'domainFilters', 'excludeDomains', 'labelFilter', 'annotationFilter',
    'annotationPrefix', 'managedRecordTypes', 'provider', 'provider.name', 'provider.webhook',
    'provider.webhook.image', 'provider.webhook.image.repository', 'provider.webhook.image.tag',
    'provider.webhook.image.pullPolicy', 'provider.webhook.env', 'provider.webhook.args',
    'provider.webhook.extraVolumeMounts', 'provider.webhook.resources', 'provider.webhook.securityContext',
    'provider.webhook.livenessProbe', 'provider.webhook.livenessProbe.httpGet',
    'provider.webhook.livenessProbe.httpGet.path', 'provider.webhook.livenessProbe.httpGet.port',
    'provider.webhook.livenessProbe.initialDelaySeconds', 'provider.webhook.livenessProbe.periodSeconds',
    'provider.webhook.livenessProbe.timeoutSeconds', 'provider.webhook.livenessProbe.failureThreshold',
    'provider.webhook.livenessProbe.successThreshold', 'provider.webhook.readinessProbe',
    'provider.webhook.readinessProbe.httpGet', 'provider.webhook.readinessProbe.httpGet.path',
    'provider.webhook.readinessProbe.httpGet.port', 'provider.webhook.readinessProbe.initialDelaySeconds',
    'provider.webhook.readinessProbe.periodSeconds', 'provider.webhook.readinessProbe.timeoutSeconds',
    'provider.webhook.readinessProbe.failureThreshold', 'provider.webhook.readinessProbe.successThreshold',
    'provider.webhook.service', 'provider.webhook.service.port', 'provider.webhook.serviceMonitor',
    'provider.webhook.serviceMonitor.interval', 'provider.webhook.serviceMonitor.scheme',
    'provider.webhook.serviceMonitor.tlsConfig', 'provider.webhook.serviceMonitor.bearerTokenFile',
    'provider.webhook.serviceMonitor.scrapeTimeout', 'provider.webhook.serviceMonitor.metricRelabelings',
    'provider.webhook.serviceMonitor.relabelings', 'extraArgs', 'secretConfiguration', 'secretConfiguration.enabled',
    'secretConfiguration.mountPath', 'secretConfiguration.subPath', 'secretConfiguration.data', 'enabled',
  ],
  // templates/deployment.yaml: toYaml of podSecurityContext, securityContext, env, resources, nodeSelector,
  // tolerations, podLabels, podAnnotations; range over the extraArgs map (slice values repeat the flag).
  passThrough: ['podSecurityContext', 'securityContext', 'env', 'resources', 'nodeSelector', 'tolerations', 'podLabels', 'podAnnotations', 'extraArgs'],
};

/** templates/_helpers.tpl external-dns.providerName: `provider` may still be a plain string. */
function providerName(v: Values): string {
  const provider = at(v, 'provider');
  return typeof provider === 'string' ? provider : String(at(v, 'provider.name'));
}

export function externalDnsModel(): ChartModel {
  return {
    chart: 'external-dns',
    version: '1.21.1',
    readAt: READ_AT,
    valuesKeys: EXTERNAL_DNS_VALUES_KEYS,
    values: (user) => mergeValues(EXTERNAL_DNS_DEFAULTS, user),
    unmodelled: [],
    workloads: (v) => {
      // Every pod field is rendered `with` its value: only when non-empty.
      const optional = (key: string, path: string, value: unknown) => (truthy(at(v, path)) ? { [key]: value } : {});
      const webhook: ContainerSpec[] =
        providerName(v) === 'webhook'
          ? [{ name: 'webhook', image: `${String(at(v, 'provider.webhook.image.repository'))}:${String(at(v, 'provider.webhook.image.tag'))}`, ...optional('securityContext', 'provider.webhook.securityContext', map(v, 'provider.webhook.securityContext')), ...optional('resources', 'provider.webhook.resources', map(v, 'provider.webhook.resources')), ports: [{ containerPort: 8080 }] }]
          : [];
      // external-dns.image: the tag defaults to `v` and the chart's appVersion (Chart.yaml appVersion 0.21.0).
      const image = `${String(at(v, 'image.repository'))}:${String(at(v, 'image.tag') || 'v0.21.0')}`;
      // external-dns.serviceAccountName: the fullname when the chart creates it, else `default`, unless named.
      const serviceAccountName = String(at(v, 'serviceAccount.name') || (at(v, 'serviceAccount.create') ? 'external-dns' : 'default'));
      const automount = at(v, 'automountServiceAccountToken');
      const volumes = [...(at(v, 'secretConfiguration.enabled') ? [{ name: 'secrets', secret: { secretName: 'external-dns' } }] : []), ...list(v, 'extraVolumes')];
      return [
        {
          kind: 'Deployment',
          // templates/_helpers.tpl: the release name when it contains the chart name, as the platform's does.
          name: 'external-dns',
          // external-dns.namespace: namespaceOverride, else the release's.
          ...(truthy(at(v, 'namespaceOverride')) ? { namespace: String(at(v, 'namespaceOverride')) } : {}),
          // `replicas: 1` in the template: external-dns elects no leader, so the chart runs one writer.
          replicas: 1,
          source: `${CHART}/templates/deployment.yaml`,
          // external-dns.selectorLabels (name: nameOverride or the chart name), then podLabels as given.
          podLabels: { 'app.kubernetes.io/name': String(at(v, 'nameOverride') || 'external-dns'), 'app.kubernetes.io/instance': 'external-dns', ...(map(v, 'podLabels') as Record<string, string>) },
          pod: {
            // `if not (quote .Values.automountServiceAccountToken | empty)`: rendered when set, true or false.
            ...(typeof automount === 'boolean' ? { automountServiceAccountToken: automount } : {}),
            serviceAccountName,
            ...optional('securityContext', 'podSecurityContext', map(v, 'podSecurityContext')),
            ...optional('initContainers', 'initContainers', list(v, 'initContainers')),
            containers: [
              // `extraContainers` come first, rendered as given.
              ...(list(v, 'extraContainers') as never[]),
              {
                name: 'external-dns',
                image,
                ...optional('securityContext', 'securityContext', map(v, 'securityContext')),
                ...optional('resources', 'resources', map(v, 'resources')),
                ports: [{ containerPort: 7979 }],
              },
              ...webhook,
            ],
            ...(volumes.length > 0 ? { volumes } : {}),
            ...optional('nodeSelector', 'nodeSelector', map(v, 'nodeSelector')),
            // The template copies node affinity as given and adds the release's label selector to pod
            // (anti-)affinity terms that lack one; placement here reads node affinity and topology keys only.
            ...optional('affinity', 'affinity', map(v, 'affinity')),
            ...optional('tolerations', 'tolerations', list(v, 'tolerations')),
          },
        },
      ];
    },
  };
}

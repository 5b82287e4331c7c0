/**
 * enix/x509-certificate-exporter v4.2.0 (8bab222d), chart/: published as chart 4.2.0, its Chart.yaml
 * versions set from the tag by the release workflow (charts/versions.ts).
 */
import { at, list, mergeValues, truthy, type ChartModel, type ContainerSpec, type Values, type WorkloadModel } from './helm';
import type { RecordedValuesKeys } from './values-keys';

const READ_AT = 'enix/x509-certificate-exporter v4.2.0';
const CHART = `${READ_AT} chart`;
/** templates/_helpers.tpl: the release name when it contains the chart name, as the platform's does. */
const FULLNAME = 'x509-certificate-exporter';

const RESTRICTED_CONTAINER = { runAsUser: 65534, runAsGroup: 65534, readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } };
const RESTRICTED_POD = { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } };

/** values.yaml: the keys the pod fields of the Deployment and the upgrade Job come from. */
export const X509_EXPORTER_DEFAULTS: Values = {
  namespaceOverride: '',
  image: { registry: 'quay.io', repository: 'enix/x509-certificate-exporter', tag: '', tagSuffix: '', digest: '' },
  rbac: { create: true, secretsExporter: { serviceAccountName: null } },
  extraDeploy: [],
  extraDeployVerbatim: [],
  migration: {
    image: { registry: 'registry.k8s.io', repository: 'kubectl', tag: '', digest: '' },
    resources: { limits: { cpu: 1, memory: '150Mi' }, requests: { cpu: '20m', memory: '20Mi' } },
    podSecurityContext: RESTRICTED_POD,
    securityContext: RESTRICTED_CONTAINER,
  },
  secretsExporter: {
    enabled: true,
    replicas: 1,
    resources: { limits: { cpu: 1, memory: '150Mi' }, requests: { cpu: '20m', memory: '20Mi' } },
    nodeSelector: {},
    tolerations: [],
    affinity: {},
    podSecurityContext: RESTRICTED_POD,
    securityContext: RESTRICTED_CONTAINER,
    extraVolumes: [],
  },
  cabundlesExporter: { enabled: false },
  hostPathsExporter: { daemonSets: {} },
  podListenPort: 9793,
  probeListenPort: 0,
  webConfiguration: '',
  webConfigurationExistingSecret: '',
  service: { create: true },
  extraVolumes: [],
  rbacProxy: {
    enabled: false,
    image: { registry: 'quay.io', repository: 'brancz/kube-rbac-proxy', tag: 'v0.22.1', digest: '' },
    resources: { limits: { cpu: '100m', memory: '40Mi' }, requests: { cpu: '10m', memory: '20Mi' } },
    securityContext: { ...RESTRICTED_CONTAINER, runAsNonRoot: true },
  },
};

/** values.yaml, every key (maps and leaves). */
export const X509_EXPORTER_VALUES_KEYS: RecordedValuesKeys = {
  source: `${CHART}/values.yaml`,
  keys: [
    'nameOverride', 'fullnameOverride', 'namespaceOverride', 'extraDeploy', 'extraDeployVerbatim', 'imagePullSecrets',
    'image', 'image.registry', 'image.repository', 'image.tag', 'image.tagSuffix', 'image.digest', 'image.pullPolicy',
    'migration', 'migration.image', 'migration.image.registry', 'migration.image.repository', 'migration.image.tag',
    'migration.image.digest', 'migration.image.pullPolicy', 'migration.annotations', 'migration.extraLabels',
    'migration.resources', 'migration.resources.limits', 'migration.resources.limits.cpu',
    'migration.resources.limits.memory', 'migration.resources.requests', 'migration.resources.requests.cpu',
    'migration.resources.requests.memory', 'migration.podSecurityContext',
    'migration.podSecurityContext.runAsNonRoot', 'migration.podSecurityContext.seccompProfile',
    'migration.podSecurityContext.seccompProfile.type', 'migration.securityContext',
    'migration.securityContext.runAsUser', 'migration.securityContext.runAsGroup',
    'migration.securityContext.readOnlyRootFilesystem', 'migration.securityContext.allowPrivilegeEscalation',
    'migration.securityContext.capabilities', 'migration.securityContext.capabilities.drop',
    'exposePerCertificateErrorMetrics', 'exposeRelativeMetrics', 'exposeNotBeforeMetric', 'exposeExpiredMetric',
    'exposeDiagnosticMetrics', 'metricLabelsFilterList', 'grafana', 'grafana.createDashboard', 'grafana.sidecarLabel',
    'grafana.sidecarLabelValue', 'grafana.annotations', 'grafana.extraLabels', 'secretsExporter',
    'secretsExporter.enabled', 'secretsExporter.annotations', 'secretsExporter.debugMode', 'secretsExporter.replicas',
    'secretsExporter.restartPolicy', 'secretsExporter.strategy', 'secretsExporter.revisionHistoryLimit',
    'secretsExporter.resources', 'secretsExporter.resources.limits', 'secretsExporter.resources.limits.cpu',
    'secretsExporter.resources.limits.memory', 'secretsExporter.resources.requests',
    'secretsExporter.resources.requests.cpu', 'secretsExporter.resources.requests.memory',
    'secretsExporter.readinessProbe', 'secretsExporter.readinessProbe.initialDelaySeconds',
    'secretsExporter.readinessProbe.periodSeconds', 'secretsExporter.livenessProbe',
    'secretsExporter.livenessProbe.initialDelaySeconds', 'secretsExporter.livenessProbe.periodSeconds',
    'secretsExporter.nodeSelector', 'secretsExporter.tolerations', 'secretsExporter.affinity',
    'secretsExporter.priorityClassName', 'secretsExporter.podExtraLabels', 'secretsExporter.podAnnotations',
    'secretsExporter.podSecurityContext', 'secretsExporter.podSecurityContext.runAsNonRoot',
    'secretsExporter.podSecurityContext.seccompProfile', 'secretsExporter.podSecurityContext.seccompProfile.type',
    'secretsExporter.securityContext', 'secretsExporter.securityContext.runAsUser',
    'secretsExporter.securityContext.runAsGroup', 'secretsExporter.securityContext.readOnlyRootFilesystem',
    'secretsExporter.securityContext.allowPrivilegeEscalation', 'secretsExporter.securityContext.capabilities',
    'secretsExporter.securityContext.capabilities.drop', 'secretsExporter.extraVolumes',
    'secretsExporter.extraVolumeMounts', 'secretsExporter.secretTypes', 'secretsExporter.configMapKeys',
    'secretsExporter.includeNamespaces', 'secretsExporter.excludeNamespaces',
    'secretsExporter.includeNamespaceLabels', 'secretsExporter.excludeNamespaceLabels',
    'secretsExporter.includeSecrets', 'secretsExporter.excludeSecrets', 'secretsExporter.includeConfigMaps',
    'secretsExporter.excludeConfigMaps', 'secretsExporter.includeLabels', 'secretsExporter.excludeLabels',
    'secretsExporter.exposeSecretLabels', 'secretsExporter.exposeConfigMapLabels', 'secretsExporter.extraArgs',
    'secretsExporter.cache', 'secretsExporter.cache.enabled', 'secretsExporter.cache.maxDuration',
    'secretsExporter.kubeApiRateLimits', 'secretsExporter.kubeApiRateLimits.enabled',
    'secretsExporter.kubeApiRateLimits.queriesPerSecond', 'secretsExporter.kubeApiRateLimits.burstQueries',
    'secretsExporter.listPageSize', 'secretsExporter.env', 'cabundlesExporter', 'cabundlesExporter.enabled',
    'cabundlesExporter.resources', 'cabundlesExporter.resources.mutating', 'cabundlesExporter.resources.validating',
    'cabundlesExporter.resources.apiservice', 'cabundlesExporter.resources.crdConversion',
    'cabundlesExporter.includeNames', 'cabundlesExporter.excludeNames', 'cabundlesExporter.includeLabels',
    'cabundlesExporter.excludeLabels', 'cabundlesExporter.exposeLabels', 'hostPathsExporter',
    'hostPathsExporter.annotations', 'hostPathsExporter.debugMode', 'hostPathsExporter.skipSymlinks',
    'hostPathsExporter.refreshInterval', 'hostPathsExporter.restartPolicy', 'hostPathsExporter.updateStrategy',
    'hostPathsExporter.revisionHistoryLimit', 'hostPathsExporter.resources', 'hostPathsExporter.resources.limits',
    'hostPathsExporter.resources.limits.cpu', 'hostPathsExporter.resources.limits.memory',
    'hostPathsExporter.resources.requests', 'hostPathsExporter.resources.requests.cpu',
    'hostPathsExporter.resources.requests.memory', 'hostPathsExporter.readinessProbe',
    'hostPathsExporter.readinessProbe.initialDelaySeconds', 'hostPathsExporter.readinessProbe.periodSeconds',
    'hostPathsExporter.livenessProbe', 'hostPathsExporter.livenessProbe.initialDelaySeconds',
    'hostPathsExporter.livenessProbe.periodSeconds', 'hostPathsExporter.nodeSelector',
    'hostPathsExporter.tolerations', 'hostPathsExporter.affinity', 'hostPathsExporter.priorityClassName',
    'hostPathsExporter.podExtraLabels', 'hostPathsExporter.podAnnotations', 'hostPathsExporter.podSecurityContext',
    'hostPathsExporter.podSecurityContext.seccompProfile', 'hostPathsExporter.podSecurityContext.seccompProfile.type',
    'hostPathsExporter.securityContext', 'hostPathsExporter.securityContext.runAsUser',
    'hostPathsExporter.securityContext.runAsGroup', 'hostPathsExporter.securityContext.readOnlyRootFilesystem',
    'hostPathsExporter.securityContext.allowPrivilegeEscalation', 'hostPathsExporter.securityContext.capabilities',
    'hostPathsExporter.securityContext.capabilities.drop', 'hostPathsExporter.extraVolumes',
    'hostPathsExporter.extraVolumeMounts', 'hostPathsExporter.hostPathVolumeType',
    'hostPathsExporter.watchDirectories', 'hostPathsExporter.watchSpecificExtensionDirectories',
    'hostPathsExporter.watchFiles', 'hostPathsExporter.watchKubeconfFiles', 'hostPathsExporter.env',
    'hostPathsExporter.daemonSets', 'podListenPort', 'probeListenPort', 'hostNetwork', 'web', 'web.enableStats',
    'webConfiguration', 'webConfigurationExistingSecret', 'service', 'service.create', 'service.headless',
    'service.port', 'service.annotations', 'service.extraLabels', 'prometheusServiceMonitor',
    'prometheusServiceMonitor.create', 'prometheusServiceMonitor.scrapeInterval',
    'prometheusServiceMonitor.scrapeTimeout', 'prometheusServiceMonitor.extraLabels',
    'prometheusServiceMonitor.extraAnnotations', 'prometheusServiceMonitor.metricRelabelings',
    'prometheusServiceMonitor.relabelings', 'prometheusServiceMonitor.scheme', 'prometheusServiceMonitor.basicAuth',
    'prometheusServiceMonitor.tlsConfig', 'prometheusPodMonitor', 'prometheusPodMonitor.create',
    'prometheusPodMonitor.scrapeInterval', 'prometheusPodMonitor.scrapeTimeout', 'prometheusPodMonitor.extraLabels',
    'prometheusPodMonitor.metricRelabelings', 'prometheusPodMonitor.relabelings', 'prometheusPodMonitor.scheme',
    'prometheusPodMonitor.basicAuth', 'prometheusPodMonitor.tlsConfig', 'prometheusRules', 'prometheusRules.create',
    'prometheusRules.rulePrefix', 'prometheusRules.extraLabels', 'prometheusRules.alertExtraLabels',
    'prometheusRules.alertExtraAnnotations', 'prometheusRules.alertOnSourceErrors',
    'prometheusRules.sourceErrorsSeverity', 'prometheusRules.sourceErrorsSustainedSeverity',
    'prometheusRules.alertOnSourceDown', 'prometheusRules.sourceDownSeverity',
    'prometheusRules.alertOnKubeTransportErrors', 'prometheusRules.kubeTransportErrorsSeverity',
    'prometheusRules.kubeTransportErrorsSustainedSeverity', 'prometheusRules.alertOnKeystorePassphraseFailures',
    'prometheusRules.keystorePassphraseFailuresSeverity', 'prometheusRules.alertOnCertificateError',
    'prometheusRules.certificateErrorSeverity', 'prometheusRules.certificateRenewalsSeverity',
    'prometheusRules.certificateExpirationsSeverity', 'prometheusRules.warningDaysLeft',
    'prometheusRules.criticalDaysLeft', 'prometheusRules.alertOnCertificateNotYetValid',
    'prometheusRules.certificateNotYetValidSeverity', 'prometheusRules.alertOnCertificateCollision',
    'prometheusRules.certificateCollisionSeverity', 'prometheusRules.crlWarningDaysLeft',
    'prometheusRules.crlNeedsRefreshSeverity', 'prometheusRules.crlStaleSeverity',
    'prometheusRules.disableBuiltinAlertGroup', 'prometheusRules.extraAlertGroups',
    'prometheusRules.alertExprOverrides', 'prometheusRules.alertForOverrides', 'extraLabels', 'podExtraLabels',
    'podAnnotations', 'priorityClassName', 'extraVolumes', 'extraVolumeMounts', 'psp', 'psp.create', 'rbac',
    'rbac.create', 'rbac.secretsExporter', 'rbac.secretsExporter.serviceAccountName',
    'rbac.secretsExporter.serviceAccountAnnotations', 'rbac.secretsExporter.clusterRoleAnnotations',
    'rbac.secretsExporter.clusterRoleBindingAnnotations', 'rbac.hostPathsExporter',
    'rbac.hostPathsExporter.serviceAccountName', 'rbac.hostPathsExporter.serviceAccountAnnotations',
    'rbac.hostPathsExporter.clusterRoleAnnotations', 'rbac.hostPathsExporter.clusterRoleBindingAnnotations',
    'rbacProxy', 'rbacProxy.enabled', 'rbacProxy.tls', 'rbacProxy.tls.existingSecretName', 'rbacProxy.image',
    'rbacProxy.image.registry', 'rbacProxy.image.repository', 'rbacProxy.image.tag', 'rbacProxy.image.digest',
    'rbacProxy.image.pullPolicy', 'rbacProxy.upstreamListenPort', 'rbacProxy.resources', 'rbacProxy.resources.limits',
    'rbacProxy.resources.limits.cpu', 'rbacProxy.resources.limits.memory', 'rbacProxy.resources.requests',
    'rbacProxy.resources.requests.cpu', 'rbacProxy.resources.requests.memory', 'rbacProxy.securityContext',
    'rbacProxy.securityContext.runAsUser', 'rbacProxy.securityContext.runAsGroup',
    'rbacProxy.securityContext.runAsNonRoot', 'rbacProxy.securityContext.readOnlyRootFilesystem',
    'rbacProxy.securityContext.allowPrivilegeEscalation', 'rbacProxy.securityContext.capabilities',
    'rbacProxy.securityContext.capabilities.drop',
  ],
  // templates/deployment.yaml: toYaml of secretsExporter.podSecurityContext, .securityContext, .resources, .env,
  // .nodeSelector, .tolerations and .affinity.
  passThrough: [
    'secretsExporter.podSecurityContext', 'secretsExporter.securityContext', 'secretsExporter.resources', 'secretsExporter.env',
    'secretsExporter.nodeSelector', 'secretsExporter.tolerations', 'secretsExporter.affinity',
  ],
};

/**
 * x509-certificate-exporter.image and .rbacProxy.image: `<registry>/<repository>` (no registry when
 * empty), then `@<digest>`, or `:<tag>` (the exporter's tag defaults to the chart's appVersion, 4.2.0
 * as published, followed by tagSuffix).
 */
function imageOf(v: Values, path: string, defaultTag = ''): string {
  const registry = String(at(v, `${path}.registry`) || '');
  const repository = String(at(v, `${path}.repository`));
  const prefix = registry ? `${registry}/${repository}` : repository;
  if (truthy(at(v, `${path}.digest`))) return `${prefix}@${String(at(v, `${path}.digest`))}`;
  return `${prefix}:${String(at(v, `${path}.tag`) || defaultTag)}${String(at(v, `${path}.tagSuffix`) || '')}`;
}

/** `major.minor.patch` of a chart version, build metadata and pre-release dropped. */
function semver(version: string): [number, number, number] {
  const [major, minor, patch] = version.split(/[+-]/)[0].split('.').map(Number);
  return [major, minor ?? 0, patch ?? 0];
}
const below = (version: string, than: string) => {
  const [a, b] = [semver(version), semver(than)];
  return a[0] !== b[0] ? a[0] < b[0] : a[1] !== b[1] ? a[1] < b[1] : a[2] < b[2];
};

/**
 * templates/_helpers.tpl migration.tasks and migration.needsHook: the pre-upgrade cleanup Job renders
 * when the release upgrades from a chart older than 4.0.0 (Deployment and Service recreated), or older
 * than 4.1.0 with hostPath DaemonSets configured. The previous version is looked up in the cluster
 * (the `helm.sh/chart` label of the chart's Service, Deployment or DaemonSets), not in values.
 */
function needsMigration(v: Values, upgradingFrom: string | undefined): boolean {
  if (upgradingFrom === undefined) return false;
  return below(upgradingFrom, '4.0.0') || (below(upgradingFrom, '4.1.0') && truthy(at(v, 'hostPathsExporter.daemonSets')));
}

export interface X509ExporterModelProps {
  /**
   * Chart version of the release already in the cluster. The platform has only ever pinned 4.2.0
   * (charts/versions.ts), so its installs and upgrades never render the migration Job.
   * @default none: a first install, or an upgrade from 4.2.0
   */
  readonly upgradingFrom?: string;
}

export function x509ExporterModel(props: X509ExporterModelProps = {}): ChartModel {
  return {
    chart: 'x509-certificate-exporter',
    version: '4.2.0',
    readAt: READ_AT,
    valuesKeys: X509_EXPORTER_VALUES_KEYS,
    values: (user) => mergeValues(X509_EXPORTER_DEFAULTS, user),
    unmodelled: [
      // One hostPath DaemonSet per entry, for node certificate files.
      { source: `${CHART}/templates/daemonset.yaml`, when: (v) => truthy(at(v, 'hostPathsExporter.daemonSets')) },
      // Arbitrary objects, rendered as given.
      { source: `${CHART}/templates/extra.yaml`, when: (v) => truthy(at(v, 'extraDeploy')) || truthy(at(v, 'extraDeployVerbatim')) },
    ],
    workloads: (v) => {
      // x509-certificate-exporter.namespace: namespaceOverride, else the release's.
      const namespace = truthy(at(v, 'namespaceOverride')) ? { namespace: String(at(v, 'namespaceOverride')) } : {};
      const optional = (key: string, path: string) => (truthy(at(v, path)) ? { [key]: at(v, path) } : {});
      const out: WorkloadModel[] = [];
      if (at(v, 'secretsExporter.enabled') || at(v, 'cabundlesExporter.enabled')) {
        // x509-certificate-exporter.probeListenPort: on 8080 when /metrics needs authentication.
        const authenticated = truthy(at(v, 'webConfiguration')) || truthy(at(v, 'webConfigurationExistingSecret'));
        const proxy = at(v, 'rbacProxy.enabled') === true;
        const probePort = Number(at(v, 'probeListenPort')) > 0 ? Number(at(v, 'probeListenPort')) : authenticated || proxy ? 8080 : 0;
        const listenPort = at(v, 'podListenPort') as number;
        const exporter: ContainerSpec = {
          name: 'x509-certificate-exporter',
          image: imageOf(v, 'image', '4.2.0'),
          ...optional('securityContext', 'secretsExporter.securityContext'),
          ...optional('resources', 'secretsExporter.resources'),
          // Behind kube-rbac-proxy the exporter declares no port; the proxy serves podListenPort.
          ...(proxy ? {} : { ports: [{ containerPort: listenPort }, ...(probePort > 0 ? [{ containerPort: probePort }] : [])] }),
        };
        const rbacProxy: ContainerSpec[] = proxy
          ? [{ name: 'kube-rbac-proxy', image: imageOf(v, 'rbacProxy.image'), ...optional('securityContext', 'rbacProxy.securityContext'), ...optional('resources', 'rbacProxy.resources'), ports: [{ containerPort: listenPort }] }]
          : [];
        const secretsReplicas = at(v, 'secretsExporter.replicas');
        out.push({
          kind: 'Deployment',
          name: FULLNAME,
          ...namespace,
          // `replicas` is rendered only when set: the Deployment's default of 1 otherwise.
          replicas: secretsReplicas === null || secretsReplicas === undefined ? 1 : Number(secretsReplicas),
          source: `${CHART}/templates/deployment.yaml`,
          pod: {
            // x509-certificate-exporter.secretsExporterServiceAccountName: the fullname when the chart creates it, else `default`, unless named.
            serviceAccountName: String(at(v, 'rbac.secretsExporter.serviceAccountName') || (at(v, 'rbac.create') ? FULLNAME : 'default')),
            ...optional('affinity', 'secretsExporter.affinity'),
            ...optional('tolerations', 'secretsExporter.tolerations'),
            ...optional('securityContext', 'secretsExporter.podSecurityContext'),
            ...optional('nodeSelector', 'secretsExporter.nodeSelector'),
            containers: [exporter, ...rbacProxy],
            volumes: [
              { name: 'config', configMap: { name: `${FULLNAME}-secrets` } },
              ...list(v, 'secretsExporter.extraVolumes'),
              ...list(v, 'extraVolumes'),
              ...(authenticated ? [{ name: 'web-configuration', secret: {} }] : []),
              ...(proxy ? [{ name: 'rbac-proxy-tls', secret: {} }] : []),
            ],
          },
        });
      }
      if (needsMigration(v, props.upgradingFrom)) {
        out.push({
          kind: 'Job',
          name: `${FULLNAME}-pre-upgrade`,
          ...namespace,
          hook: 'pre-upgrade',
          replicas: 1,
          source: `${CHART}/templates/migrations/pre-upgrade.yaml`,
          // No nodeSelector, tolerations or affinity: the template renders none.
          pod: {
            serviceAccountName: `${FULLNAME}-pre-upgrade`,
            ...optional('securityContext', 'migration.podSecurityContext'),
            // migration.kubectlImage: without a digest or tag, the tag is the cluster's Kubernetes version, which values do not hold.
            containers: [{ name: 'kubectl', ...(truthy(at(v, 'migration.image.digest')) || truthy(at(v, 'migration.image.tag')) ? { image: imageOf(v, 'migration.image') } : {}), ...optional('securityContext', 'migration.securityContext'), ...optional('resources', 'migration.resources') }],
          },
        });
      }
      return out;
    },
  };
}

/**
 * prometheus-community/helm-charts kube-prometheus-stack-79.6.1, charts/kube-prometheus-stack, with
 * the dependencies its Chart.yaml pins: kube-state-metrics 6.4.1 and prometheus-node-exporter 4.49.1
 * (same repository, tags kube-state-metrics-6.4.1 and prometheus-node-exporter-4.49.1), grafana
 * 10.1.5 (grafana/helm-charts grafana-10.1.5), and prometheus-windows-exporter 0.12.* (off:
 * `windowsMonitoring.enabled: false`). Prometheus and Alertmanager pods are built by the Prometheus
 * operator the chart pins (Chart.yaml appVersion v0.86.2; prometheus-operator/prometheus-operator
 * v0.86.2 pkg/prometheus/server/statefulset.go, pkg/alertmanager/statefulset.go,
 * pkg/operator/config_reloader.go).
 */
import { at, list, map, truthy, withSubcharts, type ChartModel, type ContainerSpec, type Values, type WorkloadModel } from './helm';
import type { RecordedValuesKeys } from './values-keys';

const READ_AT = 'prometheus-community/helm-charts kube-prometheus-stack-79.6.1';
const T = `${READ_AT} charts/kube-prometheus-stack/templates`;
const OPERATOR = 'prometheus-operator/prometheus-operator v0.86.2';
/** The release is `kube-prometheus-stack`: it contains the chart name, so the fullname is the release name. */
const FULLNAME = 'kube-prometheus-stack';

/** charts/kube-prometheus-stack/values.yaml: the keys the pod fields come from, and its values for its subcharts. */
export const KPS_DEFAULTS: Values = {
  windowsMonitoring: { enabled: false },
  nodeExporter: { enabled: true },
  kubeStateMetrics: { enabled: true },
  thanosRuler: { enabled: false },
  crds: { enabled: true, upgradeJob: { enabled: false } },
  prometheusOperator: {
    enabled: true,
    hostNetwork: false,
    // The operator's tag and the config reloader's default to Chart.yaml appVersion v0.86.2.
    image: { registry: 'quay.io', repository: 'prometheus-operator/prometheus-operator', tag: '' },
    prometheusConfigReloader: { image: { registry: 'quay.io', repository: 'prometheus-operator/prometheus-config-reloader', tag: '' }, resources: {} },
    automountServiceAccountToken: true,
    tls: { enabled: true },
    extraVolumes: [],
    resources: {},
    nodeSelector: {},
    tolerations: [],
    affinity: {},
    securityContext: { fsGroup: 65534, runAsGroup: 65534, runAsNonRoot: true, runAsUser: 65534, seccompProfile: { type: 'RuntimeDefault' } },
    containerSecurityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
    admissionWebhooks: {
      enabled: true,
      certManager: { enabled: false },
      deployment: { enabled: false },
      patch: {
        enabled: true,
        image: { registry: 'registry.k8s.io', repository: 'ingress-nginx/kube-webhook-certgen', tag: 'v1.6.4' },
        resources: {},
        nodeSelector: {},
        affinity: {},
        tolerations: [],
        securityContext: { runAsGroup: 2000, runAsNonRoot: true, runAsUser: 2000, seccompProfile: { type: 'RuntimeDefault' } },
      },
      createSecretJob: { securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } } },
      patchWebhookJob: { securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } } },
    },
  },
  prometheus: {
    enabled: true,
    prometheusSpec: {
      replicas: 1,
      hostNetwork: false,
      image: { registry: 'quay.io', repository: 'prometheus/prometheus', tag: 'v3.7.3' },
      automountServiceAccountToken: true,
      securityContext: { runAsGroup: 2000, runAsNonRoot: true, runAsUser: 1000, fsGroup: 2000, seccompProfile: { type: 'RuntimeDefault' } },
      nodeSelector: {},
      tolerations: [],
      initContainers: [],
      containers: [],
      volumes: [],
      resources: {},
      thanos: {},
    },
  },
  alertmanager: {
    enabled: true,
    alertmanagerSpec: {
      replicas: 1,
      image: { registry: 'quay.io', repository: 'prometheus/alertmanager', tag: 'v0.29.0' },
      automountServiceAccountToken: true,
      securityContext: { runAsGroup: 2000, runAsNonRoot: true, runAsUser: 1000, fsGroup: 2000, seccompProfile: { type: 'RuntimeDefault' } },
      nodeSelector: {},
      tolerations: [],
      initContainers: [],
      containers: [],
      volumes: [],
      resources: {},
    },
  },
  grafana: { enabled: true, sidecar: { dashboards: { enabled: true }, datasources: { enabled: true } } },
  'kube-state-metrics': {},
  'prometheus-node-exporter': { namespaceOverride: '' },
};

/** kube-state-metrics-6.4.1 charts/kube-state-metrics/values.yaml. */
export const KSM_DEFAULTS: Values = {
  replicas: 1,
  // The tag defaults to Chart.yaml appVersion v2.17.0.
  image: { registry: 'registry.k8s.io', repository: 'kube-state-metrics/kube-state-metrics', tag: '' },
  automountServiceAccountToken: true,
  hostNetwork: false,
  securityContext: { enabled: true, runAsGroup: 65534, runAsUser: 65534, fsGroup: 65534, runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
  containerSecurityContext: { readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
  kubeRBACProxy: { enabled: false },
  resources: {},
  nodeSelector: {},
  tolerations: [],
  volumes: [],
};

/** prometheus-node-exporter-4.49.1 charts/prometheus-node-exporter/values.yaml. */
export const NODE_EXPORTER_DEFAULTS: Values = {
  namespaceOverride: '',
  // The tag defaults to `v` and Chart.yaml appVersion 1.10.2.
  image: { registry: 'quay.io', repository: 'prometheus/node-exporter', tag: '' },
  serviceAccount: { automountServiceAccountToken: false },
  securityContext: { fsGroup: 65534, runAsGroup: 65534, runAsNonRoot: true, runAsUser: 65534 },
  containerSecurityContext: { readOnlyRootFilesystem: true },
  hostNetwork: true,
  hostPID: true,
  hostIPC: false,
  hostRootFsMount: { enabled: true },
  service: { port: 9100 },
  kubeRBACProxy: { enabled: false },
  resources: {},
  nodeSelector: { 'kubernetes.io/os': 'linux' },
  tolerations: [{ effect: 'NoSchedule', operator: 'Exists' }],
  extraInitContainers: [],
  sidecars: [],
  extraHostVolumeMounts: [],
};

/** grafana-10.1.5 charts/grafana/values.yaml. */
export const GRAFANA_DEFAULTS: Values = {
  replicas: 1,
  // The tag defaults to Chart.yaml appVersion 12.3.0.
  image: { registry: 'docker.io', repository: 'grafana/grafana', tag: '' },
  automountServiceAccountToken: true,
  securityContext: { runAsNonRoot: true, runAsUser: 472, runAsGroup: 472, fsGroup: 472 },
  containerSecurityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, seccompProfile: { type: 'RuntimeDefault' } },
  initChownData: { enabled: true, resources: {}, securityContext: { readOnlyRootFilesystem: false, runAsNonRoot: false, runAsUser: 0, seccompProfile: { type: 'RuntimeDefault' }, capabilities: { add: ['CHOWN'], drop: ['ALL'] } } },
  downloadDashboards: { resources: {}, securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, seccompProfile: { type: 'RuntimeDefault' } } },
  sidecar: {
    image: { registry: 'quay.io', repository: 'kiwigrid/k8s-sidecar', tag: '1.30.10' },
    resources: {},
    securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, seccompProfile: { type: 'RuntimeDefault' } },
    alerts: { enabled: false, initAlerts: false },
    dashboards: { enabled: false },
    datasources: { enabled: false, initDatasources: false },
    notifiers: { enabled: false, initNotifiers: false },
    plugins: { enabled: false },
  },
  persistence: { enabled: false },
  resources: {},
  nodeSelector: {},
  tolerations: [],
  affinity: {},
  extraInitContainers: [],
  extraContainers: '',
  extraVolumes: [],
  testFramework: { enabled: true },
  imageRenderer: { enabled: false },
};

const CONFIG_RELOADER_SECURITY_CONTEXT = { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } };

/**
 * templates/_helpers.tpl kube-prometheus-stack.labels (instance the release, part-of the chart name, release)
 * and, per component, the name the chart gives it: the operator's (prometheus-operator/_prometheus-operator.tpl)
 * and its webhook certificate Jobs' (admission-webhooks/_prometheus-operator-webhook.tpl) are both
 * `kube-prometheus-stack-prometheus-operator`. Only the keys the policies read are modelled.
 */
const KPS_LABELS = { 'app.kubernetes.io/instance': FULLNAME, 'app.kubernetes.io/part-of': FULLNAME, release: FULLNAME };
const OPERATOR_LABELS = { ...KPS_LABELS, app: `${FULLNAME}-operator`, 'app.kubernetes.io/name': `${FULLNAME}-prometheus-operator`, 'app.kubernetes.io/component': 'prometheus-operator' };
const WEBHOOK_LABELS = { ...KPS_LABELS, 'app.kubernetes.io/name': `${FULLNAME}-prometheus-operator`, 'app.kubernetes.io/component': 'prometheus-operator-webhook' };

/** `<registry>/<repository>:<tag>` of a values image block, the tag defaulting as the template does. */
const imageOf = (v: Values, path: string, defaultTag: string): string => `${String(at(v, `${path}.registry`))}/${String(at(v, `${path}.repository`))}:${String(at(v, `${path}.tag`) || defaultTag)}`;

/**
 * A pod the operator builds from a Prometheus or Alertmanager resource: the spec's securityContext,
 * nodeSelector, tolerations and affinity as given; its own containers with a fixed security context
 * (statefulset.go: the main container, config_reloader.go: `config-reloader` and `init-config-reloader`,
 * each `allowPrivilegeEscalation: false`, `readOnlyRootFilesystem: true`, drop ALL); the spec's
 * `containers`/`initContainers` (strategic-merge patches onto them, none by default); the volumes it
 * generates are secrets, configMaps, projected, emptyDir and the storage claim. The reloaders' image and
 * resources come from the operator's flags, which the chart sets from prometheusOperator.prometheusConfigReloader
 * (templates/prometheus-operator/deployment.yaml: `--config-reloader-{cpu,memory}-{request,limit}`, `0` when
 * a value is empty, which the operator takes as none: prometheus-operator v0.86.2 cmd/operator/main.go).
 */
function operatorPod(spec: Values, main: string, resources: unknown, reloader: { image: string; resources: unknown }, serviceAccountName: string): WorkloadModel['pod'] {
  const sc = (name: string, image: string, r: unknown = {}): ContainerSpec => ({ name, image, securityContext: CONFIG_RELOADER_SECURITY_CONTEXT, resources: r as Record<string, unknown> });
  return {
    // The spec's serviceAccountName (the chart's `<fullname>-<component>` ServiceAccount) and token automount.
    serviceAccountName,
    automountServiceAccountToken: at(spec, 'automountServiceAccountToken') === true,
    ...(truthy(at(spec, 'securityContext')) ? { securityContext: map(spec, 'securityContext') } : {}),
    ...(at(spec, 'hostNetwork') === true ? { hostNetwork: true } : {}),
    containers: [
      { ...sc(main, imageOf(spec, 'image', ''), resources), ports: [{ containerPort: main === 'prometheus' ? 9090 : 9093 }] },
      sc('config-reloader', reloader.image, reloader.resources),
      ...(list(spec, 'containers') as never[]),
    ],
    initContainers: [sc('init-config-reloader', reloader.image, reloader.resources), ...(list(spec, 'initContainers') as never[])],
    volumes: [
      { name: 'config', secret: {} },
      { name: 'tls-assets', projected: {} },
      { name: 'config-out', emptyDir: {} },
      { name: 'web-config', secret: {} },
      { name: 'db', persistentVolumeClaim: {} },
      ...list(spec, 'volumes'),
    ],
    ...(truthy(at(spec, 'nodeSelector')) ? { nodeSelector: map(spec, 'nodeSelector') } : {}),
    ...(truthy(at(spec, 'tolerations')) ? { tolerations: list(spec, 'tolerations') } : {}),
  };
}

function kubeStateMetrics(k: Values): WorkloadModel {
  const sc = map(k, 'securityContext');
  const { enabled, ...podSc } = sc;
  // _helpers.tpl kube-state-metrics.selectorLabels (name `kube-state-metrics`, instance the release) in its labels.
  const labels = { 'app.kubernetes.io/name': 'kube-state-metrics', 'app.kubernetes.io/instance': FULLNAME, release: FULLNAME };
  return {
    kind: 'Deployment',
    name: `${FULLNAME}-kube-state-metrics`,
    replicas: at(k, 'replicas') as number,
    source: 'prometheus-community/helm-charts kube-state-metrics-6.4.1 charts/kube-state-metrics/templates/deployment.yaml',
    labels,
    podLabels: labels,
    pod: {
      serviceAccountName: `${FULLNAME}-kube-state-metrics`,
      automountServiceAccountToken: at(k, 'automountServiceAccountToken') === true,
      // `if .Values.securityContext.enabled`: rendered without `enabled`.
      ...(enabled ? { securityContext: podSc } : {}),
      hostNetwork: at(k, 'hostNetwork') === true,
      containers: [{ name: 'kube-state-metrics', image: imageOf(k, 'image', 'v2.17.0'), securityContext: map(k, 'containerSecurityContext'), resources: map(k, 'resources'), ports: [{ containerPort: 8080 }] }],
      ...(truthy(at(k, 'volumes')) ? { volumes: list(k, 'volumes') } : {}),
      ...(truthy(at(k, 'nodeSelector')) ? { nodeSelector: map(k, 'nodeSelector') } : {}),
      ...(truthy(at(k, 'tolerations')) ? { tolerations: list(k, 'tolerations') } : {}),
    },
  };
}

function nodeExporter(n: Values): WorkloadModel {
  // _helpers.tpl prometheus-node-exporter.labels: its selector labels (name, instance the release) with
  // component `metrics`, and the release label kube-prometheus-stack asks for (releaseLabel: true).
  const labels = { 'app.kubernetes.io/name': 'prometheus-node-exporter', 'app.kubernetes.io/instance': FULLNAME, 'app.kubernetes.io/component': 'metrics', release: FULLNAME };
  return {
    kind: 'DaemonSet',
    name: `${FULLNAME}-prometheus-node-exporter`,
    ...(truthy(at(n, 'namespaceOverride')) ? { namespace: String(at(n, 'namespaceOverride')) } : {}),
    replicas: 'per-node',
    source: 'prometheus-community/helm-charts prometheus-node-exporter-4.49.1 charts/prometheus-node-exporter/templates/daemonset.yaml',
    labels,
    podLabels: labels,
    pod: {
      serviceAccountName: `${FULLNAME}-prometheus-node-exporter`,
      // `or serviceAccount.automountServiceAccountToken kubeRBACProxy.enabled`.
      automountServiceAccountToken: at(n, 'serviceAccount.automountServiceAccountToken') === true || at(n, 'kubeRBACProxy.enabled') === true,
      ...(truthy(at(n, 'securityContext')) ? { securityContext: map(n, 'securityContext') } : {}),
      hostNetwork: at(n, 'hostNetwork') === true,
      hostPID: at(n, 'hostPID') === true,
      hostIPC: at(n, 'hostIPC') === true,
      containers: [
        {
          name: 'node-exporter',
          image: imageOf(n, 'image', 'v1.10.2'),
          ...(truthy(at(n, 'containerSecurityContext')) ? { securityContext: map(n, 'containerSecurityContext') } : {}),
          resources: map(n, 'resources'),
          ports: [{ containerPort: at(n, 'service.port') as number }],
        },
        ...(list(n, 'sidecars') as never[]),
      ],
      ...(truthy(at(n, 'extraInitContainers')) ? { initContainers: list(n, 'extraInitContainers') as never[] } : {}),
      volumes: [
        { name: 'proc', hostPath: { path: '/proc' } },
        { name: 'sys', hostPath: { path: '/sys' } },
        ...(at(n, 'hostRootFsMount.enabled') ? [{ name: 'root', hostPath: { path: '/' } }] : []),
        ...list(n, 'extraHostVolumeMounts').map((m) => ({ name: m.name, hostPath: { path: m.hostPath } })),
      ],
      ...(truthy(at(n, 'nodeSelector')) ? { nodeSelector: map(n, 'nodeSelector') } : {}),
      ...(truthy(at(n, 'tolerations')) ? { tolerations: list(n, 'tolerations') } : {}),
    },
  };
}

function grafana(g: Values): WorkloadModel {
  const sidecar = (name: string): ContainerSpec => ({ name, image: imageOf(g, 'sidecar.image', ''), securityContext: map(g, 'sidecar.securityContext'), resources: map(g, 'sidecar.resources') });
  // _helpers.tpl grafana.selectorLabels (name `grafana`, instance the release), in its labels and the pods'.
  const labels = { 'app.kubernetes.io/name': 'grafana', 'app.kubernetes.io/instance': FULLNAME };
  // templates/_pod.tpl: which init containers and sidecars exist, and the security context of each.
  const init: ContainerSpec[] = [
    ...(at(g, 'persistence.enabled') && at(g, 'initChownData.enabled') ? [{ name: 'init-chown-data', securityContext: map(g, 'initChownData.securityContext'), resources: map(g, 'initChownData.resources') }] : []),
    ...(truthy(at(g, 'dashboards')) ? [{ name: 'download-dashboards', securityContext: map(g, 'downloadDashboards.securityContext'), resources: map(g, 'downloadDashboards.resources') }] : []),
    ...(at(g, 'sidecar.alerts.enabled') && at(g, 'sidecar.alerts.initAlerts') ? [sidecar('grafana-sc-alerts')] : []),
    ...(at(g, 'sidecar.datasources.enabled') && at(g, 'sidecar.datasources.initDatasources') ? [sidecar('grafana-init-sc-datasources')] : []),
    ...(at(g, 'sidecar.notifiers.enabled') && at(g, 'sidecar.notifiers.initNotifiers') ? [sidecar('grafana-sc-notifiers')] : []),
    ...(list(g, 'extraInitContainers') as never[]),
  ];
  return {
    kind: 'Deployment',
    name: `${FULLNAME}-grafana`,
    replicas: at(g, 'replicas') as number,
    source: 'grafana/helm-charts grafana-10.1.5 charts/grafana/templates/_pod.tpl',
    labels,
    podLabels: labels,
    pod: {
      serviceAccountName: `${FULLNAME}-grafana`,
      automountServiceAccountToken: at(g, 'automountServiceAccountToken') === true,
      ...(truthy(at(g, 'securityContext')) ? { securityContext: map(g, 'securityContext') } : {}),
      containers: [
        ...(at(g, 'sidecar.alerts.enabled') && !at(g, 'sidecar.alerts.initAlerts') ? [sidecar('grafana-sc-alerts')] : []),
        ...(at(g, 'sidecar.dashboards.enabled') ? [sidecar('grafana-sc-dashboard')] : []),
        ...(at(g, 'sidecar.datasources.enabled') && !at(g, 'sidecar.datasources.initDatasources') ? [sidecar('grafana-sc-datasources')] : []),
        ...(at(g, 'sidecar.notifiers.enabled') ? [sidecar('grafana-sc-notifiers')] : []),
        ...(at(g, 'sidecar.plugins.enabled') ? [sidecar('grafana-sc-plugins')] : []),
        { name: 'grafana', image: imageOf(g, 'image', '12.3.0'), ...(truthy(at(g, 'containerSecurityContext')) ? { securityContext: map(g, 'containerSecurityContext') } : {}), resources: map(g, 'resources'), ports: [{ containerPort: 3000 }] },
      ],
      ...(init.length > 0 ? { initContainers: init } : {}),
      volumes: [
        { name: 'config', configMap: {} },
        at(g, 'persistence.enabled') ? { name: 'storage', persistentVolumeClaim: {} } : { name: 'storage', emptyDir: {} },
        { name: 'sc-dashboard-volume', emptyDir: {} },
        { name: 'sc-dashboard-provider', configMap: {} },
        { name: 'sc-datasources-volume', emptyDir: {} },
        ...list(g, 'extraVolumes'),
      ],
      ...(truthy(at(g, 'nodeSelector')) ? { nodeSelector: map(g, 'nodeSelector') } : {}),
      ...(truthy(at(g, 'tolerations')) ? { tolerations: list(g, 'tolerations') } : {}),
      ...(truthy(at(g, 'affinity')) ? { affinity: map(g, 'affinity') } : {}),
    },
  };
}

/**
 * charts/kube-prometheus-stack/values.yaml, and under each subchart's name the values.yaml of the pinned
 * kube-state-metrics-6.4.1, prometheus-node-exporter-4.49.1 and grafana/helm-charts grafana-10.1.5:
 * the keys the platform sets.
 */
export const KPS_VALUES_KEYS: RecordedValuesKeys = {
  source: `${READ_AT} charts/kube-prometheus-stack/values.yaml; kube-state-metrics-6.4.1, prometheus-node-exporter-4.49.1, grafana/helm-charts grafana-10.1.5 values.yaml`,
  keys: [
    'crds.enabled', 'crds.upgradeJob.enabled', 'kubeControllerManager.enabled', 'kubeScheduler.enabled', 'kubeEtcd.enabled', 'prometheus.prometheusSpec.replicas', 'prometheus.prometheusSpec.retention',
    'prometheus.prometheusSpec.ruleSelectorNilUsesHelmValues', 'prometheus.prometheusSpec.serviceMonitorSelectorNilUsesHelmValues',
    'prometheus.prometheusSpec.podMonitorSelectorNilUsesHelmValues', 'alertmanager.alertmanagerSpec.replicas', 'prometheus-node-exporter.namespaceOverride',
    'grafana.persistence.enabled', 'grafana.testFramework.enabled',
  ],
  passThrough: [
    'defaultRules.rules', 'prometheus.prometheusSpec.resources', 'prometheus.prometheusSpec.nodeSelector', 'prometheus.prometheusSpec.tolerations',
    'prometheus.prometheusSpec.storageSpec.volumeClaimTemplate', 'alertmanager.alertmanagerSpec.resources', 'alertmanager.alertmanagerSpec.nodeSelector',
    'alertmanager.alertmanagerSpec.tolerations', 'prometheusOperator.resources', 'prometheusOperator.nodeSelector', 'prometheusOperator.tolerations',
    'prometheusOperator.prometheusConfigReloader.resources', 'prometheusOperator.admissionWebhooks.patch.nodeSelector', 'prometheusOperator.admissionWebhooks.patch.tolerations', 'prometheusOperator.admissionWebhooks.patch.resources',
    'kube-state-metrics.resources', 'kube-state-metrics.nodeSelector', 'kube-state-metrics.tolerations', 'prometheus-node-exporter.resources',
    'prometheus-node-exporter.securityContext', 'prometheus-node-exporter.containerSecurityContext', 'grafana.admin', 'grafana.grafana.ini', 'grafana.resources',
    'grafana.sidecar.resources', 'grafana.nodeSelector', 'grafana.tolerations',
  ],
};

export function kubePrometheusStackModel(): ChartModel {
  return {
    chart: 'kube-prometheus-stack',
    version: '79.6.1',
    readAt: READ_AT,
    valuesKeys: KPS_VALUES_KEYS,
    values: (user) => withSubcharts(KPS_DEFAULTS, { 'kube-state-metrics': KSM_DEFAULTS, 'prometheus-node-exporter': NODE_EXPORTER_DEFAULTS, grafana: GRAFANA_DEFAULTS }, user),
    unmodelled: [
      { source: 'prometheus-community/helm-charts prometheus-windows-exporter 0.12.*', when: (v) => truthy(at(v, 'windowsMonitoring.enabled')) },
      { source: `${T}/thanos-ruler/ruler.yaml`, when: (v) => truthy(at(v, 'thanosRuler.enabled')) },
      { source: `${READ_AT} charts/kube-prometheus-stack/charts/crds/templates/upgrade/job.yaml`, when: (v) => truthy(at(v, 'crds.upgradeJob.enabled')) },
      { source: `${T}/prometheus-operator/admission-webhooks/deployment/deployment.yaml`, when: (v) => truthy(at(v, 'prometheusOperator.admissionWebhooks.deployment.enabled')) },
      { source: `${OPERATOR} thanos-sidecar (prometheusSpec.thanos)`, when: (v) => truthy(at(v, 'prometheus.prometheusSpec.thanos')) },
      { source: 'kube-state-metrics-6.4.1 kube-rbac-proxy sidecar', when: (v) => truthy(at(v, 'kube-state-metrics.kubeRBACProxy.enabled')) },
      { source: 'prometheus-node-exporter-4.49.1 kube-rbac-proxy sidecar', when: (v) => truthy(at(v, 'prometheus-node-exporter.kubeRBACProxy.enabled')) },
      { source: 'grafana-10.1.5 templates/tests/test.yaml (helm test pod)', when: (v) => truthy(at(v, 'grafana.testFramework.enabled')) },
      { source: 'grafana-10.1.5 templates/image-renderer-deployment.yaml', when: (v) => truthy(at(v, 'grafana.imageRenderer.enabled')) },
    ],
    workloads: (v) => {
      const out: WorkloadModel[] = [];
      const op = 'prometheusOperator';
      if (at(v, `${op}.enabled`)) {
        out.push({
          kind: 'Deployment',
          name: `${FULLNAME}-operator`,
          replicas: 1,
          source: `${T}/prometheus-operator/deployment.yaml`,
          labels: OPERATOR_LABELS,
          podLabels: OPERATOR_LABELS,
          pod: {
            // kube-prometheus-stack.operator.serviceAccountName: `<fullname>-operator` (serviceAccount.create: true).
            serviceAccountName: `${FULLNAME}-operator`,
            automountServiceAccountToken: at(v, `${op}.automountServiceAccountToken`) === true,
            ...(truthy(at(v, `${op}.securityContext`)) ? { securityContext: map(v, `${op}.securityContext`) } : {}),
            ...(at(v, `${op}.hostNetwork`) === true ? { hostNetwork: true } : {}),
            containers: [{ name: 'kube-prometheus-stack', image: imageOf(v, `${op}.image`, 'v0.86.2'), securityContext: map(v, `${op}.containerSecurityContext`), resources: map(v, `${op}.resources`), ports: [{ containerPort: 10250 }] }],
            volumes: [...(at(v, `${op}.tls.enabled`) ? [{ name: 'tls-secret', secret: {} }] : []), ...list(v, `${op}.extraVolumes`)],
            ...(truthy(at(v, `${op}.nodeSelector`)) ? { nodeSelector: map(v, `${op}.nodeSelector`) } : {}),
            ...(truthy(at(v, `${op}.tolerations`)) ? { tolerations: list(v, `${op}.tolerations`) } : {}),
            ...(truthy(at(v, `${op}.affinity`)) ? { affinity: map(v, `${op}.affinity`) } : {}),
          },
        });
        // admission-webhooks/job-patch/job-createSecret.yaml (pre-install,pre-upgrade) and
        // job-patchWebhook.yaml (post-install,post-upgrade): pod fields from `admissionWebhooks.patch`,
        // the container's security context from createSecretJob / patchWebhookJob.
        const patch = `${op}.admissionWebhooks.patch`;
        if (at(v, `${op}.admissionWebhooks.enabled`) && at(v, `${patch}.enabled`) && !at(v, `${op}.admissionWebhooks.certManager.enabled`)) {
          const job = (name: string, hook: string, container: string, scKey: string, template: string): WorkloadModel => ({
            kind: 'Job',
            name: `${FULLNAME}-${name}`,
            hook,
            replicas: 1,
            source: `${T}/prometheus-operator/admission-webhooks/job-patch/${template}`,
            labels: { ...WEBHOOK_LABELS, app: `${FULLNAME}-${name}` },
            podLabels: { ...WEBHOOK_LABELS, app: `${FULLNAME}-${name}` },
            pod: {
              // `<fullname>-admission`, a ServiceAccount of the chart's own; the token per the SA (none set on the pod).
              serviceAccountName: `${FULLNAME}-admission`,
              ...(truthy(at(v, `${patch}.securityContext`)) ? { securityContext: map(v, `${patch}.securityContext`) } : {}),
              containers: [{ name: container, image: imageOf(v, `${patch}.image`, ''), securityContext: map(v, `${op}.admissionWebhooks.${scKey}.securityContext`), resources: map(v, `${patch}.resources`) }],
              ...(truthy(at(v, `${patch}.nodeSelector`)) ? { nodeSelector: map(v, `${patch}.nodeSelector`) } : {}),
              ...(truthy(at(v, `${patch}.tolerations`)) ? { tolerations: list(v, `${patch}.tolerations`) } : {}),
              ...(truthy(at(v, `${patch}.affinity`)) ? { affinity: map(v, `${patch}.affinity`) } : {}),
            },
          });
          out.push(job('admission-create', 'pre-install,pre-upgrade', 'create', 'createSecretJob', 'job-createSecret.yaml'));
          out.push(job('admission-patch', 'post-install,post-upgrade', 'patch', 'patchWebhookJob', 'job-patchWebhook.yaml'));
        }
      }
      const reloader = { image: imageOf(v, `${op}.prometheusConfigReloader.image`, 'v0.86.2'), resources: map(v, `${op}.prometheusConfigReloader.resources`) };
      // The operator's StatefulSets carry its labels (statefulset.go: app.kubernetes.io/name the component,
      // instance the resource's name, managed-by prometheus-operator) on themselves and their pods.
      const operatorLabels = (app: string) => ({ 'app.kubernetes.io/name': app, 'app.kubernetes.io/instance': `${FULLNAME}-${app}`, 'app.kubernetes.io/managed-by': 'prometheus-operator', [app]: `${FULLNAME}-${app}` });
      if (at(v, 'prometheus.enabled')) {
        const spec = map(v, 'prometheus.prometheusSpec');
        out.push({
          kind: 'StatefulSet',
          name: `prometheus-${FULLNAME}-prometheus`,
          replicas: at(spec, 'replicas') as number,
          createdBy: 'Prometheus',
          source: `${T}/prometheus/prometheus.yaml; ${OPERATOR} pkg/prometheus/server/statefulset.go`,
          labels: operatorLabels('prometheus'),
          podLabels: operatorLabels('prometheus'),
          pod: operatorPod(spec, 'prometheus', at(spec, 'resources'), reloader, `${FULLNAME}-prometheus`),
        });
      }
      if (at(v, 'alertmanager.enabled')) {
        const spec = map(v, 'alertmanager.alertmanagerSpec');
        out.push({
          kind: 'StatefulSet',
          name: `alertmanager-${FULLNAME}-alertmanager`,
          replicas: at(spec, 'replicas') as number,
          createdBy: 'Alertmanager',
          source: `${T}/alertmanager/alertmanager.yaml; ${OPERATOR} pkg/alertmanager/statefulset.go`,
          labels: operatorLabels('alertmanager'),
          podLabels: operatorLabels('alertmanager'),
          pod: operatorPod(spec, 'alertmanager', at(spec, 'resources'), reloader, `${FULLNAME}-alertmanager`),
        });
      }
      if (at(v, 'kubeStateMetrics.enabled')) out.push(kubeStateMetrics(map(v, 'kube-state-metrics')));
      if (at(v, 'nodeExporter.enabled')) out.push(nodeExporter(map(v, 'prometheus-node-exporter')));
      if (at(v, 'grafana.enabled')) out.push(grafana(map(v, 'grafana')));
      return out;
    },
  };
}

/**
 * argoproj/argo-helm argo-cd-10.1.1 (af0a9310), charts/argo-cd, and its redis-ha dependency
 * (Chart.yaml: redis-ha 4.38.0, DandyDeveloper/charts redis-ha-4.38.0, charts/redis-ha).
 */
import { at, list, map, orDefault, truthy, withSubcharts, type ChartModel, type ContainerSpec, type Values, type WorkloadModel } from './helm';
import type { RecordedValuesKeys } from './values-keys';

const READ_AT = 'argoproj/argo-helm argo-cd-10.1.1';
const T = `${READ_AT} charts/argo-cd/templates`;
const REDIS_HA = 'DandyDeveloper/charts redis-ha-4.38.0 charts/redis-ha/templates';

/** The release is `argocd` and the chart's nameOverride is `argocd` (values.yaml): every object is named `argocd-<component>`. */
const FULLNAME = 'argocd';

const HARDENED = { runAsNonRoot: true, readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, seccompProfile: { type: 'RuntimeDefault' }, capabilities: { drop: ['ALL'] } };
const COMPONENT = { replicas: 1, containerSecurityContext: HARDENED, initContainers: [], extraContainers: [], resources: {}, hostNetwork: false, nodeSelector: {}, tolerations: [], affinity: {}, volumes: [] };

/** charts/argo-cd/values.yaml: the keys every component's pod fields come from. */
export const ARGOCD_DEFAULTS: Values = {
  global: { securityContext: {}, nodeSelector: { 'kubernetes.io/os': 'linux' }, tolerations: [], affinity: { podAntiAffinity: 'soft', nodeAffinity: { type: 'hard', matchExpressions: [] } } },
  controller: { ...COMPONENT, name: 'application-controller', dynamicClusterDistribution: false },
  server: { ...COMPONENT, name: 'server', extensions: { enabled: false } },
  repoServer: { ...COMPONENT, name: 'repo-server', copyutil: { resources: {} } },
  applicationSet: { ...COMPONENT, name: 'applicationset-controller' },
  notifications: { ...COMPONENT, name: 'notifications-controller', enabled: true },
  dex: { ...COMPONENT, name: 'dex-server', enabled: true },
  commitServer: { enabled: false },
  redis: {
    ...COMPONENT,
    name: 'redis',
    enabled: true,
    securityContext: { runAsNonRoot: true, runAsUser: 999, seccompProfile: { type: 'RuntimeDefault' } },
    containerSecurityContext: { readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
    exporter: { enabled: false, containerSecurityContext: HARDENED, resources: {} },
  },
  redisSecretInit: {
    name: 'redis-secret-init',
    enabled: true,
    containerSecurityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, readOnlyRootFilesystem: true, runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
    securityContext: {},
    resources: {},
    nodeSelector: {},
    tolerations: [],
    affinity: {},
  },
  externalRedis: { host: '' },
  // The parent chart's values for its redis-ha dependency (values.yaml `redis-ha:`).
  'redis-ha': {
    enabled: false,
    exporter: { enabled: false },
    persistentVolume: { enabled: false },
    haproxy: { enabled: true, hardAntiAffinity: true, tolerations: [], containerSecurityContext: { readOnlyRootFilesystem: true } },
    hardAntiAffinity: true,
    tolerations: [],
    containerSecurityContext: { readOnlyRootFilesystem: true },
  },
};

/** DandyDeveloper/charts redis-ha-4.38.0 charts/redis-ha/values.yaml: the keys the StatefulSet and HAProxy pod fields come from. */
export const REDIS_HA_DEFAULTS: Values = {
  replicas: 3,
  securityContext: { runAsUser: 1000, fsGroup: 1000, runAsNonRoot: true },
  containerSecurityContext: { runAsUser: 1000, runAsNonRoot: true, allowPrivilegeEscalation: false, seccompProfile: { type: 'RuntimeDefault' }, capabilities: { drop: ['ALL'] } },
  nodeSelector: {},
  tolerations: [],
  hardAntiAffinity: true,
  sysctlImage: { enabled: false, mountHostSys: false, resources: {} },
  hostPath: { path: '', chown: true },
  persistentVolume: { enabled: true },
  init: { resources: {} },
  redis: { resources: {} },
  sentinel: { resources: {} },
  splitBrainDetection: { resources: {} },
  exporter: { enabled: false, resources: {} },
  haproxy: {
    enabled: false,
    replicas: 3,
    hardAntiAffinity: true,
    securityContext: { runAsUser: 99, fsGroup: 99, runAsNonRoot: true },
    containerSecurityContext: { runAsNonRoot: true, allowPrivilegeEscalation: false, seccompProfile: { type: 'RuntimeDefault' }, capabilities: { drop: ['ALL'] } },
    resources: {},
    init: { resources: {} },
  },
};

/**
 * charts/argo-cd/values.yaml, and DandyDeveloper/charts redis-ha-4.38.0 charts/redis-ha/values.yaml under
 * `redis-ha`: the keys the platform sets.
 */
export const ARGOCD_VALUES_KEYS: RecordedValuesKeys = {
  source: `${READ_AT} charts/argo-cd/values.yaml; DandyDeveloper/charts redis-ha-4.38.0 charts/redis-ha/values.yaml`,
  keys: [
    'global.image.tag', 'global.logging.format', 'dex.enabled', 'redis-ha.enabled', 'controller.replicas', 'controller.metrics.enabled', 'server.replicas', 'server.metrics.enabled',
    'server.service.type', 'repoServer.replicas', 'repoServer.metrics.enabled', 'applicationSet.replicas', 'applicationSet.metrics.enabled', 'notifications.enabled',
  ],
  passThrough: [
    'global.nodeSelector', 'global.tolerations', 'configs.params', 'configs.cm', 'configs.rbac', 'redis.resources', 'redisSecretInit.resources',
    'redis-ha.nodeSelector', 'redis-ha.tolerations', 'redis-ha.init.resources', 'redis-ha.redis.resources', 'redis-ha.sentinel.resources',
    'redis-ha.splitBrainDetection.resources', 'redis-ha.haproxy.resources', 'redis-ha.haproxy.init.resources',
    'controller.resources', 'server.resources', 'repoServer.resources', 'applicationSet.resources',
  ],
};

/** Required pod anti-affinity on the host name: at most one such pod per node. */
const oneperNode = { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: 'kubernetes.io/hostname' }] } };

function redisHaWorkloads(r: Values): WorkloadModel[] {
  // templates/redis-ha-statefulset.yaml: every container renders `containerSecurityContext`
  // (renderSecurityContext strips user and group fields on OpenShift only); nodeSelector and
  // tolerations are the chart's top-level ones, for the HAProxy Deployment too.
  const sc = map(r, 'containerSecurityContext');
  const c = (name: string, resourcesKey: string): ContainerSpec => ({ name, securityContext: sc, resources: map(r, resourcesKey) });
  const placement = { ...(truthy(at(r, 'nodeSelector')) ? { nodeSelector: map(r, 'nodeSelector') } : {}), ...(truthy(at(r, 'tolerations')) ? { tolerations: list(r, 'tolerations') } : {}) };
  const volumes: Record<string, unknown>[] = [
    { name: 'config', configMap: {} },
    { name: 'health', configMap: {} },
    ...(at(r, 'sysctlImage.mountHostSys') ? [{ name: 'host-sys', hostPath: { path: '/sys' } }] : []),
    ...(at(r, 'persistentVolume.enabled') ? [] : truthy(at(r, 'hostPath.path')) ? [{ name: 'data', hostPath: { path: at(r, 'hostPath.path') } }] : [{ name: 'data', emptyDir: {} }]),
  ];
  const out: WorkloadModel[] = [
    {
      kind: 'StatefulSet',
      name: `${FULLNAME}-redis-ha-server`,
      replicas: at(r, 'replicas') as number,
      source: `${REDIS_HA}/redis-ha-statefulset.yaml`,
      pod: {
        securityContext: map(r, 'securityContext'),
        initContainers: [...(at(r, 'sysctlImage.enabled') ? [c('init-sysctl', 'sysctlImage.resources')] : []), c('config-init', 'init.resources')],
        containers: [c('redis', 'redis.resources'), c('sentinel', 'sentinel.resources'), c('split-brain-fix', 'splitBrainDetection.resources'), ...(at(r, 'exporter.enabled') ? [c('redis-exporter', 'exporter.resources')] : [])],
        volumes,
        ...placement,
        ...(at(r, 'hardAntiAffinity') ? { affinity: oneperNode } : {}),
      },
    },
  ];
  if (at(r, 'haproxy.enabled')) {
    const hsc = map(r, 'haproxy.containerSecurityContext');
    out.push({
      kind: 'Deployment',
      name: `${FULLNAME}-redis-ha-haproxy`,
      replicas: at(r, 'haproxy.replicas') as number,
      source: `${REDIS_HA}/redis-haproxy-deployment.yaml`,
      pod: {
        securityContext: map(r, 'haproxy.securityContext'),
        initContainers: [{ name: 'config-init', securityContext: hsc, resources: map(r, 'haproxy.init.resources') }],
        containers: [{ name: 'haproxy', securityContext: hsc, resources: map(r, 'haproxy.resources') }],
        volumes: [{ name: 'config-volume', configMap: {} }, { name: 'shared-socket', emptyDir: {} }, { name: 'data', emptyDir: {} }],
        nodeSelector: map(r, 'nodeSelector'),
        tolerations: list(r, 'tolerations'),
        ...(at(r, 'haproxy.hardAntiAffinity') ? { affinity: oneperNode } : {}),
      },
    });
  }
  return out;
}

export function argocdModel(): ChartModel {
  return {
    chart: 'argo-cd',
    version: '10.1.1',
    readAt: READ_AT,
    valuesKeys: ARGOCD_VALUES_KEYS,
    values: (user) => withSubcharts(ARGOCD_DEFAULTS, { 'redis-ha': REDIS_HA_DEFAULTS }, user),
    unmodelled: [
      { source: `${T}/argocd-application-controller/deployment.yaml`, when: (v) => truthy(at(v, 'controller.dynamicClusterDistribution')) },
      { source: `${T}/argocd-notifications/deployment.yaml`, when: (v) => truthy(at(v, 'notifications.enabled')) },
      { source: `${T}/dex/deployment.yaml`, when: (v) => truthy(at(v, 'dex.enabled')) },
      { source: `${T}/argocd-commit-server/deployment.yaml`, when: (v) => truthy(at(v, 'commitServer.enabled')) },
      { source: `${T}/argocd-server/deployment.yaml (extension installer)`, when: (v) => truthy(at(v, 'server.extensions.enabled')) },
    ],
    workloads: (v) => {
      // Every component: pod securityContext from `with .Values.global.securityContext`, its container
      // from `<component>.containerSecurityContext`, `<component>.nodeSelector | default
      // .Values.global.nodeSelector` (tolerations alike), affinity from `<component>.affinity` or the
      // global preset (templates/_common.tpl "argo-cd.affinity": soft anti-affinity, no node affinity
      // while global.affinity.nodeAffinity.matchExpressions is empty).
      const podSc = truthy(at(v, 'global.securityContext')) ? { securityContext: map(v, 'global.securityContext') } : {};
      const placement = (c: string) => ({
        nodeSelector: orDefault(at(v, `${c}.nodeSelector`), map(v, 'global.nodeSelector')),
        tolerations: orDefault(at(v, `${c}.tolerations`), list(v, 'global.tolerations')),
        affinity: orDefault(at(v, `${c}.affinity`), {}),
      });
      const component = (c: string, kind: 'Deployment' | 'StatefulSet', template: string, init: ContainerSpec[] = []): WorkloadModel => {
        const initContainers = [...init, ...(list(v, `${c}.initContainers`) as never[])];
        return {
          kind,
          name: `${FULLNAME}-${String(at(v, `${c}.name`))}`,
          replicas: at(v, `${c}.replicas`) as number,
          source: `${T}/${template}`,
          pod: {
            ...podSc,
            ...(at(v, `${c}.hostNetwork`) === true ? { hostNetwork: true } : {}),
            containers: [
              { name: String(at(v, `${c}.name`)), ...(truthy(at(v, `${c}.containerSecurityContext`)) ? { securityContext: map(v, `${c}.containerSecurityContext`) } : {}), resources: map(v, `${c}.resources`) },
              ...(list(v, `${c}.extraContainers`) as never[]),
            ],
            ...(initContainers.length > 0 ? { initContainers } : {}),
            // The components' own volumes are emptyDir, configMap and secret volumes (`volumes:` of each
            // template); one of each type stands for them, the type being what Pod Security judges.
            volumes: [{ name: 'emptydir-volumes', emptyDir: {} }, { name: 'configmap-volumes', configMap: {} }, { name: 'secret-volumes', secret: {} }, ...list(v, `${c}.volumes`)],
            ...placement(c),
          },
        };
      };
      const out: WorkloadModel[] = [];
      if (!at(v, 'controller.dynamicClusterDistribution')) out.push(component('controller', 'StatefulSet', 'argocd-application-controller/statefulset.yaml'));
      out.push(component('server', 'Deployment', 'argocd-server/deployment.yaml'));
      // argocd-repo-server/deployment.yaml: the copyutil init container, always there, with the
      // repo-server's container security context and `copyutil.resources | default repoServer.resources`.
      const copyutil: ContainerSpec = {
        name: 'copyutil',
        ...(truthy(at(v, 'repoServer.containerSecurityContext')) ? { securityContext: map(v, 'repoServer.containerSecurityContext') } : {}),
        resources: orDefault(at(v, 'repoServer.copyutil.resources'), map(v, 'repoServer.resources')),
      };
      out.push(component('repoServer', 'Deployment', 'argocd-repo-server/deployment.yaml', [copyutil]));
      out.push(component('applicationSet', 'Deployment', 'argocd-applicationset/deployment.yaml'));
      const redisHa = at(v, 'redis-ha.enabled') === true;
      if (at(v, 'redis.enabled') && !redisHa) {
        const redis = component('redis', 'Deployment', 'redis/deployment.yaml');
        out.push({
          ...redis,
          replicas: 1,
          pod: {
            ...redis.pod,
            // `with .Values.redis.securityContext` instead of the global one.
            securityContext: map(v, 'redis.securityContext'),
            containers: [
              ...redis.pod.containers,
              ...(at(v, 'redis.exporter.enabled') ? [{ name: 'metrics', securityContext: map(v, 'redis.exporter.containerSecurityContext'), resources: map(v, 'redis.exporter.resources') }] : []),
            ],
            volumes: [{ name: 'health', configMap: {} }, ...list(v, 'redis.volumes')],
          },
        });
      }
      if (at(v, 'redisSecretInit.enabled') && !truthy(at(v, 'externalRedis.host'))) {
        out.push({
          kind: 'Job',
          name: `${FULLNAME}-redis-secret-init`,
          hook: 'pre-install,pre-upgrade',
          replicas: 1,
          source: `${T}/redis-secret-init/job.yaml`,
          pod: {
            ...(truthy(at(v, 'redisSecretInit.securityContext')) ? { securityContext: map(v, 'redisSecretInit.securityContext') } : {}),
            containers: [{ name: 'secret-init', securityContext: map(v, 'redisSecretInit.containerSecurityContext'), resources: map(v, 'redisSecretInit.resources') }],
            ...placement('redisSecretInit'),
          },
        });
      }
      if (redisHa) out.push(...redisHaWorkloads(map(v, 'redis-ha')));
      return out;
    },
  };
}

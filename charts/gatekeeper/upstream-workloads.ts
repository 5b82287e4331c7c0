/**
 * The pod-bearing objects the upstream add-on charts create, as `helm template` would render them
 * with our values: what the policy library sees at admission in the add-on namespaces. There is no
 * Helm here, so each object is written from the chart's template and default values at the pinned
 * tag (cited per object), with our values (charts/<addon>/values.ts) applied where they change a
 * field. Only what the policies read is rendered: metadata and labels, and the pod spec's security
 * contexts, host namespaces, ports, volumes, images, resources and service account token.
 *
 * Rendered: Karpenter; External Secrets (controller, webhook, cert-controller); Argo CD
 * (application controller, server, repo server, ApplicationSet controller, the Redis secret init
 * hook, and Redis, or with HA the redis-ha subchart's StatefulSet and HAProxy); kube-prometheus-stack's
 * operator, its admission-webhook certificate Jobs, Grafana, kube-state-metrics and node-exporter (its
 * DaemonSet and the Pod it creates, as admission sees it after defaulting), and the Prometheus and
 * Alertmanager StatefulSets the operator generates.
 */
import type { PlatformConfig } from '../../infra/config';
import { argocdValues } from '../argocd/values';
import { EXTERNAL_SECRETS_SERVICE_ACCOUNT, KARPENTER_SERVICE_ACCOUNT } from '../base/chart';
import { externalSecretsValues } from '../external-secrets/values';
import { karpenterValues } from '../karpenter/values';
import { monitoringValues } from '../monitoring/values';
import { NAMESPACES } from '../namespaces';
import type { AwsInputs } from '../inputs';
import { ARGOCD_CHART, EXTERNAL_SECRETS_CHART } from '../versions';

type Obj = Record<string, unknown>;

export interface RenderedWorkload {
  /** Upstream tag and template the object is written from. */
  readonly readAt: string;
  readonly source: string;
  readonly object: Obj;
}

const HARDENED_CONTAINER = { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } };

function workload(kind: string, name: string, namespace: string, labels: Obj, spec: Obj, extra: Obj = {}): Obj {
  const template = { metadata: { labels }, spec };
  const apiVersion = kind === 'Job' ? 'batch/v1' : 'apps/v1';
  return { apiVersion, kind, metadata: { name, namespace, labels }, spec: kind === 'Job' ? { template } : { selector: { matchLabels: labels }, template, ...extra } };
}

/** Helm's merge of our values over a chart default: maps merge key by key, anything else replaces. */
export function helmMerge(defaults: unknown, ours: unknown): unknown {
  if (ours === undefined) return defaults;
  const isMap = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);
  if (!isMap(defaults) || !isMap(ours)) return ours;
  const out: Obj = { ...defaults };
  for (const [k, v] of Object.entries(ours)) out[k] = helmMerge(defaults[k], v);
  return out;
}

const get = (o: unknown, ...path: string[]): unknown => path.reduce<unknown>((v, k) => (v !== null && typeof v === 'object' ? (v as Obj)[k] : undefined), o);

function karpenter(config: PlatformConfig, inputs: AwsInputs): RenderedWorkload[] {
  const values = karpenterValues(config, inputs);
  // values.yaml podSecurityContext (v1.5.0), with ours merged over it.
  const podSecurityContext = helmMerge({ runAsNonRoot: false, fsGroup: 65532, seccompProfile: { type: 'RuntimeDefault' } }, values.podSecurityContext);
  const labels = { 'app.kubernetes.io/name': 'karpenter', 'app.kubernetes.io/instance': 'karpenter' };
  return [
    {
      readAt: 'v1.5.0',
      source: 'aws/karpenter-provider-aws charts/karpenter/templates/deployment.yaml, _helpers.tpl (selectorLabels, controller.image), values.yaml',
      object: workload('Deployment', 'karpenter', NAMESPACES.karpenter, labels, {
        automountServiceAccountToken: true,
        serviceAccountName: KARPENTER_SERVICE_ACCOUNT,
        securityContext: podSecurityContext,
        containers: [
          {
            name: 'controller',
            image: 'public.ecr.aws/karpenter/controller:1.4.0@sha256:e39215600820529c25a119b95f7431dcc103834766426b2beb48f87fa87555bb',
            securityContext: { privileged: false, allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, runAsNonRoot: true, runAsUser: 65532, runAsGroup: 65532, capabilities: { drop: ['ALL'] } },
            ports: [{ name: 'http-metrics', containerPort: 8080, protocol: 'TCP' }, { name: 'http', containerPort: 8081, protocol: 'TCP' }],
            resources: get(values, 'controller', 'resources'),
          },
        ],
      }),
    },
  ];
}

function externalSecrets(config: PlatformConfig): RenderedWorkload[] {
  const values = externalSecretsValues(config);
  // values.yaml securityContext (controller, webhook, certController alike); podSecurityContext renders empty ("enabled" is omitted).
  const container = { ...HARDENED_CONTAINER, runAsNonRoot: true, runAsUser: 1000, seccompProfile: { type: 'RuntimeDefault' } };
  const image = `oci.external-secrets.io/external-secrets/external-secrets:${EXTERNAL_SECRETS_CHART.appVersion}`;
  const labels = (suffix: string) => ({ 'app.kubernetes.io/name': `external-secrets${suffix}`, 'app.kubernetes.io/instance': 'external-secrets' });
  const source = (file: string) => `external-secrets/external-secrets deploy/charts/external-secrets/templates/${file}, _helpers.tpl (renderSecurityContext, selectorLabels), values.yaml`;
  return [
    {
      readAt: 'helm-chart-0.20.4',
      source: source('deployment.yaml'),
      object: workload('Deployment', 'external-secrets', NAMESPACES.externalSecrets, labels(''), {
        serviceAccountName: EXTERNAL_SECRETS_SERVICE_ACCOUNT,
        automountServiceAccountToken: true,
        securityContext: {},
        hostNetwork: false,
        containers: [{ name: 'external-secrets', image, securityContext: container, ports: [{ containerPort: 8080, protocol: 'TCP', name: 'metrics' }], resources: values.resources }],
      }),
    },
    {
      readAt: 'helm-chart-0.20.4',
      source: source('webhook-deployment.yaml'),
      object: workload('Deployment', 'external-secrets-webhook', NAMESPACES.externalSecrets, labels('-webhook'), {
        hostNetwork: false,
        serviceAccountName: 'external-secrets-webhook',
        automountServiceAccountToken: true,
        securityContext: {},
        containers: [{ name: 'webhook', image, securityContext: container, ports: [{ containerPort: 8080, protocol: 'TCP', name: 'metrics' }, { containerPort: 10250, protocol: 'TCP', name: 'webhook' }], resources: get(values, 'webhook', 'resources') }],
        volumes: [{ name: 'certs', secret: { secretName: 'external-secrets-webhook' } }],
      }),
    },
    {
      readAt: 'helm-chart-0.20.4',
      source: source('cert-controller-deployment.yaml'),
      object: workload('Deployment', 'external-secrets-cert-controller', NAMESPACES.externalSecrets, labels('-cert-controller'), {
        serviceAccountName: 'external-secrets-cert-controller',
        automountServiceAccountToken: true,
        securityContext: {},
        hostNetwork: false,
        containers: [{ name: 'cert-controller', image, securityContext: container, ports: [{ containerPort: 8080, protocol: 'TCP', name: 'metrics' }], resources: get(values, 'certController', 'resources') }],
      }),
    },
  ];
}

function argocd(config: PlatformConfig): RenderedWorkload[] {
  const values = argocdValues(config);
  // values.yaml: every component's containerSecurityContext; global.securityContext {} (no pod-level context).
  const container = { ...HARDENED_CONTAINER, runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } };
  const image = `quay.io/argoproj/argocd:${ARGOCD_CHART.appVersion}`;
  const labels = (component: string) => ({ 'app.kubernetes.io/name': `argocd-${component}`, 'app.kubernetes.io/instance': 'argocd', 'app.kubernetes.io/component': component, 'app.kubernetes.io/part-of': 'argocd' });
  const source = (file: string) => `argoproj/argo-helm charts/argo-cd/templates/${file}, values.yaml (containerSecurityContext, containerPorts)`;
  const component = (kind: string, name: string, key: string, ports: number[], extra: Obj = {}): RenderedWorkload => ({
    readAt: 'argo-cd-9.2.1',
    source: source(`argocd-${name}/${kind === 'StatefulSet' ? 'statefulset' : 'deployment'}.yaml`),
    object: workload(kind, `argocd-${name}`, NAMESPACES.argocd, labels(name), {
      automountServiceAccountToken: true,
      serviceAccountName: `argocd-${name}`,
      containers: [{ name, image, securityContext: container, ports: ports.map((p) => ({ containerPort: p, protocol: 'TCP' })), resources: get(values, key, 'resources') }],
      volumes: [{ name: 'tmp', emptyDir: {} }],
      ...extra,
    }),
  });
  const out = [
    component('StatefulSet', 'application-controller', 'controller', [8082]),
    component('Deployment', 'server', 'server', [8080, 8083]),
    component('Deployment', 'repo-server', 'repoServer', [8081, 8084], {
      // The copyutil init container takes repoServer.copyutil.resources, else repoServer.resources.
      initContainers: [{ name: 'copyutil', image, securityContext: container, resources: get(values, 'repoServer', 'copyutil', 'resources') ?? get(values, 'repoServer', 'resources') }],
    }),
    component('Deployment', 'applicationset-controller', 'applicationSet', [8080, 8081, 7000]),
  ];
  if (get(values, 'redis-ha', 'enabled') === true) {
    const ha = values['redis-ha'] as Obj;
    // redis-ha-4.34.11 values.yaml containerSecurityContext, with argo-cd's redis-ha.containerSecurityContext merged over it.
    const redisContainer = helmMerge({ runAsUser: 1000, runAsNonRoot: true, allowPrivilegeEscalation: false, seccompProfile: { type: 'RuntimeDefault' }, capabilities: { drop: ['ALL'] } }, { readOnlyRootFilesystem: true });
    const haproxyContainer = helmMerge({ runAsNonRoot: true, allowPrivilegeEscalation: false, seccompProfile: { type: 'RuntimeDefault' }, capabilities: { drop: ['ALL'] } }, { readOnlyRootFilesystem: true });
    const redisImage = 'ecr-public.aws.com/docker/library/redis:8.2.2-alpine';
    const standard = { app: 'redis-ha', heritage: 'Helm', release: 'argocd', chart: 'redis-ha-4.34.11' };
    const haSource = 'DandyDeveloper/charts redis-ha-4.34.11 charts/redis-ha/templates/%s, values.yaml; argoproj/argo-helm argo-cd-9.2.1 values.yaml redis-ha';
    const podLabels = { release: 'argocd', app: 'redis-ha', 'argocd-redis-ha': 'replica', ...((ha.labels as Obj | undefined) ?? {}) };
    const sts = workload('StatefulSet', 'argocd-redis-ha-server', NAMESPACES.argocd, { 'argocd-redis-ha': 'replica', ...standard }, {
      serviceAccountName: 'argocd-redis-ha',
      securityContext: { runAsUser: 1000, fsGroup: 1000, runAsNonRoot: true },
      automountServiceAccountToken: false,
      initContainers: [{ name: 'config-init', image: redisImage, securityContext: redisContainer, resources: get(ha, 'init', 'resources') ?? {} }],
      containers: [
        { name: 'redis', image: redisImage, securityContext: redisContainer, ports: [{ name: 'redis', containerPort: 6379 }], resources: get(ha, 'redis', 'resources') ?? {} },
        { name: 'sentinel', image: redisImage, securityContext: redisContainer, ports: [{ name: 'sentinel', containerPort: 26379 }], resources: get(ha, 'sentinel', 'resources') ?? {} },
        { name: 'split-brain-fix', image: redisImage, securityContext: redisContainer, resources: get(ha, 'splitBrainDetection', 'resources') ?? {} },
      ],
      volumes: [{ name: 'config', configMap: { name: 'argocd-redis-ha-configmap' } }, { name: 'health', configMap: { name: 'argocd-redis-ha-health-configmap' } }, { name: 'data', emptyDir: {} }],
    });
    ((sts.spec as Obj).template as Obj).metadata = { labels: podLabels };
    out.push({ readAt: 'argo-cd-9.2.1', source: haSource.replace('%s', 'redis-ha-statefulset.yaml'), object: sts });
    const haproxy = workload('Deployment', 'argocd-redis-ha-haproxy', NAMESPACES.argocd, { ...standard, component: 'haproxy' }, {
      // haproxy.serviceAccount.create: true, so `<fullname>-haproxy` (serviceAccountName: redis-sa is for create: false).
      serviceAccountName: 'argocd-redis-ha-haproxy',
      automountServiceAccountToken: true,
      securityContext: { runAsUser: 99, fsGroup: 99, runAsNonRoot: true },
      initContainers: [{ name: 'config-init', image: 'ecr-public.aws.com/docker/library/haproxy:3.0.8-alpine', securityContext: haproxyContainer, resources: get(ha, 'haproxy', 'init', 'resources') ?? {} }],
      containers: [{ name: 'haproxy', image: 'ecr-public.aws.com/docker/library/haproxy:3.0.8-alpine', securityContext: haproxyContainer, ports: [{ name: 'redis', containerPort: 6379 }, { name: 'metrics-port', containerPort: 9101 }], resources: get(ha, 'haproxy', 'resources') ?? {} }],
      volumes: [{ name: 'config-volume', configMap: { name: 'argocd-redis-ha-configmap' } }, { name: 'data', emptyDir: {} }],
    });
    ((haproxy.spec as Obj).template as Obj).metadata = { labels: { app: 'redis-ha-haproxy', release: 'argocd', component: 'haproxy', 'app.kubernetes.io/name': 'argocd-redis-ha-haproxy' } };
    out.push({ readAt: 'argo-cd-9.2.1', source: haSource.replace('%s', 'redis-haproxy-deployment.yaml'), object: haproxy });
  } else {
    out.push({
      readAt: 'argo-cd-9.2.1',
      source: source('redis/deployment.yaml') + ' (redis.securityContext, redis.containerSecurityContext, redis.resources)',
      object: workload('Deployment', 'argocd-redis', NAMESPACES.argocd, labels('redis'), {
        automountServiceAccountToken: false,
        securityContext: { runAsNonRoot: true, runAsUser: 999, seccompProfile: { type: 'RuntimeDefault' } },
        containers: [{ name: 'redis', image: 'ecr-public.aws.com/docker/library/redis:8.2.2-alpine', securityContext: HARDENED_CONTAINER, ports: [{ containerPort: 6379, protocol: 'TCP', name: 'redis' }], resources: get(values, 'redis', 'resources') ?? {} }],
        volumes: [{ name: 'health', configMap: { name: 'argocd-redis-health-configmap' } }],
      }),
    });
  }
  out.push({
    readAt: 'argo-cd-9.2.1',
    source: source('redis-secret-init/job.yaml') + ' (a pre-install and pre-upgrade hook; redisSecretInit.containerSecurityContext, redisSecretInit.resources)',
    object: workload('Job', 'argocd-redis-secret-init', NAMESPACES.argocd, labels('redis-secret-init'), {
      restartPolicy: 'OnFailure',
      serviceAccountName: 'argocd-redis-secret-init',
      containers: [{ name: 'secret-init', image, securityContext: container, resources: get(values, 'redisSecretInit', 'resources') ?? {} }],
    }),
  });
  return out;
}

function monitoring(config: PlatformConfig): RenderedWorkload[] {
  const values = monitoringValues(config);
  const release = 'kube-prometheus-stack';
  const kpsLabels = { 'app.kubernetes.io/instance': release, 'app.kubernetes.io/part-of': release, release };
  const exporterLabels = { 'app.kubernetes.io/name': 'prometheus-node-exporter', 'app.kubernetes.io/instance': release, 'app.kubernetes.io/component': 'metrics', jobLabel: 'node-exporter', release };
  const exporterValues = (values['prometheus-node-exporter'] ?? {}) as Obj;
  // prometheus-node-exporter-4.49.1 values.yaml securityContext and containerSecurityContext, with ours merged over them.
  const exporterPod = helmMerge({ fsGroup: 65534, runAsGroup: 65534, runAsNonRoot: true, runAsUser: 65534 }, exporterValues.securityContext);
  const exporterContainer = helmMerge({ readOnlyRootFilesystem: true }, exporterValues.containerSecurityContext);
  const exporterSpec = (hostPort: boolean): Obj => ({
    automountServiceAccountToken: false,
    serviceAccountName: 'kube-prometheus-stack-prometheus-node-exporter',
    securityContext: exporterPod,
    hostNetwork: true,
    hostPID: true,
    hostIPC: false,
    containers: [
      {
        name: 'node-exporter',
        image: 'quay.io/prometheus/node-exporter:v1.10.2',
        securityContext: exporterContainer,
        // kubeRBACProxy is off: one port, no hostPort in the template; the API server defaults hostPort to
        // containerPort on host-network pods (kubernetes pkg/apis/core/v1/defaults.go defaultHostNetworkPorts).
        ports: [{ name: 'http-metrics', containerPort: 9100, protocol: 'TCP', ...(hostPort ? { hostPort: 9100 } : {}) }],
        resources: exporterValues.resources,
      },
    ],
    volumes: [
      { name: 'proc', hostPath: { path: '/proc' } },
      { name: 'sys', hostPath: { path: '/sys' } },
      { name: 'root', hostPath: { path: '/' } },
    ],
  });
  const nodeExporterSource = 'prometheus-community/helm-charts prometheus-node-exporter-4.49.1 charts/prometheus-node-exporter/templates/daemonset.yaml, _helpers.tpl (labels), values.yaml; kube-prometheus-stack values podLabels.jobLabel';
  const ksmValues = (values['kube-state-metrics'] ?? {}) as Obj;
  return [
    {
      readAt: 'kube-prometheus-stack-79.6.1',
      source: 'prometheus-community/helm-charts charts/kube-prometheus-stack/templates/prometheus-operator/deployment.yaml, _prometheus-operator.tpl (labels), values.yaml prometheusOperator.securityContext and containerSecurityContext',
      object: workload('Deployment', `${release}-operator`, NAMESPACES.monitoring, { ...kpsLabels, app: `${release}-operator`, 'app.kubernetes.io/name': `${release}-prometheus-operator`, 'app.kubernetes.io/component': 'prometheus-operator' }, {
        automountServiceAccountToken: true,
        serviceAccountName: `${release}-operator`,
        securityContext: { fsGroup: 65534, runAsGroup: 65534, runAsNonRoot: true, runAsUser: 65534, seccompProfile: { type: 'RuntimeDefault' } },
        containers: [{ name: release, image: 'quay.io/prometheus-operator/prometheus-operator:v0.86.2', securityContext: HARDENED_CONTAINER, ports: [{ containerPort: 10250, name: 'https' }, { containerPort: 8080, name: 'http' }], resources: get(values, 'prometheusOperator', 'resources') }],
        volumes: [{ name: 'tls-secret', secret: { secretName: `${release}-admission`, defaultMode: 420 } }],
      }),
    },
    {
      readAt: 'kube-prometheus-stack-79.6.1',
      source: 'prometheus-community/helm-charts kube-state-metrics-6.4.1 charts/kube-state-metrics/templates/deployment.yaml, values.yaml securityContext and containerSecurityContext',
      object: workload('Deployment', `${release}-kube-state-metrics`, NAMESPACES.monitoring, { 'app.kubernetes.io/name': 'kube-state-metrics', 'app.kubernetes.io/instance': release, release }, {
        automountServiceAccountToken: true,
        serviceAccountName: `${release}-kube-state-metrics`,
        securityContext: { runAsGroup: 65534, runAsUser: 65534, fsGroup: 65534, runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
        containers: [{ name: 'kube-state-metrics', image: 'registry.k8s.io/kube-state-metrics/kube-state-metrics:v2.17.0', securityContext: HARDENED_CONTAINER, ports: [{ containerPort: 8080, name: 'http' }], resources: ksmValues.resources }],
      }),
    },
    grafana(values, release),
    ...operatorStatefulSets(values, release),
    ...(['create', 'patch'] as const).map((job) => ({
      readAt: 'kube-prometheus-stack-79.6.1',
      source: `prometheus-community/helm-charts charts/kube-prometheus-stack/templates/prometheus-operator/admission-webhooks/job-patch/job-${job === 'create' ? 'createSecret' : 'patchWebhook'}.yaml (pre-install and pre-upgrade hooks), _prometheus-operator-webhook.tpl (labels), values.yaml admissionWebhooks.patch and ${job}${job === 'create' ? 'Secret' : 'Webhook'}Job`,
      object: workload('Job', `${release}-admission-${job}`, NAMESPACES.monitoring, { ...kpsLabels, app: `${release}-admission-${job}`, 'app.kubernetes.io/name': `${release}-prometheus-operator`, 'app.kubernetes.io/component': 'prometheus-operator-webhook' }, {
        restartPolicy: 'OnFailure',
        serviceAccountName: `${release}-admission`,
        securityContext: { runAsGroup: 2000, runAsNonRoot: true, runAsUser: 2000, seccompProfile: { type: 'RuntimeDefault' } },
        containers: [{ name: job, image: 'registry.k8s.io/ingress-nginx/kube-webhook-certgen:v1.6.4', securityContext: HARDENED_CONTAINER, resources: get(values, 'prometheusOperator', 'admissionWebhooks', 'patch', 'resources') ?? {} }],
      }),
    })),
    { readAt: 'kube-prometheus-stack-79.6.1', source: nodeExporterSource, object: workload('DaemonSet', `${release}-prometheus-node-exporter`, NAMESPACES.monitoring, exporterLabels, exporterSpec(false)) },
    {
      readAt: 'kube-prometheus-stack-79.6.1',
      source: `${nodeExporterSource}; the Pod as admission sees it`,
      object: { apiVersion: 'v1', kind: 'Pod', metadata: { generateName: `${release}-prometheus-node-exporter-`, namespace: NAMESPACES.monitoring, labels: exporterLabels }, spec: exporterSpec(true) },
    },
  ];
}

/** Grafana as kube-prometheus-stack deploys it: the dashboard and datasource sidecars on (kube-prometheus-stack values.yaml grafana.sidecar), no persistence, so no init container. */
function grafana(values: Obj, release: string): RenderedWorkload {
  const g = (values.grafana ?? {}) as Obj;
  // grafana-10.1.5 values.yaml containerSecurityContext and sidecar.securityContext (alike).
  const container = { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, seccompProfile: { type: 'RuntimeDefault' } };
  const sidecar = (name: string) => ({ name, image: 'quay.io/kiwigrid/k8s-sidecar:1.30.10', securityContext: container, resources: get(g, 'sidecar', 'resources') ?? {} });
  const labels = { 'app.kubernetes.io/name': 'grafana', 'app.kubernetes.io/instance': release };
  return {
    readAt: 'kube-prometheus-stack-79.6.1',
    source: 'grafana/helm-charts grafana-10.1.5 charts/grafana/templates/deployment.yaml, _pod.tpl, _helpers.tpl (selectorLabels), values.yaml securityContext, containerSecurityContext, sidecar',
    object: workload('Deployment', `${release}-grafana`, NAMESPACES.monitoring, labels, {
      automountServiceAccountToken: true,
      serviceAccountName: `${release}-grafana`,
      securityContext: { runAsNonRoot: true, runAsUser: 472, runAsGroup: 472, fsGroup: 472 },
      containers: [sidecar('grafana-sc-dashboard'), sidecar('grafana-sc-datasources'), { name: 'grafana', image: 'docker.io/grafana/grafana:12.3.0', securityContext: container, ports: [{ name: 'grafana', containerPort: 3000 }], resources: g.resources }],
      volumes: [{ name: 'config', configMap: { name: `${release}-grafana` } }, { name: 'storage', emptyDir: {} }, { name: 'sc-dashboard-volume', emptyDir: {} }, { name: 'sc-datasources-volume', emptyDir: {} }],
    }),
  };
}

/**
 * The StatefulSets the Prometheus operator generates from the chart's Prometheus and Alertmanager
 * resources: their pod security context is the resource's (kube-prometheus-stack values.yaml
 * prometheusSpec.securityContext and alertmanagerSpec.securityContext), their containers the
 * operator's (prometheus-operator v0.86.2 pkg/prometheus/server/statefulset.go,
 * pkg/alertmanager/statefulset.go, pkg/operator/config_reloader.go: read-only root, no privilege
 * escalation, ALL capabilities dropped; the reloaders' resources from the operator's flags, which the
 * chart sets from prometheusOperator.prometheusConfigReloader.resources).
 */
function operatorStatefulSets(values: Obj, release: string): RenderedWorkload[] {
  const reloaderResources = get(values, 'prometheusOperator', 'prometheusConfigReloader', 'resources') ?? {};
  const podSecurityContext = { runAsGroup: 2000, runAsNonRoot: true, runAsUser: 1000, fsGroup: 2000, seccompProfile: { type: 'RuntimeDefault' } };
  const reloader = (name: string) => ({ name, image: 'quay.io/prometheus-operator/prometheus-config-reloader:v0.86.2', securityContext: HARDENED_CONTAINER, resources: reloaderResources });
  const source = 'prometheus-operator/prometheus-operator v0.86.2 pkg/%s/statefulset.go, pkg/operator/config_reloader.go; kube-prometheus-stack-79.6.1 values.yaml %s';
  const sts = (app: 'prometheus' | 'alertmanager', image: string, port: number, resources: unknown, volumes: Obj[]): RenderedWorkload => {
    const cr = `${release}-${app}`;
    const labels = { 'app.kubernetes.io/name': app, 'app.kubernetes.io/instance': cr, 'app.kubernetes.io/managed-by': 'prometheus-operator', [app]: cr };
    return {
      readAt: 'kube-prometheus-stack-79.6.1',
      source: source.replace('%s', app === 'prometheus' ? 'prometheus/server' : 'alertmanager').replace('%s', `${app}.${app}Spec`),
      object: workload('StatefulSet', `${app}-${cr}`, NAMESPACES.monitoring, labels, {
        automountServiceAccountToken: true,
        serviceAccountName: cr,
        securityContext: podSecurityContext,
        initContainers: [reloader('init-config-reloader')],
        containers: [{ name: app, image, securityContext: HARDENED_CONTAINER, ports: [{ name: app === 'prometheus' ? 'http-web' : 'http-web', containerPort: port }], resources }, reloader('config-reloader')],
        volumes: [{ name: 'tls-assets', projected: { sources: [] } }, { name: 'config-out', emptyDir: { medium: 'Memory' } }, ...volumes],
      }),
    };
  };
  return [
    sts('prometheus', 'quay.io/prometheus/prometheus:v3.7.3', 9090, get(values, 'prometheus', 'prometheusSpec', 'resources'), [{ name: 'config', secret: { secretName: `prometheus-${release}-prometheus` } }, { name: 'web-config', secret: { secretName: `prometheus-${release}-prometheus-web-config` } }]),
    sts('alertmanager', 'quay.io/prometheus/alertmanager:v0.29.0', 9093, get(values, 'alertmanager', 'alertmanagerSpec', 'resources'), [{ name: 'config-volume', secret: { secretName: `alertmanager-${release}-alertmanager-generated` } }, { name: 'web-config', secret: { secretName: `alertmanager-${release}-alertmanager-web-config` } }, { name: `alertmanager-${release}-alertmanager-db`, emptyDir: {} }]),
  ];
}

/** Every rendered upstream workload of the stack's enabled add-ons. */
export function upstreamWorkloads(config: PlatformConfig, inputs: AwsInputs): RenderedWorkload[] {
  const { addons } = config;
  return [
    ...(addons.karpenter ? karpenter(config, inputs) : []),
    ...(addons.externalSecrets ? externalSecrets(config) : []),
    ...(addons.argocd ? argocd(config) : []),
    ...(addons.monitoring ? monitoring(config) : []),
  ];
}

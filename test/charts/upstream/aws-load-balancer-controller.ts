/**
 * kubernetes-sigs/aws-load-balancer-controller v3.5.0 (11eb202c), helm/aws-load-balancer-controller:
 * the chart published as aws/eks-charts aws-load-balancer-controller 3.5.0 (charts/versions.ts).
 */
import { at, list, map, mergeValues, truthy, type ChartModel, type Values } from './helm';
import type { RecordedValuesKeys } from './values-keys';

const READ_AT = 'kubernetes-sigs/aws-load-balancer-controller v3.5.0';
const CHART = `${READ_AT} helm/aws-load-balancer-controller`;

/** values.yaml: the keys the Deployment's pod fields come from. */
export const LOAD_BALANCER_CONTROLLER_DEFAULTS: Values = {
  replicaCount: 2,
  // The mutating webhooks' switches and failure policies (values.yaml; templates/webhook.yaml reads them).
  enableServiceMutatorWebhook: true,
  serviceMutatorWebhookConfig: { failurePolicy: 'Fail', objectSelector: { matchExpressions: [], matchLabels: {} }, namespaceSelectors: null, operations: ['CREATE'] },
  podMutatorWebhookConfig: { failurePolicy: 'Ignore' },
  webhookNamespaceSelectors: null,
  objectSelector: { matchExpressions: null, matchLabels: null },
  image: { repository: 'public.ecr.aws/eks/aws-load-balancer-controller', tag: 'v3.5.0' },
  serviceAccount: { create: true, name: null },
  autoscaling: { enabled: false },
  nameOverride: '',
  podLabels: {},
  additionalLabels: {},
  podSecurityContext: { fsGroup: 65534 },
  securityContext: { readOnlyRootFilesystem: true, runAsNonRoot: true, allowPrivilegeEscalation: false },
  resources: {},
  nodeSelector: {},
  tolerations: [],
  affinity: {},
  configureDefaultAffinity: true,
  hostNetwork: false,
  extraVolumes: null,
  webhookBindPort: null,
  metricsBindAddr: '',
};

/** values.yaml, every key (maps and leaves). */
export const LOAD_BALANCER_CONTROLLER_VALUES_KEYS: RecordedValuesKeys = {
  source: `${CHART}/values.yaml`,
  keys: [
    'replicaCount', 'revisionHistoryLimit', 'image', 'image.repository', 'image.tag', 'image.pullPolicy',
    'runtimeClassName', 'imagePullSecrets', 'nameOverride', 'fullnameOverride', 'autoscaling', 'autoscaling.enabled',
    'autoscaling.minReplicas', 'autoscaling.maxReplicas', 'autoscaling.targetCPUUtilizationPercentage',
    'serviceAccount', 'serviceAccount.create', 'serviceAccount.annotations', 'serviceAccount.name',
    'serviceAccount.automountServiceAccountToken', 'serviceAccount.imagePullSecrets', 'rbac', 'rbac.create',
    'podSecurityContext', 'podSecurityContext.fsGroup', 'securityContext', 'securityContext.readOnlyRootFilesystem',
    'securityContext.runAsNonRoot', 'securityContext.allowPrivilegeEscalation', 'terminationGracePeriodSeconds',
    'resources', 'priorityClassName', 'nodeSelector', 'tolerations', 'affinity', 'configureDefaultAffinity',
    'topologySpreadConstraints', 'updateStrategy', 'serviceAnnotations', 'deploymentAnnotations', 'podAnnotations',
    'podLabels', 'additionalLabels', 'enableCertManager', 'certManager', 'certManager.duration',
    'certManager.renewBefore', 'certManager.revisionHistoryLimit', 'certManager.rootCert',
    'certManager.rootCert.duration', 'clusterName', 'cluster', 'cluster.dnsDomain', 'ingressClass',
    'ingressClassParams', 'ingressClassParams.create', 'ingressClassParams.name', 'ingressClassParams.spec',
    'createIngressClassResource', 'region', 'vpcId', 'vpcTags', 'awsApiEndpoints', 'awsApiThrottle', 'awsMaxRetries',
    'defaultTargetType', 'defaultLoadBalancerScheme', 'enablePodReadinessGateInject', 'enableShield', 'enableWaf',
    'enableWafv2', 'ingressMaxConcurrentReconciles', 'logLevel', 'metricsBindAddr', 'webhookConfig',
    'webhookConfig.disableIngressValidation', 'webhookConfig.ingressValdationFailurePolicy',
    'webhookConfig.ingressValidationObjectSelector', 'webhookConfig.ingressValidationObjectSelector.matchExpressions',
    'webhookConfig.ingressValidationObjectSelector.matchLabels', 'webhookConfig.ingressValidationNamespaceSelector',
    'webhookConfig.ingressValidationNamespaceSelector.matchExpressions',
    'webhookConfig.ingressValidationNamespaceSelector.matchLabels', 'webhookBindPort', 'webhookTLS',
    'webhookTLS.caCert', 'webhookTLS.cert', 'webhookTLS.key', 'keepTLSSecret', 'webhookNamespaceSelectors',
    'serviceMaxConcurrentReconciles', 'targetgroupbindingMaxConcurrentReconciles',
    'targetgroupbindingMaxExponentialBackoffDelay', 'targetgroupbindingRequeueDuration',
    'albGatewayMaxConcurrentReconciles', 'nlbGatewayMaxConcurrentReconciles',
    'globalAcceleratorMaxConcurrentReconciles', 'globalAcceleratorMaxExponentialBackoffDelay',
    'lbStabilizationMonitorInterval', 'syncPeriod', 'watchNamespace', 'disableIngressClassAnnotation',
    'disableIngressGroupNameAnnotation', 'tolerateNonExistentBackendService', 'tolerateNonExistentBackendAction',
    'defaultSSLPolicy', 'livenessProbe', 'livenessProbe.failureThreshold', 'livenessProbe.httpGet',
    'livenessProbe.httpGet.path', 'livenessProbe.httpGet.port', 'livenessProbe.httpGet.scheme',
    'livenessProbe.initialDelaySeconds', 'livenessProbe.timeoutSeconds', 'readinessProbe',
    'readinessProbe.failureThreshold', 'readinessProbe.httpGet', 'readinessProbe.httpGet.path',
    'readinessProbe.httpGet.port', 'readinessProbe.httpGet.scheme', 'readinessProbe.successThreshold',
    'readinessProbe.initialDelaySeconds', 'readinessProbe.timeoutSeconds', 'env', 'hostNetwork', 'dnsPolicy',
    'extraVolumeMounts', 'extraVolumes', 'defaultTags', 'podDisruptionBudget', 'externalManagedTags',
    'enableEndpointSlices', 'enableBackendSecurityGroup', 'enableManageBackendSecurityGroupRules',
    'backendSecurityGroup', 'disableRestrictedSecurityGroupRules', 'maxTargetsPerTargetGroup', 'controllerConfig',
    'controllerConfig.featureGates', 'certManagement', 'certDiscovery',
    'certDiscovery.allowedCertificateAuthorityARNs', 'objectSelector', 'objectSelector.matchExpressions',
    'objectSelector.matchLabels', 'serviceMonitor', 'serviceMonitor.enabled', 'serviceMonitor.namespace',
    'serviceMonitor.additionalLabels', 'serviceMonitor.interval', 'serviceMonitor.scrapeTimeout',
    'serviceMonitor.relabelings', 'serviceMonitor.metricRelabelings', 'clusterSecretsPermissions',
    'clusterSecretsPermissions.allowAllSecrets', 'ingressClassConfig', 'ingressClassConfig.default',
    'enableServiceMutatorWebhook', 'serviceMutatorWebhookConfig', 'serviceMutatorWebhookConfig.failurePolicy',
    'serviceMutatorWebhookConfig.objectSelector', 'serviceMutatorWebhookConfig.objectSelector.matchExpressions',
    'serviceMutatorWebhookConfig.objectSelector.matchLabels', 'serviceMutatorWebhookConfig.namespaceSelectors',
    'serviceMutatorWebhookConfig.operations', 'podMutatorWebhookConfig', 'podMutatorWebhookConfig.failurePolicy',
    'serviceTargetENISGTags', 'loadBalancerClass',
  ],
  // templates/deployment.yaml: toYaml of podSecurityContext, securityContext, resources, nodeSelector, tolerations,
  // affinity, topologySpreadConstraints, podLabels, podAnnotations; range over env; convertMapToCsv of defaultTags,
  // vpcTags and controllerConfig.featureGates. templates/pdb.yaml: toYaml of podDisruptionBudget.
  passThrough: [
    'podSecurityContext', 'securityContext', 'resources', 'nodeSelector', 'tolerations', 'affinity', 'topologySpreadConstraints',
    'podLabels', 'podAnnotations', 'env', 'defaultTags', 'vpcTags', 'controllerConfig.featureGates', 'podDisruptionBudget',
  ],
};

/** _helpers.tpl `aws-load-balancer-controller.name`: nameOverride, else the chart name (also the pod label `app.kubernetes.io/name`). */
const chartName = (v: Values): string => String(at(v, 'nameOverride') || 'aws-load-balancer-controller');
/** _helpers.tpl `aws-load-balancer-controller.namePrefix`: nameOverride, else the chart name without `-controller`. */
const namePrefix = (v: Values): string => String(at(v, 'nameOverride') || 'aws-load-balancer');

export function loadBalancerControllerModel(): ChartModel {
  return {
    chart: 'aws-load-balancer-controller',
    version: '3.5.0',
    readAt: READ_AT,
    valuesKeys: LOAD_BALANCER_CONTROLLER_VALUES_KEYS,
    values: (user) => mergeValues(LOAD_BALANCER_CONTROLLER_DEFAULTS, user),
    // templates/hpa.yaml, and deployment.yaml leaves `replicas` to it: the replica count the model reads would not hold.
    unmodelled: [{ source: `${CHART}/templates/hpa.yaml`, when: (v) => truthy(at(v, 'autoscaling.enabled')) }],
    workloads: (v) => {
      // templates/_helpers.tpl: the fullname is the release name when it contains the chart name (the
      // platform's release is `aws-load-balancer-controller`); the webhook certificate Secret is
      // `<namePrefix>-tls`, namePrefix being nameOverride or the chart name without `-controller`.
      const name = chartName(v);
      const prefix = namePrefix(v);
      // aws-load-balancer-controller.serviceAccountName: the fullname when the chart creates it, else `default`, unless named.
      const serviceAccountName = String(at(v, 'serviceAccount.name') || (at(v, 'serviceAccount.create') ? 'aws-load-balancer-controller' : 'default'));
      // `(split ":" .Values.metricsBindAddr)._1 | default 8080`: the port after the colon.
      const metricsPort = Number(String(at(v, 'metricsBindAddr') ?? '').split(':')[1] || 8080);
      const affinity = truthy(at(v, 'affinity'))
        ? map(v, 'affinity')
        : at(v, 'configureDefaultAffinity')
          ? {
              podAntiAffinity: {
                preferredDuringSchedulingIgnoredDuringExecution: [
                  { weight: 100, podAffinityTerm: { labelSelector: { matchExpressions: [{ key: 'app.kubernetes.io/name', operator: 'In', values: [name] }] }, topologyKey: 'kubernetes.io/hostname' } },
                ],
              },
            }
          : undefined;
      return [
        {
          kind: 'Deployment',
          name: 'aws-load-balancer-controller',
          replicas: at(v, 'replicaCount') as number,
          source: `${CHART}/templates/deployment.yaml`,
          // aws-load-balancer-controller.labels holds the selector labels (and additionalLabels) on the
          // Deployment; its pods get aws-load-balancer-controller.selectorLabels, then podLabels as given.
          labels: { 'app.kubernetes.io/name': name, 'app.kubernetes.io/instance': 'aws-load-balancer-controller', ...(map(v, 'additionalLabels') as Record<string, string>) },
          podLabels: { 'app.kubernetes.io/name': name, 'app.kubernetes.io/instance': 'aws-load-balancer-controller', ...(map(v, 'podLabels') as Record<string, string>) },
          pod: {
            serviceAccountName,
            // `securityContext: toYaml .Values.podSecurityContext`, rendered whatever it holds.
            securityContext: map(v, 'podSecurityContext'),
            ...(truthy(at(v, 'hostNetwork')) ? { hostNetwork: true } : {}),
            volumes: [{ name: 'cert', secret: { defaultMode: 420, secretName: `${prefix}-tls` } }, ...list(v, 'extraVolumes')],
            containers: [
              {
                name: 'aws-load-balancer-controller',
                image: `${String(at(v, 'image.repository'))}:${String(at(v, 'image.tag'))}`,
                securityContext: map(v, 'securityContext'),
                resources: map(v, 'resources'),
                ports: [{ containerPort: (at(v, 'webhookBindPort') as number | null) || 9443 }, { containerPort: metricsPort }],
              },
            ],
            ...(truthy(at(v, 'nodeSelector')) ? { nodeSelector: map(v, 'nodeSelector') } : {}),
            ...(affinity ? { affinity } : {}),
            ...(truthy(at(v, 'tolerations')) ? { tolerations: list(v, 'tolerations') } : {}),
          },
        },
      ];
    },
  };
}

type Selector = { matchLabels?: Record<string, string>; matchExpressions?: { key: string; operator: string; values?: string[] }[] };

/** One webhook of the chart's MutatingWebhookConfiguration, as far as admission matching goes. */
export interface MutatingWebhookModel {
  readonly name: string;
  readonly failurePolicy: 'Fail' | 'Ignore';
  /** `rules[].resources` (all in the core group or the controller's own). */
  readonly resources: readonly string[];
  /** Absent: every namespace. */
  readonly namespaceSelector?: Selector;
  readonly objectSelector: Selector;
}

/**
 * The MutatingWebhookConfiguration of templates/webhook.yaml at v3.5.0, in template order: `mpod`
 * (readiness gates, `podMutatorWebhookConfig.failurePolicy`, namespaces labelled
 * `elbv2.k8s.aws/pod-readiness-gate-inject: enabled` unless `webhookNamespaceSelectors`), `quicid`
 * (failurePolicy Fail, namespaces labelled `elbv2.k8s.aws/quic-server-id-inject: enabled`), `mservice`
 * (only with `enableServiceMutatorWebhook`; `serviceMutatorWebhookConfig.failurePolicy`, every namespace
 * unless `namespaceSelectors`, every Service but the controller's own), the two
 * `alb-target-control` pod webhooks (Fail, opted into by a namespace or pod label), and
 * `mtargetgroupbinding` (Fail, the controller's own kind). Every objectSelector first excludes the
 * controller's pods (`app.kubernetes.io/name NotIn [<name>]`), then adds `objectSelector` (mpod, quicid)
 * or `serviceMutatorWebhookConfig.objectSelector` (mservice).
 */
export function loadBalancerControllerMutatingWebhooks(user: Values): MutatingWebhookModel[] {
  const v = mergeValues(LOAD_BALANCER_CONTROLLER_DEFAULTS, user);
  const name = chartName(v);
  const notController = { key: 'app.kubernetes.io/name', operator: 'NotIn', values: [name] };
  const objectSelector = (path: string): Selector => {
    const expressions = list(v, `${path}.matchExpressions`) as unknown as NonNullable<Selector['matchExpressions']>;
    const labels = map(v, `${path}.matchLabels`) as Record<string, string>;
    return { matchExpressions: [notController, ...expressions], ...(truthy(labels) ? { matchLabels: labels } : {}) };
  };
  const namespaces = (fallback: string): Selector => ({
    matchExpressions: truthy(at(v, 'webhookNamespaceSelectors'))
      ? (list(v, 'webhookNamespaceSelectors') as unknown as NonNullable<Selector['matchExpressions']>)
      : [{ key: fallback, operator: 'In', values: ['enabled'] }],
  });
  const hooks: MutatingWebhookModel[] = [
    { name: 'mpod.elbv2.k8s.aws', failurePolicy: at(v, 'podMutatorWebhookConfig.failurePolicy') as 'Fail' | 'Ignore', resources: ['pods'], namespaceSelector: namespaces('elbv2.k8s.aws/pod-readiness-gate-inject'), objectSelector: objectSelector('objectSelector') },
    { name: 'quicid.elbv2.k8s.aws', failurePolicy: 'Fail', resources: ['pods'], namespaceSelector: namespaces('elbv2.k8s.aws/quic-server-id-inject'), objectSelector: objectSelector('objectSelector') },
  ];
  if (at(v, 'enableServiceMutatorWebhook')) {
    const nsSelectors = list(v, 'serviceMutatorWebhookConfig.namespaceSelectors') as unknown as NonNullable<Selector['matchExpressions']>;
    hooks.push({
      name: 'mservice.elbv2.k8s.aws',
      failurePolicy: at(v, 'serviceMutatorWebhookConfig.failurePolicy') as 'Fail' | 'Ignore',
      resources: ['services'],
      ...(nsSelectors.length > 0 ? { namespaceSelector: { matchExpressions: nsSelectors } } : {}),
      objectSelector: objectSelector('serviceMutatorWebhookConfig.objectSelector'),
    });
  }
  const injection = 'elbv2.k8s.aws/alb-target-control-agent-injection';
  const inject = 'elbv2.k8s.aws/alb-target-control-agent-inject';
  hooks.push(
    { name: 'alb-target-control.namespace.elbv2.k8s.aws', failurePolicy: 'Fail', resources: ['pods'], namespaceSelector: { matchExpressions: [{ key: injection, operator: 'In', values: ['enabled'] }] }, objectSelector: { matchExpressions: [notController, { key: inject, operator: 'NotIn', values: ['false'] }] } },
    { name: 'alb-target-control.object.elbv2.k8s.aws', failurePolicy: 'Fail', resources: ['pods'], namespaceSelector: { matchExpressions: [{ key: injection, operator: 'DoesNotExist' }] }, objectSelector: { matchExpressions: [notController, { key: inject, operator: 'In', values: ['true'] }] } },
    { name: 'mtargetgroupbinding.elbv2.k8s.aws', failurePolicy: 'Fail', resources: ['targetgroupbindings'], objectSelector: {} },
  );
  return hooks;
}

/** What the chart fills from a certificate it generates while rendering (_helpers.tpl webhookCerts, templates/webhook.yaml). */
export interface GeneratedWebhookCertificate {
  /** The `kubernetes.io/tls` Secret whose `data` holds it. */
  readonly secret: string;
  /** The Mutating- and ValidatingWebhookConfiguration whose webhooks' `clientConfig.caBundle` hold its CA. */
  readonly webhookConfigurations: string;
}

/**
 * The certificate the chart generates when rendered without access to the cluster (Helm's `lookup` finds
 * no Secret, as under `helm template` or Argo CD), by _helpers.tpl webhookCerts at v3.5.0: none when
 * `webhookTLS.caCert`, `.cert` and `.key` are all given or `enableCertManager` is set (cert-manager injects
 * the CA then, and no Secret is rendered); otherwise genCA and genSignedCert, whatever `keepTLSSecret` says
 * (it only reuses a Secret `lookup` finds). Names: `<namePrefix>-tls` and `<namePrefix>-webhook`.
 */
export function loadBalancerControllerGeneratedCertificate(user: Values): GeneratedWebhookCertificate | undefined {
  const v = mergeValues({ ...LOAD_BALANCER_CONTROLLER_DEFAULTS, enableCertManager: false, webhookTLS: { caCert: null, cert: null, key: null } }, user);
  if (at(v, 'enableCertManager')) return undefined;
  if (truthy(at(v, 'webhookTLS.caCert')) && truthy(at(v, 'webhookTLS.cert')) && truthy(at(v, 'webhookTLS.key'))) return undefined;
  const prefix = namePrefix(v);
  return { secret: `${prefix}-tls`, webhookConfigurations: `${prefix}-webhook` };
}

import type { PlatformConfig } from '../../model/config';
import { GP3_STORAGE_CLASS } from '../base/chart';
import { GRAFANA_ADMIN_SECRET } from '../external-secrets/chart';
import { NAMESPACES } from '../../model/namespaces';
import { platformPool, systemNodes } from '../placement';

const res = (cpu: string, memory: string, limit: string) => ({ requests: { cpu, memory }, limits: { memory: limit } });

/**
 * Control-plane targets EKS does not expose: the kube-controller-manager, kube-scheduler and etcd run
 * in the AWS-managed control plane, with no pod or node address a ServiceMonitor could select, so
 * their up-series would be absent and KubeControllerManagerDown, KubeSchedulerDown and
 * etcdMembersDown/etcdInsufficientMembers would fire forever. Each component switch removes its
 * Service and ServiceMonitor, and each rule group is gated by both the component and its
 * `defaultRules.rules.*` switch (prometheus-community/helm-charts kube-prometheus-stack-79.6.1,
 * charts/kube-prometheus-stack/templates/prometheus/rules-1.14/etcd.yaml: `.Values.kubeEtcd.enabled
 * .Values.defaultRules.rules.etcd`; kubernetes-system-controller-manager.yaml:
 * `.Values.kubeControllerManager.enabled .Values.defaultRules.rules.kubeControllerManager`;
 * kubernetes-system-scheduler.yaml and kube-scheduler.rules.yaml: `.Values.kubeScheduler.enabled`
 * with `kubeSchedulerAlerting` / `kubeSchedulerRecording`). Both are off, so turning one back on
 * does not bring the other back silently.
 */
export const EKS_UNSCRAPEABLE = {
  kubeControllerManager: { enabled: false },
  kubeScheduler: { enabled: false },
  kubeEtcd: { enabled: false },
} as const;
export const EKS_UNSCRAPEABLE_RULES = { etcd: false, kubeControllerManager: false, kubeSchedulerAlerting: false, kubeSchedulerRecording: false } as const;

/**
 * Values for kube-prometheus-stack: retention and gp3 storage from config, no default Grafana password.
 *
 * Placement: everything the release waits for runs on the system nodes (the operator, its admission
 * webhook certificate Jobs, which are pre-install/post-install hooks, kube-state-metrics, Grafana),
 * so the release never waits for Karpenter. Prometheus and Alertmanager are created by the operator
 * from their custom resources after the release is done (Helm waits for neither) and go to
 * Karpenter's platform pool. node-exporter runs in its own privileged namespace
 * (charts/namespaces.ts) and on every node: the subchart's default toleration (`NoSchedule`
 * `Exists`, prometheus-node-exporter-4.49.1 values.yaml) covers the system nodes' taint.
 */
export function monitoringValues(config: PlatformConfig): Record<string, unknown> {
  const m = config.monitoring;
  const prod = config.environment === 'prod';
  const system = systemNodes();
  const pool = platformPool(config);
  return {
    // CRDs from the chart's crds/, which Helm never upgrades: on a pin bump they are applied by hand
    // (docs/upgrade.md, lib/upgrade/chart-steps.ts says why the chart's preview upgrade job stays off).
    crds: { enabled: true, upgradeJob: { enabled: false } },
    ...EKS_UNSCRAPEABLE,
    defaultRules: { rules: { ...EKS_UNSCRAPEABLE_RULES } },
    prometheus: {
      prometheusSpec: {
        replicas: m.prometheusReplicas,
        retention: m.retention,
        // Pick up every PrometheusRule/ServiceMonitor/PodMonitor, not only the chart's own.
        ruleSelectorNilUsesHelmValues: false,
        serviceMonitorSelectorNilUsesHelmValues: false,
        podMonitorSelectorNilUsesHelmValues: false,
        resources: prod ? res('500m', '4Gi', '8Gi') : res('200m', '1Gi', '2Gi'),
        ...pool,
        storageSpec: {
          volumeClaimTemplate: {
            spec: { storageClassName: GP3_STORAGE_CLASS, accessModes: ['ReadWriteOnce'], resources: { requests: { storage: `${m.storageGiB}Gi` } } },
          },
        },
      },
    },
    alertmanager: { alertmanagerSpec: { replicas: prod ? 2 : 1, resources: res('50m', '128Mi', '256Mi'), ...pool } },
    prometheusOperator: {
      resources: res('100m', '128Mi', '512Mi'),
      ...system,
      // The webhook certificate hooks (admission-create, admission-patch) have no requests or limits by default
      // (kube-prometheus-stack-79.6.1 values.yaml admissionWebhooks.patch.resources): the container-resources policy refuses them.
      admissionWebhooks: { patch: { ...system, resources: res('10m', '32Mi', '64Mi') } },
      // The chart passes --config-reloader-{cpu,memory}-{request,limit}=0 when these are empty (templates/prometheus-operator/
      // deployment.yaml), which the operator takes as "none" (prometheus-operator v0.86.2 cmd/operator/main.go): the
      // config-reloader containers of Prometheus and Alertmanager would have no requests or limits. The operator's own defaults.
      prometheusConfigReloader: { resources: { requests: { cpu: '10m', memory: '50Mi' }, limits: { memory: '50Mi' } } },
    },
    'kube-state-metrics': { resources: res('50m', '128Mi', '512Mi'), ...system },
    'prometheus-node-exporter': {
      namespaceOverride: NAMESPACES.nodeExporter,
      resources: res('50m', '64Mi', '128Mi'),
      // Host access is what it needs (host network and PID namespace, read-only /proc, /sys and /; exempted
      // by name for those policies, charts/gatekeeper/exemptions.ts); nothing else: the chart sets only
      // readOnlyRootFilesystem (prometheus-node-exporter-4.49.1 values.yaml), so no capabilities, no
      // privilege escalation, the runtime's seccomp profile. Helm merges these over the defaults.
      securityContext: { seccompProfile: { type: 'RuntimeDefault' } },
      containerSecurityContext: { readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
    },
    grafana: {
      // Credentials come from the grafana-admin Secret (External Secrets), never the chart's default.
      admin: { existingSecret: GRAFANA_ADMIN_SECRET, userKey: 'admin-user', passwordKey: 'admin-password' },
      'grafana.ini': { users: { allow_sign_up: false }, auth: { disable_login_form: false }, 'auth.anonymous': { enabled: false } },
      resources: res('100m', '256Mi', '512Mi'),
      // The dashboard and datasource sidecars kube-prometheus-stack turns on have no requests or limits
      // (grafana-10.1.5 values.yaml sidecar.resources: {}).
      sidecar: { resources: res('25m', '96Mi', '256Mi') },
      persistence: { enabled: false },
      // `helm test` pod (bats from Docker Hub, no security context): nothing the platform runs.
      testFramework: { enabled: false },
      ...system,
    },
  };
}

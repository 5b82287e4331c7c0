import type { PlatformConfig } from '../../infra/config';
import { GP3_STORAGE_CLASS } from '../base/chart';
import { GRAFANA_ADMIN_SECRET } from '../external-secrets/chart';

const res = (cpu: string, memory: string, limit: string) => ({ requests: { cpu, memory }, limits: { memory: limit } });

/** Values for kube-prometheus-stack: retention and gp3 storage from config, no default Grafana password. */
export function monitoringValues(config: PlatformConfig): Record<string, unknown> {
  const m = config.monitoring;
  const prod = config.environment === 'prod';
  return {
    crds: { enabled: true },
    prometheus: {
      prometheusSpec: {
        replicas: m.prometheusReplicas,
        retention: m.retention,
        // Pick up every PrometheusRule/ServiceMonitor/PodMonitor, not only the chart's own.
        ruleSelectorNilUsesHelmValues: false,
        serviceMonitorSelectorNilUsesHelmValues: false,
        podMonitorSelectorNilUsesHelmValues: false,
        resources: prod ? res('500m', '4Gi', '8Gi') : res('200m', '1Gi', '2Gi'),
        storageSpec: {
          volumeClaimTemplate: {
            spec: { storageClassName: GP3_STORAGE_CLASS, accessModes: ['ReadWriteOnce'], resources: { requests: { storage: `${m.storageGiB}Gi` } } },
          },
        },
      },
    },
    alertmanager: { alertmanagerSpec: { replicas: prod ? 2 : 1, resources: res('50m', '128Mi', '256Mi') } },
    prometheusOperator: {
      resources: res('100m', '128Mi', '512Mi'),
      // The webhook certificate hooks (admission-create, admission-patch) have no requests or limits by default
      // (kube-prometheus-stack-79.6.1 values.yaml admissionWebhooks.patch.resources): the container-resources policy refuses them.
      admissionWebhooks: { patch: { resources: res('10m', '32Mi', '64Mi') } },
      // The chart passes --config-reloader-{cpu,memory}-{request,limit}=0 when these are empty (templates/prometheus-operator/
      // deployment.yaml), which the operator takes as "none" (prometheus-operator v0.86.2 cmd/operator/main.go): the
      // config-reloader containers of Prometheus and Alertmanager would have no requests or limits. The operator's own defaults.
      prometheusConfigReloader: { resources: { requests: { cpu: '10m', memory: '50Mi' }, limits: { memory: '50Mi' } } },
    },
    'kube-state-metrics': { resources: res('50m', '128Mi', '512Mi') },
    'prometheus-node-exporter': {
      resources: res('50m', '64Mi', '128Mi'),
      // The chart sets only readOnlyRootFilesystem (prometheus-node-exporter-4.49.1 values.yaml): drop every
      // capability, no privilege escalation, RuntimeDefault seccomp. Host network, PID and hostPath stay
      // (exempted by name for those policies, charts/gatekeeper/exemptions.ts). Helm merges these over the defaults.
      securityContext: { seccompProfile: { type: 'RuntimeDefault' } },
      containerSecurityContext: { readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
    },
    grafana: {
      // Credentials come from the grafana-admin Secret (External Secrets), never the chart's default.
      admin: { existingSecret: GRAFANA_ADMIN_SECRET, userKey: 'admin-user', passwordKey: 'admin-password' },
      'grafana.ini': { users: { allow_sign_up: false }, auth: { disable_login_form: false }, 'auth.anonymous': { enabled: false } },
      resources: res('100m', '256Mi', '512Mi'),
      // The dashboard and datasource sidecars have no requests or limits by default (grafana-10.1.5 values.yaml sidecar.resources).
      sidecar: { resources: res('20m', '64Mi', '128Mi') },
      persistence: { enabled: false },
    },
  };
}

import type { PlatformConfig } from '../../model/config';
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
    prometheusOperator: { resources: res('100m', '128Mi', '512Mi') },
    'kube-state-metrics': { resources: res('50m', '128Mi', '512Mi') },
    'prometheus-node-exporter': { resources: res('50m', '64Mi', '128Mi') },
    grafana: {
      // Credentials come from the grafana-admin Secret (External Secrets), never the chart's default.
      admin: { existingSecret: GRAFANA_ADMIN_SECRET, userKey: 'admin-user', passwordKey: 'admin-password' },
      'grafana.ini': { users: { allow_sign_up: false }, auth: { disable_login_form: false }, 'auth.anonymous': { enabled: false } },
      resources: res('100m', '256Mi', '512Mi'),
      persistence: { enabled: false },
    },
  };
}

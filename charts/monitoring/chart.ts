import { ApiObject, Chart } from 'cdk8s';
import type { Construct } from 'constructs';
import { NAMESPACES } from '../namespaces';
import { PART_OF_LABEL, type PlatformChartProps } from '../context';
import { PLATFORM_ALERTS, runbookUrl } from './alerts';

/** The platform's PrometheusRules (each alert with a runbook) and a monitor for each enabled add-on. */
export class MonitoringChart extends Chart {
  constructor(scope: Construct, id: string, { config }: PlatformChartProps) {
    super(scope, id);
    const ns = NAMESPACES.monitoring;
    const labels = { ...PART_OF_LABEL };
    const alerts = PLATFORM_ALERTS.filter((a) => !a.addon || config.addons[a.addon]);
    new ApiObject(this, 'rules', {
      apiVersion: 'monitoring.coreos.com/v1',
      kind: 'PrometheusRule',
      metadata: { name: 'platform-alerts', namespace: ns, labels },
      spec: {
        groups: [
          {
            name: 'platform',
            rules: alerts.map((a) => ({
              alert: a.alert,
              expr: a.expr,
              for: a.for,
              labels: { severity: a.severity },
              annotations: { summary: a.summary, description: a.description, runbook_url: runbookUrl(a) },
            })),
          },
        ],
      },
    });

    const serviceMonitor = (name: string, namespace: string, selector: Record<string, string>, port: string) =>
      new ApiObject(this, `sm-${name}`, {
        apiVersion: 'monitoring.coreos.com/v1',
        kind: 'ServiceMonitor',
        metadata: { name, namespace: ns, labels },
        spec: { namespaceSelector: { matchNames: [namespace] }, selector: { matchLabels: selector }, endpoints: [{ port, interval: '30s' }] },
      });

    const { addons } = config;
    if (addons.gatekeeper) {
      // Gatekeeper serves metrics on its pods (port `metrics`), not through a Service.
      new ApiObject(this, 'pm-gatekeeper', {
        apiVersion: 'monitoring.coreos.com/v1',
        kind: 'PodMonitor',
        metadata: { name: 'gatekeeper', namespace: ns, labels },
        spec: {
          namespaceSelector: { matchNames: [NAMESPACES.gatekeeper] },
          selector: { matchLabels: { 'gatekeeper.sh/system': 'yes' } },
          podMetricsEndpoints: [{ port: 'metrics', interval: '30s' }],
        },
      });
    }
    if (addons.argocd) {
      for (const component of ['application-controller', 'server', 'repo-server', 'applicationset-controller']) {
        serviceMonitor(`argocd-${component}`, NAMESPACES.argocd, { 'app.kubernetes.io/instance': 'argocd', 'app.kubernetes.io/component': component }, 'http-metrics');
      }
    }
    if (addons.externalSecrets) {
      serviceMonitor('external-secrets', NAMESPACES.externalSecrets, { 'app.kubernetes.io/name': 'external-secrets', 'app.kubernetes.io/instance': 'external-secrets' }, 'metrics');
    }
    if (addons.karpenter) {
      serviceMonitor('karpenter', NAMESPACES.karpenter, { 'app.kubernetes.io/name': 'karpenter', 'app.kubernetes.io/instance': 'karpenter' }, 'http-metrics');
    }
  }
}

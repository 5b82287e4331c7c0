import { ApiObject, Chart } from 'cdk8s';
import type { Construct } from 'constructs';
import { NAMESPACES } from '../../model/namespaces';
import { PART_OF_LABEL, type PlatformChartProps } from '../context';
import { PLATFORM_ALERTS, runbookUrl } from './alerts';
import { LOAD_BALANCER_CONTROLLER_RELEASE } from '../aws-load-balancer-controller/values';
import { EXTERNAL_DNS_RELEASE } from '../external-dns/values';
import { X509_EXPORTER_RELEASE } from '../x509-certificate-exporter/values';

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
    // The x509-certificate-exporter release's headless Service (port `metrics`, chart v4.2.0 templates/service.yaml).
    serviceMonitor(X509_EXPORTER_RELEASE, ns, { 'app.kubernetes.io/name': X509_EXPORTER_RELEASE, 'app.kubernetes.io/instance': X509_EXPORTER_RELEASE }, 'metrics');
    if (addons.ingress) {
      // The controller's chart has no metrics Service: its pods expose port `metrics-server` (templates/deployment.yaml at v3.5.0).
      new ApiObject(this, 'pm-aws-load-balancer-controller', {
        apiVersion: 'monitoring.coreos.com/v1',
        kind: 'PodMonitor',
        metadata: { name: LOAD_BALANCER_CONTROLLER_RELEASE, namespace: ns, labels },
        spec: {
          namespaceSelector: { matchNames: [NAMESPACES.loadBalancerController] },
          selector: { matchLabels: { 'app.kubernetes.io/name': LOAD_BALANCER_CONTROLLER_RELEASE, 'app.kubernetes.io/instance': LOAD_BALANCER_CONTROLLER_RELEASE } },
          podMetricsEndpoints: [{ port: 'metrics-server', interval: '30s' }],
        },
      });
      // external-dns' Service, port `http` (templates/service.yaml at external-dns-helm-chart-1.21.1).
      serviceMonitor(EXTERNAL_DNS_RELEASE, NAMESPACES.externalDns, { 'app.kubernetes.io/name': EXTERNAL_DNS_RELEASE, 'app.kubernetes.io/instance': EXTERNAL_DNS_RELEASE }, 'http');
    }
  }
}

/**
 * kube-prometheus-stack on EKS: no scrape target, dashboard or alert for the control-plane
 * components EKS runs out of reach (kube-controller-manager, kube-scheduler, etcd), and everything
 * else the chart monitors still on.
 */
import * as path from 'node:path';
import { readStackConfigFile } from '../../lib/config/load';
import { REPO_ROOT } from '../../lib/stack';
import { HELM_RELEASES, PLATFORM_ALERTS, placeholderInputs } from '../../charts';
import { at, mergeValues, type Values } from './upstream/helm';

const READ_AT = 'prometheus-community/helm-charts kube-prometheus-stack-79.6.1 charts/kube-prometheus-stack';

/** values.yaml defaults of the switches the gates below read: every component and rule group on. */
const DEFAULTS: Values = {
  kubernetesServiceMonitors: { enabled: true },
  defaultRules: {
    create: true,
    rules: Object.fromEntries(
      [
        'alertmanager', 'etcd', 'configReloaders', 'general', 'k8sContainerCpuUsageSecondsTotal', 'k8sContainerMemoryCache', 'k8sContainerMemoryRss', 'k8sContainerMemorySwap',
        'k8sContainerResource', 'k8sContainerMemoryWorkingSetBytes', 'k8sPodOwner', 'kubeApiserverAvailability', 'kubeApiserverBurnrate', 'kubeApiserverHistogram', 'kubeApiserverSlos',
        'kubeControllerManager', 'kubelet', 'kubeProxy', 'kubePrometheusGeneral', 'kubePrometheusNodeRecording', 'kubernetesApps', 'kubernetesResources', 'kubernetesStorage',
        'kubernetesSystem', 'kubeSchedulerAlerting', 'kubeSchedulerRecording', 'kubeStateMetrics', 'network', 'node', 'nodeExporterAlerting', 'nodeExporterRecording', 'prometheus',
        'prometheusOperator', 'windows',
      ].map((k) => [k, true]),
    ),
  },
  grafana: { enabled: true, defaultDashboardsEnabled: true },
  ...Object.fromEntries(['kubeControllerManager', 'kubeScheduler', 'kubeEtcd', 'kubeProxy', 'kubeApiServer', 'kubelet', 'coreDns'].map((k) => [k, { enabled: true, serviceMonitor: { enabled: true }, service: { enabled: true } }])),
};

/** The `if and ...` of each template, transcribed (templates/ under READ_AT). */
const GATES: readonly { template: string; keys: readonly string[] }[] = [
  { template: 'exporters/kube-controller-manager/servicemonitor.yaml', keys: ['kubeControllerManager.enabled', 'kubeControllerManager.serviceMonitor.enabled', 'kubernetesServiceMonitors.enabled'] },
  { template: 'exporters/kube-scheduler/servicemonitor.yaml', keys: ['kubeScheduler.enabled', 'kubeScheduler.serviceMonitor.enabled', 'kubernetesServiceMonitors.enabled'] },
  { template: 'exporters/kube-etcd/servicemonitor.yaml', keys: ['kubeEtcd.enabled', 'kubeEtcd.serviceMonitor.enabled', 'kubernetesServiceMonitors.enabled'] },
  { template: 'prometheus/rules-1.14/kubernetes-system-controller-manager.yaml', keys: ['defaultRules.create', 'kubeControllerManager.enabled', 'defaultRules.rules.kubeControllerManager'] },
  { template: 'prometheus/rules-1.14/kubernetes-system-scheduler.yaml', keys: ['defaultRules.create', 'kubeScheduler.enabled', 'defaultRules.rules.kubeSchedulerAlerting'] },
  { template: 'prometheus/rules-1.14/kube-scheduler.rules.yaml', keys: ['defaultRules.create', 'kubeScheduler.enabled', 'defaultRules.rules.kubeSchedulerRecording'] },
  { template: 'prometheus/rules-1.14/etcd.yaml', keys: ['defaultRules.create', 'kubeEtcd.enabled', 'defaultRules.rules.etcd'] },
  { template: 'grafana/dashboards-1.14/controller-manager.yaml', keys: ['grafana.enabled', 'grafana.defaultDashboardsEnabled', 'kubeControllerManager.enabled'] },
  { template: 'grafana/dashboards-1.14/scheduler.yaml', keys: ['grafana.enabled', 'grafana.defaultDashboardsEnabled', 'kubeScheduler.enabled'] },
  { template: 'grafana/dashboards-1.14/etcd.yaml', keys: ['grafana.enabled', 'grafana.defaultDashboardsEnabled', 'kubeEtcd.enabled'] },
  // Still wanted on EKS: the API server, kubelets, kube-proxy, CoreDNS and the node and workload rules.
  { template: 'exporters/kube-api-server/servicemonitor.yaml', keys: ['kubeApiServer.enabled', 'kubeApiServer.serviceMonitor.enabled', 'kubernetesServiceMonitors.enabled'] },
  { template: 'exporters/kubelet/servicemonitor.yaml', keys: ['kubelet.enabled', 'kubelet.serviceMonitor.enabled', 'kubernetesServiceMonitors.enabled'] },
  { template: 'exporters/kube-proxy/servicemonitor.yaml', keys: ['kubeProxy.enabled', 'kubeProxy.serviceMonitor.enabled', 'kubernetesServiceMonitors.enabled'] },
  { template: 'exporters/core-dns/servicemonitor.yaml', keys: ['coreDns.enabled', 'coreDns.serviceMonitor.enabled', 'kubernetesServiceMonitors.enabled'] },
  { template: 'prometheus/rules-1.14/kubernetes-system-kubelet.yaml', keys: ['defaultRules.create', 'defaultRules.rules.kubernetesSystem'] },
  { template: 'prometheus/rules-1.14/kubernetes-system-apiserver.yaml', keys: ['defaultRules.create', 'defaultRules.rules.kubernetesSystem'] },
  { template: 'prometheus/rules-1.14/node-exporter.yaml', keys: ['defaultRules.create', 'defaultRules.rules.nodeExporterAlerting'] },
  { template: 'prometheus/rules-1.14/kubernetes-apps.yaml', keys: ['defaultRules.create', 'defaultRules.rules.kubernetesApps'] },
];

const OFF_ON_EKS = ['controller-manager', 'scheduler', 'etcd'];

describe.each(['dev', 'prod'] as const)('%s: kube-prometheus-stack targets on EKS', (stack) => {
  const config = readStackConfigFile(path.join(REPO_ROOT, `Pulumi.${stack}.yaml`));
  const release = HELM_RELEASES.find((r) => r.name === 'kube-prometheus-stack')!;
  const values = mergeValues(DEFAULTS, release.values(config, placeholderInputs(config)));
  const rendered = (gate: (typeof GATES)[number]) => gate.keys.every((k) => at(values, k) === true);

  test('GIVEN the values WHEN the chart renders THEN the controller-manager, scheduler and etcd monitors, alerts, recording rules and dashboards are gone', () => {
    const off = GATES.filter((g) => OFF_ON_EKS.some((c) => g.template.includes(c)));
    expect(off).toHaveLength(10);
    expect(off.filter(rendered).map((g) => `${READ_AT}/templates/${g.template}`)).toEqual([]);
  });

  test('GIVEN the values WHEN the chart renders THEN the rule groups are off by their own switch too, so re-enabling a component does not bring its alerts back unseen', () => {
    expect(at(values, 'defaultRules.rules')).toMatchObject({ etcd: false, kubeControllerManager: false, kubeSchedulerAlerting: false, kubeSchedulerRecording: false });
  });

  test('GIVEN the values WHEN the chart renders THEN the targets EKS does expose stay monitored', () => {
    const on = GATES.filter((g) => !OFF_ON_EKS.some((c) => g.template.includes(c)));
    expect(on.filter((g) => !rendered(g)).map((g) => g.template)).toEqual([]);
  });

  test('GIVEN the platform\'s own alerts THEN none reads a control-plane target EKS does not expose', () => {
    expect(PLATFORM_ALERTS.length).toBeGreaterThanOrEqual(7);
    expect(PLATFORM_ALERTS.filter((a) => /kube-scheduler|kube-controller-manager|etcd|scheduler_|workqueue_/.test(a.expr)).map((a) => a.alert)).toEqual([]);
  });
});

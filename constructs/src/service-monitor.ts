/**
 * ServiceMonitor (monitoring.coreos.com/v1) as Prometheus Operator v0.86.2 defines it, the operator
 * of the platform's kube-prometheus-stack 79.6.1 (prometheus-operator/prometheus-operator, tag
 * v0.86.2, example/prometheus-operator-crd/monitoring.coreos.com_servicemonitors.yaml): `selector`
 * and `endpoints` are required; an endpoint's `port` names a Service port; `path` defaults to
 * /metrics and `scheme` to http; without `namespaceSelector` only the ServiceMonitor's own
 * namespace is searched.
 */
import { ApiObject } from 'cdk8s';
import type * as kplus from 'cdk8s-plus-28';
import type { Construct } from 'constructs';
import { NAME_LABEL } from './internal/labels';
import { namespacedChecker, show } from './internal/validation';

export interface ServiceMonitorProps {
  /** The Service whose endpoints Prometheus scrapes, e.g. what `HardenedDeployment.exposeViaService()` returns. */
  readonly service: kplus.Service;
  /** Name of the Service port that serves metrics (ServiceMonitors select ports by name). @default metrics */
  readonly port?: string;
  /** @default /metrics */
  readonly path?: string;
  /** Scrape interval. @default 30s */
  readonly interval?: string;
  /** @default http */
  readonly scheme?: 'http' | 'https';
  /** @default the construct id */
  readonly name?: string;
  /** @default none */
  readonly labels?: Readonly<Record<string, string>>;
}

/** A Prometheus duration (`30s`, `1m30s`): what the operator's CRD accepts for `interval`. */
export const PROM_DURATION = /^(0|(([0-9]+)y)?(([0-9]+)w)?(([0-9]+)d)?(([0-9]+)h)?(([0-9]+)m)?(([0-9]+)s)?(([0-9]+)ms)?)$/;

/**
 * Tells the platform's Prometheus to scrape an app's metrics: a ServiceMonitor in the Service's
 * namespace, selecting the Service by its `app.kubernetes.io/name` label (added to the Service when
 * it has none). In a TenantNamespace the monitoring namespace's scrapes are allowed by its network policy.
 */
export class ServiceMonitor extends ApiObject {
  constructor(scope: Construct, id: string, props: ServiceMonitorProps) {
    const name = props.name ?? id;
    const service = props.service;
    const serviceNamespace = service?.metadata?.namespace;
    const { check, namespace } = namespacedChecker('ServiceMonitor', scope, name, serviceNamespace);
    check.dnsSubdomain('name', name);
    if (typeof service?.metadata?.getLabel !== 'function') check.fail(`service must be a cdk8s-plus Service (got ${show(service)})`);
    const port = props.port ?? 'metrics';
    const named = service.ports.map((p) => p.name).filter((n): n is string => n !== undefined);
    if (!named.includes(port)) {
      check.fail(`port must name a port of Service ${service.name} (got ${JSON.stringify(port)}; its named ports: ${named.join(', ') || 'none; name the metrics port, e.g. { name: "metrics", port: 9090 }'})`);
    }
    const path = props.path ?? '/metrics';
    if (!path.startsWith('/')) check.fail(`path must start with / (got ${JSON.stringify(path)})`);
    const interval = props.interval ?? '30s';
    if (!PROM_DURATION.test(interval) || interval === '0') check.fail(`interval must be a Prometheus duration like 30s or 1m (got ${JSON.stringify(interval)})`);
    const scheme = props.scheme ?? 'http';
    if (scheme !== 'http' && scheme !== 'https') check.fail(`scheme must be http or https (got ${JSON.stringify(scheme)})`);

    const selectorValue = service.metadata.getLabel(NAME_LABEL) ?? service.name;
    if (service.metadata.getLabel(NAME_LABEL) === undefined) service.metadata.addLabel(NAME_LABEL, selectorValue);
    super(scope, id, {
      apiVersion: 'monitoring.coreos.com/v1',
      kind: 'ServiceMonitor',
      metadata: { name, namespace, ...(props.labels ? { labels: { ...props.labels } } : {}) },
      spec: {
        selector: { matchLabels: { [NAME_LABEL]: selectorValue } },
        endpoints: [{ port, path, interval, scheme }],
      },
    });
  }
}

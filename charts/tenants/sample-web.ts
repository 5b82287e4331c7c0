/**
 * The sample tenant web service, `sample-web`: for each tenant whose stack config sets
 * `ingress.sampleWeb`, a HardenedWebService in the tenant's namespace on its internal load balancer,
 * at `sample-web.<the tenant's first domain>`. It proves the whole ingress path on a real cluster
 * (IngressClass and params, ACM certificate discovery, the DNS record, target health through the
 * NetworkPolicy, the readiness gate, Prometheus scraping) and shows a team how its own services look.
 *
 * The app is podinfo (stefanprodan/podinfo, tag 6.14.1, released 2026-07-22; image
 * ghcr.io/stefanprodan/podinfo:6.14.1, the tag charts/podinfo/values.yaml pins at that tag). Facts
 * read at that tag: the image's CMD is `./podinfo` in WORKDIR /home/app with no ENTRYPOINT
 * (Dockerfile), so flags need the command repeated, as the upstream chart's
 * templates/deployment.yaml does; `--port` (default 9898) serves HTTP with `/healthz` and `/readyz`;
 * `--port-metrics` (default 0: off) starts a second server with `/metrics`; `--data-path` defaults to
 * /data, which the upstream chart mounts as an emptyDir (cmd/podinfo/main.go,
 * pkg/api/http/server.go startMetricsServer).
 */
import { Chart, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import type { Construct } from 'constructs';
import { HardenedWebService, type TenantNamespace } from '@eks-platform-blueprint/constructs';
import type { TenantConfig } from '../../model/config';
import { PART_OF_LABEL, type PlatformChartProps } from '../context';

export const SAMPLE_WEB_NAME = 'sample-web';
export const SAMPLE_WEB_IMAGE = 'ghcr.io/stefanprodan/podinfo:6.14.1';
const HTTP_PORT = 9898;

/**
 * The only paths the load balancer sends to podinfo (Exact; anything else gets the load balancer's 404):
 * the info page at `/` (JSON for curl, the UI for a browser), the info API the UI fetches, and the
 * version. podinfo also serves, on the same port, its environment (`/env`), Go's profiler
 * (`/debug/pprof/`), a panic trigger (`/panic`), switches that make it unready or inject faults
 * (`/readyz/disable`, `/fault_injection/enable`) and writable stores (`/store`, `/cache`)
 * (pkg/api/http/server.go registerHandlers at 6.14.1; ui/vue.html fetches `/api/info`): none of them
 * belong on a load balancer, even an internal one.
 */
export const SAMPLE_WEB_PATHS = ['/', '/api/info', '/version'] as const;
const METRICS_PORT = 9797;

/** The host of a tenant's sample web service: one label under its first domain (covered by the tenant's certificate). */
export function sampleWebHost(tenant: TenantConfig): string {
  const domain = tenant.ingress?.domains[0];
  if (!domain) throw new Error(`tenant ${tenant.name} has no ingress domain`);
  return `${SAMPLE_WEB_NAME}.${domain}`;
}

/** Tenants that asked for the sample (config.ts refuses it without the ingress add-on). */
export function sampleWebTenants(config: PlatformChartProps['config']): TenantConfig[] {
  return config.addons.ingress ? config.tenants.filter((t) => t.ingress?.sampleWeb) : [];
}

export interface SampleWebChartProps extends PlatformChartProps {
  /** The tenants' namespaces (TenantsChart.namespaces): the sample takes its ingress settings from them, as a team's app would. */
  readonly tenants: ReadonlyMap<string, TenantNamespace>;
}

export class SampleWebChart extends Chart {
  constructor(scope: Construct, id: string, { config, tenants }: SampleWebChartProps) {
    super(scope, id);
    for (const tenant of sampleWebTenants(config)) {
      const namespace = tenants.get(tenant.name);
      if (!namespace) throw new Error(`no TenantNamespace for tenant ${tenant.name}`);
      new HardenedWebService(this, tenant.name, {
        ...namespace.webServiceProps(),
        name: SAMPLE_WEB_NAME,
        labels: PART_OF_LABEL,
        hosts: [sampleWebHost(tenant)],
        paths: SAMPLE_WEB_PATHS.map((path) => ({ path, pathType: 'Exact' as const })),
        containers: [
          {
            image: SAMPLE_WEB_IMAGE,
            command: ['./podinfo'],
            args: [`--port=${HTTP_PORT}`, `--port-metrics=${METRICS_PORT}`, '--level=info'],
            ports: [{ name: 'http', number: HTTP_PORT }, { name: 'metrics', number: METRICS_PORT }],
            resources: { cpu: { request: kplus.Cpu.millis(50) }, memory: { request: Size.mebibytes(64), limit: Size.mebibytes(128) } },
            readiness: kplus.Probe.fromHttpGet('/readyz', { port: HTTP_PORT }),
            liveness: kplus.Probe.fromHttpGet('/healthz', { port: HTTP_PORT }),
            volumeMounts: [{ path: '/data', volume: kplus.Volume.fromEmptyDir(this, `${tenant.name}-data`, 'data', { sizeLimit: Size.mebibytes(64) }) }],
          },
        ],
        // Without the monitoring add-on there is no ServiceMonitor CRD and no Prometheus to admit.
        ...(config.addons.monitoring ? {} : { metrics: false as const }),
        autoscaling: { minReplicas: 2, maxReplicas: 4 },
      });
    }
  }
}

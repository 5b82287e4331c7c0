/**
 * A web service behind the AWS Load Balancer Controller's Application Load Balancer: the hardened
 * Deployment, a ClusterIP Service, an Ingress (networking.k8s.io/v1), PodDisruptionBudget,
 * HorizontalPodAutoscaler, a NetworkPolicy admitting the load balancer and Prometheus only, and a
 * ServiceMonitor.
 *
 * What the Ingress says, and what it leaves to the IngressClass. Facts from
 * kubernetes-sigs/aws-load-balancer-controller at tag v3.5.0:
 * - docs/guide/ingress/annotations.md: `alb.ingress.kubernetes.io/listen-ports` defaults to HTTP 80
 *   alone unless a certificate ARN is given, and docs/guide/ingress/cert_discovery.md says an HTTPS
 *   listener must be asked for explicitly with it; certificates are then discovered from the hosts of
 *   `spec.tls` and the rules. `ssl-redirect` needs its HTTPS port among the listen ports and turns every
 *   HTTP listener into a redirect. `healthcheck-path` defaults to `/`; `healthcheck-port` to the traffic port.
 * - docs/guide/ingress/ingress_class.md: when the IngressClassParams set `scheme`, `group.name`,
 *   `sslPolicy`, `sslRedirectPort`, `targetType`, `inboundCIDRs`, `ipAddressType` or
 *   `loadBalancerAttributes`, the params win and the matching annotation is ignored. Params cannot
 *   create listeners (`spec.listeners` only sets attributes of the ports the Ingresses ask for).
 * So the Ingress sets listen-ports (HTTP 80 and HTTPS 443: plain HTTP arrives only to be redirected)
 * and the health check path, and nothing the class pins: scheme, group, TLS policy, redirect and IP
 * targets come from the tenant's IngressClassParams, which tenants cannot change.
 */
import { ApiObject } from 'cdk8s';
import type * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import type { AutoscalingProps } from './availability-props';
import { HardenedDeployment, type HardenedDeploymentProps } from './hardened-deployment';
import { NetworkPeers, NetworkPorts, type NetworkPolicyPeerSpec, type NetworkPolicyPortSpec } from './network-peers';
import { PROM_DURATION, ServiceMonitor } from './service-monitor';
import { checkTenantIngress, hostNameProblem, hostUnderDomains, type LoadBalancerScheme, type TenantIngress, type TenantLoadBalancer } from './tenant-ingress';
import { checkAvailability } from './internal/availability';
import { planPod } from './internal/pod-hardening';
import { show, type PropChecker } from './internal/validation';

export interface WebServiceMetricsProps {
  /** Name of the container port serving Prometheus metrics (`http` when the app serves them beside its pages). @default metrics */
  readonly port?: string;
  /** @default /metrics */
  readonly path?: string;
  /** Scrape interval. @default 30s */
  readonly interval?: string;
}

export interface HardenedWebServiceProps extends Omit<HardenedDeploymentProps, 'autoscaling'> {
  /**
   * The tenant's ingress settings: allowed domains, and per scheme its IngressClass and load
   * balancer subnets. In a platform tenant: `...tenantNamespace.webServiceProps()`.
   */
  readonly ingress: TenantIngress;
  /** Host names the service answers on, each one of `ingress.domains` or one label under one. No wildcards. */
  readonly hosts: readonly string[];
  /**
   * Which load balancer: `internet-facing` only when `ingress.internetFacing` is given (the tenant
   * may face the internet).
   * @default internal
   */
  readonly scheme?: LoadBalancerScheme;
  /**
   * The request paths the load balancer sends to the service, on every host; anything else gets the load
   * balancer's 404 (the controller's default action when no Ingress has a default backend:
   * kubernetes-sigs/aws-load-balancer-controller v3.5.0 pkg/ingress/model_build_listener.go). `Exact`
   * matches the path only, `Prefix` the path and everything under it, by `/`-separated segments.
   * Narrow it to keep debugging or admin endpoints of the app off the load balancer.
   * @default [{ path: '/', pathType: 'Prefix' }] (every path)
   */
  readonly paths?: readonly WebServicePath[];
  /** Name of the app container port the load balancer sends traffic to. @default http */
  readonly port?: string;
  /**
   * Path the load balancer health-checks on that port.
   * @default the path of that container's HTTP readiness probe (required when there is none)
   */
  readonly healthCheckPath?: string;
  /** Prometheus scraping through a ServiceMonitor; `false` creates none and opens no port to Prometheus. @default { port: 'metrics', path: '/metrics', interval: '30s' } */
  readonly metrics?: WebServiceMetricsProps | false;
  /** Namespace of the Prometheus allowed to scrape the metrics port. @default monitoring */
  readonly monitoringNamespace?: string;
  /**
   * The HorizontalPodAutoscaler on average CPU; `false` for a fixed count (`replicas`).
   * @default { minReplicas: 2, maxReplicas: 10, targetCpuUtilization: 70 }
   */
  readonly autoscaling?: AutoscalingProps | false;
}

/** One path rule of the web service's Ingress (networking.k8s.io/v1 HTTPIngressPath). */
export interface WebServicePath {
  /** Starts with `/`. */
  readonly path: string;
  readonly pathType: 'Exact' | 'Prefix';
}

const DEFAULT_AUTOSCALING: AutoscalingProps = { minReplicas: 2, maxReplicas: 10, targetCpuUtilization: 70 };
/** HTTP on 80 (redirected to HTTPS by the class), HTTPS on 443; JSON as the controller parses it. */
export const WEB_SERVICE_LISTEN_PORTS = '[{"HTTP": 80}, {"HTTPS": 443}]';

interface ResolvedPorts {
  readonly http: { readonly name: string; readonly number: number };
  readonly metrics?: { readonly name: string; readonly number: number; readonly path: string; readonly interval: string };
  readonly healthCheckPath: string;
}

/**
 * A web service the platform's load balancer serves over TLS only. Zero-config (given the tenant's
 * ingress settings, hosts and one container with an `http` and a `metrics` port and an HTTP readiness
 * probe) it is: 2 to 10 replicas under an autoscaler with a PodDisruptionBudget and a zone spread,
 * restricted pods, a ClusterIP Service, an Ingress on the tenant's internal class with every host in
 * `spec.tls` (HTTP redirected to HTTPS by the class), a NetworkPolicy admitting only the load
 * balancer's subnets on the http port and the monitoring namespace on the metrics port, and a
 * ServiceMonitor.
 *
 * Every object is named after the service. It selects pods like the Deployment does, so it can be a
 * `NetworkPeers.pods()` peer or an `AllowNetworkPolicy` podSelector.
 */
export class HardenedWebService extends Construct implements kplus.IPodSelector {
  readonly deployment: HardenedDeployment;
  readonly service: kplus.Service;
  readonly ingress: ApiObject;
  readonly networkPolicy: ApiObject;
  readonly serviceMonitor?: ServiceMonitor;
  /** The IngressClass the Ingress names (the tenant's class for `scheme`). */
  readonly ingressClassName: string;
  readonly hosts: readonly string[];

  constructor(scope: Construct, id: string, props: HardenedWebServiceProps) {
    // Everything is validated before anything is created, with this construct's name in the messages.
    const deploymentProps = deploymentPropsOf(props);
    const plan = planPod('HardenedWebService', scope, id, deploymentProps);
    const { check } = plan;
    if (props.autoscaling !== false && props.replicas !== undefined) {
      check.fail(`replicas must not be set while autoscaling is on, as it is by default (got ${props.replicas}; set autoscaling.minReplicas, or autoscaling: false for a fixed count)`);
    }
    checkAvailability(check, deploymentProps);
    const ingress = checkTenantIngress(check, 'ingress', props.ingress);
    const scheme = props.scheme ?? 'internal';
    if (scheme !== 'internal' && scheme !== 'internet-facing') check.fail(`scheme must be internal or internet-facing (got ${show(scheme)})`);
    const loadBalancer: TenantLoadBalancer =
      (scheme === 'internal' ? ingress.internal : ingress.internetFacing) ??
      check.fail('scheme internet-facing is not allowed for this tenant (ingress.internetFacing is not set): use the internal scheme, or ask the platform team to let the tenant face the internet');
    const hosts = checkHosts(check, props.hosts, ingress.domains);
    const paths = checkPaths(check, props.paths);
    const ports = resolvePorts(check, props);
    const monitoringNamespace = props.monitoringNamespace ?? 'monitoring';
    if (ports.metrics) check.dnsLabel('monitoringNamespace', monitoringNamespace);

    super(scope, id);
    const { name, namespace, labels } = plan;
    this.ingressClassName = loadBalancer.ingressClassName;
    this.hosts = hosts;
    this.deployment = new HardenedDeployment(this, 'deployment', { ...deploymentProps, name, namespace });
    const servicePorts: kplus.ServicePort[] = [{ name: ports.http.name, port: ports.http.number, targetPort: ports.http.number }];
    if (ports.metrics && ports.metrics.name !== ports.http.name) servicePorts.push({ name: ports.metrics.name, port: ports.metrics.number, targetPort: ports.metrics.number });
    this.service = this.deployment.exposeViaService({ name, ports: servicePorts });

    this.ingress = new ApiObject(this, 'ingress', {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: {
        name,
        namespace,
        labels: { ...labels },
        annotations: {
          'alb.ingress.kubernetes.io/listen-ports': WEB_SERVICE_LISTEN_PORTS,
          'alb.ingress.kubernetes.io/healthcheck-path': ports.healthCheckPath,
        },
      },
      spec: {
        ingressClassName: loadBalancer.ingressClassName,
        // Every host under TLS: the controller finds each host's ACM certificate by name (no secret: the ALB terminates TLS).
        tls: [{ hosts: [...hosts] }],
        rules: hosts.map((host) => ({
          host,
          http: { paths: paths.map((p) => ({ path: p.path, pathType: p.pathType, backend: { service: { name, port: { name: ports.http.name } } } })) },
        })),
      },
    });

    // IP targets: the load balancer connects to pod IPs from its own subnets, nothing else outside the cluster needs in.
    const rules: { from: NetworkPolicyPeerSpec[]; ports: NetworkPolicyPortSpec[] }[] = [
      { from: loadBalancer.subnetCidrs.map((cidr) => ({ ipBlock: { cidr } })), ports: [NetworkPorts.tcp(ports.http.number)] },
    ];
    if (ports.metrics) rules.push({ from: [NetworkPeers.namespace(monitoringNamespace)], ports: [NetworkPorts.tcp(ports.metrics.number)] });
    this.networkPolicy = new ApiObject(this, 'network-policy', {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name, namespace, labels: { ...labels } },
      spec: { podSelector: { matchLabels: { ...plan.selector } }, policyTypes: ['Ingress'], ingress: rules },
    });

    if (ports.metrics) {
      const { name: port, path, interval } = ports.metrics;
      this.serviceMonitor = new ServiceMonitor(this, 'service-monitor', { name, service: this.service, port, path, interval });
    }
  }

  /** Selects the service's pods (those of its Deployment). */
  toPodSelectorConfig(): kplus.PodSelectorConfig {
    return this.deployment.toPodSelectorConfig();
  }
}

/** The Deployment's props: the web service's own props taken out, autoscaling resolved. */
function deploymentPropsOf(props: HardenedWebServiceProps): HardenedDeploymentProps {
  const own = new Set<string>(['ingress', 'hosts', 'paths', 'scheme', 'port', 'healthCheckPath', 'metrics', 'monitoringNamespace', 'autoscaling']);
  const pod = Object.fromEntries(Object.entries(props).filter(([key]) => !own.has(key))) as Omit<HardenedDeploymentProps, 'autoscaling'>;
  const autoscaling = props.autoscaling === false ? undefined : (props.autoscaling ?? DEFAULT_AUTOSCALING);
  return { ...pod, ...(autoscaling ? { autoscaling } : {}) };
}

/**
 * The path rules, default every path. A path is one the API server accepts for these path types
 * (kubernetes/kubernetes pkg/apis/networking/validation validateHTTPIngressPath: it starts with `/`, holds
 * none of `//`, `/./`, `/../`, `%2f`, `%2F` and does not end in `/..` or `/.`), and one the ALB matches
 * literally: no `*` or `?`, its path-pattern wildcards, and at most 128 characters (Elastic Load Balancing,
 * listener rule path conditions).
 */
function checkPaths(check: PropChecker, paths: readonly WebServicePath[] | undefined): WebServicePath[] {
  if (paths === undefined) return [{ path: '/', pathType: 'Prefix' }];
  if (!Array.isArray(paths) || paths.length === 0) check.fail(`paths must list at least one { path, pathType } (got ${show(paths)}; leave it out for every path)`);
  paths.forEach((p, i) => {
    const { path, pathType } = (p ?? {}) as Partial<WebServicePath>;
    if (pathType !== 'Exact' && pathType !== 'Prefix') check.fail(`paths[${i}].pathType must be Exact or Prefix (got ${show(pathType)})`);
    const invalid =
      typeof path !== 'string' || !/^\/[\x21-\x7e]{0,127}$/.test(path) || /[*?]/.test(path) ||
      ['//', '/./', '/../', '%2f', '%2F'].some((seq) => path.includes(seq)) || path.endsWith('/..') || path.endsWith('/.');
    if (invalid) check.fail(`paths[${i}].path must start with / and hold at most 128 printable characters, without *, ?, //, /./, /../ or %2f, nor end in /. or /.. (got ${show(path)})`);
    if (paths.findIndex((q) => q.path === path && q.pathType === pathType) < i) check.fail(`paths[${i}] repeats ${pathType} ${path} (list each path once)`);
  });
  return paths.map((p) => ({ path: p.path, pathType: p.pathType }));
}

function checkHosts(check: PropChecker, hosts: readonly string[] | undefined, domains: readonly string[]): string[] {
  if (!Array.isArray(hosts) || hosts.length === 0) check.fail(`hosts must list at least one host name under ${domains.join(', ')} (got ${show(hosts)})`);
  hosts.forEach((host, i) => {
    const problem = hostNameProblem(host);
    if (problem) check.fail(`hosts[${i}] ${problem}`);
    if (!hostUnderDomains(host, domains)) {
      check.fail(`hosts[${i}] is not the tenant's (got ${JSON.stringify(host)}; allowed: ${domains.map((d) => `${d} or <name>.${d}`).join(', ')})`);
    }
    if (hosts.indexOf(host) < i) check.fail(`hosts[${i}] repeats ${JSON.stringify(host)} (list each host once)`);
  });
  return [...hosts];
}

/** The http and metrics ports of the app containers, and the health check path. */
function resolvePorts(check: PropChecker, props: HardenedWebServiceProps): ResolvedPorts {
  const portName = props.port ?? 'http';
  check.dnsLabel('port', portName);
  const named = props.containers.flatMap((c, i) => (c.ports ?? []).map((p) => ({ container: c, index: i, name: p.name, number: p.number })));
  const find = (prop: string, wanted: string, example: string) => {
    const hit = named.find((p) => p.name === wanted);
    if (!hit) {
      const names = named.map((p) => p.name).filter((n) => n !== undefined);
      check.fail(`${prop} names no container port (got ${JSON.stringify(wanted)}; the containers' named ports: ${names.join(', ') || 'none'}; name it, e.g. ports: [${example}])`);
    }
    return hit;
  };
  const http = find('port', portName, `{ name: '${portName}', number: 8080 }`);

  let metrics: ResolvedPorts['metrics'];
  if (props.metrics !== false) {
    const metricsName = props.metrics?.port ?? 'metrics';
    const hit = find('metrics.port', metricsName, `{ name: '${metricsName}', number: 9090 }`);
    const path = props.metrics?.path ?? '/metrics';
    if (typeof path !== 'string' || !path.startsWith('/')) check.fail(`metrics.path must start with / (got ${show(path)})`);
    const interval = props.metrics?.interval ?? '30s';
    if (!PROM_DURATION.test(interval) || interval === '0' || interval === '') check.fail(`metrics.interval must be a Prometheus duration like 30s or 1m (got ${show(interval)})`);
    metrics = { name: metricsName, number: hit.number, path, interval };
  }

  let healthCheckPath = props.healthCheckPath;
  if (healthCheckPath === undefined) {
    const readiness = http.container.readiness;
    // cdk8s-plus renders an HTTP probe from the probe alone and the container's portNumber (src/_action.ts, fromHttpGet, at cdk8s-plus-28/v2.5.6).
    const probe = readiness?._toKube({ portNumber: http.container.portNumber ?? http.container.port } as kplus.Container);
    const get = probe?.httpGet;
    if (!get) {
      check.fail(`healthCheckPath is required when containers[${http.index}] has no HTTP readiness probe: give it readiness: kplus.Probe.fromHttpGet('/healthz', { port: ${http.number} }), or set healthCheckPath to a path port ${portName} answers with 200`);
    }
    if (get.port.value !== http.number) {
      check.fail(`healthCheckPath is required: containers[${http.index}]'s readiness probe checks port ${String(get.port.value)}, but the load balancer checks port ${portName} (${http.number}); set healthCheckPath to a path port ${http.number} answers with 200`);
    }
    if (get.scheme === 'HTTPS') check.fail(`containers[${http.index}]'s readiness probe uses HTTPS, but the load balancer talks HTTP to the pods (it terminates TLS): serve plain HTTP on port ${portName}`);
    healthCheckPath = get.path ?? '/';
  }
  if (!/^\/[\x21-\x7e]*$/.test(healthCheckPath)) check.fail(`healthCheckPath must be a path starting with / without spaces (got ${show(healthCheckPath)})`);
  return { http: { name: portName, number: http.number }, ...(metrics ? { metrics } : {}), healthCheckPath };
}

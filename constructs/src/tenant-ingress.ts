/**
 * A tenant's ingress settings: which host names it may claim and, per load balancer scheme, the
 * IngressClass to use and the subnets the load balancer sits in. The platform team decides them
 * (stack config); `TenantNamespace` carries them, `HardenedWebService` obeys them.
 */
import { show, type PropChecker } from './internal/validation';

/** One load balancer a tenant may put web services behind. */
export interface TenantLoadBalancer {
  /**
   * The IngressClass of the tenant for this scheme. Its IngressClassParams are expected to pin the
   * scheme, IP targets, the TLS policy and the HTTP-to-HTTPS redirect (the platform's do).
   */
  readonly ingressClassName: string;
  /**
   * CIDRs of the subnets the load balancer's nodes sit in. With IP targets the load balancer
   * connects to pod IPs from these addresses only, so a pod's NetworkPolicy admits these and nothing
   * else from outside the cluster.
   */
  readonly subnetCidrs: readonly string[];
}

/** What a tenant may expose, and through which load balancers. */
export interface TenantIngress {
  /** Host names the tenant may claim: each domain itself and any name one label under it (what a certificate for `<domain>` and `*.<domain>` covers). */
  readonly domains: readonly string[];
  /** The internal load balancer (always allowed). */
  readonly internal: TenantLoadBalancer;
  /** The internet-facing load balancer: present only when the tenant may face the internet. @default none (internal only) */
  readonly internetFacing?: TenantLoadBalancer;
}

export type LoadBalancerScheme = 'internal' | 'internet-facing';

/**
 * Namespace label that makes the AWS Load Balancer Controller inject its target-health readiness
 * gate into new pods (kubernetes-sigs/aws-load-balancer-controller v3.5.0,
 * docs/deploy/pod_readiness_gate.md; the chart's mpod.elbv2.k8s.aws webhook selects namespaces by it,
 * helm/aws-load-balancer-controller/templates/webhook.yaml): a rollout then waits until the load
 * balancer sees the new pods healthy before taking old ones down.
 */
export const READINESS_GATE_INJECT_LABEL: Readonly<Record<string, string>> = { 'elbv2.k8s.aws/pod-readiness-gate-inject': 'enabled' };

/** A DNS name of two labels or more, lowercase, no wildcard, no trailing dot. */
const DNS_NAME = /^(?=.{1,253}$)[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?(\.[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?)+$/;
const IPV4_CIDR = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;
/** Subnets lie in a VPC, whose CIDR blocks are /16 to /28 (Amazon VPC user guide, "VPC CIDR blocks"). */
const MIN_SUBNET_PREFIX = 16;

/** Whether `host` is one of `domains` or one label under one. */
export function hostUnderDomains(host: string, domains: readonly string[]): boolean {
  return domains.some((d) => host === d || (host.endsWith(`.${d}`) && !host.slice(0, -d.length - 1).includes('.')));
}

/** Why `name` is not a host name a load balancer can serve, or undefined when it is. */
export function hostNameProblem(name: unknown): string | undefined {
  if (typeof name === 'string' && name.includes('*')) return `must not be a wildcard (got ${JSON.stringify(name)}; list each host name)`;
  if (typeof name !== 'string' || !DNS_NAME.test(name)) return `must be a lowercase DNS name of two labels or more, like shop.example.com (got ${show(name)})`;
  return undefined;
}

/** Checks a TenantIngress prop (`prop` names it in messages); returns it. */
export function checkTenantIngress(check: PropChecker, prop: string, ingress: TenantIngress | undefined): TenantIngress {
  if (typeof ingress !== 'object' || ingress === null) check.fail(`${prop} is required: the tenant's domains and IngressClasses, e.g. TenantNamespace.webServiceProps() (got ${show(ingress)})`);
  if (!Array.isArray(ingress.domains) || ingress.domains.length === 0) check.fail(`${prop}.domains must list at least one domain (got ${show(ingress.domains)})`);
  ingress.domains.forEach((d, i) => {
    const problem = hostNameProblem(d);
    if (problem) check.fail(`${prop}.domains[${i}] ${problem}`);
    if (ingress.domains.indexOf(d) < i) check.fail(`${prop}.domains[${i}] repeats ${JSON.stringify(d)} (list each domain once)`);
  });
  checkLoadBalancer(check, `${prop}.internal`, ingress.internal);
  if (ingress.internetFacing !== undefined) {
    checkLoadBalancer(check, `${prop}.internetFacing`, ingress.internetFacing);
    if (ingress.internetFacing.ingressClassName === ingress.internal.ingressClassName) {
      check.fail(`${prop}.internetFacing.ingressClassName must differ from internal's (got ${JSON.stringify(ingress.internal.ingressClassName)} for both; each scheme has its own class)`);
    }
  }
  return ingress;
}

function checkLoadBalancer(check: PropChecker, prop: string, lb: TenantLoadBalancer | undefined): void {
  if (typeof lb !== 'object' || lb === null) check.fail(`${prop} is required: { ingressClassName, subnetCidrs } (got ${show(lb)})`);
  check.dnsSubdomain(`${prop}.ingressClassName`, lb.ingressClassName);
  if (!Array.isArray(lb.subnetCidrs) || lb.subnetCidrs.length === 0) check.fail(`${prop}.subnetCidrs must list the load balancer's subnet CIDRs (got ${show(lb.subnetCidrs)})`);
  lb.subnetCidrs.forEach((cidr, i) => {
    const problem = subnetCidrProblem(cidr);
    if (problem) check.fail(`${prop}.subnetCidrs[${i}] ${problem}`);
  });
}

/** Why `cidr` is not a canonical IPv4 subnet CIDR of /16 or narrower, or undefined when it is. */
function subnetCidrProblem(cidr: unknown): string | undefined {
  const m = typeof cidr === 'string' ? IPV4_CIDR.exec(cidr) : null;
  const octets = m ? m.slice(1, 5).map(Number) : [];
  const prefix = m ? Number(m[5]) : -1;
  if (!m || octets.some((o) => o > 255) || prefix > 32) return `must be an IPv4 CIDR like 10.0.32.0/19 (got ${show(cidr)})`;
  if (prefix < MIN_SUBNET_PREFIX) return `is broader than /${MIN_SUBNET_PREFIX} (got ${JSON.stringify(cidr)}): load balancer subnets lie in a VPC (/16 to /28); give the subnets' CIDRs`;
  const address = octets.reduce((a, o) => a * 256 + o, 0);
  const size = 2 ** (32 - prefix);
  if (address % size !== 0) {
    const base = address - (address % size);
    return `has host bits set (got ${JSON.stringify(cidr)}; the network is ${[24, 16, 8, 0].map((s) => Math.floor(base / 2 ** s) % 256).join('.')}/${prefix})`;
  }
  return undefined;
}

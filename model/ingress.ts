/**
 * The ingress model every layer shares: how tenants map to IngressClasses and load balancer groups,
 * which names each platform certificate covers, which hosts a tenant may claim, and the config
 * rules that keep tenants from overlapping. Pure: no Pulumi, no cdk8s; the config schema, charts/ and
 * infra/ingress.ts all read it, and the later policies (host ownership, scheme) take their
 * parameters from it.
 *
 * Tenants and groups. The AWS Load Balancer Controller puts every Ingress of an IngressClass whose
 * IngressClassParams name a `group` into that one group, one ALB, and then ignores the Ingress'
 * `alb.ingress.kubernetes.io/group.name` annotation; `namespaceSelector` makes it refuse Ingresses from
 * other namespaces; `scheme` and `sslPolicy` likewise override the annotations
 * (kubernetes-sigs/aws-load-balancer-controller v3.5.0, docs/guide/ingress/ingress_class.md,
 * pkg/ingress/group_loader.go loadGroupID). So each tenant gets its own IngressClass per scheme,
 * whose params pin the group, the namespace, the scheme and the TLS policy: the controller itself
 * keeps one tenant out of another's load balancer, with or without Gatekeeper.
 *
 * Policies. `ingressPolicyNamespaces` is what the ingress policies (policies/tenant-hosts,
 * ingress-scheme, ingress-tls, ingress-classes) take as `parameters.namespaces` per stack: each tenant
 * namespace with its domains and its IngressClasses, with what their params pin.
 */
import { planSubnets } from './subnets';

/** `spec.controller` of IngressClasses the controller manages (pkg/ingress/group_loader.go, IngressClassControllerALB). */
export const ALB_INGRESS_CONTROLLER = 'ingress.k8s.aws/alb';

/** The tag the controller puts on every AWS resource it creates, valued with the cluster name (pkg/shared_constants/tag_keys.go). */
export const LOAD_BALANCER_CONTROLLER_CLUSTER_TAG = 'elbv2.k8s.aws/cluster';

export type LoadBalancerScheme = 'internal' | 'internet-facing';

/**
 * The security policy of every HTTPS listener: TLS 1.3 and 1.2 only, forward-secret ciphers, hybrid
 * post-quantum key exchange; the console's default for new ALB HTTPS listeners ("Security policies for
 * your Application Load Balancer", Elastic Load Balancing user guide). The controller's own default is
 * ELBSecurityPolicy-2016-08, which still accepts TLS 1.0 (pkg/config/controller_config.go at v3.5.0).
 */
export const DEFAULT_SSL_POLICY = 'ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09';

/** ELB predefined policies whose minimum protocol is TLS 1.2 or 1.3 (the TLS13-1-2/1-3, TLS-1-2 and FS-1-2 families). */
export const TLS12_SSL_POLICY = /^ELBSecurityPolicy-(TLS13-1-[23]|TLS-1-2|FS-1-2)(-[A-Za-z0-9]+)+$/;

/** Namespace label that makes the controller inject its target-health readiness gate (chart value webhookNamespaceSelectors, docs). */
export const READINESS_GATE_INJECT_LABEL = { 'elbv2.k8s.aws/pod-readiness-gate-inject': 'enabled' } as const;

/**
 * The HTTPS port every tenant IngressClass redirects plain HTTP to (IngressClassParams `sslRedirectPort`):
 * the controller turns every HTTP listener of the group into a redirect to it, and refuses to build the
 * group when that port is not an HTTPS listener (pkg/ingress/model_builder.go buildSSLRedirectConfig at v3.5.0).
 */
export const SSL_REDIRECT_PORT = 443;

/** Explicit group names: lowercase alphanumerics, `-` and `.`, at most 63 characters (pkg/ingress/group_loader.go). */
const MAX_GROUP_NAME = 63;
const INTERNET_FACING_SUFFIX = '.internet-facing';

/** IngressClass (and its IngressClassParams) of a tenant for one scheme. */
export function ingressClassName(tenant: string, scheme: LoadBalancerScheme): string {
  return `alb-${scheme}-${tenant}`;
}

/**
 * The load balancer group (one ALB) of a tenant for one scheme. A dot cannot appear in a tenant
 * name, so `<tenant>.internet-facing` never equals another tenant's internal group.
 */
export function ingressGroupName(tenant: string, scheme: LoadBalancerScheme): string {
  return scheme === 'internal' ? tenant : `${tenant}${INTERNET_FACING_SUFFIX}`;
}

export interface TenantIngressView {
  readonly name: string;
  readonly ingress?: { readonly domains: readonly string[]; readonly internetFacing: boolean };
}

/** The schemes a tenant's Ingresses may use: internal always, internet-facing when the stack allows it. */
export function tenantSchemes(tenant: TenantIngressView): LoadBalancerScheme[] {
  if (!tenant.ingress) return [];
  return tenant.ingress.internetFacing ? ['internal', 'internet-facing'] : ['internal'];
}

/** One IngressClass of a namespace as the ingress policies see it: what its IngressClassParams pin. */
export interface IngressPolicyClass {
  readonly name: string;
  readonly scheme: LoadBalancerScheme;
  /** The load balancer group (IngressClassParams `group.name`). */
  readonly group: string;
  /** The HTTPS port plain HTTP is redirected to (IngressClassParams `sslRedirectPort`). */
  readonly sslRedirectPort: number;
}

/** One namespace's ingress settings, as the ingress policies take them (`parameters.namespaces`). */
export interface IngressPolicyNamespace {
  readonly namespace: string;
  /** Host names it may claim: each domain and one label under it (hostAllowed). */
  readonly domains: string[];
  readonly ingressClasses: IngressPolicyClass[];
}

/**
 * The ingress policies' parameters of a stack: every tenant with ingress settings, in config order, with
 * the classes charts/ingress creates for it (each tenant's namespace is named after it). None while the
 * ingress add-on is off: no class exists then, so no Ingress can be served and none is admitted.
 */
export function ingressPolicyNamespaces(c: { readonly addons: { readonly ingress: boolean }; readonly tenants: readonly TenantIngressView[] }): IngressPolicyNamespace[] {
  if (!c.addons.ingress) return [];
  return c.tenants
    .filter((t) => t.ingress !== undefined)
    .map((t) => ({
      namespace: t.name,
      domains: [...(t.ingress?.domains ?? [])],
      ingressClasses: tenantSchemes(t).map((scheme) => ({ name: ingressClassName(t.name, scheme), scheme, group: ingressGroupName(t.name, scheme), sslRedirectPort: SSL_REDIRECT_PORT })),
    }));
}

/** `name` is `domain` or lies under it. */
export function isSameOrUnder(name: string, domain: string): boolean {
  return name === domain || name.endsWith(`.${domain}`);
}

/**
 * Whether a tenant may claim `host`: one of its domains, or one label under one (`api.<domain>`).
 * Deeper names are refused because no platform certificate covers them (an ACM wildcard matches one
 * label, and so does the controller's discovery: pkg/certs/cert_discovery.go domainMatchesHost).
 */
export function hostAllowed(host: string, domains: readonly string[]): boolean {
  return domains.some((d) => host === d || (host.endsWith(`.${d}`) && /^[^.]+$/.test(host.slice(0, -d.length - 1))));
}

/** The names of the ACM certificate for a domain: the domain (the certificate's common name) and `*.<domain>`. */
export function certificateNames(domain: string): [string, string] {
  return [domain, `*.${domain}`];
}

export interface IngressCertificate {
  /** The certificate's common name: a platform domain or a tenant domain. */
  readonly domain: string;
  /** The hosted zone its DNS validation record goes into (that of the platform domain it lies in). */
  readonly hostedZoneId: string;
  /** The tenant the domain belongs to; absent for a platform domain. */
  readonly tenant?: string;
}

/**
 * The ACM certificates of a stack: one per platform domain and one per tenant domain, so adding or
 * removing a tenant creates or deletes that tenant's certificate and never replaces one a load
 * balancer is using. ACM asks for the same DNS validation record for a name and its wildcard, so
 * each certificate needs exactly one record, named after its domain; tenant domains lie strictly
 * under a platform domain and do not overlap (ingressConfigIssues), so no two certificates share one.
 */
export function ingressCertificates(c: Pick<IngressConfigView, 'ingress' | 'tenants'>): IngressCertificate[] {
  const platform = c.ingress?.domains ?? [];
  const zoneOf = (name: string) => platform.find((p) => isSameOrUnder(name, p.name))?.hostedZoneId;
  const tenantCertificates: IngressCertificate[] = c.tenants
    .flatMap((t) => (t.ingress?.domains ?? []).flatMap((domain) => {
      const hostedZoneId = zoneOf(domain);
      return hostedZoneId ? [{ domain, tenant: t.name, hostedZoneId }] : [];
    }))
    .sort((a, b) => (a.domain < b.domain ? -1 : a.domain > b.domain ? 1 : 0));
  return [...platform.map((p) => ({ domain: p.name, hostedZoneId: p.hostedZoneId })), ...tenantCertificates];
}

/**
 * Where a load balancer's nodes live, so the only sources a pod behind it sees (IP targets): internal
 * ALBs sit in the private subnets, internet-facing ones in the public subnets (network.ts tags them
 * `kubernetes.io/role/internal-elb` and `kubernetes.io/role/elb`). For NetworkPolicies admitting the
 * load balancer path only.
 */
export function loadBalancerSubnetCidrs(network: { readonly vpcCidr: string; readonly availabilityZones: readonly string[] }, scheme: LoadBalancerScheme): string[] {
  return planSubnets(network.vpcCidr, network.availabilityZones).map((p) => (scheme === 'internal' ? p.privateCidr : p.publicCidr));
}

// ---------------------------------------------------------------------------------------------
// Config rules (called from the schema in config.ts; lib/config/explain.ts turns each issue into its one-line error).

export interface IngressConfigView {
  readonly addons: { readonly ingress: boolean };
  readonly ingress?: { readonly domains: readonly { readonly name: string; readonly hostedZoneId: string }[] };
  readonly tenants: readonly TenantIngressView[];
  readonly tags?: Readonly<Record<string, string>>;
}

export interface ConfigIssue {
  readonly path: (string | number)[];
  readonly input: unknown;
  readonly message: string;
}

/** Every cross-field ingress rule the stack config breaks (empty when it is sound). */
export function ingressConfigIssues(c: IngressConfigView): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const fail = (path: (string | number)[], input: unknown, message: string) => issues.push({ path, input, message });
  const platform = c.ingress?.domains ?? [];

  if (c.addons?.ingress && !c.ingress) fail(['ingress'], undefined, 'is required when addons.ingress is true (list the platform domains and their Route 53 hosted zones)');

  platform.forEach((d, i) => {
    const parent = platform.find((o) => o.name !== d.name && isSameOrUnder(d.name, o.name));
    if (platform.findIndex((o) => o.name === d.name) < i) fail(['ingress', 'domains', i, 'name'], d.name, 'repeats another platform domain');
    else if (parent) fail(['ingress', 'domains', i, 'name'], d.name, `lies under platform domain ${parent.name} (list only the parent: names under it share its zone and certificate)`);
    const sameZone = platform.findIndex((o, j) => j < i && o.hostedZoneId === d.hostedZoneId);
    if (sameZone >= 0) fail(['ingress', 'domains', i, 'hostedZoneId'], d.hostedZoneId, `is the hosted zone of ${platform[sameZone].name} too (each platform domain has its own zone)`);
  });

  if (c.addons?.ingress) {
    for (const [key, value] of Object.entries(c.tags ?? {})) {
      // The controller takes its default tags as one `k=v,k=v` flag (chart template deployment.yaml, --default-tags).
      if (/[,=]/.test(key) || /[,=]/.test(value)) fail(['tags', key], value, 'must not contain "," or "=" when addons.ingress is on (the load balancer controller receives the tags as k=v,k=v)');
    }
  }

  const claimed: { tenant: string; domain: string }[] = [];
  c.tenants.forEach((t, i) => {
    if (!t.ingress) return;
    if (!c.ingress) {
      fail(['tenants', i, 'ingress'], t.ingress, 'needs platform:ingress (the platform domains tenant domains lie under)');
      return;
    }
    t.ingress.domains.forEach((d, j) => {
      if (platform.some((p) => p.name === d)) {
        fail(['tenants', i, 'ingress', 'domains', j], d, 'is a platform domain (tenants get names under one, like <tenant>.' + d + ')');
        return;
      }
      if (!platform.some((p) => isSameOrUnder(d, p.name))) {
        fail(['tenants', i, 'ingress', 'domains', j], d, `is not under a platform domain (accepted: names under ${platform.map((p) => p.name).join(', ')})`);
        return;
      }
      const clash = claimed.find((o) => isSameOrUnder(d, o.domain) || isSameOrUnder(o.domain, d));
      if (clash && clash.tenant === t.name) fail(['tenants', i, 'ingress', 'domains', j], d, `overlaps ${clash.domain}, another domain of this tenant (list each name once)`);
      else if (clash) fail(['tenants', i, 'ingress', 'domains', j], d, `overlaps ${clash.domain} of tenant ${clash.tenant} (a host name would belong to two tenants)`);
      else claimed.push({ tenant: t.name, domain: d });
    });
    if (t.ingress.internetFacing && ingressGroupName(t.name, 'internet-facing').length > MAX_GROUP_NAME) {
      fail(['tenants', i, 'name'], t.name, `is too long for an internet-facing tenant (its load balancer group ${ingressGroupName(t.name, 'internet-facing')} must fit ${MAX_GROUP_NAME} characters: at most ${MAX_GROUP_NAME - INTERNET_FACING_SUFFIX.length})`);
    }
  });

  return issues;
}

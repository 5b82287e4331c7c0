import { Chart } from 'cdk8s';
import type { Construct } from 'constructs';
import { TenantNamespace, type TenantIngress } from '@eks-platform-blueprint/constructs';
import type { PlatformConfig, TenantConfig } from '../../model/config';
import { ingressClassName, loadBalancerSubnetCidrs } from '../../model/ingress';
import { NAMESPACES } from '../../model/namespaces';
import { podSecurityVersion, PART_OF_LABEL, type PlatformChartProps } from '../context';

/** One TenantNamespace per tenant of the stack config, carrying the tenant's ingress settings when the ingress add-on is on. */
export class TenantsChart extends Chart {
  /** The tenants' namespaces by tenant name (their `webServiceProps()` feed the tenants' web services). */
  readonly namespaces: ReadonlyMap<string, TenantNamespace>;

  constructor(scope: Construct, id: string, { config }: PlatformChartProps) {
    super(scope, id);
    const version = podSecurityVersion(config);
    const ingressOf = tenantIngressFactory(config);
    const namespaces = new Map<string, TenantNamespace>();
    for (const tenant of config.tenants) {
      const ingress = ingressOf(tenant);
      namespaces.set(
        tenant.name,
        new TenantNamespace(this, tenant.name, {
          name: tenant.name,
          teamGroup: tenant.teamGroup,
          quota: tenant.quota,
          podSecurityVersion: version,
          repositories: tenant.repositories,
          allowSecretsRead: tenant.allowSecretsRead,
          argoCd: config.addons.argocd ? { namespace: NAMESPACES.argocd } : false,
          monitoringNamespace: config.addons.monitoring ? NAMESPACES.monitoring : undefined,
          ...(ingress ? { ingress } : {}),
          labels: PART_OF_LABEL,
        }),
      );
    }
    this.namespaces = namespaces;
  }
}

/**
 * A tenant's ingress settings from the platform's model: its domains, and per allowed scheme its
 * IngressClass (charts/ingress creates it, with params pinning scheme, group, TLS policy, redirect and
 * IP targets) and the subnets that load balancer sits in. None without the ingress add-on (no class
 * exists then). The subnet plan is computed once per stack, not per tenant.
 */
export function tenantIngressFactory(config: PlatformConfig): (tenant: TenantConfig) => TenantIngress | undefined {
  if (!config.addons.ingress) return () => undefined;
  let cidrs: { internal: string[]; internetFacing: string[] } | undefined;
  return (tenant) => {
    if (!tenant.ingress) return undefined;
    cidrs ??= { internal: loadBalancerSubnetCidrs(config.network, 'internal'), internetFacing: loadBalancerSubnetCidrs(config.network, 'internet-facing') };
    return {
      domains: [...tenant.ingress.domains],
      internal: { ingressClassName: ingressClassName(tenant.name, 'internal'), subnetCidrs: cidrs.internal },
      ...(tenant.ingress.internetFacing ? { internetFacing: { ingressClassName: ingressClassName(tenant.name, 'internet-facing'), subnetCidrs: cidrs.internetFacing } } : {}),
    };
  };
}

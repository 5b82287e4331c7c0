import { ApiObject, Chart } from 'cdk8s';
import type { Construct } from 'constructs';
import { TENANT_LABEL } from '@eks-platform-blueprint/constructs';
import { ALB_INGRESS_CONTROLLER, DEFAULT_SSL_POLICY, SSL_REDIRECT_PORT, ingressClassName, ingressGroupName, tenantSchemes, type LoadBalancerScheme } from '../../model/ingress';
import { PART_OF_LABEL, type PlatformChartProps } from '../context';

/** IngressClassParams' API group and version (crds/crds.yaml at controller v3.5.0). */
export const INGRESS_CLASS_PARAMS_API = 'elbv2.k8s.aws/v1beta1';

/**
 * Load balancer attributes every tenant load balancer gets. Params' `loadBalancerAttributes` replace
 * the Ingress annotation entirely (docs/guide/ingress/ingress_class.md), so tenants cannot turn these off:
 * drop HTTP headers with invalid names (AWS Foundational Security Best Practices ELB.4), and keep
 * desync mitigation at `defensive` (ELB.12; AWS's default, pinned).
 */
export const LOAD_BALANCER_ATTRIBUTES = [
  { key: 'routing.http.drop_invalid_header_fields.enabled', value: 'true' },
  { key: 'routing.http.desync_mitigation_mode', value: 'defensive' },
] as const;

/**
 * One IngressClass and IngressClassParams per tenant and scheme (model/ingress.ts says why).
 * Each params object pins what the controller then enforces for every Ingress of the class, whatever
 * the Ingress' annotations say: only the tenant's namespace (`namespaceSelector` on the immutable
 * `kubernetes.io/metadata.name` label), one load balancer group for the tenant, the scheme, IP targets,
 * the TLS policy, HTTP redirected to HTTPS, and the attributes above. Internal load balancers accept
 * connections from the VPC (or `ingress.internalAllowedCidrs`) only.
 */
export class IngressChart extends Chart {
  constructor(scope: Construct, id: string, { config }: PlatformChartProps) {
    super(scope, id);
    const ingress = config.ingress;
    const sslPolicy = ingress?.sslPolicy ?? DEFAULT_SSL_POLICY;
    const internalCidrs = ingress?.internalAllowedCidrs ?? [config.network.vpcCidr];
    const classFor = (tenant: string, scheme: LoadBalancerScheme) => {
      const name = ingressClassName(tenant, scheme);
      // The tenant label of the tenant's Namespace (TenantNamespace), one key for every producer and selector.
      const labels = { ...PART_OF_LABEL, [TENANT_LABEL]: tenant };
      new ApiObject(this, `params-${name}`, {
        apiVersion: INGRESS_CLASS_PARAMS_API,
        kind: 'IngressClassParams',
        metadata: { name, labels },
        spec: {
          namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': tenant } },
          group: { name: ingressGroupName(tenant, scheme) },
          scheme,
          ipAddressType: 'ipv4',
          targetType: 'ip',
          sslPolicy,
          sslRedirectPort: String(SSL_REDIRECT_PORT),
          ...(scheme === 'internal' ? { inboundCIDRs: [...internalCidrs] } : {}),
          loadBalancerAttributes: LOAD_BALANCER_ATTRIBUTES.map((a) => ({ ...a })),
          tags: [
            { key: 'platform:cluster', value: config.clusterName },
            { key: 'platform:tenant', value: tenant },
          ],
        },
      });
      new ApiObject(this, `class-${name}`, {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'IngressClass',
        metadata: { name, labels },
        spec: { controller: ALB_INGRESS_CONTROLLER, parameters: { apiGroup: 'elbv2.k8s.aws', kind: 'IngressClassParams', name } },
      });
    };
    for (const tenant of config.tenants) {
      for (const scheme of tenantSchemes(tenant)) classFor(tenant.name, scheme);
    }
  }
}

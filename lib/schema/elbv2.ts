/**
 * Schema of the AWS Load Balancer Controller's IngressClassParams (`elbv2.k8s.aws/v1beta1`), written
 * from its CRD (kubernetes-sigs/aws-load-balancer-controller v3.5.0,
 * helm/aws-load-balancer-controller/crds/crds.yaml). Only the fields this platform sets are modelled;
 * anything else is refused (see openapi.ts).
 */
import { customResourceSchema, type OpenApiSchema } from './openapi';

const keyValue: OpenApiSchema = { type: 'object', required: ['key', 'value'], properties: { key: { type: 'string' }, value: { type: 'string' } } };

export const INGRESS_CLASS_PARAMS_SCHEMA: OpenApiSchema = customResourceSchema({
  type: 'object',
  properties: {
    namespaceSelector: {
      type: 'object',
      properties: {
        matchLabels: { type: 'object', additionalProperties: { type: 'string' } },
        matchExpressions: {
          type: 'array',
          items: { type: 'object', required: ['key', 'operator'], properties: { key: { type: 'string' }, operator: { type: 'string' }, values: { type: 'array', items: { type: 'string' } } } },
        },
      },
    },
    group: { type: 'object', required: ['name'], properties: { name: { type: 'string' } } },
    scheme: { type: 'string', enum: ['internal', 'internet-facing'] },
    ipAddressType: { type: 'string', enum: ['ipv4', 'dualstack', 'dualstack-without-public-ipv4'] },
    targetType: { type: 'string', enum: ['instance', 'ip'] },
    sslPolicy: { type: 'string' },
    sslRedirectPort: { type: 'string' },
    inboundCIDRs: { type: 'array', items: { type: 'string' } },
    loadBalancerAttributes: { type: 'array', items: keyValue },
    tags: { type: 'array', items: keyValue },
  },
});

/**
 * Typed bindings and schemas for Karpenter v1 (`karpenter.sh/v1` NodePool, `karpenter.k8s.aws/v1`
 * EC2NodeClass), written from the CRDs in aws/karpenter-provider-aws (`pkg/apis/crds/`). Only the
 * fields this platform sets are modelled; anything else is refused (see openapi.ts).
 */
import { customResourceSchema, type OpenApiSchema } from './openapi';

const DURATION = '^(([0-9]+(s|m|h))+)|(Never)$';
const QUANTITY = '^(\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]|([eE](\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))))?$';
const stringMap: OpenApiSchema = { type: 'object', additionalProperties: { type: 'string' } };

export interface NodeSelectorRequirement {
  readonly key: string;
  readonly operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist' | 'Gt' | 'Lt';
  readonly values?: readonly string[];
  readonly minValues?: number;
}

export interface Taint {
  readonly key: string;
  readonly value?: string;
  readonly effect: 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';
}

export interface DisruptionBudget {
  /** A count (`2`) or a percentage (`10%`) of the pool's nodes. */
  readonly nodes: string;
  readonly schedule?: string;
  readonly duration?: string;
  readonly reasons?: readonly ('Underutilized' | 'Empty' | 'Drifted')[];
}

export interface NodePoolSpec {
  readonly template: {
    readonly metadata?: { readonly labels?: Readonly<Record<string, string>>; readonly annotations?: Readonly<Record<string, string>> };
    readonly spec: {
      readonly nodeClassRef: { readonly group: string; readonly kind: string; readonly name: string };
      readonly requirements?: readonly NodeSelectorRequirement[];
      readonly taints?: readonly Taint[];
      readonly startupTaints?: readonly Taint[];
      readonly expireAfter?: string;
      readonly terminationGracePeriod?: string;
    };
  };
  readonly disruption?: {
    readonly consolidationPolicy?: 'WhenEmpty' | 'WhenEmptyOrUnderutilized';
    readonly consolidateAfter: string;
    readonly budgets?: readonly DisruptionBudget[];
  };
  readonly limits?: Readonly<Record<string, string | number>>;
  readonly weight?: number;
}

export interface NodePool {
  readonly apiVersion: 'karpenter.sh/v1';
  readonly kind: 'NodePool';
  readonly metadata: { readonly name: string; readonly labels?: Readonly<Record<string, string>> };
  readonly spec: NodePoolSpec;
}

export interface SelectorTerm {
  readonly tags?: Readonly<Record<string, string>>;
  readonly id?: string;
}

export interface EC2NodeClassSpec {
  readonly amiSelectorTerms: readonly { readonly alias?: string; readonly id?: string }[];
  readonly subnetSelectorTerms: readonly SelectorTerm[];
  readonly securityGroupSelectorTerms: readonly SelectorTerm[];
  readonly role?: string;
  readonly metadataOptions?: {
    readonly httpEndpoint?: 'enabled' | 'disabled';
    readonly httpProtocolIPv6?: 'enabled' | 'disabled';
    readonly httpPutResponseHopLimit?: number;
    readonly httpTokens?: 'required' | 'optional';
  };
  readonly blockDeviceMappings?: readonly {
    readonly deviceName: string;
    readonly rootVolume?: boolean;
    readonly ebs: {
      readonly volumeSize?: string;
      readonly volumeType?: 'standard' | 'io1' | 'io2' | 'gp2' | 'sc1' | 'st1' | 'gp3';
      readonly encrypted?: boolean;
      readonly kmsKeyID?: string;
      readonly deleteOnTermination?: boolean;
      readonly iops?: number;
      readonly throughput?: number;
    };
  }[];
  readonly associatePublicIPAddress?: boolean;
  readonly detailedMonitoring?: boolean;
  readonly tags?: Readonly<Record<string, string>>;
}

export interface EC2NodeClass {
  readonly apiVersion: 'karpenter.k8s.aws/v1';
  readonly kind: 'EC2NodeClass';
  readonly metadata: { readonly name: string; readonly labels?: Readonly<Record<string, string>> };
  readonly spec: EC2NodeClassSpec;
}

const taint: OpenApiSchema = {
  type: 'object',
  required: ['key', 'effect'],
  properties: {
    key: { type: 'string', minLength: 1 },
    value: { type: 'string' },
    effect: { type: 'string', enum: ['NoSchedule', 'PreferNoSchedule', 'NoExecute'] },
  },
};

export const NODE_POOL_SCHEMA: OpenApiSchema = customResourceSchema(
  {
    type: 'object',
    required: ['template'],
    properties: {
      template: {
        type: 'object',
        required: ['spec'],
        properties: {
          metadata: { type: 'object', properties: { labels: stringMap, annotations: stringMap } },
          spec: {
            type: 'object',
            required: ['nodeClassRef'],
            properties: {
              nodeClassRef: {
                type: 'object',
                required: ['group', 'kind', 'name'],
                properties: { group: { type: 'string', pattern: '^[^/]+$' }, kind: { type: 'string', minLength: 1 }, name: { type: 'string', minLength: 1 } },
              },
              requirements: {
                type: 'array',
                maxItems: 100,
                items: {
                  type: 'object',
                  required: ['key', 'operator'],
                  properties: {
                    key: { type: 'string', maxLength: 316, pattern: '^(([a-zA-Z0-9]|[a-zA-Z0-9][-a-zA-Z0-9]*[a-zA-Z0-9])(\\.([a-zA-Z0-9]|[a-zA-Z0-9][-a-zA-Z0-9]*[a-zA-Z0-9]))*(/))?([A-Za-z0-9][-A-Za-z0-9_.]{0,61})?[A-Za-z0-9]$' },
                    operator: { type: 'string', enum: ['In', 'NotIn', 'Exists', 'DoesNotExist', 'Gt', 'Lt'] },
                    values: { type: 'array', maxItems: 1250, items: { type: 'string', maxLength: 63 } },
                    minValues: { type: 'integer', minimum: 1, maximum: 50 },
                  },
                },
              },
              taints: { type: 'array', items: taint },
              startupTaints: { type: 'array', items: taint },
              expireAfter: { type: 'string', pattern: DURATION },
              terminationGracePeriod: { type: 'string', pattern: '^([0-9]+(s|m|h))+$' },
            },
          },
        },
      },
      disruption: {
        type: 'object',
        required: ['consolidateAfter'],
        properties: {
          consolidationPolicy: { type: 'string', enum: ['WhenEmpty', 'WhenEmptyOrUnderutilized'] },
          consolidateAfter: { type: 'string', pattern: DURATION },
          budgets: {
            type: 'array',
            maxItems: 50,
            items: {
              type: 'object',
              required: ['nodes'],
              properties: {
                nodes: { type: 'string', pattern: '^((100|[0-9]{1,2})%|[0-9]+)$' },
                schedule: { type: 'string', pattern: '^(@(annually|yearly|monthly|weekly|daily|midnight|hourly))|((.+)\\s(.+)\\s(.+)\\s(.+)\\s(.+))$' },
                duration: { type: 'string', pattern: '^((([0-9]+(h|m))|([0-9]+h[0-9]+m))(0s)?)$' },
                reasons: { type: 'array', items: { type: 'string', enum: ['Underutilized', 'Empty', 'Drifted'] } },
              },
            },
          },
        },
      },
      limits: { type: 'object', additionalProperties: { 'x-kubernetes-int-or-string': true, pattern: QUANTITY } },
      weight: { type: 'integer', minimum: 1, maximum: 100 },
    },
  },
);

const selectorTerms: OpenApiSchema = {
  type: 'array',
  minItems: 1,
  maxItems: 30,
  items: { type: 'object', properties: { tags: stringMap, id: { type: 'string' } } },
};

export const EC2_NODE_CLASS_SCHEMA: OpenApiSchema = customResourceSchema(
  {
    type: 'object',
    required: ['amiSelectorTerms', 'subnetSelectorTerms', 'securityGroupSelectorTerms'],
    properties: {
      amiSelectorTerms: {
        type: 'array',
        minItems: 1,
        maxItems: 30,
        items: { type: 'object', properties: { alias: { type: 'string', maxLength: 30, pattern: '^[a-zA-Z0-9]+@.+$' }, id: { type: 'string', pattern: '^ami-[0-9a-z]+$' } } },
      },
      subnetSelectorTerms: selectorTerms,
      securityGroupSelectorTerms: selectorTerms,
      role: { type: 'string', minLength: 1 },
      metadataOptions: {
        type: 'object',
        properties: {
          httpEndpoint: { type: 'string', enum: ['enabled', 'disabled'] },
          httpProtocolIPv6: { type: 'string', enum: ['enabled', 'disabled'] },
          httpPutResponseHopLimit: { type: 'integer', minimum: 1, maximum: 64 },
          httpTokens: { type: 'string', enum: ['required', 'optional'] },
        },
      },
      blockDeviceMappings: {
        type: 'array',
        maxItems: 50,
        items: {
          type: 'object',
          required: ['deviceName', 'ebs'],
          properties: {
            deviceName: { type: 'string' },
            rootVolume: { type: 'boolean' },
            ebs: {
              type: 'object',
              properties: {
                volumeSize: { type: 'string', pattern: '^((?:[1-9][0-9]{0,3}|[1-4][0-9]{4}|[5][0-8][0-9]{3}|59000)Gi|(?:[1-9][0-9]{0,3}|[1-5][0-9]{4}|[6][0-3][0-9]{3}|64000)G|([1-9]||[1-5][0-7]|58)Ti|([1-9]||[1-5][0-9]|6[0-3]|64)T)$' },
                volumeType: { type: 'string', enum: ['standard', 'io1', 'io2', 'gp2', 'sc1', 'st1', 'gp3'] },
                encrypted: { type: 'boolean' },
                kmsKeyID: { type: 'string' },
                deleteOnTermination: { type: 'boolean' },
                iops: { type: 'integer' },
                throughput: { type: 'integer' },
              },
            },
          },
        },
      },
      associatePublicIPAddress: { type: 'boolean' },
      detailedMonitoring: { type: 'boolean' },
      tags: stringMap,
    },
  },
);

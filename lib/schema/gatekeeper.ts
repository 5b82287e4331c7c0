/**
 * Schemas for Gatekeeper objects, written from the CRDs Gatekeeper installs:
 * `templates.gatekeeper.sh/v1` ConstraintTemplate and the `constraints.gatekeeper.sh/v1beta1`
 * constraint kinds a template generates (whose `spec.parameters` follow the template's own
 * `spec.crd.spec.validation.openAPIV3Schema`).
 */
import { customResourceSchema, type OpenApiSchema } from './openapi';

const anything: OpenApiSchema = { 'x-kubernetes-preserve-unknown-fields': true };
const strings: OpenApiSchema = { type: 'array', items: { type: 'string' } };

export const CONSTRAINT_TEMPLATE_SCHEMA: OpenApiSchema = customResourceSchema(
  {
    type: 'object',
    required: ['crd', 'targets'],
    properties: {
      crd: {
        type: 'object',
        required: ['spec'],
        properties: {
          spec: {
            type: 'object',
            required: ['names'],
            properties: {
              names: { type: 'object', required: ['kind'], properties: { kind: { type: 'string', pattern: '^[A-Z][A-Za-z0-9]*$' }, shortNames: strings } },
              validation: { type: 'object', properties: { openAPIV3Schema: anything, legacySchema: { type: 'boolean' } } },
            },
          },
        },
      },
      targets: {
        type: 'array',
        minItems: 1,
        items: {
          type: 'object',
          required: ['target'],
          properties: {
            target: { type: 'string', enum: ['admission.k8s.gatekeeper.sh'] },
            rego: { type: 'string' },
            libs: strings,
            code: {
              type: 'array',
              items: { type: 'object', required: ['engine', 'source'], properties: { engine: { type: 'string', minLength: 1 }, source: anything } },
            },
          },
        },
      },
    },
  },
);

const labelSelector: OpenApiSchema = {
  type: 'object',
  properties: {
    matchLabels: { type: 'object', additionalProperties: { type: 'string' } },
    matchExpressions: {
      type: 'array',
      items: {
        type: 'object',
        required: ['key', 'operator'],
        properties: { key: { type: 'string' }, operator: { type: 'string', enum: ['In', 'NotIn', 'Exists', 'DoesNotExist'] }, values: strings },
      },
    },
  },
};

/** The constraint schema; `parameters` is checked separately against the template's schema. */
export const CONSTRAINT_SCHEMA: OpenApiSchema = customResourceSchema(
  {
    type: 'object',
    properties: {
      enforcementAction: { type: 'string', enum: ['deny', 'dryrun', 'warn', 'scoped'] },
      match: {
        type: 'object',
        properties: {
          kinds: { type: 'array', items: { type: 'object', properties: { apiGroups: strings, kinds: strings } } },
          scope: { type: 'string', enum: ['*', 'Cluster', 'Namespaced'] },
          namespaces: strings,
          excludedNamespaces: strings,
          labelSelector,
          namespaceSelector: labelSelector,
          name: { type: 'string' },
        },
      },
      parameters: anything,
    },
  }, { specRequired: false },
);

/**
 * Gatekeeper's `config.gatekeeper.sh/v1alpha1` Config, the fields the platform sets: what Gatekeeper
 * replicates for referential templates (open-policy-agent/gatekeeper v3.23.0,
 * charts/gatekeeper/crds/config-customresourcedefinition.yaml: spec.sync.syncOnly[] {group, version, kind};
 * spec.match[] {excludedNamespaces, processes}).
 */
export const GATEKEEPER_CONFIG_SCHEMA: OpenApiSchema = customResourceSchema({
  type: 'object',
  properties: {
    sync: {
      type: 'object',
      properties: {
        syncOnly: {
          type: 'array',
          items: { type: 'object', required: ['group', 'version', 'kind'], properties: { group: { type: 'string' }, version: { type: 'string', minLength: 1 }, kind: { type: 'string', minLength: 1 } } },
        },
      },
    },
    match: {
      type: 'array',
      items: { type: 'object', properties: { excludedNamespaces: { type: 'array', items: { type: 'string', pattern: '^\\*?[-:a-z0-9]*\\*?$' } }, processes: strings } },
    },
  },
});

/**
 * Schema validation of every object `platform synth` writes: core kinds against the Kubernetes
 * OpenAPI schemas (kubernetes-models, Kubernetes 1.33), Argo CD, Prometheus Operator and External
 * Secrets kinds against their CRD schemas (@kubernetes-models/*), Karpenter, Gatekeeper and AWS Load Balancer Controller kinds
 * against schemas written from their CRDs (karpenter.ts, gatekeeper.ts, elbv2.ts). An object of a kind with no
 * schema is itself an issue: nothing is written unchecked.
 */
import { validateOpenApi, type OpenApiSchema, type SchemaIssue } from './openapi';
import { EC2_NODE_CLASS_SCHEMA, NODE_POOL_SCHEMA } from './karpenter';
import { CONSTRAINT_SCHEMA, CONSTRAINT_TEMPLATE_SCHEMA, GATEKEEPER_CONFIG_SCHEMA } from './gatekeeper';
import { INGRESS_CLASS_PARAMS_SCHEMA } from './elbv2';

export type { SchemaIssue } from './openapi';

export interface KubeObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly name?: string; readonly namespace?: string; readonly [key: string]: unknown };
  readonly [key: string]: unknown;
}

type Validator = (obj: KubeObject) => SchemaIssue[];

interface AjvError {
  instancePath: string;
  keyword: string;
  message?: string;
  params: Record<string, unknown>;
}

type Model = { prototype: { validate(): void } };

/**
 * Wraps a kubernetes-models class: its prototype `validate` runs a precompiled ajv validator on
 * `this`. The class is loaded on first use: each carries its whole schema (a Deployment's alone
 * takes ~50 ms to load), and a stack synthesizes only some of the kinds known here.
 */
function fromModel(loadModel: () => Model, asApiVersion?: string): Validator {
  let model: Model | undefined;
  return (obj) => {
    model ??= loadModel();
    const subject = asApiVersion ? { ...obj, apiVersion: asApiVersion } : obj;
    try {
      model.prototype.validate.call(subject);
      return [];
    } catch (err) {
      const errors = (err as { errors?: AjvError[] }).errors;
      if (!errors) throw err;
      return errors.map(toIssue);
    }
  };
}

function toIssue(e: AjvError): SchemaIssue {
  let path = ajvPath(e.instancePath);
  let message = e.message ?? e.keyword;
  if (e.keyword === 'required') {
    path = path ? `${path}.${String(e.params.missingProperty)}` : String(e.params.missingProperty);
    message = 'is required';
  } else if (e.keyword === 'enum') {
    message = `must be one of ${(e.params.allowedValues as unknown[]).join(', ')}`;
  }
  return { path: path || '(root)', message };
}

function ajvPath(pointer: string): string {
  return pointer
    .split('/')
    .slice(1)
    .map((seg) => seg.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce((acc, seg) => (/^\d+$/.test(seg) ? `${acc}[${seg}]` : acc ? `${acc}.${seg}` : seg), '');
}

function fromSchema(schema: OpenApiSchema): Validator {
  return (obj) => validateOpenApi(obj, schema);
}

/* eslint-disable @typescript-eslint/no-require-imports -- validators load on first use (see fromModel) */
const VALIDATORS: Readonly<Record<string, Validator>> = {
  'v1/Namespace': fromModel(() => require('kubernetes-models/v1/Namespace').Namespace),
  'v1/ServiceAccount': fromModel(() => require('kubernetes-models/v1/ServiceAccount').ServiceAccount),
  'v1/ConfigMap': fromModel(() => require('kubernetes-models/v1/ConfigMap').ConfigMap),
  'v1/Service': fromModel(() => require('kubernetes-models/v1/Service').Service),
  'v1/ResourceQuota': fromModel(() => require('kubernetes-models/v1/ResourceQuota').ResourceQuota),
  'v1/LimitRange': fromModel(() => require('kubernetes-models/v1/LimitRange').LimitRange),
  'v1/PersistentVolumeClaim': fromModel(() => require('kubernetes-models/v1/PersistentVolumeClaim').PersistentVolumeClaim),
  'storage.k8s.io/v1/StorageClass': fromModel(() => require('kubernetes-models/storage.k8s.io/v1/StorageClass').StorageClass),
  'apps/v1/Deployment': fromModel(() => require('kubernetes-models/apps/v1/Deployment').Deployment),
  'apps/v1/StatefulSet': fromModel(() => require('kubernetes-models/apps/v1/StatefulSet').StatefulSet),
  'apps/v1/DaemonSet': fromModel(() => require('kubernetes-models/apps/v1/DaemonSet').DaemonSet),
  'batch/v1/Job': fromModel(() => require('kubernetes-models/batch/v1/Job').Job),
  'batch/v1/CronJob': fromModel(() => require('kubernetes-models/batch/v1/CronJob').CronJob),
  'policy/v1/PodDisruptionBudget': fromModel(() => require('kubernetes-models/policy/v1/PodDisruptionBudget').PodDisruptionBudget),
  'autoscaling/v2/HorizontalPodAutoscaler': fromModel(() => require('kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler').HorizontalPodAutoscaler),
  'networking.k8s.io/v1/NetworkPolicy': fromModel(() => require('kubernetes-models/networking.k8s.io/v1/NetworkPolicy').NetworkPolicy),
  'networking.k8s.io/v1/IngressClass': fromModel(() => require('kubernetes-models/networking.k8s.io/v1/IngressClass').IngressClass),
  'networking.k8s.io/v1/Ingress': fromModel(() => require('kubernetes-models/networking.k8s.io/v1/Ingress').Ingress),
  'rbac.authorization.k8s.io/v1/Role': fromModel(() => require('kubernetes-models/rbac.authorization.k8s.io/v1/Role').Role),
  'rbac.authorization.k8s.io/v1/RoleBinding': fromModel(() => require('kubernetes-models/rbac.authorization.k8s.io/v1/RoleBinding').RoleBinding),
  'rbac.authorization.k8s.io/v1/ClusterRole': fromModel(() => require('kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRole').ClusterRole),
  'rbac.authorization.k8s.io/v1/ClusterRoleBinding': fromModel(() => require('kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRoleBinding').ClusterRoleBinding),
  'argoproj.io/v1alpha1/AppProject': fromModel(() => require('@kubernetes-models/argo-cd/argoproj.io/v1alpha1/AppProject').AppProject),
  'argoproj.io/v1alpha1/Application': fromModel(() => require('@kubernetes-models/argo-cd/argoproj.io/v1alpha1/Application').Application),
  'monitoring.coreos.com/v1/PrometheusRule': fromModel(() => require('@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule').PrometheusRule),
  'monitoring.coreos.com/v1/ServiceMonitor': fromModel(() => require('@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor').ServiceMonitor),
  'monitoring.coreos.com/v1/PodMonitor': fromModel(() => require('@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PodMonitor').PodMonitor),
  // external-secrets.io/v1 is v1beta1 promoted unchanged for the fields used here; the package
  // ships only the v1beta1 schema, so v1 objects are checked against it.
  'external-secrets.io/v1/ClusterSecretStore': fromModel(() => require('@kubernetes-models/external-secrets/external-secrets.io/v1beta1/ClusterSecretStore').ClusterSecretStore, 'external-secrets.io/v1beta1'),
  'external-secrets.io/v1/ExternalSecret': fromModel(() => require('@kubernetes-models/external-secrets/external-secrets.io/v1beta1/ExternalSecret').ExternalSecret, 'external-secrets.io/v1beta1'),
  'karpenter.sh/v1/NodePool': fromSchema(NODE_POOL_SCHEMA),
  'karpenter.k8s.aws/v1/EC2NodeClass': fromSchema(EC2_NODE_CLASS_SCHEMA),
  'templates.gatekeeper.sh/v1/ConstraintTemplate': fromSchema(CONSTRAINT_TEMPLATE_SCHEMA),
  'config.gatekeeper.sh/v1alpha1/Config': fromSchema(GATEKEEPER_CONFIG_SCHEMA),
  'elbv2.k8s.aws/v1beta1/IngressClassParams': fromSchema(INGRESS_CLASS_PARAMS_SCHEMA),
};
/* eslint-enable @typescript-eslint/no-require-imports */

/** Kinds that live outside namespaces (every other kind validated here must have one). */
const CLUSTER_SCOPED = new Set(['Namespace', 'StorageClass', 'ClusterRole', 'ClusterRoleBinding', 'NodePool', 'EC2NodeClass', 'ConstraintTemplate', 'ClusterSecretStore', 'IngressClass', 'IngressClassParams']);

const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/;
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

/** Gatekeeper constraints are validated against the parameter schema of the template that defines their kind. */
export interface ValidationContext {
  /** Template parameter schemas by constraint kind (from the ConstraintTemplates being synthesized). */
  readonly constraintKinds?: ReadonlyMap<string, OpenApiSchema | undefined>;
}

/** Collects the constraint kinds (and their parameter schemas) that a set of ConstraintTemplates defines. */
export function constraintKindsOf(objects: readonly KubeObject[]): Map<string, OpenApiSchema | undefined> {
  const kinds = new Map<string, OpenApiSchema | undefined>();
  for (const o of objects) {
    if (o.kind !== 'ConstraintTemplate') continue;
    const crd = (o.spec as { crd?: { spec?: { names?: { kind?: string }; validation?: { openAPIV3Schema?: OpenApiSchema } } } })?.crd?.spec;
    if (crd?.names?.kind) kinds.set(crd.names.kind, crd.validation?.openAPIV3Schema);
  }
  return kinds;
}

/** Every schema issue of one object; an empty list means valid. */
export function validateObject(obj: KubeObject, context: ValidationContext = {}): SchemaIssue[] {
  const issues = validateMetadata(obj);
  if (obj.apiVersion === 'constraints.gatekeeper.sh/v1beta1') {
    const kinds = context.constraintKinds ?? new Map();
    if (!kinds.has(obj.kind)) {
      issues.push({ path: 'kind', message: `no ConstraintTemplate defines constraint kind ${obj.kind} (known: ${[...kinds.keys()].sort().join(', ') || 'none'})` });
      return issues;
    }
    issues.push(...validateOpenApi(obj, CONSTRAINT_SCHEMA));
    const params = (obj.spec as { parameters?: unknown } | undefined)?.parameters;
    const paramSchema = kinds.get(obj.kind);
    if (params !== undefined && paramSchema) issues.push(...validateOpenApi(params, { ...paramSchema, type: 'object' }, 'spec.parameters'));
    return issues;
  }
  const validator = VALIDATORS[`${obj.apiVersion}/${obj.kind}`];
  if (!validator) {
    issues.push({ path: 'apiVersion', message: `no schema for ${obj.apiVersion} ${obj.kind} (known: ${Object.keys(VALIDATORS).join(', ')})` });
    return issues;
  }
  issues.push(...validator(obj));
  return issues;
}

function validateMetadata(obj: KubeObject): SchemaIssue[] {
  const issues: SchemaIssue[] = [];
  const { name, namespace } = obj.metadata ?? {};
  if (typeof name !== 'string' || name === '') {
    issues.push({ path: 'metadata.name', message: 'is required' });
  } else if (!(obj.kind === 'Namespace' ? DNS_LABEL : DNS_SUBDOMAIN).test(name)) {
    issues.push({ path: 'metadata.name', message: `must be a DNS ${obj.kind === 'Namespace' ? 'label' : 'subdomain'} (lowercase letters, digits, -${obj.kind === 'Namespace' ? '' : ', .'}) (got ${JSON.stringify(name)})` });
  }
  const clusterScoped = CLUSTER_SCOPED.has(obj.kind) || obj.apiVersion === 'constraints.gatekeeper.sh/v1beta1';
  if (clusterScoped && namespace !== undefined) issues.push({ path: 'metadata.namespace', message: `must not be set: ${obj.kind} is cluster-scoped (got ${JSON.stringify(namespace)})` });
  if (!clusterScoped && (typeof namespace !== 'string' || !DNS_LABEL.test(namespace))) {
    issues.push({ path: 'metadata.namespace', message: `is required for namespaced kind ${obj.kind} (got ${JSON.stringify(namespace)})` });
  }
  return issues;
}

/**
 * ValidatingAdmissionPolicy (admissionregistration.k8s.io/v1) from Gatekeeper K8sNativeValidation
 * templates and their constraints: one policy and one binding per constraint, so that each policy's
 * matchConstraints can carry that constraint's match (`platform check --emit-vap <dir>`).
 *
 * - The constraint is the policy's parameter: paramKind is the constraint CRD
 *   (constraints.gatekeeper.sh/v1beta1, kind = the template's kind), the binding's paramRef names
 *   the constraint. The template's expressions run unchanged: `variables.anyObject` and
 *   `variables.params` are defined first, as the offline engine (engine.ts) and Gatekeeper define
 *   them (the object, or oldObject on DELETE; the constraint's spec.parameters, or null).
 * - validationActions follow enforcementAction: deny -> Deny, warn -> Warn, dryrun -> Audit.
 * - match.kinds become resourceRules (all versions, CREATE and UPDATE, as Gatekeeper's webhook);
 *   resources are the kinds' plurals (pluralResource). match.scope becomes the rules' scope,
 *   labelSelector the objectSelector, namespaceSelector the namespaceSelector; namespaces and
 *   excludedNamespaces become `kubernetes.io/metadata.name` In / NotIn expressions of it, and an
 *   exact match.name becomes resourceNames.
 * - What VAP cannot express is left out in the direction that applies the policy more widely, and
 *   named in the policy's `platform.eks-blueprint.io/vap-untranslated` annotation: glob patterns in
 *   namespaces, excludedNamespaces and name.
 */
import { stringify } from 'yaml';
import { UserError } from '../errors';
import { readCelSource } from './engine';
import type { Sourced } from './policy-set';
import { asObject as asObj, type Obj } from '../untyped';

export const VAP_API_VERSION = 'admissionregistration.k8s.io/v1';
export const CONSTRAINT_API_VERSION = 'constraints.gatekeeper.sh/v1beta1';
export const UNTRANSLATED_ANNOTATION = 'platform.eks-blueprint.io/vap-untranslated';
export const TEMPLATE_ANNOTATION = 'platform.eks-blueprint.io/constraint-template';
/** The label every namespace carries with its own name (Kubernetes 1.22+). */
const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

const VALIDATION_ACTIONS: Readonly<Record<string, string[]>> = { deny: ['Deny'], warn: ['Warn'], dryrun: ['Audit'] };

/** Kinds whose resource name is not the regular plural of the kind. */
const IRREGULAR_PLURALS: Readonly<Record<string, string>> = {
  Endpoints: 'endpoints',
  PodSecurityPolicy: 'podsecuritypolicies',
  // The AWS Load Balancer Controller's CRD names the plural as the kind (kubernetes-sigs/aws-load-balancer-controller
  // v3.5.0, helm/aws-load-balancer-controller/crds/crds.yaml: ingressclassparams.elbv2.k8s.aws, names.plural ingressclassparams).
  IngressClassParams: 'ingressclassparams',
};

/**
 * The resource (plural, lower case) of a kind: the irregular table, else English rules on the
 * lower-cased kind (`...s`, `...x`, `...ch`, `...sh` -> `es`; consonant + `y` -> `ies`; else `s`):
 * Pod -> pods, Ingress -> ingresses, NetworkPolicy -> networkpolicies, Gateway -> gateways.
 */
export function pluralResource(kind: string): string {
  if (kind === '*') return '*';
  const irregular = IRREGULAR_PLURALS[kind];
  if (irregular !== undefined) return irregular;
  const k = kind.toLowerCase();
  if (/(s|x|ch|sh)$/.test(k)) return `${k}es`;
  if (/[^aeiou]y$/.test(k)) return `${k.slice(0, -1)}ies`;
  return `${k}s`;
}

function nameOf(o: Obj): string {
  const n = asObj(o.metadata)?.name;
  return typeof n === 'string' ? n : '';
}

const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

const isGlob = (p: string): boolean => p.includes('*');

interface Translated {
  readonly matchConstraints: Obj;
  readonly untranslated: string[];
}

function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

/** The constraint's `spec.match` as VAP matchConstraints, and what could not be carried over. */
function translateMatch(match: Obj | undefined): Translated {
  const m = match ?? {};
  const untranslated: string[] = [];
  const scope = typeof m.scope === 'string' && m.scope !== '*' ? m.scope : undefined;
  let resourceNames: string[] | undefined;
  if (typeof m.name === 'string') {
    if (isGlob(m.name)) untranslated.push(`match.name glob ${JSON.stringify(m.name)} (policy applies to every name)`);
    else resourceNames = [m.name];
  }
  const rule = (apiGroups: string[], resources: string[]): Obj => ({
    apiGroups,
    apiVersions: ['*'],
    operations: ['CREATE', 'UPDATE'],
    resources,
    ...(resourceNames ? { resourceNames } : {}),
    ...(scope ? { scope } : {}),
  });
  const kinds = Array.isArray(m.kinds) && m.kinds.length > 0 ? m.kinds.map((k) => asObj(k) ?? {}) : [{}];
  const resourceRules = kinds.flatMap((k) => {
    const groups = k.apiGroups === undefined ? ['*'] : strings(k.apiGroups);
    const names = k.kinds === undefined ? ['*'] : strings(k.kinds);
    // An empty list matches nothing (as in the offline engine); '*' must stand alone in a list.
    if (groups.length === 0 || names.length === 0) return [];
    return [rule(groups.includes('*') ? ['*'] : groups, names.includes('*') ? ['*'] : [...new Set(names.map(pluralResource))])];
  });

  const selector = asObj(m.namespaceSelector);
  const matchLabels = asObj(selector?.matchLabels);
  const expressions: Obj[] = Array.isArray(selector?.matchExpressions) ? [...(selector.matchExpressions as Obj[])] : [];
  const included = strings(m.namespaces);
  if (m.namespaces !== undefined) {
    const globs = included.filter(isGlob);
    // An include list with globs cannot be narrowed exactly: apply everywhere instead of too few places.
    if (globs.length > 0) untranslated.push(`match.namespaces with globs ${JSON.stringify(globs)} (policy applies in every namespace)`);
    else expressions.push({ key: NAMESPACE_NAME_LABEL, operator: 'In', values: included });
  }
  const excluded = strings(m.excludedNamespaces);
  const exactExcluded = excluded.filter((p) => !isGlob(p));
  const globExcluded = excluded.filter(isGlob);
  if (globExcluded.length > 0) untranslated.push(`match.excludedNamespaces globs ${JSON.stringify(globExcluded)} (those namespaces are not excluded)`);
  if (exactExcluded.length > 0) expressions.push({ key: NAMESPACE_NAME_LABEL, operator: 'NotIn', values: exactExcluded });
  const namespaceSelector: Obj | undefined =
    matchLabels || expressions.length > 0 ? { ...(matchLabels ? { matchLabels } : {}), ...(expressions.length > 0 ? { matchExpressions: expressions } : {}) } : undefined;
  const objectSelector = asObj(m.labelSelector);
  return {
    matchConstraints: { resourceRules, ...(namespaceSelector ? { namespaceSelector } : {}), ...(objectSelector ? { objectSelector } : {}) },
    untranslated,
  };
}

/** A ValidatingAdmissionPolicy and its binding for one constraint. */
export interface VapPair {
  readonly constraint: string;
  readonly template: string;
  readonly policy: Obj;
  readonly binding: Obj;
  /** Match criteria VAP cannot express (also in the policy's annotation). */
  readonly untranslated: string[];
}

export interface VapResult {
  /** One per constraint of a template with K8sNativeValidation code, sorted by constraint name. */
  readonly pairs: VapPair[];
  /** Templates without K8sNativeValidation code, which have no VAP form here. */
  readonly skippedTemplates: string[];
  /** CEL templates no constraint instantiates, which therefore have no policy. */
  readonly unboundTemplates: string[];
}

/**
 * Builds the policies and bindings. Templates and constraints resolve as in PolicySet: a later
 * template of the same kind, and a later constraint of the same kind and name, replace earlier ones.
 */
export function validatingAdmissionPolicies(templates: readonly Sourced[], constraints: readonly Sourced[]): VapResult {
  const byKind = new Map<string, { name: string; template: Obj }>();
  for (const t of templates) {
    const kind = asObj(asObj(asObj(asObj(t.object.spec)?.crd)?.spec)?.names)?.kind;
    if (typeof kind !== 'string' || kind === '') throw new UserError(`${t.where}: template ${nameOf(t.object) || '(unnamed)'}: spec.crd.spec.names.kind is required`);
    byKind.set(kind, { name: nameOf(t.object), template: t.object });
  }
  const chosen = new Map<string, Sourced>();
  for (const c of constraints) chosen.set(`${String(c.object.kind)}/${nameOf(c.object)}`, c);

  const pairs: VapPair[] = [];
  const skippedTemplates: string[] = [];
  const bound = new Set<string>();
  const seenNames = new Map<string, string>();
  for (const c of chosen.values()) {
    const kind = String(c.object.kind);
    const name = nameOf(c.object);
    const t = byKind.get(kind);
    if (!t) throw new UserError(`${c.where}: constraint ${name} has kind ${JSON.stringify(kind)}, which no ConstraintTemplate defines`);
    const source = readCelSource(t.name, t.template);
    if (!source) continue;
    bound.add(kind);
    const other = seenNames.get(name);
    if (other !== undefined) throw new UserError(`${c.where}: constraints ${other}/${name} and ${kind}/${name} would give two ValidatingAdmissionPolicies named ${name}; rename one`);
    seenNames.set(name, kind);
    const spec = asObj(c.object.spec) ?? {};
    const action = typeof spec.enforcementAction === 'string' ? spec.enforcementAction : 'deny';
    const validationActions = VALIDATION_ACTIONS[action];
    if (!validationActions) throw new UserError(`${c.where}: constraint ${name}: spec.enforcementAction ${JSON.stringify(action)} is not one of deny, warn, dryrun`);
    if (!DNS_SUBDOMAIN.test(name)) throw new UserError(`${c.where}: constraint name ${JSON.stringify(name)} is not a valid Kubernetes object name (lower-case DNS subdomain)`);
    const { matchConstraints, untranslated } = translateMatch(asObj(spec.match));
    // A constraint whose kinds match nothing has nothing to admit.
    if ((matchConstraints.resourceRules as unknown[]).length === 0) continue;
    const annotations: Record<string, string> = { [TEMPLATE_ANNOTATION]: t.name };
    if (untranslated.length > 0) annotations[UNTRANSLATED_ANNOTATION] = untranslated.join('; ');
    const policy: Obj = {
      apiVersion: VAP_API_VERSION,
      kind: 'ValidatingAdmissionPolicy',
      metadata: { name, annotations },
      spec: {
        failurePolicy: 'Fail',
        paramKind: { apiVersion: CONSTRAINT_API_VERSION, kind },
        matchConstraints,
        ...(source.matchConditions.length > 0 ? { matchConditions: source.matchConditions.map((m) => ({ name: m.name, expression: m.expression })) } : {}),
        variables: [
          { name: 'anyObject', expression: 'object == null ? oldObject : object' },
          { name: 'params', expression: '!has(params.spec) ? null : !has(params.spec.parameters) ? null : params.spec.parameters' },
          ...source.variables.map((v) => ({ name: v.name, expression: v.expression })),
        ],
        validations: source.validations.map((v) => ({
          expression: v.expression,
          ...(v.message !== undefined ? { message: v.message } : {}),
          ...(v.messageExpression !== undefined ? { messageExpression: v.messageExpression } : {}),
        })),
      },
    };
    const binding: Obj = {
      apiVersion: VAP_API_VERSION,
      kind: 'ValidatingAdmissionPolicyBinding',
      metadata: { name },
      spec: {
        policyName: name,
        // Constraints are cluster-scoped: no namespace. A missing constraint fails closed.
        paramRef: { name, parameterNotFoundAction: 'Deny' },
        validationActions,
      },
    };
    pairs.push({ constraint: name, template: t.name, policy, binding, untranslated });
  }
  for (const t of byKind.values()) if (!readCelSource(t.name, t.template)) skippedTemplates.push(t.name);
  const unboundTemplates = [...byKind.entries()].filter(([kind, t]) => !bound.has(kind) && !skippedTemplates.includes(t.name)).map(([, t]) => t.name);
  const byName = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
  pairs.sort((a, b) => byName(a.constraint, b.constraint));
  return { pairs, skippedTemplates: skippedTemplates.sort(byName), unboundTemplates: unboundTemplates.sort(byName) };
}

/** What the first line of every file `--emit-vap` writes contains (lib/fs.ts writeDirectoryAtomic). */
export const VAP_MARKER = 'generated by `platform check --emit-vap`';

/** The files to write: `<constraint>.yaml` holding the policy then the binding. */
export function vapFiles(result: VapResult): Map<string, string> {
  const files = new Map<string, string>();
  for (const p of result.pairs) {
    const header = `# ValidatingAdmissionPolicy for Gatekeeper constraint ${p.constraint} (template ${p.template}), ${VAP_MARKER}.\n`;
    const docs = [p.policy, p.binding].map((o) => stringify(o, { lineWidth: 0 }));
    files.set(`${p.constraint}.yaml`, header + docs.join('---\n'));
  }
  return files;
}

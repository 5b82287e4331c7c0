/**
 * What `platform check` does, without the printing: load manifests, split policy objects from the
 * objects to check, evaluate the built-in library plus the input policies, sort the violations.
 */
import { type Violation } from './engine';
import { loadPolicyLibrary } from './library';
import { loadManifests, type ManifestObject } from './manifests';
import { isConstraint, isConstraintTemplate, PolicySet, type Sourced } from './policy-set';

export interface CheckViolation {
  readonly file: string;
  readonly kind: string;
  /** Empty for cluster-scoped objects. */
  readonly namespace: string;
  readonly name: string;
  readonly constraint: string;
  readonly enforcementAction: string;
  readonly message: string;
}

export interface CheckResult {
  readonly violations: CheckViolation[];
  readonly objectCount: number;
  readonly fileCount: number;
  /** Files found under directories that hold no Kubernetes objects (Helm values, Chart.yaml), skipped. */
  readonly skippedFiles: string[];
  readonly constraintCount: number;
  readonly skippedTemplates: string[];
  /** The templates and constraints evaluated (e.g. for --emit-vap). */
  readonly sources: PolicySources;
}

function meta(obj: Record<string, unknown>): { name: string; namespace: string } {
  const m = (obj.metadata ?? {}) as Record<string, unknown>;
  return { name: typeof m.name === 'string' ? m.name : '', namespace: typeof m.namespace === 'string' ? m.namespace : '' };
}

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

export function sortViolations(vs: CheckViolation[]): CheckViolation[] {
  return vs.sort((a, b) => cmp(a.file, b.file) || cmp(a.kind, b.kind) || cmp(a.namespace, b.namespace) || cmp(a.name, b.name) || cmp(a.constraint, b.constraint) || cmp(a.message, b.message));
}

/** The templates and constraints to evaluate: the library's, then the inputs' (which override by kind, and by kind and name). */
export interface PolicySources {
  readonly templates: Sourced[];
  readonly constraints: Sourced[];
}

export function policySources(inputs: readonly ManifestObject[], libraryDir?: string): PolicySources {
  const library = loadPolicyLibrary(libraryDir);
  const sourced = (o: ManifestObject): Sourced => ({ object: o.object, where: `${o.file}: document ${o.document}` });
  return {
    templates: [...library.templates.map((t) => ({ object: t, where: `policies/${meta(t).name}` })), ...inputs.filter((o) => isConstraintTemplate(o.object)).map(sourced)],
    constraints: [...library.constraints.map((c) => ({ object: c, where: `policies/${meta(c).name}/constraint.yaml` })), ...inputs.filter((o) => isConstraint(o.object)).map(sourced)],
  };
}

/** Builds the policy set: the library, then input templates (overriding by kind) and input constraints. */
export function policiesFor(inputs: readonly ManifestObject[], libraryDir?: string): PolicySet {
  const { templates, constraints } = policySources(inputs, libraryDir);
  return new PolicySet(templates, constraints);
}

export function checkManifests(paths: readonly string[], libraryDir?: string): CheckResult {
  const { objects: inputs, skippedFiles } = loadManifests(paths);
  const sources = policySources(inputs, libraryDir);
  const policies = new PolicySet(sources.templates, sources.constraints);
  const objects = inputs.filter((o) => !isConstraintTemplate(o.object) && !isConstraint(o.object));
  const namespaces = new Map<string, Record<string, unknown>>();
  for (const o of objects) if (o.object.kind === 'Namespace' && o.object.apiVersion === 'v1') namespaces.set(meta(o.object).name, o.object);
  const violations: CheckViolation[] = [];
  for (const o of objects) {
    const { name, namespace } = meta(o.object);
    const found: Violation[] = policies.review({ object: o.object, operation: 'CREATE', namespaceObject: namespaces.get(namespace) ?? null });
    for (const v of found) {
      violations.push({ file: o.file, kind: String(o.object.kind), namespace, name, constraint: v.constraint, enforcementAction: v.enforcementAction, message: v.message });
    }
  }
  return {
    violations: sortViolations(violations),
    objectCount: objects.length,
    fileCount: new Set(inputs.map((o) => o.file)).size,
    skippedFiles,
    constraintCount: policies.constraintCount,
    skippedTemplates: policies.skippedTemplates,
    sources,
  };
}

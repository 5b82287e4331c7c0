/**
 * What `platform check` does, without the printing: load manifests (as kubectl reads them), split
 * policy objects from the objects to check, evaluate the built-in library (or a stack's
 * constraints) plus the input policies against each object as admission would see it (null fields
 * dropped), sort the violations, and count what each exemption skipped.
 */
import { isDeepStrictEqual } from 'node:util';
import { UserError } from '../errors';
import { type PreparedConstraint, type Violation } from './engine';
import type { Exemption } from './exemptions';
import { Inventory } from './inventory-rules';
import { loadPolicyLibrary } from './library';
import { loadManifests, type FileError, type ManifestObject, type SkippedFile } from './manifests';
import { isConstraint, isConstraintTemplate, PolicySet, type Sourced } from './policy-set';

export interface CheckViolation {
  readonly file: string;
  readonly kind: string;
  /** Empty for cluster-scoped objects and objects that name no namespace. */
  readonly namespace: string;
  /** metadata.name, or metadata.generateName followed by `*`. */
  readonly name: string;
  readonly constraint: string;
  readonly enforcementAction: string;
  readonly message: string;
}

export interface ExemptionCount {
  readonly constraint: string;
  readonly exemption: Exemption;
  /** Objects of the inputs the constraint matched and this exemption skipped. */
  readonly skipped: number;
}

export interface CheckResult {
  readonly violations: CheckViolation[];
  readonly objectCount: number;
  readonly fileCount: number;
  /** Files found under directories that are not objects to check (Helm values, templates, kustomize patches), skipped. */
  readonly skippedFiles: SkippedFile[];
  /** Files of directory walks that could not be loaded (the rest was checked): bad input. */
  readonly fileErrors: FileError[];
  /** Scalars that mean something else under YAML 1.2 than to kubectl (lib/policy/manifests.ts). */
  readonly readingNotes: string[];
  readonly constraintCount: number;
  /** Every exemption of the constraints evaluated, with how many checked objects it skipped. */
  readonly exemptions: ExemptionCount[];
  readonly skippedTemplates: string[];
  /** Rego templates whose rule was evaluated over the inputs by its offline equivalent (not by the Rego), with how many objects it judged. */
  readonly equivalentTemplates: { readonly template: string; readonly objects: number }[];
  /** The templates and constraints evaluated (e.g. for --emit-vap). */
  readonly sources: PolicySources;
}

/**
 * Name and namespace of an object as reported: an object with only `metadata.generateName` is
 * named by it followed by `*` (the name the API server will complete).
 */
function meta(obj: Record<string, unknown>): { name: string; namespace: string } {
  const m = (obj.metadata ?? {}) as Record<string, unknown>;
  const name = typeof m.name === 'string' && m.name !== '' ? m.name : typeof m.generateName === 'string' && m.generateName !== '' ? `${m.generateName}*` : '';
  return { name, namespace: typeof m.namespace === 'string' ? m.namespace : '' };
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

/** Kind a template defines (spec.crd.spec.names.kind), or '' when it names none. */
function templateKind(t: Record<string, unknown>): string {
  const names = (((t.spec as Record<string, unknown> | undefined)?.crd as Record<string, unknown> | undefined)?.spec as Record<string, unknown> | undefined)?.names as Record<string, unknown> | undefined;
  return typeof names?.kind === 'string' ? names.kind : '';
}

/**
 * Input templates override the library's by kind, but two different input templates defining the
 * same kind are ambiguous (the cluster would keep whichever was applied last): bad input.
 */
function checkDuplicateTemplates(inputs: readonly Sourced[]): void {
  const seen = new Map<string, Sourced>();
  for (const t of inputs) {
    const kind = templateKind(t.object);
    const earlier = seen.get(kind);
    if (kind !== '' && earlier !== undefined && !isDeepStrictEqual(earlier.object, t.object)) {
      throw new UserError(`${t.where}: ConstraintTemplate ${JSON.stringify(meta(t.object).name)} defines kind ${kind}, already defined differently by ConstraintTemplate ${JSON.stringify(meta(earlier.object).name)} at ${earlier.where}`);
    }
    seen.set(kind, t);
  }
}

export interface PolicyOptions {
  /** Folder of the built-in library. @default policies/ */
  readonly libraryDir?: string;
  /**
   * A stack's constraints (what the gatekeeper chart deploys for it: enforcement actions, registries,
   * exemptions), used instead of the library's own; `where` names the stack. @default the library's
   */
  readonly stackConstraints?: { readonly where: string; readonly constraints: readonly Record<string, unknown>[] };
}

export function policySources(inputs: readonly ManifestObject[], options: PolicyOptions = {}): PolicySources {
  const library = loadPolicyLibrary(options.libraryDir);
  const sourced = (o: ManifestObject): Sourced => ({ object: o.object, where: `${o.file}: document ${o.document}` });
  checkDuplicateTemplates(inputs.filter((o) => isConstraintTemplate(o.object)).map(sourced));
  const stack = options.stackConstraints;
  const base = stack
    ? stack.constraints.map((c) => ({ object: c, where: `${stack.where}: constraint ${meta(c).name}` }))
    : library.constraints.map((c) => ({ object: c, where: `policies/${meta(c).name}/constraint.yaml` }));
  return {
    templates: [...library.templates.map((t) => ({ object: t, where: `policies/${meta(t).name}` })), ...inputs.filter((o) => isConstraintTemplate(o.object)).map(sourced)],
    constraints: [...base, ...inputs.filter((o) => isConstraint(o.object)).map(sourced)],
  };
}

/** Builds the policy set: the library (or a stack's constraints), then input templates (overriding by kind) and input constraints. */
export function policiesFor(inputs: readonly ManifestObject[], options: PolicyOptions = {}): PolicySet {
  const { templates, constraints } = policySources(inputs, options);
  return new PolicySet(templates, constraints);
}

/**
 * The object as admission sees it: the API server decodes `field: null` (an empty `annotations:` in
 * YAML, say) as an absent field before validating webhooks run, so mapping entries whose value is
 * null are dropped, at any depth (list items are kept as they are).
 */
export function withoutNullFields<T>(value: T): T {
  if (Array.isArray(value)) return value.map((x: unknown) => withoutNullFields(x)) as T;
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) if (v !== null) out[k] = withoutNullFields(v);
  return out as T;
}

export function checkManifests(paths: readonly string[], options: PolicyOptions = {}): CheckResult {
  const { objects: inputs, skippedFiles, fileErrors, readingNotes } = loadManifests(paths);
  const sources = policySources(inputs, options);
  const policies = new PolicySet(sources.templates, sources.constraints);
  const objects = inputs.filter((o) => !isConstraintTemplate(o.object) && !isConstraint(o.object)).map((o) => ({ ...o, object: withoutNullFields(o.object) }));
  const namespaces = new Map<string, Record<string, unknown>>();
  for (const o of objects) if (o.object.kind === 'Namespace' && o.object.apiVersion === 'v1') namespaces.set(meta(o.object).name, o.object);
  // What the rules reading other objects see: every object of the inputs, as Gatekeeper's replicated data.
  const inventory = new Inventory(objects.map((o) => o.object));
  const violations: CheckViolation[] = [];
  const skipped = new Map<PreparedConstraint, number[]>();
  const onExempt = (c: PreparedConstraint, at: number): void => {
    const counts = skipped.get(c) ?? new Array<number>(c.exemptions.length).fill(0);
    counts[at] += 1;
    skipped.set(c, counts);
  };
  for (const o of objects) {
    const { name, namespace } = meta(o.object);
    const found: Violation[] = policies.review({ object: o.object, operation: 'CREATE', namespaceObject: namespaces.get(namespace) ?? null }, onExempt, inventory);
    for (const v of found) {
      violations.push({ file: o.file, kind: String(o.object.kind), namespace, name, constraint: v.constraint, enforcementAction: v.enforcementAction, message: v.message });
    }
  }
  return {
    violations: sortViolations(violations),
    objectCount: objects.length,
    fileCount: new Set(inputs.map((o) => o.file)).size,
    skippedFiles,
    fileErrors,
    readingNotes,
    constraintCount: policies.constraintCount,
    exemptions: policies.constraints.flatMap((c) => c.exemptions.map((exemption, i) => ({ constraint: c.name, exemption, skipped: skipped.get(c)?.[i] ?? 0 }))),
    skippedTemplates: policies.skippedTemplates,
    equivalentTemplates: [...inventory.evaluations].map(([template, n]) => ({ template, objects: n })),
    sources,
  };
}

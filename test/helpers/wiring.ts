/** Queries over a mocked program run for the in-cluster side (infra/platform.ts). */
import type { RecordedResource } from '../../lib/pulumi-mocks';
import type { ProgramRun } from '../../lib/run-program';

/** Kubernetes objects and Helm releases Pulumi would apply (not the components grouping them, not the provider). */
export function kubernetesResources(run: ProgramRun): RecordedResource[] {
  return run.resources.filter((r) => r.type.startsWith('kubernetes:'));
}

export function kubernetesProvider(run: ProgramRun): RecordedResource {
  const providers = run.resources.filter((r) => r.type === 'pulumi:providers:kubernetes');
  if (providers.length !== 1) throw new Error(`expected one kubernetes provider, found ${providers.length}`);
  return providers[0];
}

export function objectsOfKind(run: ProgramRun, kind: string): RecordedResource[] {
  return kubernetesResources(run).filter((r) => r.type.endsWith(`:${kind}`));
}

/** The resources among `candidates` that `resource` does not depend on (by URN). */
export function missingDependencies(resource: RecordedResource, candidates: readonly RecordedResource[]): string[] {
  const deps = new Set(resource.dependencies);
  return candidates.filter((c) => c.urn !== resource.urn && !deps.has(c.urn)).map((c) => `${c.type}::${c.name}`);
}

/** An applied object's `<namespace>/<name>` (or `<name>` when cluster-scoped), from its manifest. */
export function objectName(r: RecordedResource): string {
  const metadata = (r.props.metadata ?? {}) as { name?: string; namespace?: string };
  return metadata.namespace ? `${metadata.namespace}/${metadata.name}` : String(metadata.name);
}

/** The Helm releases Pulumi installs, by release name (what Helm calls them, not the resource name). */
export function helmReleases(run: ProgramRun): RecordedResource[] {
  return run.resources.filter((r) => r.type === 'kubernetes:helm.sh/v3:Release');
}

/** The Helm release named `name` (its `name` input); fails when there is not exactly one. */
export function helmRelease(run: ProgramRun, name: string): RecordedResource {
  const found = helmReleases(run).filter((r) => r.props.name === name);
  if (found.length !== 1) throw new Error(`expected one Helm release named ${name}, found ${found.length}`);
  return found[0];
}

/** The applied object of `kind` named `<namespace>/<name>` (or `<name>`); fails when there is not exactly one. */
export function objectNamed(run: ProgramRun, kind: string, name: string): RecordedResource {
  const found = objectsOfKind(run, kind).filter((r) => objectName(r) === name);
  if (found.length !== 1) throw new Error(`expected one ${kind} ${name}, found ${found.length}`);
  return found[0];
}

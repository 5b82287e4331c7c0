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

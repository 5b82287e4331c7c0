/**
 * Applies plain Kubernetes objects (as `platform synth` renders them) as Pulumi resources: the
 * typed class for built-in kinds (`k8s.core.v1.Namespace`, ...), `CustomResource` for the rest.
 * Each object gets the provider and the dependencies explicitly, so the apply order is a property
 * of every resource, visible in the plan and the preview.
 *
 * Why not `k8s.yaml.ConfigGroup`: its children inherit neither provider nor dependsOn from it, and
 * it gathers every child resource into one output map, which costs a deep walk of each resource
 * object per group (~0.3 s for the prod stack). This component does the same job in a direct way.
 */
import * as pulumi from '@pulumi/pulumi';
import { CustomResource, type CustomResourceArgs } from '@pulumi/kubernetes/apiextensions/customResource';
import type { Provider } from '@pulumi/kubernetes/provider';
import { parseApiVersion } from '../lib/api-version';
import { childOptions } from './component';

export interface KubernetesObjectsArgs {
  /** Objects with apiVersion, kind and metadata.name; values may hold Pulumi inputs. */
  readonly objects: readonly Record<string, unknown>[];
  readonly provider: Provider;
  /** What every object must wait for. */
  readonly dependsOn: pulumi.Input<pulumi.Resource>[];
  /**
   * The group's name in stacks created before #14, when its objects were named `<namespace>/<name>`
   * only: each object then keeps its URN through an alias. @default none (a new group)
   */
  readonly formerName?: string;
}

type ResourceClass = new (name: string, args: Record<string, unknown>, opts: pulumi.CustomResourceOptions) => pulumi.CustomResource;

/** The typed class Pulumi has for a built-in apiVersion/kind, if any. */
export function builtInResourceClass(apiVersion: string, kind: string): ResourceClass | undefined {
  const { group, version } = parseApiVersion(apiVersion);
  // Built-in groups are the core group (module `core`), `<name>` or `<name>.k8s.io`
  // (rbac.authorization.k8s.io -> rbac); any other dotted group is a custom resource.
  const moduleName = group === '' ? 'core' : !group.includes('.') ? group : group.endsWith('.k8s.io') ? group.split('.')[0] : undefined;
  if (!moduleName) return undefined;
  // The package root loads every API group (and Helm's YAML machinery) up front; the group/version
  // module loads its kinds lazily. Names are checked first: they become part of a module path.
  if (!/^[a-z0-9]+$/.test(moduleName) || !/^v[0-9a-z]+$/.test(version)) return undefined;
  let groupVersion: Record<string, unknown>;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- a module chosen by apiVersion at run time
    groupVersion = require(`@pulumi/kubernetes/${moduleName}/${version}`) as Record<string, unknown>;
  } catch {
    return undefined;
  }
  const cls = Object.prototype.hasOwnProperty.call(groupVersion, kind) ? groupVersion[kind] : undefined;
  return typeof cls === 'function' ? (cls as ResourceClass) : undefined;
}

/** An object's name within its group: `<namespace>/<name>`, or `<name>` when cluster-scoped. */
export function objectResourceName(obj: Record<string, unknown>): string {
  const metadata = (obj.metadata ?? {}) as { name?: unknown; namespace?: unknown };
  if (typeof metadata.name !== 'string' || metadata.name === '') {
    throw new Error(`${String(obj.kind)} object without metadata.name cannot be applied`);
  }
  return typeof metadata.namespace === 'string' && metadata.namespace !== '' ? `${metadata.namespace}/${metadata.name}` : metadata.name;
}

export class KubernetesObjects extends pulumi.ComponentResource {
  readonly resources: readonly pulumi.CustomResource[];

  constructor(name: string, args: KubernetesObjectsArgs, opts?: pulumi.ComponentResourceOptions) {
    super('platform:kubernetes:Objects', name, {}, opts);
    const child = childOptions(this, args.formerName !== undefined);
    this.resources = args.objects.map((obj) => {
      const apiVersion = String(obj.apiVersion);
      const kind = String(obj.kind);
      const objectName = objectResourceName(obj);
      const childOpts = child(objectName, { provider: args.provider, dependsOn: args.dependsOn });
      const cls = builtInResourceClass(apiVersion, kind);
      const resourceName = `${name}/${objectName}`;
      return cls ? new cls(resourceName, obj, childOpts) : new CustomResource(resourceName, obj as CustomResourceArgs, childOpts);
    });
    this.registerOutputs({ count: this.resources.length });
  }
}

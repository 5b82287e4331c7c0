/**
 * A cdk8s-plus resource typed so that it satisfies cdk8s-plus's own interfaces (IConfigMap,
 * ISecret, IPersistentVolumeClaim, IServiceAccount, ...) in an app compiled with
 * `exactOptionalPropertyTypes`, which `tsc --init` of TypeScript 5.9 turns on: cdk8s-plus-28's
 * Resource declares `get resourceName(): string | undefined` where its IApiResource declares
 * `readonly resourceName?: string` (cdk8s-team/cdk8s-plus, tag cdk8s-plus-28/v2.5.6, src/base.ts and
 * src/api-resource.generated.ts), so `kplus.Env.fromConfigMap(new kplus.ConfigMap(...))` does not
 * compile there.
 */
export type ResourceRef<T> = Omit<T, 'resourceName'> & { readonly resourceName?: string };

/**
 * The same object, typed as a ResourceRef: `kplus.Env.fromConfigMap(resourceRef(config))`. Nothing
 * changes at runtime; apps without `exactOptionalPropertyTypes` do not need it.
 */
export function resourceRef<T extends { readonly resourceName?: string | undefined }>(resource: T): ResourceRef<T> {
  return resource as ResourceRef<T>;
}

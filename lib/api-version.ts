/** Kubernetes `apiVersion` strings: `<group>/<version>`, or a bare `<version>` for the core group. */

export interface GroupVersion {
  /** The API group; `''` for the core group (`v1`). */
  readonly group: string;
  readonly version: string;
}

/** Splits an apiVersion at its first `/`: `apps/v1` is `apps` and `v1`, `v1` is the core group's `v1`. */
export function parseApiVersion(apiVersion: string): GroupVersion {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? { group: '', version: apiVersion } : { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1) };
}

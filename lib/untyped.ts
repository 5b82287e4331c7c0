/**
 * Reading untyped values (parsed JSON and YAML, Pulumi inputs, preview states, manifests) without a
 * cast at every step: the one definition of what counts as a map, a list, a list of strings and a
 * true flag. Everything in lib/ that walks such values reads them through these.
 */

/** A parsed map. */
export type Obj = Record<string, unknown>;

/** A map: an object that is neither null nor a list. */
export function isObject(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** `v` when it is a map, else undefined. */
export function asObject(v: unknown): Obj | undefined {
  return isObject(v) ? v : undefined;
}

/** The fields of `v` when it is a map, else none: for reading nested fields that may be absent. */
export function fieldsOf(v: unknown): Obj {
  return isObject(v) ? v : {};
}

/** `v` when it is a list, else an empty one. */
export function asArray(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

/** A field that holds one value or a list of them, as a list (nothing: an empty one). */
export function asList(v: unknown): unknown[] {
  return Array.isArray(v) ? v : v === undefined ? [] : [v];
}

/** A field that holds a string or a list of strings (IAM `Action`, RBAC `verbs`), as a list; other entries are dropped. */
export function stringsOf(v: unknown): string[] {
  return asList(v).filter((e): e is string => typeof e === 'string');
}

/** true for `true` and `"true"` (providers take some booleans as strings: launch template EBS settings, add-on values). */
export function isTrue(v: unknown): boolean {
  return v === true || v === 'true';
}

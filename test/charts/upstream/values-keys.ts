/**
 * The keys of a pinned chart's values, as recorded in its model, and the check that the platform sets
 * no other: Helm ignores a values key no template reads (unless the chart's values.schema.json forbids
 * it), so a misspelled or invented key installs without complaint and the setting it was meant to carry
 * never takes effect.
 */

export interface RecordedValuesKeys {
  /** Repository, tag and path the keys are read from. */
  readonly source: string;
  /**
   * Key paths, dot-joined (a key with a dot of its own, Grafana's `grafana.ini`, joins the same way).
   * Charts recorded whole list every key of their values.yaml, maps and leaves; the others list the
   * keys the platform sets. Keys a template reads without a default in values.yaml are included, each
   * with a comment saying so.
   */
  readonly keys: readonly string[];
  /**
   * Subtrees the templates render verbatim (toYaml, a range over a free-form map) or that take a free-form
   * map (resources, security contexts, config maps): any key below them reaches the manifest as written.
   */
  readonly passThrough: readonly string[];
}

const isMap = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Leaf key paths of a values object: lists are leaves (Helm replaces them whole), and so is an empty map. */
export function leafPaths(value: unknown, prefix = ''): string[] {
  if (!isMap(value)) return [prefix];
  const entries = Object.entries(value);
  if (entries.length === 0) return [prefix];
  return entries.flatMap(([k, v]) => leafPaths(v, prefix ? `${prefix}.${k}` : k));
}

/** Key paths of `values` the chart does not know: neither recorded nor under a verbatim subtree. */
export function unknownKeys(values: Record<string, unknown>, recorded: RecordedValuesKeys): string[] {
  const keys = new Set(recorded.keys);
  return leafPaths(values).filter((p) => !keys.has(p) && !recorded.passThrough.some((root) => p === root || p.startsWith(`${root}.`)));
}

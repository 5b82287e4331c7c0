/**
 * What a Kubernetes upgrade means for objects: APIs the target no longer serves (blockers), APIs it
 * still serves but has deprecated (warnings), and Pod Security Admission version labels pinned to
 * another version. Pure over loaded objects; one pass, one map lookup per object.
 */
import type { ManifestObject } from '../policy/manifests';
import { apiLifecycle, compareVersions, type ApiLifecycle } from '../versions';
import type { UpgradeItem } from './types';
import { fieldsOf } from '../untyped';

const PSA_VERSION_LABELS = ['enforce', 'audit', 'warn'].map((mode) => `pod-security.kubernetes.io/${mode}-version`);


/** `Kind/namespace/name`, `-` as the namespace of cluster-scoped objects (as `platform check` names them). */
export function objectName(o: Record<string, unknown>): string {
  const md = fieldsOf(o.metadata);
  const ns = typeof md.namespace === 'string' && md.namespace !== '' ? md.namespace : '-';
  const name = typeof md.name === 'string' && md.name !== '' ? md.name : typeof md.generateName === 'string' ? `${md.generateName}*` : '(unnamed)';
  return `${String(o.kind)}/${ns}/${name}`;
}

/**
 * What to use instead on `target`: the recorded replacement, followed through replacements the
 * target no longer serves either (flowcontrol v1beta1 -> v1beta3 -> v1). When the line ends in an API
 * with no replacement, `note` says what to do (extensions/v1beta1 -> policy/v1beta1 PodSecurityPolicy).
 */
export function resolveReplacement(entry: ApiLifecycle, target: string): { readonly use?: string; readonly note?: string } {
  let current = entry;
  for (let hops = 0; hops < 10 && current.replacement; hops++) {
    const next = apiLifecycle(current.replacement.apiVersion, current.replacement.kind ?? current.kind);
    if (!next?.removedIn || compareVersions(next.removedIn, target) > 0) return { use: `${current.replacement.apiVersion}${current.replacement.kind ? ` ${current.replacement.kind}` : ''}` };
    current = next;
  }
  return { note: current.note ?? 'remove it' };
}

/** The apiVersion (and kind, when it changes) to use instead on `target`, if anything replaces it. */
export function replacementOn(entry: ApiLifecycle, target: string): string | undefined {
  return resolveReplacement(entry, target).use;
}

function removedItem(where: string, apiVersion: string, entry: ApiLifecycle, target: string): UpgradeItem {
  const { use, note } = resolveReplacement(entry, target);
  return { kind: 'removed-api', message: `${where}: ${apiVersion} removed in ${entry.removedIn}, ${use ? `use ${use}` : `no replacement: ${note}`}` };
}

function deprecatedItem(where: string, apiVersion: string, entry: ApiLifecycle, target: string): UpgradeItem {
  const use = replacementOn(entry, target);
  const until = entry.removedIn ? `removed in ${entry.removedIn}` : 'no removal planned';
  return { kind: 'deprecated-api', message: `${where}: ${apiVersion} deprecated in ${entry.deprecatedIn}, still served in ${target} (${until})${use ? `, use ${use}` : ''}` };
}

export interface ObjectScan {
  readonly blockers: UpgradeItem[];
  readonly warnings: UpgradeItem[];
  /** Objects with a PSA version label, by label value (`v1.35` -> count). */
  readonly psaVersions: Map<string, number>;
}

/**
 * Removed and deprecated APIs among `objects` on `target`, and PSA version labels other than
 * `v<target>` (a warning per object when `warnPsa`; always counted).
 */
export function scanObjects(objects: readonly ManifestObject[], target: string, warnPsa: boolean): ObjectScan {
  const blockers: UpgradeItem[] = [];
  const warnings: UpgradeItem[] = [];
  const psaVersions = new Map<string, number>();
  const wanted = `v${target}`;
  for (const { file, object } of objects) {
    const apiVersion = String(object.apiVersion);
    const entry = apiLifecycle(apiVersion, String(object.kind));
    if (entry) {
      const where = `${file}: ${objectName(object)}`;
      if (entry.removedIn && compareVersions(entry.removedIn, target) <= 0) blockers.push(removedItem(where, apiVersion, entry, target));
      else if (entry.deprecatedIn && compareVersions(entry.deprecatedIn, target) <= 0) warnings.push(deprecatedItem(where, apiVersion, entry, target));
    }
    if (object.kind !== 'Namespace') continue;
    const labels = fieldsOf(fieldsOf(object.metadata).labels);
    const pinned = PSA_VERSION_LABELS.filter((l) => typeof labels[l] === 'string');
    if (pinned.length === 0) continue;
    const value = String(labels[pinned[0]]);
    psaVersions.set(value, (psaVersions.get(value) ?? 0) + 1);
    if (!warnPsa) continue;
    for (const label of pinned.filter((l) => labels[l] !== wanted)) {
      const v = String(labels[label]);
      const why = v === 'latest' ? `latest applies the ${target} Pod Security Standards the moment the control plane upgrades: pin ${wanted} once workloads pass them` : `move to ${wanted} once the control plane runs ${target}`;
      warnings.push({ kind: 'psa-label', message: `${file}: ${objectName(object)}: ${label} ${v}: ${why}` });
    }
  }
  return { blockers, warnings, psaVersions };
}

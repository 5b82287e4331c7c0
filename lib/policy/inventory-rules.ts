/**
 * Rules that judge an object against the other objects of the cluster. Gatekeeper evaluates them only
 * with Rego, against the objects it replicates (`data.inventory`); its CEL engine never sees that data
 * (gatekeeper v3.23.0 pkg/drivers/k8scel/driver.go: AddData does nothing). This engine runs no Rego, so
 * `platform check` evaluates each such library template by the TypeScript equivalent of its Rego here,
 * with every object among the inputs standing for the replicated inventory.
 *
 * An equivalent stands for one exact Rego source: it is bound to the template by name and by the
 * SHA-256 of the Rego text, so a template whose Rego was edited (or an input template of the same kind
 * with other Rego) is skipped like any Rego template until the equivalent is brought in line (a test
 * holds the library's templates to the hashes here). What is proven offline is this code, against the
 * template's suite cases (test/policy/unique-ingress-hosts.test.ts); the Rego runs only in Gatekeeper.
 */
import { createHash } from 'node:crypto';
import { asArray, asObject, fieldsOf, type Obj } from '../untyped';
import { parseApiVersion } from '../api-version';

/**
 * The objects a rule may read: the inputs of one `platform check`, indexed once per rule; and how many
 * reviewed objects each template's equivalent judged in that check.
 */
export class Inventory {
  private readonly indexes = new Map<string, unknown>();
  /** Objects judged by an offline equivalent, by template name. */
  readonly evaluations = new Map<string, number>();
  constructor(readonly objects: readonly Obj[]) {}

  /** What `build` derives from the objects, computed once per key. */
  index<T>(key: string, build: (objects: readonly Obj[]) => T): T {
    if (!this.indexes.has(key)) this.indexes.set(key, build(this.objects));
    return this.indexes.get(key) as T;
  }
}

export interface InventoryRule {
  /** metadata.name of the library template whose Rego this mirrors. */
  readonly template: string;
  /** SHA-256 (hex) of that template's Rego source. */
  readonly regoSha256: string;
  /** The Rego's `violation` messages for `object` (a set: no message twice), in a stable order. */
  violations(object: Obj, inventory: Inventory): string[];
}

/** The Rego source of a template (`code[]` entry with engine Rego, or the legacy `targets[].rego`), if any. */
export function regoSource(template: Obj): string | undefined {
  for (const target of asArray(fieldsOf(template.spec).targets)) {
    const t = fieldsOf(target);
    for (const entry of asArray(t.code)) {
      const e = fieldsOf(entry);
      const rego = fieldsOf(e.source).rego;
      if (e.engine === 'Rego' && typeof rego === 'string') return rego;
    }
    if (typeof t.rego === 'string') return t.rego;
  }
  return undefined;
}

export const sha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

const text = (v: unknown): string => (typeof v === 'string' ? v : '');

/** The host names an Ingress claims: its rules' hosts and its spec.tls hosts (the Rego's `claimed`). */
export function claimedHosts(ingress: Obj): Set<string> {
  const spec = fieldsOf(ingress.spec);
  const hosts = new Set<string>();
  for (const rule of asArray(spec.rules)) {
    const host = text(asObject(rule)?.host);
    if (host !== '') hosts.add(host);
  }
  for (const tls of asArray(spec.tls)) {
    for (const host of asArray(asObject(tls)?.hosts)) if (typeof host === 'string' && host !== '') hosts.add(host);
  }
  return hosts;
}

interface Claim {
  readonly namespace: string;
  readonly name: string;
}

/**
 * policies/unique-ingress-hosts: an Ingress may not claim a host that an Ingress of another namespace
 * claims. The inventory holds the Ingresses Gatekeeper replicates (networking.k8s.io, served as v1),
 * keyed by namespace: objects without one are not in it.
 */
export const UNIQUE_INGRESS_HOSTS: InventoryRule = {
  template: 'platformuniqueingresshosts',
  regoSha256: '44d69e8fd2e2f628d511274db785f2a732af984f78231d61ea216ea0ccd84527',
  violations(object, inventory) {
    if (object.kind !== 'Ingress') return [];
    const byHost = inventory.index('ingress-hosts', (objects) => {
      const index = new Map<string, Claim[]>();
      for (const o of objects) {
        if (o.kind !== 'Ingress' || parseApiVersion(text(o.apiVersion)).group !== 'networking.k8s.io') continue;
        const meta = fieldsOf(o.metadata);
        const claim = { namespace: text(meta.namespace), name: text(meta.name) };
        if (claim.namespace === '') continue;
        for (const host of claimedHosts(o)) index.set(host, [...(index.get(host) ?? []), claim]);
      }
      return index;
    });
    const namespace = text(fieldsOf(object.metadata).namespace);
    const messages = new Set<string>();
    for (const host of claimedHosts(object)) {
      for (const other of byHost.get(host) ?? []) {
        if (other.namespace !== namespace) messages.add(`host ${host} is claimed by Ingress ${other.namespace}/${other.name} too: two namespaces may not claim one host name`);
      }
    }
    return [...messages].sort();
  },
};

/** Every offline equivalent, by template name. */
export const INVENTORY_RULES: readonly InventoryRule[] = [UNIQUE_INGRESS_HOSTS];

/** The equivalent standing for this template's Rego, when there is one for exactly that Rego. */
export function inventoryRuleFor(template: Obj): InventoryRule | undefined {
  const name = text(fieldsOf(template.metadata).name);
  const rule = INVENTORY_RULES.find((r) => r.template === name);
  if (rule === undefined) return undefined;
  const rego = regoSource(template);
  return rego !== undefined && sha256(rego) === rule.regoSha256 ? rule : undefined;
}

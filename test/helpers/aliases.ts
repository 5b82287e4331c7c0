/**
 * Whether a program run keeps every URN an existing stack holds: each former URN (recorded from the
 * layout before #14, test/fixtures/urns/) is reached exactly once, by a resource's own URN or by one
 * of its aliases, and no alias points anywhere else.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ProgramRun } from '../../lib/run-program';

export interface UrnMapping {
  /** Former URN -> the URNs of the resources that reach it (exactly one when all is well). */
  readonly reachedBy: ReadonlyMap<string, readonly string[]>;
  /** Former URNs no resource reaches: `pulumi up` would delete them and create replacements. */
  readonly lost: readonly string[];
  /**
   * Name aliases naming no former URN (a typo in a former name), as `<urn> -> <alias>`. Aliases to
   * another type (the Kubernetes SDK's to older API versions of a kind) are the SDK's, not ours.
   */
  readonly dangling: readonly string[];
  /** Resources that alias their own URN. */
  readonly selfAliased: readonly string[];
  /** How many resources reach their former URN through an alias (renamed children). */
  readonly renamed: number;
}

export function formerUrns(stack: string): string[] {
  return JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'urns', `${stack}.json`), 'utf8')) as string[];
}

export function mapFormerUrns(run: ProgramRun, former: readonly string[]): UrnMapping {
  const known = new Set(former);
  const reachedBy = new Map<string, string[]>(former.map((u) => [u, []]));
  const dangling: string[] = [];
  const selfAliased: string[] = [];
  let renamed = 0;
  for (const r of run.resources.filter((x) => x.type !== 'pulumi:pulumi:Stack')) {
    const type = (urn: string) => urn.split('::')[2];
    const aliases = (r.aliases ?? []).filter((a) => type(a) === type(r.urn));
    if (aliases.includes(r.urn)) selfAliased.push(r.urn);
    dangling.push(...aliases.filter((a) => !known.has(a)).map((a) => `${r.urn} -> ${a}`));
    const hits = [r.urn, ...aliases].filter((u) => known.has(u));
    for (const hit of new Set(hits)) reachedBy.get(hit)!.push(r.urn);
    if (hits.length > 0 && !hits.includes(r.urn)) renamed += 1;
  }
  return { reachedBy, lost: former.filter((u) => reachedBy.get(u)!.length === 0), dangling, selfAliased, renamed };
}

/**
 * Resources the program has gained since the URNs were recorded, by `<type> <name>`: new to every stack
 * created before, so none of them may reach a former URN, and an alias KubernetesObjects gives them
 * (to the `<namespace>/<name>` an object of their group had before #14) names nothing, harmlessly.
 * #13: the NetworkPolicies of the add-on namespaces (base chart), the host-probes template and
 * constraint, and the Gatekeeper ignore label patches of the control plane's namespaces.
 * #16: the ingress policies' templates and constraints, and Gatekeeper's sync Config.
 * #12: Karpenter's capacity reservation interruption rule and target.
 */
export const ADDED_SINCE_RECORD: readonly RegExp[] = [
  /^kubernetes:networking\.k8s\.io\/v1:NetworkPolicy platform-base\//,
  /^kubernetes:templates\.gatekeeper\.sh\/v1:ConstraintTemplate platform-gatekeeper-templates\/platformhostprobes$/,
  /^kubernetes:constraints\.gatekeeper\.sh\/v1beta1:PlatformHostProbes platform-gatekeeper-constraints\/host-probes$/,
  /^kubernetes:core\/v1:NamespacePatch platform-gatekeeper-ignore-kube-(system|public|node-lease)$/,
  /^kubernetes:templates\.gatekeeper\.sh\/v1:ConstraintTemplate platform-gatekeeper-templates\/platform(tenanthosts|ingressscheme|ingresstls|ingressclasses|uniqueingresshosts)$/,
  /^kubernetes:constraints\.gatekeeper\.sh\/v1beta1:Platform(TenantHosts|IngressScheme|IngressTls|IngressClasses|UniqueIngressHosts) platform-gatekeeper-constraints\/(tenant-hosts|ingress-scheme|ingress-tls|ingress-classes|unique-ingress-hosts)$/,
  /^kubernetes:config\.gatekeeper\.sh\/v1alpha1:Config /,
  // Karpenter's capacity reservation interruption rule and its target (infra/karpenter.ts).
  /^aws:cloudwatch\/(eventRule:EventRule|eventTarget:EventTarget) karpenter-capacity-reservation$/,
];

const isAdded = (r: { type: string; urn: string }): boolean => ADDED_SINCE_RECORD.some((re) => re.test(`${r.type} ${r.urn.split('::').pop() ?? ''}`));

/**
 * Asserts that `run` keeps every URN the stack held before #14 (`test/fixtures/urns/<stack>.json`):
 * each reached once, no alias pointing elsewhere or at itself, as many resources as before, and most
 * of them renamed (children named from their component) and kept by an alias; besides them exactly
 * `added` resources of ADDED_SINCE_RECORD, none reaching a former URN.
 */
export function expectFormerUrnsKept(run: ProgramRun, stack: string, count: number, added = 0): void {
  const former = formerUrns(stack);
  const resources = run.resources.filter((r) => r.type !== 'pulumi:pulumi:Stack');
  const fresh = resources.filter(isAdded);
  const mapping = mapFormerUrns({ ...run, resources: resources.filter((r) => !isAdded(r)) }, former);
  expect(former).toHaveLength(count);
  expect(mapping.lost).toEqual([]);
  expect([...mapping.reachedBy].filter(([, by]) => by.length > 1)).toEqual([]);
  expect(mapping.dangling).toEqual([]);
  expect(mapping.selfAliased).toEqual([]);
  expect(mapping.renamed).toBeGreaterThan(count / 2);
  expect(resources).toHaveLength(count + added);
  expect(fresh).toHaveLength(added);
  const known = new Set(former);
  expect(fresh.filter((r) => [r.urn, ...(r.aliases ?? [])].some((u) => known.has(u))).map((r) => r.urn)).toEqual([]);
}

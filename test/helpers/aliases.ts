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
 * Asserts that `run` keeps every URN the stack held before #14 (`test/fixtures/urns/<stack>.json`):
 * each reached once, no alias pointing elsewhere or at itself, as many resources as before, and most
 * of them renamed (children named from their component) and kept by an alias.
 */
export function expectFormerUrnsKept(run: ProgramRun, stack: string, count: number): void {
  const former = formerUrns(stack);
  const mapping = mapFormerUrns(run, former);
  expect(former).toHaveLength(count);
  expect(mapping.lost).toEqual([]);
  expect([...mapping.reachedBy].filter(([, by]) => by.length > 1)).toEqual([]);
  expect(mapping.dangling).toEqual([]);
  expect(mapping.selfAliased).toEqual([]);
  expect(mapping.renamed).toBeGreaterThan(count / 2);
  expect(run.resources.filter((r) => r.type !== 'pulumi:pulumi:Stack')).toHaveLength(count);
}

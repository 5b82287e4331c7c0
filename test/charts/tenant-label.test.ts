/* eslint-disable @typescript-eslint/no-explicit-any -- synthesized manifests are untyped JSON queried field by field */
/** One tenant label for the whole platform: the key the tenant's Namespace carries, on every object made for the tenant. */
import * as path from 'node:path';
import { TENANT_LABEL } from '@eks-platform-blueprint/constructs';
import { parseStackConfig, readStackConfigFileRaw } from '../../lib/config/load';
import { REPO_ROOT } from '../../lib/stack';
import { selectorMatches } from '../../lib/policy/match';
import { placeholderInputs, synthesizePlatform } from '../../charts';

/** Every label selector in an object (matchLabels / matchExpressions maps anywhere in it). */
function selectors(value: unknown, out: any[] = []): any[] {
  if (Array.isArray(value)) for (const v of value) selectors(v, out);
  else if (value && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    if (o.matchLabels !== undefined || o.matchExpressions !== undefined) out.push(o);
    for (const v of Object.values(o)) selectors(v, out);
  }
  return out;
}

describe.each(['dev', 'prod'] as const)('GIVEN the %s stack', (stack) => {
  const config = parseStackConfig(readStackConfigFileRaw(path.join(REPO_ROOT, `Pulumi.${stack}.yaml`)), `Pulumi.${stack}.yaml`);
  const all = synthesizePlatform(config, placeholderInputs(config), { stack }).charts.flatMap((c) => c.objects as any[]);
  const tenantNamespaces = all.filter((o) => o.kind === 'Namespace' && config.tenants.some((t) => t.name === o.metadata.name));

  it('THEN the tenant label is the one the tenant namespaces carry (the construct library\'s TENANT_LABEL)', () => {
    expect(tenantNamespaces.length).toBe(config.tenants.length);
    for (const ns of tenantNamespaces) {
      const keys = Object.entries(ns.metadata.labels as Record<string, string>).filter(([k, v]) => v === ns.metadata.name && k !== 'kubernetes.io/metadata.name').map(([k]) => k);
      expect(keys).toEqual([TENANT_LABEL]);
    }
  });

  it('THEN no object carries, and no selector names, any other tenant label', () => {
    const labelKeys = new Set(all.flatMap((o) => Object.keys(o.metadata.labels ?? {})).filter((k) => /(^|\/)tenant$/.test(k)));
    expect([...labelKeys]).toEqual([TENANT_LABEL]);
    const selectorKeys = all.flatMap((o) => selectors(o)).flatMap((s) => [...Object.keys(s.matchLabels ?? {}), ...(s.matchExpressions ?? []).map((e: any) => e.key)]);
    expect(selectorKeys.filter((k) => /(^|\/)tenant$/.test(k) && k !== TENANT_LABEL)).toEqual([]);
  });

  it('THEN selecting a tenant by that label finds its namespace objects and its IngressClasses and their params', () => {
    const tenant = config.tenants.find((t) => t.ingress)!;
    const selected = all.filter((o) => selectorMatches({ matchLabels: { [TENANT_LABEL]: tenant.name } }, o.metadata.labels ?? {}));
    const kinds = new Set(selected.map((o) => o.kind));
    for (const kind of ['Namespace', 'ResourceQuota', 'Role', 'RoleBinding', 'IngressClass', 'IngressClassParams']) expect(kinds).toContain(kind);
    const classes = all.filter((o) => o.kind === 'IngressClass' && o.spec.parameters.name.endsWith(`-${tenant.name}`));
    expect(classes.length).toBeGreaterThan(0);
    expect(classes.every((c) => selected.includes(c))).toBe(true);
  });
});

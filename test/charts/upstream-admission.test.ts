/**
 * The add-on namespaces are checked: every workload the pinned charts render with the platform's values
 * (test/charts/upstream), as the workload object Helm applies and as the Pod it creates, passes the
 * Gatekeeper constraints each stack deploys; every workload exemption (charts/gatekeeper/exemptions.ts)
 * is one they need; and the registries the stack allows for the add-ons (charts/gatekeeper/registries.ts)
 * are exactly the repositories they pull from.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { stringify } from 'yaml';
import { parseStackConfig } from '../../lib/config/load';
import type { PlatformConfig } from '../../model/config';
import { stackConstraints } from '../../charts/gatekeeper/chart';
import { ADDON_IMAGES } from '../../charts/gatekeeper/registries';
import { UPSTREAM_EXEMPTIONS } from '../../charts/gatekeeper/exemptions';
import { POLICY_EXEMPT_NAMESPACES } from '../../charts/namespaces';
import { checkManifests, policiesFor } from '../../lib/policy/check';
import { loadPolicyLibrary } from '../../lib/policy/library';
import { stackConfig } from '../helpers/pulumi';
import { mergeValues, podOf, renderReleases, workloadOf } from './upstream';

type Obj = Record<string, unknown>;
const config = (stack: 'dev' | 'prod'): PlatformConfig => parseStackConfig(stackConfig(stack), `Pulumi.${stack}.yaml`);
const library = loadPolicyLibrary();

/** Every object admission reviews for the stack's releases outside the namespaces no constraint covers: each workload and its Pod. */
function reviewed(c: PlatformConfig): { release: string; object: Obj }[] {
  return renderReleases(c).flatMap((r) =>
    r.workloads
      .map((w) => ({ w, ns: w.namespace ?? r.release.namespace }))
      .filter(({ ns }) => !(POLICY_EXEMPT_NAMESPACES as readonly string[]).includes(ns))
      .flatMap(({ w, ns }) => [workloadOf(w, ns), podOf(w, ns)].map((object) => ({ release: r.release.name, object }))),
  );
}

/** The stack's constraints, optionally without their exemptions. */
function policies(c: PlatformConfig, withExemptions = true) {
  const constraints = stackConstraints(c, library).map((k) => {
    if (withExemptions) return k;
    const copy = structuredClone(k) as { spec: { parameters?: Obj } };
    if (copy.spec.parameters) delete copy.spec.parameters.exemptions;
    return copy as Obj;
  });
  return policiesFor([], { stackConstraints: { where: 'test', constraints } });
}

const nameOf = (o: Obj): string => `${String(o.kind)}/${String((o.metadata as Obj).name)}`;

function violations(c: PlatformConfig, withExemptions = true): string[] {
  const set = policies(c, withExemptions);
  return reviewed(c).flatMap(({ object }) => set.review({ object, operation: 'CREATE' }).map((v) => `${nameOf(object)}: ${v.constraint}`));
}

describe('upstream workloads in the add-on namespaces', () => {
  it.each(['dev', 'prod'] as const)('GIVEN %s THEN every workload the charts render, and its Pod, passes the constraints the stack deploys', (stack) => {
    const objects = reviewed(config(stack));
    // Every release but Gatekeeper's (gatekeeper-system is exempt): 21 workloads in dev, 22 in prod (Argo CD's Redis HA
    // StatefulSet and HAProxy for its single Redis), each with its Pod.
    expect(objects.length).toBe(stack === 'prod' ? 44 : 42);
    expect(violations(config(stack))).toEqual([]);
  });

  it('GIVEN prod without the workload exemptions THEN exactly the exempted workloads violate exactly the policies they are exempted from (each exemption is needed)', () => {
    expect(violations(config('prod'), false).sort()).toEqual([
      'DaemonSet/kube-prometheus-stack-prometheus-node-exporter: host-namespaces',
      'DaemonSet/kube-prometheus-stack-prometheus-node-exporter: volume-types',
      'Deployment/argocd-redis-ha-haproxy: required-labels',
      'Deployment/kube-prometheus-stack-grafana: read-only-root-filesystem',
      'Pod/kube-prometheus-stack-grafana: read-only-root-filesystem',
      'Pod/kube-prometheus-stack-prometheus-node-exporter: host-namespaces',
      'Pod/kube-prometheus-stack-prometheus-node-exporter: host-ports',
      'Pod/kube-prometheus-stack-prometheus-node-exporter: volume-types',
      'StatefulSet/argocd-redis-ha-server: required-labels',
    ]);
    const workloadExemptions = UPSTREAM_EXEMPTIONS.filter((e) => e.entry.namespace !== undefined).map((e) => e.constraint).sort();
    expect(workloadExemptions).toEqual(['host-namespaces', 'host-ports', 'read-only-root-filesystem', 'required-labels', 'volume-types']);
  });

  it('GIVEN the rendered objects of prod in a file WHEN checked with the prod constraints THEN no violation, and each workload exemption counts the objects it skipped', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'upstream-'));
    try {
      const c = config('prod');
      const file = path.join(dir, 'upstream.yaml');
      fs.writeFileSync(file, reviewed(c).map((o) => stringify(o.object)).join('---\n'));
      const result = checkManifests([file], { stackConstraints: { where: 'prod', constraints: stackConstraints(c, library) } });
      expect(result.violations).toEqual([]);
      const counts = result.exemptions.filter((e) => e.exemption.namespace !== '').map((e) => [e.constraint, e.skipped]);
      // node-exporter's DaemonSet and Pod, Grafana's Deployment and Pod, the two redis-ha objects.
      expect(counts.sort()).toEqual([
        ['host-namespaces', 2],
        ['host-ports', 2],
        ['read-only-root-filesystem', 2],
        ['required-labels', 2],
        ['volume-types', 2],
      ]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("GIVEN the images the releases' pods pull in dev and prod THEN each release's allowed repositories are exactly those (no registry allowed that nothing pulls from)", () => {
    const pulled = new Map<string, Set<string>>();
    for (const stack of ['dev', 'prod'] as const) {
      for (const { release, object } of reviewed(config(stack))) {
        if (object.kind !== 'Pod') continue;
        const spec = object.spec as { containers: { image: string }[]; initContainers?: { image: string }[] };
        const set = pulled.get(release) ?? new Set<string>();
        for (const c of [...spec.containers, ...(spec.initContainers ?? [])]) set.add(c.image.replace(/@.*$/, '').replace(/:[^/]*$/, ''));
        pulled.set(release, set);
      }
    }
    expect(Object.fromEntries([...pulled].map(([release, images]) => [release, [...images].sort()]))).toEqual(Object.fromEntries(ADDON_IMAGES.map((a) => [a.release, [...a.images].sort()])));
  });

  it("GIVEN Helm's value merge THEN maps merge key by key, anything else (lists included) replaces, null deletes, and an absent layer changes nothing", () => {
    expect(mergeValues({ a: 1, b: { c: 2, d: 3 }, l: [1] }, { b: { c: 9 }, l: [2], e: 5 })).toEqual({ a: 1, b: { c: 9, d: 3 }, l: [2], e: 5 });
    expect(mergeValues({ a: 1, b: { c: 2 } }, { b: { c: null } })).toEqual({ a: 1, b: {} });
    expect(mergeValues({ a: 1 }, undefined)).toEqual({ a: 1 });
  });
});

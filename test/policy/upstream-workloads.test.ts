/**
 * The add-on namespaces are checked: the upstream charts' workloads, rendered from their pinned
 * templates with our values (charts/gatekeeper/upstream-workloads.ts), pass the constraints each
 * stack deploys, and every workload exemption is one they need.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { stringify } from 'yaml';
import { parseStackConfig, type PlatformConfig } from '../../infra/config';
import { placeholderInputs } from '../../charts/inputs';
import { stackConstraints } from '../../charts/gatekeeper/chart';
import { UPSTREAM_EXEMPTIONS } from '../../charts/gatekeeper/exemptions';
import { helmMerge, upstreamWorkloads } from '../../charts/gatekeeper/upstream-workloads';
import { ARGOCD_CHART, EXTERNAL_SECRETS_CHART, KARPENTER_CHART, KUBE_PROMETHEUS_STACK_CHART } from '../../charts/versions';
import { checkManifests, policiesFor } from '../../lib/policy/check';
import { loadPolicyLibrary } from '../../lib/policy/library';
import { stackConfig } from '../helpers/pulumi';

type Obj = Record<string, unknown>;
const config = (stack: 'dev' | 'prod'): PlatformConfig => parseStackConfig(stackConfig(stack), `Pulumi.${stack}.yaml`);
const library = loadPolicyLibrary();
const nameOf = (o: Obj): string => String((o.metadata as Obj).name ?? `${(o.metadata as Obj).generateName as string}*`);

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

const violations = (c: PlatformConfig, withExemptions = true): string[] => {
  const set = policies(c, withExemptions);
  return upstreamWorkloads(c, placeholderInputs(c)).flatMap((w) => set.review({ object: w.object, operation: 'CREATE' }).map((v) => `${String(w.object.kind)}/${nameOf(w.object)}: ${v.constraint}`));
};

describe('upstream workloads in the add-on namespaces', () => {
  it('GIVEN the rendered workloads THEN each was read at the pinned chart version', () => {
    const pins = new Set([`v${KARPENTER_CHART.version}`, `helm-chart-${EXTERNAL_SECRETS_CHART.version}`, `argo-cd-${ARGOCD_CHART.version}`, `kube-prometheus-stack-${KUBE_PROMETHEUS_STACK_CHART.version}`]);
    const rendered = upstreamWorkloads(config('prod'), placeholderInputs(config('prod')));
    expect(rendered.length).toBeGreaterThanOrEqual(12);
    for (const w of rendered) expect([nameOf(w.object), pins.has(w.readAt)]).toEqual([nameOf(w.object), true]);
  });

  it.each(['dev', 'prod'] as const)('GIVEN %s THEN every rendered upstream workload passes the constraints the stack deploys', (stack) => {
    expect(violations(config(stack))).toEqual([]);
  });

  it('GIVEN prod without the workload exemptions THEN node-exporter violates exactly the policies it is exempted from (each exemption is needed)', () => {
    expect(violations(config('prod'), false).sort()).toEqual([
      'DaemonSet/kube-prometheus-stack-prometheus-node-exporter: host-namespaces',
      'DaemonSet/kube-prometheus-stack-prometheus-node-exporter: volume-types',
      'Deployment/argocd-redis-ha-haproxy: required-labels',
      'Deployment/kube-prometheus-stack-grafana: read-only-root-filesystem',
      'Pod/kube-prometheus-stack-prometheus-node-exporter-*: host-namespaces',
      'Pod/kube-prometheus-stack-prometheus-node-exporter-*: host-ports',
      'Pod/kube-prometheus-stack-prometheus-node-exporter-*: volume-types',
      'StatefulSet/argocd-redis-ha-server: required-labels',
    ]);
    const workloadExemptions = UPSTREAM_EXEMPTIONS.filter((e) => e.entry.namespace !== undefined).map((e) => e.constraint).sort();
    expect(workloadExemptions).toEqual(['host-namespaces', 'host-ports', 'read-only-root-filesystem', 'required-labels', 'volume-types']);
  });

  it('GIVEN the rendered workloads of prod in a file WHEN checked with the prod constraints THEN no violation, and each workload exemption counts the objects it skipped', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'upstream-'));
    try {
      const c = config('prod');
      const file = path.join(dir, 'upstream.yaml');
      fs.writeFileSync(file, upstreamWorkloads(c, placeholderInputs(c)).map((w) => stringify(w.object)).join('---\n'));
      const result = checkManifests([file], { stackConstraints: { where: 'prod', constraints: stackConstraints(c, library) } });
      expect(result.violations).toEqual([]);
      const counts = result.exemptions.filter((e) => e.exemption.namespace !== '').map((e) => [e.constraint, e.skipped]);
      expect(counts.sort()).toEqual([
        ['host-namespaces', 2],
        ['host-ports', 2],
        ['read-only-root-filesystem', 1],
        ['required-labels', 2],
        ['volume-types', 2],
      ]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("GIVEN Helm's value merge THEN maps merge key by key and anything else replaces", () => {
    expect(helmMerge({ a: 1, b: { c: 2, d: 3 }, l: [1] }, { b: { c: 9 }, l: [2], e: 5 })).toEqual({ a: 1, b: { c: 9, d: 3 }, l: [2], e: 5 });
    expect(helmMerge({ a: 1 }, undefined)).toEqual({ a: 1 });
  });
});

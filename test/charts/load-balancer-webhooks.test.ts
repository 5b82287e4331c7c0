/* eslint-disable @typescript-eslint/no-explicit-any -- synthesized manifests are untyped JSON queried field by field */
/**
 * The AWS Load Balancer Controller's mutating webhooks, rendered from the platform's values by the model
 * of the pinned chart (test/charts/upstream/aws-load-balancer-controller.ts, templates/webhook.yaml at
 * v3.5.0): which Pods and Services of the cluster must wait for the controller to admit them.
 */
import * as path from 'node:path';
import { parseStackConfig, readStackConfigFileRaw } from '../../lib/config/load';
import { REPO_ROOT } from '../../lib/stack';
import { selectorMatches } from '../../lib/policy/match';
import { LOAD_BALANCER_CONTROLLER_RELEASE, placeholderInputs, synthesizePlatform } from '../../charts';
import { loadBalancerControllerMutatingWebhooks, type MutatingWebhookModel } from './upstream/aws-load-balancer-controller';

/** Namespaces Kubernetes and EKS create: only the label every namespace gets (kubernetes.io/metadata.name). */
const BUILT_IN = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];

const matches = (hook: MutatingWebhookModel, resource: string, namespaceLabels: Record<string, string>, objectLabels: Record<string, string>) =>
  hook.resources.includes(resource) &&
  (hook.namespaceSelector === undefined || selectorMatches(hook.namespaceSelector as any, namespaceLabels)) &&
  selectorMatches(hook.objectSelector as any, objectLabels);

describe.each(['dev', 'prod'] as const)('GIVEN the %s stack with tenant ingress', (stack) => {
  const config = parseStackConfig(readStackConfigFileRaw(path.join(REPO_ROOT, `Pulumi.${stack}.yaml`)), `Pulumi.${stack}.yaml`);
  const result = synthesizePlatform(config, placeholderInputs(config), { stack });
  const values = result.helmValues[LOAD_BALANCER_CONTROLLER_RELEASE];
  const hooks = loadBalancerControllerMutatingWebhooks(values);
  const namespaces = new Map<string, Record<string, string>>(BUILT_IN.map((n) => [n, { 'kubernetes.io/metadata.name': n }]));
  for (const o of result.charts.flatMap((c) => c.objects as any[]).filter((x) => x.kind === 'Namespace')) {
    namespaces.set(o.metadata.name, { ...(o.metadata.labels ?? {}), 'kubernetes.io/metadata.name': o.metadata.name });
  }
  // What any release or tenant creates: a workload's own labels, none of the controller's opt-in labels.
  const ordinary = { 'app.kubernetes.io/name': 'web', 'app.kubernetes.io/instance': 'web' };

  it('THEN no webhook that fails closed admits an ordinary Service or Pod in any namespace: nothing waits for the controller to be ready', () => {
    expect(namespaces.size).toBeGreaterThan(8);
    const closed = hooks.filter((h) => h.failurePolicy === 'Fail');
    const blocking = [...namespaces].flatMap(([ns, labels]) =>
      closed.flatMap((h) => ['services', 'pods'].filter((r) => matches(h, r, labels, ordinary)).map((r) => `${h.name} ${r} in ${ns}`)),
    );
    expect(blocking).toEqual([]);
    // The Service mutator (mservice: every Service of type LoadBalancer gets the controller's class) is off.
    expect(hooks.map((h) => h.name)).not.toContain('mservice.elbv2.k8s.aws');
  });

  it('THEN with the chart defaults the Service mutator would fail closed on every Service of every namespace (what turning it off removes)', () => {
    const { enableServiceMutatorWebhook: _off, ...withDefault } = values as Record<string, unknown>;
    const mservice = loadBalancerControllerMutatingWebhooks(withDefault).find((h) => h.name === 'mservice.elbv2.k8s.aws')!;
    expect(mservice.failurePolicy).toBe('Fail');
    for (const labels of namespaces.values()) expect(matches(mservice, 'services', labels, ordinary)).toBe(true);
  });

  it('THEN the pod readiness-gate webhook (mpod) stays, fails open, and serves exactly the tenant namespaces with ingress', () => {
    const mpod = hooks.find((h) => h.name === 'mpod.elbv2.k8s.aws')!;
    expect(mpod.failurePolicy).toBe('Ignore');
    const served = [...namespaces].filter(([, labels]) => matches(mpod, 'pods', labels, ordinary)).map(([ns]) => ns).sort();
    expect(served).toEqual(config.tenants.filter((t) => t.ingress).map((t) => t.name).sort());
    // The controller's own pods are never sent to it.
    expect(matches(mpod, 'pods', namespaces.get(served[0])!, { 'app.kubernetes.io/name': LOAD_BALANCER_CONTROLLER_RELEASE })).toBe(false);
  });
});

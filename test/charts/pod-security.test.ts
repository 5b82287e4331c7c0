/**
 * Pod Security admission, per Helm release: every pod each upstream chart renders with the
 * platform's values (test/charts/upstream: models read off the pinned charts) is evaluated with the
 * policy engine of `platform check` against the Pod Security level its namespace enforces (the base
 * chart's `pod-security.kubernetes.io/enforce` label).
 */
import * as path from 'node:path';
import { type PlatformConfig } from '../../model/config';
import { readStackConfigFile } from '../../lib/config/load';
import { REPO_ROOT } from '../../lib/stack';
import { loadPolicyLibrary } from '../../lib/policy/library';
import { PolicySet } from '../../lib/policy/policy-set';
import { NAMESPACES, synthesizePlatform, placeholderInputs } from '../../charts';
import { CHART_MODELS, renderReleases, mergeValues, podOf, type WorkloadModel } from './upstream';
import { karpenterModel, KARPENTER_DEFAULTS, KARPENTER_1_5_0_POD_SECURITY_CONTEXT } from './upstream/karpenter';
import { x509ExporterModel } from './upstream/x509-certificate-exporter';

type Obj = Record<string, unknown>;
type Level = 'privileged' | 'baseline' | 'restricted';

/**
 * The library policies that implement a Pod Security Standards check, by the level of that check
 * (kubernetes/pod-security-admission v0.37.0-alpha.2 policy/check_*.go, each check's `Level`;
 * host-probes is check_hostProbesAndhostLifecycle.go, baseline from v1.34).
 * - restricted: every check of both levels.
 * - baseline: only the library policies whose rule is the baseline one. capabilities, seccomp and
 *   volume-types implement the restricted variants (drop ALL; RuntimeDefault or Localhost; restricted
 *   volume types), stricter than baseline, and allow-privilege-escalation and run-as-non-root are
 *   restricted only. No platform namespace enforces baseline (asserted below), so this subset is
 *   never what admits a platform pod.
 */
const PSS_POLICIES: Readonly<Record<Exclude<Level, 'privileged'>, readonly string[]>> = {
  restricted: [
    'allow-privilege-escalation', 'apparmor', 'capabilities', 'host-namespaces', 'host-ports', 'host-probes', 'privileged-containers', 'proc-mount',
    'run-as-non-root', 'seccomp', 'selinux', 'sysctls', 'volume-types', 'windows-host-process',
  ],
  baseline: ['apparmor', 'host-namespaces', 'host-ports', 'host-probes', 'privileged-containers', 'proc-mount', 'selinux', 'sysctls', 'windows-host-process'],
};

/**
 * The library's templates with one constraint per Pod Security policy of `level`, matching every
 * namespace: admission checks the namespace's level, never the platform's Gatekeeper exclusions or
 * per-workload exemptions (those decide what Gatekeeper reviews, not what Pod Security admits).
 */
function podSecurityPolicies(level: Exclude<Level, 'privileged'>): PolicySet {
  const library = loadPolicyLibrary();
  const wanted = new Set(PSS_POLICIES[level]);
  const constraints = library.constraints
    .filter((c) => wanted.has(String((c.metadata as Obj).name)))
    .map((c) => {
      const copy = structuredClone(c) as { spec: { enforcementAction?: string; match?: Obj; parameters?: Obj } };
      copy.spec.enforcementAction = 'deny';
      if (copy.spec.match) for (const k of ['excludedNamespaces', 'namespaces', 'namespaceSelector', 'labelSelector']) delete copy.spec.match[k];
      if (copy.spec.parameters) delete copy.spec.parameters.exemptions;
      return { object: copy as Obj, where: `policies/${String((c.metadata as Obj).name)}` };
    });
  expect(constraints.map((c) => c.where.slice('policies/'.length)).sort()).toEqual([...wanted].sort());
  return new PolicySet(library.templates.map((t) => ({ object: t, where: 'policies' })), constraints);
}

const POLICIES = { restricted: podSecurityPolicies('restricted'), baseline: podSecurityPolicies('baseline') };

/** `<constraint>: <message>` for every Pod Security violation of the workload's pod at `level`. */
function violations(workload: WorkloadModel, namespace: string, level: Level): string[] {
  if (level === 'privileged') return [];
  const pod = podOf(workload, namespace);
  return POLICIES[level].review({ object: pod, operation: 'CREATE', namespaceObject: null }).map((v) => `${v.constraint}: ${v.message}`);
}

const configs: Record<'dev' | 'prod', PlatformConfig> = {
  dev: readStackConfigFile(path.join(REPO_ROOT, 'Pulumi.dev.yaml')),
  prod: readStackConfigFile(path.join(REPO_ROOT, 'Pulumi.prod.yaml')),
};

/**
 * What the stack's charts give admission: the namespaces the base chart creates with their enforced Pod
 * Security level, and the Gatekeeper templates and constraints the gatekeeper charts deploy (with the
 * stack's enforcement action and exempt namespaces).
 */
function admission(config: PlatformConfig) {
  const charts = synthesizePlatform(config, placeholderInputs(config)).charts;
  const objects = (id: string) => (charts.find((c) => c.id === id)?.objects ?? []) as Obj[];
  const namespaces = new Map<string, Obj>();
  const levels = new Map<string, Level>();
  for (const o of objects('base')) {
    if (o.kind !== 'Namespace') continue;
    const name = String((o.metadata as Obj).name);
    namespaces.set(name, o);
    levels.set(name, ((o.metadata as Obj).labels as Record<string, string>)['pod-security.kubernetes.io/enforce'] as Level);
  }
  const sourced = (id: string) => objects(id).map((object) => ({ object, where: id }));
  // The templates chart also holds Gatekeeper's sync Config.
  const gatekeeper = new PolicySet(sourced('gatekeeper-templates').filter((t) => t.object.kind === 'ConstraintTemplate'), sourced('gatekeeper-constraints'));
  return { namespaces, levels, gatekeeper };
}

describe.each(['dev', 'prod'] as const)('%s: Pod Security of every Helm release', (stack) => {
  const config = configs[stack];
  const rendered = renderReleases(config);
  const { namespaces, levels, gatekeeper } = admission(config);
  const pods = rendered.flatMap((r) => r.workloads.map((w) => ({ release: r.release.name, workload: w, namespace: w.namespace ?? r.release.namespace })));

  test('GIVEN the pinned charts WHEN modelled THEN each model is read at the pinned version and nothing it leaves out is switched on', () => {
    for (const r of rendered) {
      expect({ release: r.release.name, modelled: r.model.version }).toEqual({ release: r.release.name, modelled: r.release.pin.version });
      const on = r.model.unmodelled.filter((u) => u.when(r.values)).map((u) => u.source);
      expect({ release: r.release.name, on }).toEqual({ release: r.release.name, on: [] });
    }
  });

  test('GIVEN every release WHEN rendered THEN these are the pods it creates (hooks and operator-made StatefulSets included)', () => {
    const names = (release: string) => pods.filter((p) => p.release === release).map((p) => `${p.workload.kind}/${p.workload.name}`).sort();
    expect(names('gatekeeper')).toEqual(['Deployment/gatekeeper-audit', 'Deployment/gatekeeper-controller-manager', 'Job/gatekeeper-probe-webhook-post-install', 'Job/gatekeeper-update-crds-hook']);
    expect(names('karpenter')).toEqual(['Deployment/karpenter']);
    expect(names('aws-load-balancer-controller')).toEqual(['Deployment/aws-load-balancer-controller']);
    expect(names('external-dns')).toEqual(['Deployment/external-dns']);
    expect(names('x509-certificate-exporter')).toEqual(['Deployment/x509-certificate-exporter']);
    expect(names('external-secrets')).toEqual(['Deployment/external-secrets', 'Deployment/external-secrets-cert-controller', 'Deployment/external-secrets-webhook']);
    expect(names('argocd')).toEqual([
      'Deployment/argocd-applicationset-controller',
      ...(stack === 'prod' ? ['Deployment/argocd-redis-ha-haproxy'] : ['Deployment/argocd-redis']),
      'Deployment/argocd-repo-server',
      'Deployment/argocd-server',
      'Job/argocd-redis-secret-init',
      'StatefulSet/argocd-application-controller',
      ...(stack === 'prod' ? ['StatefulSet/argocd-redis-ha-server'] : []),
    ]);
    expect(names('kube-prometheus-stack')).toEqual([
      'DaemonSet/kube-prometheus-stack-prometheus-node-exporter',
      'Deployment/kube-prometheus-stack-grafana',
      'Deployment/kube-prometheus-stack-kube-state-metrics',
      'Deployment/kube-prometheus-stack-operator',
      'Job/kube-prometheus-stack-admission-create',
      'Job/kube-prometheus-stack-admission-patch',
      'StatefulSet/alertmanager-kube-prometheus-stack-alertmanager',
      'StatefulSet/prometheus-kube-prometheus-stack-prometheus',
    ]);
  });

  test('GIVEN the namespaces of the base chart THEN every add-on namespace enforces restricted, except node-exporter\'s, and none baseline', () => {
    for (const r of rendered) expect({ namespace: r.release.namespace, level: levels.get(r.release.namespace) }).toEqual({ namespace: r.release.namespace, level: 'restricted' });
    expect([...levels.values()]).not.toContain('baseline');
    const privileged = [...levels].filter(([, level]) => level === 'privileged').map(([ns]) => ns);
    expect(privileged).toEqual([NAMESPACES.nodeExporter]);
  });

  test('GIVEN every pod of every release WHEN admitted at its namespace\'s enforced level THEN Pod Security admits it', () => {
    const denied = pods.flatMap((p) => {
      const level = levels.get(p.namespace);
      if (level === undefined) return [`${p.namespace}/${p.workload.name}: namespace not created by the base chart`];
      return violations(p.workload, p.namespace, level).map((v) => `${p.namespace}/${p.workload.kind}/${p.workload.name}: ${v}`);
    });
    expect(denied).toEqual([]);
    expect(pods.filter((p) => levels.get(p.namespace) === 'restricted').length).toBeGreaterThanOrEqual(stack === 'prod' ? 23 : 21);
  });

  test('GIVEN the Gatekeeper constraints the stack deploys WHEN every release pod is reviewed in its namespace THEN none is violated, the ingress pods included', () => {
    const review = (pod: Obj, namespace: string) => gatekeeper.review({ object: pod, operation: 'CREATE', namespaceObject: namespaces.get(namespace) ?? null }).map((v) => `${v.constraint}: ${v.message}`);
    const flagged = pods.flatMap((p) => review(podOf(p.workload, p.namespace), p.namespace).map((v) => `${p.namespace}/${p.workload.name}: ${v}`));
    expect(flagged).toEqual([]);
    // The constraints do reach every add-on namespace but gatekeeper-system: the same pods from an image
    // outside the allowed registries are flagged.
    for (const release of ['aws-load-balancer-controller', 'external-dns', 'external-secrets', 'karpenter', 'kube-prometheus-stack', 'argocd', 'x509-certificate-exporter']) {
      const p = pods.find((x) => x.release === release)!;
      const pod = podOf(p.workload, p.namespace) as { spec: { containers: Obj[] } };
      pod.spec.containers[0] = { ...pod.spec.containers[0], image: 'docker.io/example/controller:1.0.0' };
      expect(review(pod, p.namespace).map((v) => v.slice(0, v.indexOf(':')))).toEqual(['allowed-registries']);
    }
    // The certificate exporter, in monitoring, keeps a read-only root filesystem and a memory limit.
    const exporter = pods.find((p) => p.release === 'x509-certificate-exporter')!.workload.pod.containers[0];
    expect([(exporter.securityContext ?? {}).readOnlyRootFilesystem, ((exporter.resources ?? {}).limits as Obj | undefined)?.memory]).toEqual([true, '150Mi']);
  });

  test('GIVEN the privileged namespace WHEN its pods are judged at restricted (its audit and warn level) THEN node-exporter alone is there and it needs only host access', () => {
    const inPrivileged = pods.filter((p) => levels.get(p.namespace) === 'privileged');
    expect(inPrivileged.map((p) => p.workload.name)).toEqual(['kube-prometheus-stack-prometheus-node-exporter']);
    const warned = violations(inPrivileged[0].workload, inPrivileged[0].namespace, 'restricted').map((v) => v.slice(0, v.indexOf(':')));
    expect(warned.sort()).toEqual(['host-namespaces', 'host-ports', 'volume-types']);
  });
});

describe('the test can fail: chart defaults the values fix, and those they rely on', () => {
  const namespace = NAMESPACES.loadBalancerController;
  const bare = (release: string, user: Obj) => {
    const model = CHART_MODELS[release];
    return model.workloads(model.values(user), namespace);
  };

  test('GIVEN the load balancer controller\'s chart defaults alone WHEN admitted in its restricted namespace THEN they fall short of restricted, and Gatekeeper flags them too (the values are what fix it)', () => {
    const [pod] = bare('aws-load-balancer-controller', { clusterName: 'c' });
    expect(violations(pod, namespace, 'restricted').map((v) => v.slice(0, v.indexOf(':')))).toEqual(['capabilities', 'seccomp']);
    const { namespaces, gatekeeper } = admission(configs.prod);
    const flagged = gatekeeper.review({ object: podOf(pod, namespace), operation: 'CREATE', namespaceObject: namespaces.get(namespace) ?? null }).map((v) => v.constraint);
    expect(flagged).toEqual(expect.arrayContaining(['capabilities', 'seccomp']));
  });

  test('GIVEN external-dns\'s and the certificate exporter\'s chart defaults alone THEN restricted admits them: their values leave the security contexts as they are', () => {
    const pods = [...bare('external-dns', {}), ...bare('x509-certificate-exporter', {})];
    expect(pods.map((p) => p.name)).toEqual(['external-dns', 'x509-certificate-exporter']);
    for (const p of pods) expect({ pod: p.name, denied: violations(p, NAMESPACES.monitoring, 'restricted') }).toEqual({ pod: p.name, denied: [] });
  });

  test('GIVEN an upgrade from a 3.x certificate exporter chart WHEN the pre-upgrade migration Job renders THEN restricted admits it, and it names no node group (the template renders no placement)', () => {
    const model = x509ExporterModel({ upgradingFrom: '3.19.1' });
    const job = model.workloads(model.values({}), NAMESPACES.monitoring).find((w) => w.kind === 'Job');
    expect(job).toMatchObject({ name: 'x509-certificate-exporter-pre-upgrade', hook: 'pre-upgrade' });
    expect(violations(job!, NAMESPACES.monitoring, 'restricted')).toEqual([]);
    expect([job!.pod.nodeSelector, job!.pod.tolerations]).toEqual([undefined, undefined]);
    // The platform has only ever pinned 4.2.0: its own upgrades render no Job.
    expect(x509ExporterModel({ upgradingFrom: '4.2.0' }).workloads(model.values({}), NAMESPACES.monitoring).map((w) => w.kind)).toEqual(['Deployment']);
  });
});

describe('the test can fail: Karpenter with the 1.5.0 chart default', () => {
  // The values the platform set before it gave Karpenter its own pod security context.
  const previousValues = (v: Obj): Obj => {
    const { podSecurityContext: _ours, ...rest } = v;
    return rest;
  };
  const karpenter = renderReleases(configs.prod).find((r) => r.release.name === 'karpenter');
  const ours = karpenter?.release.values(configs.prod, placeholderInputs(configs.prod)) ?? {};
  const chart150 = karpenterModel(mergeValues(KARPENTER_DEFAULTS, { podSecurityContext: KARPENTER_1_5_0_POD_SECURITY_CONTEXT }));

  test('GIVEN chart 1.5.0\'s `podSecurityContext.runAsNonRoot: false` and values that leave it alone WHEN admitted in the restricted karpenter namespace THEN the pod is denied', () => {
    const [pod] = chart150.workloads(chart150.values(previousValues(ours)), NAMESPACES.karpenter);
    expect(violations(pod, NAMESPACES.karpenter, 'restricted')).toEqual(['run-as-non-root: the pod must not set securityContext.runAsNonRoot: false']);
  });

  test('GIVEN the same chart default WHEN the platform\'s values set the pod security context THEN the pod is admitted', () => {
    const [pod] = chart150.workloads(chart150.values(ours), NAMESPACES.karpenter);
    expect(pod.pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 65532, seccompProfile: { type: 'RuntimeDefault' } });
    expect(violations(pod, NAMESPACES.karpenter, 'restricted')).toEqual([]);
  });
});

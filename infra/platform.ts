/**
 * The in-cluster half of `pulumi up`: a Kubernetes provider for the new cluster, the upstream
 * add-ons as Helm releases, and the synthesized cdk8s objects of charts/, applied in the order a
 * real cluster needs.
 *
 * Order (every edge is an explicit `dependsOn`, visible in the plan):
 *   1. namespaces (Pod Security labels) and CRDs of our own; the Gatekeeper ignore label on the
 *      control plane's existing namespaces (a server-side-apply patch of their labels)
 *   2. the rest of the base chart: StorageClass, ServiceAccounts bound to AWS identities
 *   3. Helm releases (they bring the CRDs of Gatekeeper, Karpenter, Prometheus, External Secrets, Argo CD);
 *      with Gatekeeper's webhook failing closed, Gatekeeper's first (releasesBefore). No release
 *      waits for Karpenter: what a release waits for runs on the system nodes (charts/placement.ts)
 *   4. each chart's objects, after the releases whose CRDs they use (ConstraintTemplates among them);
 *      a chart with Ingresses also after the load balancer controller and the IngressClasses
 *   5. Gatekeeper constraints last, so enforcement cannot block the platform's own bootstrap
 *
 * Helm resource type: `helm.v3.Release`, deliberately. A Release keeps Helm's semantics (CRDs from
 * the chart's crds/ folder, hooks such as Gatekeeper's CRD upgrade job, atomic upgrade with rollback,
 * `helm history` on the cluster) that the upstream charts are tested with. Auditors still see every
 * change: the release's `values` and `version` diff in `pulumi preview`, and the rendered objects of
 * our own charts diff one by one.
 *
 * Values from AWS (role ARNs, the interruption queue, the EBS key, the endpoint) reach the objects as
 * Pulumi outputs: the charts are synthesized with the deterministic placeholders of
 * charts/inputs.ts, then each placeholder is swapped for the output it stands for. The objects stay
 * plain (known at preview time), and every object that mentions a role depends on that role.
 */
import * as pulumi from '@pulumi/pulumi';
import { Release, type ReleaseArgs } from '@pulumi/kubernetes/helm/v3/release';
import { Provider } from '@pulumi/kubernetes/provider';
import { NamespacePatch } from '@pulumi/kubernetes/core/v1/namespacePatch';
import {
  CONTROL_PLANE_NAMESPACES,
  GATEKEEPER_IGNORE_LABEL,
  HELM_RELEASES,
  admissionReleases,
  LOAD_BALANCER_CONTROLLER_RELEASE,
  placeholderInputs,
  platformObjects,
  releaseDefining,
  type AwsInputs,
  type HelmRelease,
  type PlatformObjects,
} from '../charts';
import type { KubeObject } from '../lib/schema';
import type { PlatformConfig } from '../model/config';
import { childOptions } from './component';
import { KubernetesObjects } from './kubernetes-objects';

/** Kinds applied before anything else: the containers other objects live in or are typed by. */
const FOUNDATION_KINDS = new Set(['Namespace', 'CustomResourceDefinition']);

/** AWS values the charts need, as outputs of the infrastructure. Keys match AwsInputs. */
export type AwsOutputs = { readonly [K in keyof AwsInputs]?: pulumi.Input<string> };

export interface PlatformDeploymentArgs {
  readonly config: PlatformConfig;
  /** Stack name (names the GitOps path `dist/<stack>`). */
  readonly stack: string;
  /** kubeconfig authenticating with `aws eks get-token` (never a static token). */
  readonly kubeconfig: pulumi.Input<string>;
  /** The infrastructure's outputs that replace the offline placeholders. */
  readonly aws: AwsOutputs;
  /** What must exist before any object is applied: node group, CNI, CoreDNS, Pod Identity associations. */
  readonly clusterReady: pulumi.Input<pulumi.Resource>[];
  /**
   * Told the stack's synthesized objects (with the offline placeholders, as `platform synth` renders
   * them), so `platform plan --out` writes them without synthesizing twice. @default nobody is told
   */
  readonly onSynthesized?: (objects: PlatformObjects) => void;
}

export class PlatformDeployment extends pulumi.ComponentResource {
  readonly provider: Provider;
  /** Helm releases by release name. */
  readonly releases: Readonly<Record<string, Release>>;
  /** Applied object groups by name (`namespaces`, then one per chart). */
  readonly groups: Readonly<Record<string, KubernetesObjects>>;

  constructor(name: string, args: PlatformDeploymentArgs, opts?: pulumi.ComponentResourceOptions) {
    super('platform:kubernetes:PlatformDeployment', name, {}, opts);
    const { config, stack } = args;
    const gitops = config.delivery.mode === 'gitops';
    const held = name === 'platform';
    const child = childOptions(this, held);

    this.provider = new Provider(
      `${name}-cluster`,
      { kubeconfig: args.kubeconfig, enableServerSideApply: true, deleteUnreachable: false },
      child('cluster', { dependsOn: args.clusterReady }),
    );

    const placeholders = placeholderInputs(config);
    const swap = outputSwapper(placeholders, args.aws);
    const synthesized = platformObjects(config, placeholders, { stack });
    args.onSynthesized?.(synthesized);

    // In GitOps mode Pulumi installs only Argo CD, its namespace and its app-of-apps; Argo CD syncs
    // the rest from git.
    const installed = HELM_RELEASES.filter((r) => synthesized.helmValues[r.name] !== undefined && (!gitops || r.name === 'argocd'));
    const charts = synthesized.charts.filter((c) => !gitops || c.id === 'argocd');
    const foundation = gitops
      ? synthesized.charts.flatMap((c) => c.objects).filter((o) => o.kind === 'Namespace' && installed.some((r) => r.namespace === o.metadata.name))
      : charts.flatMap((c) => c.objects.filter((o) => FOUNDATION_KINDS.has(o.kind)));

    const groups: Record<string, KubernetesObjects> = {};
    const group = (groupName: string, objects: KubeObject[], dependsOn: pulumi.Resource[]) => {
      const applied = new KubernetesObjects(
        `${name}-${groupName}`,
        { objects: objects.map((o) => swap(o) as Record<string, unknown>), provider: this.provider, dependsOn, formerName: held ? groupName : undefined },
        child(groupName),
      );
      groups[groupName] = applied;
      return applied;
    };

    const namespaces = group('namespaces', foundation, []);

    // Base objects (StorageClass, identity ServiceAccounts) come before the releases that use them.
    const base = charts.find((c) => c.id === 'base');
    const baseRest = base ? base.objects.filter((o) => !FOUNDATION_KINDS.has(o.kind)) : [];
    const baseGroup = baseRest.length > 0 ? group('base', baseRest, [namespaces]) : undefined;
    const beforeReleases = baseGroup ? [namespaces, baseGroup] : [namespaces];

    // EKS creates these namespaces: patch only their Gatekeeper label (server-side apply, field
    // manager of its own), before Gatekeeper's webhook exists, so a Gatekeeper outage can never block
    // node heartbeats or system pods (charts/namespaces.ts GATEKEEPER_IGNORE_LABEL).
    const ignored = config.addons.gatekeeper
      ? CONTROL_PLANE_NAMESPACES.map(
          (ns) =>
            // New with #13: no former name to alias.
            new NamespacePatch(`${name}-gatekeeper-ignore-${ns}`, { metadata: { name: ns, labels: { [GATEKEEPER_IGNORE_LABEL]: 'control-plane' } } }, child(undefined, { provider: this.provider })),
        )
      : [];

    // Secrets a release reads at install (kube-prometheus-stack's grafana.admin.existingSecret) are
    // written by External Secrets: the ExternalSecrets creating them, and the stores they read, go
    // after External Secrets' release (its CRDs and controller) and before the release reading them.
    const esoRelease = installed.find((r) => r.addon === 'externalSecrets');
    const releaseNamespaces = new Set(installed.filter((r) => r !== esoRelease).map((r) => r.namespace));
    const feeds = secretFeeds(charts.flatMap((c) => c.objects).filter((o) => o.kind !== 'ExternalSecret' || releaseNamespaces.has(o.metadata.namespace ?? '')));
    const releases: Record<string, Release> = {};
    const install = (release: HelmRelease, extra: pulumi.Resource[]) => {
      const admittedBy = releasesBefore(release, installed, synthesized.helmValues).map((n) => releases[n]);
      releases[release.name] = new Release(
        `${name}-${release.name}`,
        helmReleaseArgs(release, swap(synthesized.helmValues[release.name]) as pulumi.Inputs),
        child(release.name, { provider: this.provider, dependsOn: [...beforeReleases, ...(release.name === 'gatekeeper' ? ignored : []), ...admittedBy, ...extra] }),
      );
    };
    const fed = (release: HelmRelease) => esoRelease !== undefined && release !== esoRelease && feeds.consumers.some((o) => o.metadata.namespace === release.namespace);
    for (const release of installed.filter((r) => !fed(r))) install(release, []);
    let secretsGroup: KubernetesObjects | undefined;
    for (const release of installed.filter(fed)) {
      secretsGroup ??= group('secrets-for-releases', [...feeds.stores, ...feeds.consumers], [...beforeReleases, releases[esoRelease!.name]]);
      install(release, [secretsGroup]);
    }
    const early = new Set<KubeObject>(secretsGroup ? [...feeds.stores, ...feeds.consumers] : []);
    const admissionGate = admissionReleases(installed, synthesized.helmValues).map((n) => releases[n]);

    // A chart's objects wait for the releases that define their kinds.
    const releasesFor = (objects: KubeObject[]) => {
      const names = new Set(objects.map((o) => releaseDefining(o.apiVersion)?.name).filter((n): n is string => n !== undefined));
      // An ExternalSecret merging into a Secret (Argo CD's argocd-secret) waits for the release creating it.
      for (const o of objects.filter(mergesIntoChartSecret)) {
        const owner = installed.find((r) => r.namespace === o.metadata.namespace);
        if (owner) names.add(owner.name);
      }
      // An Ingress passes the load balancer controller's validating webhook, which fails closed
      // (helm/aws-load-balancer-controller/templates/webhook.yaml at v3.5.0: vingress.elbv2.k8s.aws,
      // webhookConfig.ingressValdationFailurePolicy Fail): it waits for the controller to run.
      if (objects.some((o) => o.kind === 'Ingress')) names.add(LOAD_BALANCER_CONTROLLER_RELEASE);
      return [...names].sort().filter((n) => releases[n]).map((n) => releases[n]);
    };

    const applied: pulumi.Resource[] = [namespaces, ...ignored, ...(baseGroup ? [baseGroup] : []), ...(secretsGroup ? [secretsGroup] : []), ...Object.values(releases)];
    let constraints: { id: string; objects: KubeObject[] } | undefined;
    for (const chart of charts) {
      if (chart.id === 'base') continue;
      const objects = chart.objects.filter((o) => !FOUNDATION_KINDS.has(o.kind) && !early.has(o));
      if (objects.length === 0) continue;
      if (chart.id === 'gatekeeper-constraints') {
        constraints = { id: chart.id, objects };
        continue;
      }
      // Objects Pulumi applies pass the same webhook as the releases' (see releasesBefore).
      // Ingresses name an IngressClass of the ingress chart: the class comes first.
      const classes = objects.some((o) => o.kind === 'Ingress') && groups.ingress ? [groups.ingress] : [];
      const after: pulumi.Resource[] = [namespaces, ...(baseGroup ? [baseGroup] : []), ...admissionGate, ...releasesFor(objects), ...classes];
      applied.push(group(chart.id, objects, after));
    }
    // Enforcement last: constraints wait for their templates and for everything else the platform applies.
    if (constraints) group(constraints.id, constraints.objects, applied);

    this.releases = releases;
    this.groups = groups;
    this.registerOutputs({ releases: Object.keys(releases), groups: Object.keys(groups) });
  }
}

/**
 * Releases `release` must wait for: those whose webhook fails closed (charts/releases.ts
 * admissionReleases, the decision Argo CD's sync waves share). An object another release sends before
 * Gatekeeper's pods are ready would be rejected and that release rolled back, so every other release
 * waits until Gatekeeper's release is done (Helm waits for its Deployments). Failing open (dev), the
 * releases install in parallel and none waits on another.
 */
export function releasesBefore(release: HelmRelease, installed: readonly HelmRelease[], values: Readonly<Record<string, Record<string, unknown>>>): string[] {
  return admissionReleases(installed, values).filter((name) => name !== release.name);
}

/**
 * ExternalSecrets that create their Secret (creationPolicy Owner, External Secrets' default) and the
 * secret stores they read: what a Helm release may name as an existing Secret at install. Those
 * with creationPolicy Merge write into a Secret a chart creates and come after that chart.
 */
export function secretFeeds(objects: readonly KubeObject[]): { stores: KubeObject[]; consumers: KubeObject[] } {
  const spec = (o: KubeObject) => ((o as { spec?: Record<string, unknown> }).spec ?? {}) as { target?: { creationPolicy?: string }; secretStoreRef?: { name?: string; kind?: string } };
  const consumers = objects.filter((o) => o.kind === 'ExternalSecret' && (spec(o).target?.creationPolicy ?? 'Owner') === 'Owner');
  const storeKey = (kind: string, namespace: string | undefined, name: string | undefined) => `${kind}/${kind === 'ClusterSecretStore' ? '' : (namespace ?? '')}/${name ?? ''}`;
  const wanted = new Set(consumers.map((o) => storeKey(spec(o).secretStoreRef?.kind ?? 'SecretStore', o.metadata.namespace, spec(o).secretStoreRef?.name)));
  const stores = objects.filter((o) => (o.kind === 'ClusterSecretStore' || o.kind === 'SecretStore') && wanted.has(storeKey(o.kind, o.metadata.namespace, o.metadata.name)));
  return { stores, consumers };
}

/** An ExternalSecret that writes into an existing Secret (creationPolicy Merge) instead of creating one. */
function mergesIntoChartSecret(o: KubeObject): boolean {
  return o.kind === 'ExternalSecret' && (o as { spec?: { target?: { creationPolicy?: string } } }).spec?.target?.creationPolicy === 'Merge';
}

/** Helm release arguments: the pinned chart, our values, Helm's safety settings. */
export function helmReleaseArgs(release: HelmRelease, values: pulumi.Inputs): ReleaseArgs {
  const { pin } = release;
  const oci = pin.repo.startsWith('oci://');
  return {
    name: release.name,
    namespace: release.namespace,
    chart: oci ? `${pin.repo}/${pin.chart}` : pin.chart,
    version: pin.version,
    ...(oci ? {} : { repositoryOpts: { repo: pin.repo } }),
    values,
    // Namespaces come from the base chart with their Pod Security labels.
    createNamespace: false,
    // A failed upgrade rolls back instead of leaving a half-upgraded add-on.
    atomic: true,
    cleanupOnFail: true,
    timeout: 900,
    maxHistory: 10,
  };
}

/**
 * Returns a function that walks a plain value and replaces every placeholder string (whole or part
 * of a string) with the output it stands for. Values with no placeholder come back unchanged.
 */
export function outputSwapper(placeholders: AwsInputs, outputs: AwsOutputs): (value: unknown) => unknown {
  const pairs = (Object.keys(outputs) as (keyof AwsInputs)[])
    .filter((key) => outputs[key] !== undefined && placeholders[key])
    .map((key) => [placeholders[key], outputs[key] as pulumi.Input<string>] as const)
    // Longest first, so a placeholder that contains another is matched whole.
    .sort(([a], [b]) => b.length - a.length);

  const swapString = (text: string): unknown => {
    const parts: pulumi.Input<string>[] = [];
    let rest = text;
    let swapped = false;
    while (rest.length > 0) {
      let best: { at: number; placeholder: string; output: pulumi.Input<string> } | undefined;
      for (const [placeholder, output] of pairs) {
        const at = rest.indexOf(placeholder);
        if (at >= 0 && (!best || at < best.at)) best = { at, placeholder, output };
      }
      if (!best) {
        parts.push(rest);
        break;
      }
      if (best.at > 0) parts.push(rest.slice(0, best.at));
      parts.push(best.output);
      swapped = true;
      rest = rest.slice(best.at + best.placeholder.length);
    }
    if (!swapped) return text;
    if (parts.length === 1) return parts[0];
    return pulumi.all(parts).apply((p) => p.join(''));
  };

  const walk = (value: unknown): unknown => {
    if (typeof value === 'string') return swapString(value);
    if (Array.isArray(value)) return value.map(walk);
    if (value && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, walk(v)]));
    }
    return value;
  };
  return walk;
}

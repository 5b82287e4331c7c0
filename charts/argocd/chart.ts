import { ApiObject, Chart } from 'cdk8s';
import type { Construct } from 'constructs';
import { NAMESPACES } from '../../model/namespaces';
import { PART_OF_LABEL, type PlatformChartProps } from '../context';
import { admissionReleases, enabledReleases, releaseDefining, type HelmRelease } from '../releases';
import type { KubeObject } from '../../lib/schema';

export const IN_CLUSTER = 'https://kubernetes.default.svc';

/** Default path of the synthesized manifests in the GitOps repository. */
export function deliveryPath(config: PlatformChartProps['config'], stack: string): string {
  return config.delivery.path ?? `dist/${stack}`;
}

export interface ArgoCdChartProps extends PlatformChartProps {
  readonly stack: string;
}

/**
 * Argo CD sync waves in GitOps mode: what Pulumi orders with `dependsOn` (infra/platform.ts),
 * Argo CD orders by wave. Namespaces first, then the base objects, the add-on whose admission webhook
 * fails closed (Gatekeeper in prod, admissionReleases), the other Helm add-ons (their CRDs), the
 * Gatekeeper templates, the other custom resources, then the add-ons whose pods need those objects to
 * become ready (`readyAfterChartObjects`: kube-prometheus-stack, on Karpenter's NodePools and reading an
 * ExternalSecret's Secret) and the objects of their kinds, and Gatekeeper constraints last.
 *
 * A wave starts only once every object of the waves before it is in sync and healthy
 * (argoproj/argo-cd v3.4.4 docs/user-guide/sync-waves.md, "Combining Sync waves and hooks": the first wave
 * to apply is the first with an object out of sync or unhealthy). For the
 * add-on Applications that holds only with the health check of application-health.ts in argocd-cm:
 * Argo CD >= 1.8 assesses no health for an Application by itself.
 */
export const SYNC_WAVES = {
  namespaces: -4,
  base: -3,
  admissionReleases: -2,
  helmReleases: -1,
  gatekeeperTemplates: 0,
  customResources: 1,
  lateReleases: 2,
  lateCustomResources: 3,
  gatekeeperConstraints: 4,
} as const;

export const SYNC_WAVE_ANNOTATION = 'argocd.argoproj.io/sync-wave';

/**
 * The object as Argo CD should sync it from git: annotated with its sync wave (unless it has one)
 * and, for kinds whose CRDs an earlier wave installs, told not to dry-run before they exist.
 */
export function forGitops(chartId: string, obj: KubeObject): KubeObject {
  const annotations: Record<string, string> = { ...((obj.metadata.annotations as Record<string, string> | undefined) ?? {}) };
  if (annotations[SYNC_WAVE_ANNOTATION] === undefined) {
    let wave: number = SYNC_WAVES.customResources;
    if (obj.kind === 'Namespace' || obj.kind === 'AppProject') wave = SYNC_WAVES.namespaces;
    else if (chartId === 'base') wave = SYNC_WAVES.base;
    else if (chartId === 'gatekeeper-templates') wave = SYNC_WAVES.gatekeeperTemplates;
    else if (chartId === 'gatekeeper-constraints') wave = SYNC_WAVES.gatekeeperConstraints;
    else if (releaseDefining(obj.apiVersion)?.readyAfterChartObjects) wave = SYNC_WAVES.lateCustomResources;
    annotations[SYNC_WAVE_ANNOTATION] = String(wave);
  }
  if (releaseDefining(obj.apiVersion) && obj.kind !== 'Application' && obj.kind !== 'AppProject') {
    annotations['argocd.argoproj.io/sync-options'] = 'SkipDryRunOnMissingResource=true';
  }
  return { ...obj, metadata: { ...obj.metadata, annotations } };
}

/**
 * Retries of a failed sync, on every Application the platform generates (field names:
 * argoproj/argo-cd v3.4.4 docs/operator-manual/application.yaml `syncPolicy.retry`). Without it an
 * automated sync retries 5 times (controller/appcontroller.go autoSync: `RetryStrategy{Limit: 5}`)
 * 5 s apart doubling (pkg/apis/application/v1alpha1/application_defaults.go: 5 s, factor 2, at most
 * 3 min): about 2.5 minutes, less than a first bootstrap takes for an add-on whose webhook, CRDs or
 * nodes another add-on brings. A negative limit would retry forever and hide a broken release; this
 * retries for about 20 minutes (10 s, 20 s, ... capped at 3 min, 10 attempts), then the Application
 * shows the failure (docs/runbooks/argocd-app-out-of-sync.md).
 */
export const SYNC_RETRY = { limit: 10, backoff: { duration: '10s', factor: 2, maxDuration: '3m' } } as const;

/** Where Argo CD fetches a pinned chart: Helm repositories by chart name, OCI charts by full reference (Argo CD >= 3.1). */
export function helmSource(release: HelmRelease): Record<string, unknown> {
  const { pin } = release;
  if (pin.repo.startsWith('oci://')) return { repoURL: `${pin.repo}/${pin.chart}`, path: '.', targetRevision: pin.version };
  return { repoURL: pin.repo, chart: pin.chart, targetRevision: pin.version };
}

/**
 * In GitOps mode: the `platform` AppProject, the app-of-apps Application that syncs the
 * synthesized platform manifests from `delivery.repoURL`, and one Application per Helm add-on
 * (same pin and values as Pulumi would install). Argo CD itself stays a Pulumi-managed Helm release.
 * (Tenant AppProjects come with each TenantNamespace in the tenants chart.) In Pulumi mode Pulumi
 * applies the manifests and installs the releases, and this chart is empty.
 */
export class ArgoCdChart extends Chart {
  constructor(scope: Construct, id: string, { config, inputs, stack }: ArgoCdChartProps) {
    super(scope, id);
    const { delivery } = config;
    if (delivery.mode !== 'gitops' || !delivery.repoURL) return;
    const addons = enabledReleases(config, inputs).filter(({ release }) => release.name !== 'argocd');
    new ApiObject(this, 'platform-project', {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'AppProject',
      metadata: { name: 'platform', namespace: NAMESPACES.argocd, labels: { ...PART_OF_LABEL } },
      spec: {
        description: 'The platform itself, synthesized by `platform synth`',
        sourceRepos: [delivery.repoURL, ...addons.map(({ release }) => String(helmSource(release).repoURL))],
        destinations: [{ server: IN_CLUSTER, namespace: '*' }],
        // The platform's own manifests hold Namespaces, StorageClasses and Gatekeeper objects.
        clusterResourceWhitelist: [{ group: '*', kind: '*' }],
      },
    });
    new ApiObject(this, 'platform-app', {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Application',
      metadata: { name: 'platform', namespace: NAMESPACES.argocd, labels: { ...PART_OF_LABEL } },
      spec: {
        project: 'platform',
        // Top-level files only: values/ holds Helm values, not manifests.
        source: { repoURL: delivery.repoURL, targetRevision: delivery.revision, path: deliveryPath(config, stack), directory: { recurse: false } },
        destination: { server: IN_CLUSTER, namespace: NAMESPACES.argocd },
        syncPolicy: { automated: { prune: true, selfHeal: true }, syncOptions: ['ServerSideApply=true'], retry: syncRetry() },
      },
    });
    // With Gatekeeper's webhook failing closed, its Application syncs (and turns healthy) first: the
    // other add-ons' objects pass that webhook, as on the Pulumi path (infra/platform.ts releasesBefore).
    const admission = new Set(admissionReleases(addons.map(({ release }) => release), Object.fromEntries(addons.map(({ release, values }) => [release.name, values]))));
    for (const { release, values } of addons) {
      const wave = admission.has(release.name) ? SYNC_WAVES.admissionReleases : release.readyAfterChartObjects ? SYNC_WAVES.lateReleases : SYNC_WAVES.helmReleases;
      new ApiObject(this, `addon-${release.name}`, {
        apiVersion: 'argoproj.io/v1alpha1',
        kind: 'Application',
        metadata: {
          name: release.name,
          namespace: NAMESPACES.argocd,
          labels: { ...PART_OF_LABEL },
          annotations: { [SYNC_WAVE_ANNOTATION]: String(wave) },
        },
        spec: {
          project: 'platform',
          source: { ...helmSource(release), helm: { releaseName: release.name, valuesObject: values } },
          destination: { server: IN_CLUSTER, namespace: release.namespace },
          // What the chart generates anew at each render (charts/releases.ts renderedAnew) is ignored in the
          // diff and, with RespectIgnoreDifferences, in the sync: the live value of the first sync stays
          // (argoproj/argo-cd v3.4.4 docs/user-guide/sync-options.md "Respect ignore differences configs").
          ...(release.renderedAnew ? { ignoreDifferences: release.renderedAnew.map((d) => structuredClone(d)) } : {}),
          // Large CRDs exceed client-side apply's annotation limit; namespaces come from the base chart.
          syncPolicy: {
            automated: { prune: true, selfHeal: true },
            syncOptions: ['ServerSideApply=true', 'CreateNamespace=false', ...(release.renderedAnew ? ['RespectIgnoreDifferences=true'] : [])],
            retry: syncRetry(),
          },
        },
      });
    }
  }
}

/** A fresh copy of SYNC_RETRY per Application (cdk8s objects must not share mutable values). */
function syncRetry(): Record<string, unknown> {
  return { limit: SYNC_RETRY.limit, backoff: { ...SYNC_RETRY.backoff } };
}

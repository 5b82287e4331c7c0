/**
 * The platform's charts: one cdk8s App per stack built from constructs/, plus the Helm releases of
 * the upstream add-ons with typed, hardened values. Used by `platform synth` and by the Pulumi program.
 *
 * Apply order (the `charts` array is in it): `base` (namespaces, StorageClass, identity
 * ServiceAccounts), then the Helm releases (HELM_RELEASES, which bring the CRDs), then
 * `gatekeeper-templates`, then `gatekeeper-constraints` (their CRDs come from the templates), then
 * the remaining charts.
 */
import { App, type Chart } from 'cdk8s';
import type { PlatformConfig } from '../model/config';
import { loadPolicyLibrary } from '../lib/policy/library';
import { prepareCharts, renderFiles } from '../lib/synth';
import type { KubeObject } from '../lib/schema';
import type { AwsInputs } from './inputs';
import { enabledReleases } from './releases';
import { PlatformBaseChart } from './base/chart';
import { GatekeeperConstraintsChart, GatekeeperTemplatesChart, type PolicyLibraryObjects } from './gatekeeper/chart';
import { ExternalSecretsChart } from './external-secrets/chart';
import { MonitoringChart } from './monitoring/chart';
import { KarpenterChart } from './karpenter/chart';
import { ArgoCdChart, forGitops } from './argocd/chart';
import { TenantsChart } from './tenants/chart';
import { SampleWebChart, sampleWebTenants } from './tenants/sample-web';
import { IngressChart } from './ingress/chart';

export { placeholderInputs, type AwsInputs } from './inputs';
export { HELM_RELEASES, admissionReleases, enabledReleases, releaseDefining, type HelmRelease } from './releases';
export { LOAD_BALANCER_CONTROLLER_RELEASE } from './aws-load-balancer-controller/values';
export * from './versions';
export { CONTROL_PLANE_NAMESPACES, GATEKEEPER_IGNORE_LABEL, POLICY_EXEMPT_NAMESPACES } from './namespaces';
export { NAMESPACES } from '../model/namespaces';
export { PLATFORM_ALERTS, RUNBOOK_BASE_URL, runbookUrl } from './monitoring/alerts';
export type { PolicyLibraryObjects } from './gatekeeper/chart';

export interface PlatformBuildOptions {
  /** Stack name: names the default GitOps path dist/<stack>. @default config.environment */
  readonly stack?: string;
  /** Gatekeeper policy library. @default loadPolicyLibrary() (policies/) */
  readonly library?: PolicyLibraryObjects;
}

export interface PlatformChartEntry {
  /** Output file `<id>.yaml`. */
  readonly id: string;
  readonly chart: Chart;
  /** The add-on namespace the chart belongs to, when it has one. */
  readonly namespace?: string;
  /** `true` when the chart must be applied after the Helm releases (it holds their custom resources). */
  readonly afterReleases: boolean;
}

export interface PlatformApp {
  readonly app: App;
  /** In apply order. */
  readonly charts: PlatformChartEntry[];
  /** Helm values per release name. */
  readonly helmValues: Record<string, Record<string, unknown>>;
}

/** Builds every chart of a stack (disabled add-ons get none) and the Helm values of the enabled releases. */
export function buildPlatformApp(config: PlatformConfig, inputs: AwsInputs, options: PlatformBuildOptions = {}): PlatformApp {
  const app = new App();
  const props = { config, inputs };
  const { addons } = config;
  const charts: PlatformChartEntry[] = [{ id: 'base', chart: new PlatformBaseChart(app, 'base', props), afterReleases: false }];
  if (addons.gatekeeper) {
    const library = options.library ?? loadPolicyLibrary();
    charts.push({ id: 'gatekeeper-templates', chart: new GatekeeperTemplatesChart(app, 'gatekeeper-templates', { config, library }), namespace: 'gatekeeper-system', afterReleases: true });
    charts.push({ id: 'gatekeeper-constraints', chart: new GatekeeperConstraintsChart(app, 'gatekeeper-constraints', { config, library }), namespace: 'gatekeeper-system', afterReleases: true });
  }
  if (addons.externalSecrets) charts.push({ id: 'external-secrets', chart: new ExternalSecretsChart(app, 'external-secrets', props), namespace: 'external-secrets', afterReleases: true });
  if (addons.monitoring) charts.push({ id: 'monitoring', chart: new MonitoringChart(app, 'monitoring', props), namespace: 'monitoring', afterReleases: true });
  if (addons.karpenter) charts.push({ id: 'karpenter', chart: new KarpenterChart(app, 'karpenter', props), namespace: 'karpenter', afterReleases: true });
  if (addons.argocd) charts.push({ id: 'argocd', chart: new ArgoCdChart(app, 'argocd', { ...props, stack: options.stack ?? config.environment }), namespace: 'argocd', afterReleases: true });
  // The tenants' IngressClasses and IngressClassParams (CRD from the load balancer controller's release).
  if (addons.ingress) charts.push({ id: 'ingress', chart: new IngressChart(app, 'ingress', props), afterReleases: true });
  const tenants = new TenantsChart(app, 'tenants', props);
  charts.push({ id: 'tenants', chart: tenants, afterReleases: true });
  // The sample tenant web service, for the tenants whose config asks for it (ingress.sampleWeb).
  if (sampleWebTenants(config).length > 0) {
    charts.push({ id: 'sample-web', chart: new SampleWebChart(app, 'sample-web', { ...props, tenants: tenants.namespaces }), afterReleases: true });
  }

  const helmValues: Record<string, Record<string, unknown>> = {};
  for (const { release, values } of enabledReleases(config, inputs)) helmValues[release.name] = values;
  return { app, charts, helmValues };
}

export interface PlatformObjects {
  /** Charts in apply order, each chart's objects validated and in a stable order. */
  readonly charts: { readonly id: string; readonly objects: KubeObject[] }[];
  /** Helm values per release name. */
  readonly helmValues: Record<string, Record<string, unknown>>;
}

export interface SynthesizedPlatform extends PlatformObjects {
  /** Relative path -> YAML text: `<chart>.yaml` and `values/<release>.yaml`. */
  readonly files: Map<string, string>;
}

/**
 * Every object of a stack, schema-validated and ordered (what the Pulumi program applies); throws a
 * UserError naming chart, kind and field on an invalid object.
 */
export function platformObjects(config: PlatformConfig, inputs: AwsInputs, options: PlatformBuildOptions = {}): PlatformObjects {
  const stack = options.stack ?? config.environment;
  const built = buildPlatformApp(config, inputs, { ...options, stack });
  const gitops = config.delivery.mode === 'gitops';
  // In GitOps mode Argo CD applies these files: the apply order travels with them as sync waves.
  const charts = built.charts.map((c) => {
    const objects = c.chart.toJson() as KubeObject[];
    return { id: c.id, objects: gitops ? objects.map((o) => forGitops(c.id, o)) : objects };
  });
  return { charts: prepareCharts(charts) as PlatformObjects['charts'], helmValues: built.helmValues };
}

/** What the first line of every file `platform synth` writes contains (lib/fs.ts writeDirectoryAtomic). */
export const SYNTH_MARKER = 'Generated by `platform synth';

/** platformObjects rendered as the files `platform synth` writes. */
export function synthesizePlatform(config: PlatformConfig, inputs: AwsInputs, options: PlatformBuildOptions = {}): SynthesizedPlatform {
  const stack = options.stack ?? config.environment;
  return platformFiles(platformObjects(config, inputs, { ...options, stack }), stack);
}

/**
 * A stack's objects rendered as the files `platform synth` writes (`<chart>.yaml`, `values/<release>.yaml`),
 * each headed by SYNTH_MARKER: what `platform plan --out` writes from the objects the program built.
 */
export function platformFiles(objects: PlatformObjects, stack: string): SynthesizedPlatform {
  const header = `${SYNTH_MARKER} --stack ${stack}\`. Do not edit: change the stack config or charts/ and synthesize again.`;
  return { ...objects, files: renderFiles(objects.charts, objects.helmValues, header) };
}

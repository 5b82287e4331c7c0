/**
 * `platform upgrade --stack <name> --to <minor> [<paths>...] [--json | --format md] [--as-of <date>]`:
 * whether the stack can move to the next Kubernetes minor, what must change first, and the ordered
 * plan (lib/upgrade). Judges the stack's own synthesized objects, its pins (EKS add-ons, charts,
 * Karpenter and its AMI) and any manifests given (files or directories, read as `platform check`
 * reads them: multi-document YAML, JSON, Lists, Helm-rendered output).
 * Exit 0 ready, 1 blockers, 2 bad input (a malformed or skipped minor, a bad date or manifest).
 */
import * as path from 'node:path';
import { UserError } from '../../lib/errors';
import { loadStack } from '../../lib/stack';
import { loadManifests, type ManifestObject } from '../../lib/policy/manifests';
import { resolveAsOf } from '../../lib/versions/dates';
import { checkTarget, renderJson, renderMarkdown, renderText, upgradeReadiness } from '../../lib/upgrade';
import { ADDON_VERSIONS, SUPPORTED_KUBERNETES_VERSIONS } from '../../model/versions';

export interface UpgradeOptions {
  readonly stack?: string;
  readonly config?: string;
  /** Kubernetes minor to upgrade to. */
  readonly to?: string;
  readonly json?: boolean;
  /** `text` or `md`. @default text */
  readonly format?: string;
  /** Date the calendar is read on. @default PLATFORM_AS_OF, else today */
  readonly asOf?: string;
}

export async function run(paths: string[], opts: UpgradeOptions): Promise<number> {
  if (opts.to === undefined) throw new UserError('upgrade: --to <minor> is required (the Kubernetes minor to upgrade to, e.g. --to 1.36)');
  if (opts.json && opts.format !== undefined && opts.format !== 'json') throw new UserError(`upgrade: --json and --format ${opts.format} both choose the output; give one`);
  const asOf = resolveAsOf(opts.asOf);
  const loaded = loadStack(opts);
  const from = loaded.config.kubernetesVersion;
  checkTarget(from, opts.to);
  const manifests = paths.length > 0 ? loadManifests(paths) : { objects: [], skippedFiles: [], fileErrors: [] };
  // A file of a directory walk that does not load could hold a removed API: judging without it would
  // say ready when it is not. Bad input, before any output (the first file named, and how many more).
  const [unloaded, ...more] = manifests.fileErrors;
  if (unloaded) throw new UserError(more.length === 0 ? unloaded.message : `${unloaded.message} (and ${more.length} more file(s) that could not be loaded)`);

  // The charts (cdk8s, the policy library) load only once the input is known to be good.
  const { buildPlatformApp, enabledReleases, KARPENTER_AMI_ALIAS, placeholderInputs } = await import('../../charts');
  const { config, stack } = loaded;
  const inputs = placeholderInputs(config);
  // The objects `platform synth` writes, named by the file they go to; only their apiVersion, kind and
  // labels are read, so they are neither schema-validated again nor rendered to YAML (synth does both).
  const { charts } = buildPlatformApp(config, inputs, { stack });
  const stackObjects: ManifestObject[] = charts.flatMap((c) =>
    (c.chart.toJson() as Record<string, unknown>[]).map((object, i) => ({ file: path.join('dist', stack, `${c.id}.yaml`), document: i + 1, object })),
  );
  const report = upgradeReadiness({
    stack,
    configFile: loaded.configFile,
    from,
    to: opts.to,
    asOf,
    supportedVersions: SUPPORTED_KUBERNETES_VERSIONS,
    addonPins: ADDON_VERSIONS,
    charts: enabledReleases(config, inputs).map(({ release }) => ({ name: release.name, chart: release.pin.chart, version: release.pin.version, appVersion: release.pin.appVersion })),
    amiAlias: config.addons.karpenter ? KARPENTER_AMI_ALIAS : undefined,
    stackObjects,
    manifests: manifests.objects,
    manifestFiles: new Set(manifests.objects.map((o) => o.file)).size,
    skippedFiles: manifests.skippedFiles.length,
  });
  const format = opts.json ? 'json' : (opts.format ?? 'text');
  process.stdout.write(format === 'json' ? renderJson(report) : format === 'md' ? renderMarkdown(report) : renderText(report));
  return report.ready ? 0 : 1;
}

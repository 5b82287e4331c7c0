/**
 * `platform upgrade` readiness: can a stack move from its Kubernetes minor to the next one, what must
 * change first, and in what order. Judged from the version catalogue on an explicit date, over the
 * stack's pins and objects and any manifests given. Pure: inputs in, report out.
 *
 * Rules applied (sources in lib/versions):
 * - EKS upgrades the control plane one minor at a time and never downgrades it (checked before
 *   anything is read: see checkTarget).
 * - Kubernetes version skew policy (kubernetes.io/releases/version-skew-policy): a kubelet must not
 *   be newer than the API server and may be up to three minors older (two before 1.28). So the
 *   control plane goes first, and nodes one minor behind it stay within the skew until they roll.
 */
import { UserError } from '../errors';
import { addonSupport, amiSupport, chartSupport, compareVersions, kubernetesRelease, KUBERNETES_RELEASES, MINOR_PATTERN, minorsBetween, nextMinor, supportWindow, daysBetween, type Verdict } from '../versions';
import { scanObjects } from './objects';
import { chartRollStep } from './chart-steps';
import type { UpgradeInput, UpgradeItem, UpgradeItemKind, UpgradeReport } from './types';

/** Minors a kubelet may trail the API server by (Kubernetes version skew policy, 1.28 and later). */
export const KUBELET_SKEW = 3;

/** Refuses a target that is not the next minor, with one line naming what is accepted. */
export function checkTarget(from: string, to: string): void {
  if (!MINOR_PATTERN.test(to)) throw new UserError(`--to: expected a Kubernetes minor version such as 1.36 (got ${JSON.stringify(to)})`);
  const d = compareVersions(to, from);
  if (d === 0) throw new UserError(`--to ${to}: the stack already runs Kubernetes ${from} (expected the next minor, ${nextMinor(from)})`);
  if (d < 0) throw new UserError(`--to ${to}: EKS cannot downgrade a control plane (the stack runs ${from}; expected a newer minor)`);
  const between = minorsBetween(from, to);
  if (between.length > 0) {
    throw new UserError(`--to ${to}: EKS upgrades one minor at a time: ${[from, ...between, to].join(' -> ')}; upgrade to ${between.join(', then ')} first`);
  }
  if (!kubernetesRelease(to)) {
    const known = KUBERNETES_RELEASES.map((r) => r.minor);
    throw new UserError(`--to ${to}: Kubernetes ${to} is not in the version catalogue (lib/versions/kubernetes.ts knows ${known[0]}-${known[known.length - 1]}): its EKS dates and removals are unknown`);
  }
}

class Items {
  readonly blockers: UpgradeItem[] = [];
  readonly warnings: UpgradeItem[] = [];
  readonly checks: string[] = [];
  verdict(kind: UpgradeItemKind, what: string, to: string, verdict: Verdict): void {
    if (verdict.supported === true) this.checks.push(`${what} supports ${to} (${verdict.basis})`);
    else if (verdict.supported === 'unknown') this.warnings.push({ kind, message: `${what}: ${verdict.reason}; check its support for ${to} by hand` });
    else this.blockers.push({ kind, message: `${what}: ${verdict.reason}${verdict.firstWith ? `; first with ${to}: ${verdict.firstWith}` : ''}` });
  }
}

/** The readiness report. Call checkTarget first: this assumes `to` is the next minor. */
export function upgradeReadiness(input: UpgradeInput): UpgradeReport {
  const { stack, from, to, asOf } = input;
  const items = new Items();

  // Calendar.
  const target = kubernetesRelease(to)!;
  if (daysBetween(asOf, target.eksRelease) > 0) {
    items.blockers.push({ kind: 'calendar', message: `Kubernetes ${to} is not on EKS until ${target.eksRelease} (as of ${asOf})` });
  } else {
    const window = supportWindow(to, asOf)!;
    const standard = `EKS standard support until ${target.endOfStandardSupport}`;
    if (window.phase === 'standard') items.checks.push(`Kubernetes ${to} is on EKS since ${target.eksRelease}, ${standard} (${window.daysLeft} days as of ${asOf})`);
    else if (window.phase === 'standard-ending') items.warnings.push({ kind: 'calendar', message: `Kubernetes ${to} leaves EKS standard support on ${target.endOfStandardSupport}, in ${window.daysLeft} days: plan the next upgrade right after` });
    else items.warnings.push({ kind: 'calendar', message: `Kubernetes ${to} is already past EKS standard support (${target.endOfStandardSupport}): it is billed as extended support from the start` });
  }
  const current = supportWindow(from, asOf);
  if (current) items.checks.push(`Kubernetes ${from} (now): ${current.phase === 'standard' || current.phase === 'standard-ending' ? `EKS standard support until ${current.release.endOfStandardSupport}` : `past EKS standard support since ${current.release.endOfStandardSupport}`}`);

  // Stack config and EKS add-on pins.
  if (!input.supportedVersions.includes(to)) {
    items.blockers.push({ kind: 'config', message: `platform:kubernetesVersion accepts ${input.supportedVersions.join(', ')} (model/versions.ts SUPPORTED_KUBERNETES_VERSIONS): add ${to} with its EKS add-on pins first` });
  }
  const fromPins = input.addonPins[from] ?? {};
  const toPins = input.addonPins[to];
  const addonChanges: string[] = [];
  if (!toPins) {
    items.blockers.push({ kind: 'addon', message: `no EKS add-on pins for ${to} (model/versions.ts ADDON_VERSIONS): pin each add-on to a build offered for ${to} (aws eks describe-addon-versions --kubernetes-version ${to})` });
  } else {
    for (const addon of Object.keys(toPins).sort()) {
      items.verdict('addon', `EKS add-on ${addon} ${toPins[addon]} (the ${to} pin)`, to, addonSupport(addon, toPins[addon], to));
      if (fromPins[addon] !== toPins[addon]) addonChanges.push(`${addon} ${fromPins[addon] ?? '(none)'} -> ${toPins[addon]}`);
    }
  }

  // Helm charts, Karpenter and its AMI.
  const chartsToRoll: string[] = [];
  const rollSteps: string[] = [];
  for (const c of input.charts) {
    const verdict = chartSupport(c.chart, c.version, to);
    const kind = c.chart === 'karpenter' ? 'karpenter' : 'chart';
    items.verdict(kind, `chart ${c.chart} ${c.version}${c.appVersion ? ` (app ${c.appVersion})` : ''}`, to, verdict);
    if (verdict.supported === false) {
      chartsToRoll.push(`move ${c.chart} ${c.version} to ${verdict.firstWith ?? `a release supporting ${to}`}`);
      const extra = chartRollStep(c, stack);
      if (extra) rollSteps.push(extra);
    }
  }
  if (input.amiAlias) {
    const verdict = amiSupport(input.amiAlias, to);
    items.verdict('ami', `Karpenter AMI alias ${input.amiAlias}`, to, verdict);
    if (verdict.supported === false) chartsToRoll.push(`move KARPENTER_AMI_ALIAS ${input.amiAlias} to ${verdict.firstWith ?? `a release with ${to} builds`}`);
  }

  // Objects: the stack's own (PSA labels follow the stack version, so they are a step, not a warning) and the manifests given.
  const own = scanObjects(input.stackObjects, to, false);
  const given = scanObjects(input.manifests, to, true);
  items.blockers.push(...own.blockers, ...given.blockers);
  items.warnings.push(...own.warnings, ...given.warnings);
  if (own.blockers.length === 0) items.checks.push(`the stack's ${input.stackObjects.length} synthesized objects use no API removed by ${to}`);
  if (input.manifests.length > 0 && given.blockers.length === 0) items.checks.push(`the ${input.manifests.length} objects of ${input.manifestFiles} given file(s) use no API removed by ${to}`);
  const ownPsa = [...own.psaVersions].map(([v, n]) => `${n} namespace${n === 1 ? '' : 's'} at ${v}`).join(', ');

  // Node skew.
  items.checks.push(
    `node skew: the control plane moves first; until they roll, nodes run ${from} under ${to} (1 minor behind, within the ${KUBELET_SKEW} a kubelet may trail; never ahead of the control plane)`,
  );
  items.checks.push(`the system node group's version is the stack's Kubernetes version (infra/nodes.ts): it rolls to ${to} in the same pulumi up, after the control plane it depends on`);

  const steps: string[] = [];
  const manifestBlockers = given.blockers.length;
  if (manifestBlockers > 0 || own.blockers.length > 0) {
    steps.push(`Move the ${manifestBlockers + own.blockers.length} objects listed above off the APIs ${to} no longer serves, and apply them while the control plane still runs ${from}.`);
  }
  for (const roll of chartsToRoll) steps.push(`On ${from}, before the control plane: ${roll}; the new release must support both ${from} and ${to}. Bump the pin (charts/versions.ts), npm test, pulumi up -s ${stack}.`);
  steps.push(...rollSteps);
  if (!input.supportedVersions.includes(to) || !toPins) steps.push(`Add ${to} to SUPPORTED_KUBERNETES_VERSIONS with its EKS add-on pins (ADDON_VERSIONS, both in model/versions.ts), and the version catalogue facts it needs (lib/versions).`);
  steps.push(
    `Set platform:kubernetesVersion: "${to}" in ${input.configFile}; npx platform plan --stack ${stack} (no version finding), npx platform synth --stack ${stack} and review the diff of dist/${stack}/ (Pod Security Admission labels move to v${to}${ownPsa ? `; now ${ownPsa}` : ''}).`,
  );
  steps.push(`Review: pulumi preview -s ${stack} --json > preview.json && npx platform audit preview.json (expect the cluster version ${from} -> ${to}, the add-on versions and the system node group).`);
  steps.push(
    `pulumi up -s ${stack}: the EKS control plane moves to ${to} first; then the EKS add-ons${addonChanges.length > 0 ? ` (${addonChanges.join(', ')})` : ''} and the system node group, one node at a time.`,
  );
  if (input.amiAlias) {
    steps.push(`Karpenter nodes: drift replaces them with ${to} nodes from ${input.amiAlias} (kubectl get nodeclaims; the NodePools' disruption budgets pace it).`);
  }
  steps.push(`Verify: every node reports kubelet v${to} (kubectl get nodes), no deprecated API is still called (kubectl get --raw /metrics | grep apiserver_requested_deprecated_apis), npx platform check dist/${stack}; then the next stack.`);

  return {
    stack,
    configFile: input.configFile,
    from,
    to,
    asOf,
    ready: items.blockers.length === 0,
    objects: { stack: input.stackObjects.length, manifests: input.manifests.length, files: input.manifestFiles, skippedFiles: input.skippedFiles ?? 0 },
    blockers: items.blockers,
    warnings: items.warnings,
    checks: items.checks,
    steps,
  };
}

/**
 * `platform check [<file-or-dir>...] [--stack <name>] [--json] [--emit-vap <dir>]`: evaluates the built-in policy
 * library, plus any ConstraintTemplates and constraints among the inputs, against every other input
 * object. One line per violation: `<file>: <Kind>/<namespace>/<name>: <constraint>: <message>` (`-`
 * as the namespace of cluster-scoped objects); violations of `warn`/`dryrun` constraints carry a
 * `[warn]` or `[dryrun]` tag before the message and do not fail the check. Files found under a
 * directory that are not objects to check (no document with a `kind`: Helm values, Chart.yaml;
 * unrendered templates; kustomize patches; unparseable files without a kind) are skipped and counted
 * by reason in the summary (lib/policy/manifests.ts); files named explicitly are read strictly.
 * `--stack <name>` evaluates with the constraints the gatekeeper chart deploys for that stack
 * (enforcement actions, `platform:registries`, exemptions) instead of the library's defaults.
 * `--emit-vap <dir>` also writes a ValidatingAdmissionPolicy and its binding per constraint (the
 * library's and the inputs') into <dir>, replacing it whole; with no inputs it only does that.
 * A file of a directory walk that cannot be loaded is reported on stderr and the walk goes on; the
 * exit is 2 at the end. A file named explicitly that holds no object is bad input ("no Kubernetes
 * objects in <file>"). On stderr, each exemption of the evaluated constraints says how many checked
 * objects it skipped, and a `note:` line names each YAML scalar kubectl reads differently from a
 * YAML 1.2 reader (lib/policy/yaml-kubectl.ts).
 * Exit 0 clean, 1 deny violations, 2 bad input.
 */
import { writeDirectoryAtomic } from '../../lib/fs';
import { checkManifests, policySources, type CheckViolation, type PolicyOptions, type PolicySources } from '../../lib/policy/check';
import { UserError } from '../../lib/errors';
import { describeExemption } from '../../lib/policy/exemptions';
import { validatingAdmissionPolicies, VAP_MARKER, vapFiles } from '../../lib/policy/vap';
import { PolicySet } from '../../lib/policy/policy-set';
import type { SkippedFile, SkipReason } from '../../lib/policy/manifests';

export interface CheckOptions {
  readonly json?: boolean;
  /** Evaluate with this stack's constraints (enforcement actions, registries, exemptions) instead of the library's. */
  readonly stack?: string;
  /** Directory to write ValidatingAdmissionPolicies into. */
  readonly emitVap?: string;
}

function line(v: CheckViolation): string {
  const tag = v.enforcementAction === 'deny' ? '' : `[${v.enforcementAction}] `;
  return `${v.file}: ${v.kind}/${v.namespace || '-'}/${v.name}: ${v.constraint}: ${tag}${v.message}`;
}

const SKIP_NOTES: Record<SkipReason, [string, string]> = {
  'no-objects': ['file that holds no Kubernetes objects', 'files that hold no Kubernetes objects'],
  template: ['unrendered template', 'unrendered templates'],
  'kustomize-patch': ['kustomize patch', 'kustomize patches'],
  'not-a-manifest': ['unparseable file without a kind', 'unparseable files without a kind'],
};

/** `; skipped 3 files that hold no Kubernetes objects, 12 unrendered templates`, or nothing. */
function skippedSummary(files: readonly SkippedFile[]): string {
  const parts: string[] = [];
  for (const reason of Object.keys(SKIP_NOTES) as SkipReason[]) {
    const n = files.filter((f) => f.reason === reason).length;
    if (n > 0) parts.push(`${n} ${SKIP_NOTES[reason][n === 1 ? 0 : 1]}`);
  }
  return parts.length === 0 ? '' : `; skipped ${parts.join(', ')}`;
}

function emitVap(dir: string, sources: PolicySources): void {
  const result = validatingAdmissionPolicies(sources.templates, sources.constraints);
  writeDirectoryAtomic(dir, vapFiles(result), VAP_MARKER);
  for (const p of result.pairs) for (const note of p.untranslated) process.stderr.write(`platform: vap ${p.constraint}: not expressible in VAP, left out: ${note}\n`);
  for (const t of result.skippedTemplates) process.stderr.write(`platform: vap: skipped template ${t}: no K8sNativeValidation code (a ValidatingAdmissionPolicy runs CEL over the object, its namespace and its parameters only)\n`);
  for (const t of result.unboundTemplates) process.stderr.write(`platform: vap: no policy for template ${t}: no constraint uses it\n`);
  process.stderr.write(`wrote ${result.pairs.length} ValidatingAdmissionPolicies with their bindings to ${dir}\n`);
}

/** The constraints the gatekeeper chart deploys for `--stack <name>` (loaded only when asked: it needs the charts). */
async function stackOptions(stack: string | undefined): Promise<PolicyOptions> {
  if (stack === undefined) return {};
  const [{ loadStack }, { stackConstraints }, { loadPolicyLibrary }] = await Promise.all([import('../../lib/stack'), import('../../charts/gatekeeper/chart'), import('../../lib/policy/library')]);
  const loaded = loadStack({ stack });
  if (!loaded.config.addons.gatekeeper) throw new UserError(`check --stack ${stack}: ${loaded.configFile} disables Gatekeeper (platform:addons.gatekeeper: false), so the stack deploys no constraints to check with`);
  return { stackConstraints: { where: `stack ${stack} (${loaded.configFile})`, constraints: stackConstraints(loaded.config, loadPolicyLibrary()) } };
}

export async function run(paths: string[], opts: CheckOptions = {}): Promise<number> {
  const options = await stackOptions(opts.stack);
  if (paths.length === 0) {
    if (opts.emitVap === undefined) throw new UserError('check: name at least one file or directory to check (or --emit-vap <dir> to write the policies only)');
    const sources = policySources([], options);
    // Compiling proves every expression parses before anything is written.
    new PolicySet(sources.templates, sources.constraints);
    emitVap(opts.emitVap, sources);
    return 0;
  }
  const result = checkManifests(paths, options);
  if (opts.emitVap !== undefined) emitVap(opts.emitVap, result.sources);
  if (opts.json) {
    process.stdout.write(JSON.stringify(result.violations, null, 2) + '\n');
  } else if (result.violations.length > 0) {
    process.stdout.write(result.violations.map(line).join('\n') + '\n');
  }
  for (const t of result.skippedTemplates) process.stderr.write(`platform: skipped template ${t}: no K8sNativeValidation code\n`);
  for (const e of result.exemptions) {
    process.stderr.write(`platform: exemption ${e.constraint}: ${describeExemption(e.exemption)}: skipped ${e.skipped} object(s) (${e.exemption.reason})\n`);
  }
  for (const n of result.readingNotes) process.stderr.write(`platform: note: ${n}\n`);
  for (const e of result.fileErrors) process.stderr.write(`platform: ${e.message}\n`);
  for (const t of result.equivalentTemplates) {
    process.stderr.write(`platform: template ${t.template} is Rego: ${t.objects} object(s) were judged against the inputs by its offline equivalent, not by the Rego\n`);
  }
  const denied = result.violations.filter((v) => v.enforcementAction === 'deny').length;
  const skippedNote = skippedSummary(result.skippedFiles);
  process.stderr.write(
    `${result.violations.length} violation(s) (${denied} deny) in ${result.objectCount} object(s) from ${result.fileCount} file(s), ${result.constraintCount} constraint(s)${skippedNote}${result.fileErrors.length > 0 ? `; ${result.fileErrors.length} file(s) could not be loaded` : ''}\n`,
  );
  // Files that could not be loaded were not checked: the run proves nothing about them (bad input).
  if (result.fileErrors.length > 0) return 2;
  return denied > 0 ? 1 : 0;
}

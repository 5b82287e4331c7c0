/**
 * The `platform` command: argument parsing, one-line errors, exit codes. Each subcommand's module
 * is loaded only when that subcommand runs, so `--help` and light commands never load Pulumi.
 *
 * Exit codes: 0 ok, 1 findings or violations, 2 bad input or any other failure.
 */
import { Command, CommanderError, Option } from 'commander';
import { oneLine, UserError } from '../lib/errors';
import { SEVERITIES } from '../lib/severity';

const EXIT_BAD_INPUT = 2;

function buildProgram(): Command {
  const program = new Command('platform')
    .description('Render, check, plan and audit the EKS platform offline; preflight it against AWS.')
    .option('--debug', 'show stack traces for unexpected errors')
    .exitOverride()
    .configureOutput({
      // Usage errors on one line, with where to look for the accepted forms.
      outputError: (message, write) => write(`platform: ${message.replace(/^error: /, '').trim().replace(/\s*\n\s*/g, ' ')} (see --help)\n`),
    });
  program.configureHelp({ sortSubcommands: false });
  // Stop at the first subcommand error, never fall through to the parent's help.
  program.enablePositionalOptions(false);

  program
    .command('synth')
    .description('render every chart and Helm values file of a stack into dist/<stack>/ (byte-identical on re-run)')
    .option('-s, --stack <name>', 'stack whose Pulumi.<name>.yaml to render (default: dev)')
    .option('-c, --config <file>', 'a stack config file to render instead of Pulumi.<stack>.yaml')
    .option('-o, --out <dir>', 'output directory (default: dist/<stack>)')
    .action(async (opts) => exitWith(await (await import('./commands/synth')).run(opts)));

  program
    .command('plan')
    .description('run the Pulumi program offline under mocks: resource inventory, posture findings, policy results')
    .option('-s, --stack <name>', 'stack whose Pulumi.<name>.yaml to use (default: dev)')
    .option('-c, --config <file>', 'a stack config file to use instead of Pulumi.<stack>.yaml')
    .option('--json <file>', 'also write {resources, findings} as JSON to this file')
    .option('-o, --out <dir>', 'also write the rendered charts and Helm values (what synth writes) into <dir>, e.g. dist/<stack>: the whole offline job in one run')
    .option('--as-of <date>', 'judge Kubernetes support dates and pins on this day, YYYY-MM-DD (default: $PLATFORM_AS_OF, else today)')
    .action(async (opts, command: Command) => exitWith(await (await import('./commands/plan')).run({ ...opts, debug: command.optsWithGlobals().debug })));

  program
    .command('check')
    .description('evaluate the policy library (and any templates/constraints among the inputs) against manifests')
    .argument('[paths...]', 'YAML or JSON manifest files, or directories to search (files without a kind, e.g. Helm values, are skipped there)')
    .option('--json', 'print violations as JSON')
    .option('-s, --stack <name>', "evaluate with that stack's constraints (enforcement actions, registries, exemptions) instead of the library's")
    .option('--emit-vap <dir>', 'also write a ValidatingAdmissionPolicy and binding per constraint (library and inputs) into <dir>, replacing it')
    .action(async (paths, opts) => exitWith(await (await import('./commands/check')).run(paths, opts)));

  program
    .command('verify')
    .description('run Gatekeeper suites (test.gatekeeper.sh/v1alpha1 Suite) with the offline CEL engine')
    .argument('<suites...>', 'suite.yaml files')
    .action(async (suites) => exitWith(await (await import('./commands/verify')).run(suites)));

  program
    .command('audit')
    .description('turn `pulumi preview --json` output into a review with security-relevant changes flagged')
    .argument('<preview>', 'file holding the output of `pulumi preview --json`')
    .addOption(new Option('-f, --format <format>', 'report format').choices(['md', 'html', 'json']).default('md'))
    .option('-o, --out <file>', 'write the report to this file instead of stdout')
    .addOption(new Option('--fail-on <severity>', 'exit 1 when a finding of this severity or higher exists').choices([...SEVERITIES].reverse()))
    .action(async (preview, opts) => exitWith(await (await import('./commands/audit')).run(preview, opts)));

  program
    .command('upgrade')
    .description('readiness for the next Kubernetes minor: removed APIs, add-on/chart/Karpenter/AMI support, node skew, the ordered steps')
    .argument('[paths...]', 'manifests to check too: YAML or JSON files (multi-document, Lists, helm template output) or directories')
    .option('-s, --stack <name>', 'stack whose Pulumi.<name>.yaml to judge (default: dev)')
    .option('-c, --config <file>', 'a stack config file to judge instead of Pulumi.<stack>.yaml')
    .requiredOption('--to <minor>', 'the Kubernetes minor to upgrade to: the next one (e.g. 1.36)')
    .option('--json', 'print the report as JSON')
    .addOption(new Option('-f, --format <format>', 'report format').choices(['text', 'md', 'json']))
    .option('--as-of <date>', 'read the EKS calendar on this day, YYYY-MM-DD (default: $PLATFORM_AS_OF, else today)')
    .action(async (paths, opts) => exitWith(await (await import('./commands/upgrade')).run(paths, opts)));

  program
    .command('preflight')
    .description('read-only checks against the real AWS account before pulumi up (credentials, region, quotas, add-on versions, secrets, endpoint reach)')
    .option('-s, --stack <name>', 'stack whose Pulumi.<name>.yaml to check (default: dev); an in-cluster stack checks what its run needs')
    .option('-c, --config <file>', 'a stack config file to use instead of Pulumi.<stack>.yaml')
    .action(async (opts) => exitWith(await (await import('./commands/preflight')).run(opts)));

  return program;
}

/** Set by a command's action; read once parsing is done. */
let exitCode = 0;
function exitWith(code: number): void {
  exitCode = code;
}

async function main(argv: readonly string[]): Promise<number> {
  const program = buildProgram();
  const debug = argv.includes('--debug');
  try {
    await program.parseAsync(argv as string[], { from: 'user' });
    return exitCode;
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version arrive here with exit code 0; usage errors were already printed.
      return err.exitCode === 0 ? 0 : EXIT_BAD_INPUT;
    }
    if (err instanceof UserError) {
      process.stderr.write(`platform: ${oneLine(err)}\n`);
    } else if (debug) {
      process.stderr.write(`${(err as Error)?.stack ?? String(err)}\n`);
    } else {
      process.stderr.write(`platform: unexpected error: ${oneLine(err)} (run with --debug for details)\n`);
    }
    return EXIT_BAD_INPUT;
  }
}

/**
 * Exits once stdout and stderr have flushed. An explicit exit is needed because a mocked Pulumi run
 * can leave handles open; waiting for the flush keeps piped output whole.
 */
function finish(code: number): void {
  process.stdout.write('', () => process.stderr.write('', () => process.exit(code)));
}

main(process.argv.slice(2)).then(finish, (err) => {
  process.stderr.write(`platform: unexpected error: ${oneLine(err)}\n`);
  finish(EXIT_BAD_INPUT);
});

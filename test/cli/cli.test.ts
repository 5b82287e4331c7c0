import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { expectOneLineError, platform } from '../helpers/cli';

describe('GIVEN the platform command', () => {
  it('WHEN asked for --help THEN it lists every subcommand of the contract and exits 0', () => {
    const result = platform(['--help']);
    expect(result.status).toBe(0);
    for (const sub of ['synth', 'plan', 'check', 'verify', 'audit']) expect(result.stdout).toMatch(new RegExp(`^\\s+${sub}\\b`, 'm'));
  });

  it.each([
    ['synth', ['--stack', '--out']],
    ['plan', ['--stack', '--config', '--json', '--out']],
    ['check', ['--json', '--emit-vap', '[paths...]']],
    ['verify', ['<suites...>']],
    ['audit', ['--format', '--out', '--fail-on', '<preview>']],
  ])('WHEN asked for %s --help THEN it shows that subcommand\'s usage and exits 0', (sub, flags) => {
    const result = platform([sub, '--help']);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain(`Usage: platform ${sub}`);
    for (const flag of flags) expect(result.stdout).toContain(flag);
  });

  it('WHEN given an unknown subcommand THEN one line, exit 2', () => {
    expectOneLineError(platform(['deploy']), /^platform: unknown command 'deploy' \(see --help\)$/);
  });

  it('WHEN given an unknown option THEN one line, exit 2', () => {
    expectOneLineError(platform(['plan', '--stak', 'prod']), /^platform: unknown option '--stak' .*\(see --help\)$/);
  });

  it('WHEN a required argument is missing THEN one line, exit 2', () => {
    expectOneLineError(platform(['verify']), /^platform: missing required argument 'suites'/);
    expectOneLineError(platform(['check']), /^platform: check: name at least one file or directory to check/);
  });

  it('WHEN an option value is not among the choices THEN one line naming the accepted values, exit 2', () => {
    expectOneLineError(platform(['audit', 'x.json', '--format', 'pdf']), /argument 'pdf' is invalid\. Allowed choices are md, html, json/);
  });
});

describe('GIVEN platform plan with a bad stack config', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'platform-cli-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const devConfig = fs.readFileSync(path.resolve(__dirname, '..', '..', 'Pulumi.dev.yaml'), 'utf8');
  const write = (name: string, content: string) => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, content);
    return file;
  };

  it.each([
    ['an unknown key', () => write('unknown.yaml', devConfig.replace('platform:clusterName:', 'platform:clusterNme:')), /unknown\.yaml: platform:clusterNme: unknown key \(did you mean clusterName\?/],
    ['a wrong type', () => write('type.yaml', devConfig.replace('minSize: 2', 'minSize: [2]')), /type\.yaml: platform:systemNodeGroup\.minSize: expected a whole number from 1 to 100 \(got \[2\]\)/],
    ['an invalid CIDR', () => write('cidr.yaml', devConfig.replace('10.20.0.0/16', '10.0.0.0/33')), /cidr\.yaml: platform:network\.vpcCidr: invalid CIDR .*\(got "10\.0\.0\.0\/33"\)/],
    ['a YAML syntax error', () => write('syntax.yaml', 'config:\n  platform:network: {vpcCidr: 10.0.0.0/16\n'), /syntax\.yaml: YAML syntax error at line \d+, column \d+: /],
    ['an empty file', () => write('empty.yaml', ''), /empty\.yaml: file is empty/],
    ['a missing file', () => path.join(dir, 'missing.yaml'), /missing\.yaml: no such file/],
  ])('WHEN the file has %s THEN exit 2 with one line naming it', (_what, file, expected) => {
    expectOneLineError(platform(['plan', '--config', file()]), expected);
  });

  it('WHEN --stack names no stack file THEN exit 2 listing the stacks there are', () => {
    expectOneLineError(platform(['plan', '--stack', 'staging']), /--stack: no stack named "staging": Pulumi\.staging\.yaml does not exist \(stacks: dev, prod, prod-cluster\)/);
  });

  it('WHEN the config fails THEN no --json output file is left behind', () => {
    const out = path.join(dir, 'plan.json');
    const result = platform(['plan', '--config', write('bad.yaml', devConfig.replace('10.20.0.0/16', 'nope')), '--json', out]);
    expect(result.status).toBe(2);
    expect(fs.existsSync(out)).toBe(false);
  });
});

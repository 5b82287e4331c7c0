/** `platform upgrade` end to end: the bundled CLI, its exit codes and one-line errors. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { expectOneLineError, platform } from '../helpers/cli';
import { stackConfig } from '../helpers/pulumi';
import { run } from '../../cli/commands/upgrade';
import { UserError } from '../../lib/errors';

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'upgrade');
let tmp: string;
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'upgrade-cli-'));
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const NO_ARGOCD = { 'platform:addons': { gatekeeper: true, argocd: false, monitoring: true, externalSecrets: true, karpenter: true } };

/** A stack file (JSON is YAML) named like a stack, so the CLI takes the stack name from it. */
function writeStack(stack: string, overrides: Record<string, unknown>): string {
  const file = path.join(fs.mkdtempSync(path.join(tmp, 'stack-')), `Pulumi.${stack}.yaml`);
  fs.writeFileSync(file, JSON.stringify({ config: stackConfig(stack, overrides) }));
  return file;
}

describe('platform upgrade', () => {
  it('GIVEN prod WHEN asked for 1.36 as Markdown THEN it exits 1 with the argo-cd blocker and a checklist', () => {
    const r = platform(['upgrade', '--stack', 'prod', '--to', '1.36', '--as-of', '2026-12-01', '--format', 'md']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/^# Upgrade prod: Kubernetes 1\.35 -> 1\.36\n/);
    expect(r.stdout).toContain('**not ready: 1 blocker, 0 warnings**');
    expect(r.stdout).toMatch(/^- chart argo-cd 10\.1\.1 \(app v3\.4\.4\): supported on 1\.32-1\.35 /m);
    expect(r.stdout.split('\n').filter((l) => /^- \[ \] \d+\. /.test(l)).map((l) => l.slice(6).split(/[:;,]/)[0])).toEqual([
      '1. On 1.35',
      '2. Set platform',
      '3. Review',
      '4. pulumi up -s prod',
      '5. Karpenter nodes',
      '6. Verify',
    ]);
  });

  it('GIVEN a stack without Argo CD and no manifests WHEN asked for 1.36 as JSON THEN it is ready: 0', async () => {
    const write = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const code = await run([], { config: writeStack('dev', NO_ARGOCD), to: '1.36', json: true });
    const report = JSON.parse(String(write.mock.calls.map((c) => c[0]).join('')));
    write.mockRestore();
    expect(code).toBe(0);
    // The date comes from PLATFORM_AS_OF (test/helpers/as-of.js), never the clock.
    expect(report).toMatchObject({ stack: 'dev', from: '1.35', to: '1.36', asOf: '2026-12-01', ready: true, blockers: [], warnings: [] });
    expect(report.objects.stack).toBeGreaterThan(50);
  });

  it('GIVEN the same stack and the removed-API corpus plus helm template output WHEN asked for 1.36 THEN every removed object blocks: exit 1', () => {
    const config = writeStack('dev', NO_ARGOCD);
    const r = platform(['upgrade', '--config', config, '--to', '1.36', path.join(FIXTURES, 'removed'), path.join(FIXTURES, 'helm-rendered.yaml')]);
    expect(r.status).toBe(1);
    const corpus = fs.readdirSync(path.join(FIXTURES, 'removed')).length;
    expect(r.stdout).toContain(`blockers (${corpus + 1}):`);
    expect(r.stdout).toContain(`: PodDisruptionBudget/-/shop: policy/v1beta1 removed in 1.25, use policy/v1\n`);
    expect(r.stdout).toContain('warnings (1):\n');
    expect(r.stdout).toMatch(/; \d+ objects of the stack, 70 from 67 files\n/);
    expect(r.stdout.trimEnd().split('\n').pop()).toBe(`not ready: ${corpus + 1} blockers, 1 warning`);
  });

  it.each([
    ['a skipped minor', ['--stack', 'prod', '--to', '1.37'], /^platform: --to 1\.37: EKS upgrades one minor at a time: 1\.35 -> 1\.36 -> 1\.37; upgrade to 1\.36 first$/],
    ['no --to', ['--stack', 'prod'], /^platform: required option '--to <minor>' not specified \(see --help\)$/],
  ])('GIVEN %s THEN it is bad input: exit 2, one line', (_what, args, message) => {
    const r = platform(['upgrade', ...args]);
    expectOneLineError(r, message);
    expect(r.stdout).toBe('');
  });

  // The same contract in process (cli/index.ts prints a UserError as one line and exits 2).
  it.each([
    ['a malformed minor', [], { stack: 'prod', to: 'latest' }, '--to: expected a Kubernetes minor version such as 1.36 (got "latest")'],
    ['a bad date', [], { stack: 'prod', to: '1.36', asOf: '01/12/2026' }, '--as-of: expected a date written YYYY-MM-DD, e.g. 2026-12-01 (got "01/12/2026")'],
    ['two output choices', [], { stack: 'prod', to: '1.36', json: true, format: 'md' }, 'upgrade: --json and --format md both choose the output; give one'],
    ['a manifest that does not exist', ['no-such-dir'], { stack: 'prod', to: '1.36' }, 'no-such-dir: no such file or directory'],
  ])('GIVEN %s THEN run() refuses it with a UserError before any output', async (_what, paths, opts, message) => {
    const write = jest.spyOn(process.stdout, 'write');
    await expect(run(paths, opts)).rejects.toThrow(new UserError(message));
    expect(write).not.toHaveBeenCalled();
    write.mockRestore();
  });

  it('GIVEN a directory walk with a malformed manifest WHEN judged THEN it is bad input naming the file, not a report without it', async () => {
    const dir = fs.mkdtempSync(path.join(tmp, 'walk-'));
    fs.writeFileSync(path.join(dir, 'a.yaml'), 'apiVersion: extensions/v1beta1\nkind: Ingress\nmetadata:\n  name: [unclosed\n');
    fs.writeFileSync(path.join(dir, 'b.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: b}\n');
    const write = jest.spyOn(process.stdout, 'write');
    await expect(run([dir], { config: writeStack('dev', NO_ARGOCD), to: '1.36' })).rejects.toThrow(/a\.yaml: YAML syntax error at line 5, column 1: /);
    expect(write).not.toHaveBeenCalled();
    write.mockRestore();
  });
});

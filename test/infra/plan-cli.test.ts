/** `platform plan` end to end: the bundled CLI spawned as a user would run it. */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { placeholderInputs, SYNTH_MARKER, synthesizePlatform } from '../../charts';
import { parseStackConfig } from '../../lib/config/load';
import { REPO, stackConfig } from '../helpers/pulumi';

const BIN = path.join(REPO, 'bin', 'platform.js');
let tmp: string;
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'plan-cli-'));
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** Every file under `dir`, relative, sorted. */
function listFiles(dir: string, rel = ''): string[] {
  return fs
    .readdirSync(path.join(dir, rel), { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? listFiles(dir, path.join(rel, e.name)) : [path.join(rel, e.name)]))
    .sort();
}

function plan(...args: string[]) {
  return spawnSync(process.execPath, [BIN, 'plan', ...args], { cwd: REPO, encoding: 'utf8' });
}

/** A preload that records, at exit, which heavy modules the process really loaded. */
function loadedModulesProbe(report: string): string {
  const probe = path.join(tmp, 'probe.js');
  fs.writeFileSync(
    probe,
    `process.on('exit', () => require('fs').writeFileSync(${JSON.stringify(report)}, JSON.stringify({
      typescript: Object.keys(require.cache).some((f) => f.endsWith('/typescript/lib/typescript.js')),
      arborist: Object.keys(require.cache).some((f) => f.includes('/@npmcli/arborist/lib/arborist/')),
      awsRoot: Object.keys(require.cache).some((f) => f.endsWith('/@pulumi/aws/index.js')),
    })));`,
  );
  return probe;
}

/** A stack file (JSON is YAML) named like a stack, so the CLI takes the stack name from it. */
function writeStack(stack: string, overrides: Record<string, unknown>): string {
  const dir = fs.mkdtempSync(path.join(tmp, 'stack-'));
  const file = path.join(dir, `Pulumi.${stack}.yaml`);
  fs.writeFileSync(file, JSON.stringify({ config: stackConfig(stack, overrides) }));
  return file;
}

describe('platform plan', () => {
  it('GIVEN the prod stack WHEN planned with --json and --out THEN it exits 0, prints the inventory, writes resources and findings, and the files synth writes', () => {
    const out = path.join(tmp, 'prod.json');
    const report = path.join(tmp, 'loaded.json');
    const rendered = path.join(tmp, 'dist', 'prod');
    // A directory an earlier synth (or plan --out) wrote is replaced as a whole: its stale file goes.
    fs.mkdirSync(rendered, { recursive: true });
    fs.writeFileSync(path.join(rendered, 'stale.yaml'), `# ${SYNTH_MARKER} --stack prod\`.\n`);
    const result = spawnSync(process.execPath, ['-r', loadedModulesProbe(report), BIN, 'plan', '--stack', 'prod', '--json', out, '--out', rendered, '--as-of', '2026-12-01'], { cwd: REPO, encoding: 'utf8' });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^plan: stack prod \(Pulumi\.prod\.yaml\): \d+ AWS resources, \d+ Kubernetes objects and Helm releases \(Kubernetes side applied by the in-cluster stack prod-cluster\); versions judged as of 2026-12-01$/m);
    // The AWS and Kubernetes sides in one inventory.
    expect(result.stdout).toMatch(/^ {5}8 {2}kubernetes:helm\.sh\/v3:Release$/m);
    expect(result.stdout).toMatch(/^ {5}4 {2}aws:acm\/certificate:Certificate$/m);
    expect(result.stdout).toMatch(/^ {2}helm releases +.*\baws-load-balancer-controller 3\.5\.0, external-dns 1\.21\.1, .*\bx509-certificate-exporter 4\.2\.0$/m);
    expect(result.stdout).toMatch(/^ {2}certificates +checkout\.example\.com \+ \*\.checkout\.example\.com \(DNS, awaited\); example\.com \+ \*\.example\.com \(DNS, awaited\); /m);
    expect(result.stdout).toMatch(/^ {5}2 {2}kubernetes:karpenter\.sh\/v1:NodePool$/m);
    expect(result.stdout).toMatch(/^ {4}29 {2}kubernetes:templates\.gatekeeper\.sh\/v1:ConstraintTemplate$/m);
    expect(result.stdout).toMatch(/^ {5}1 {2}aws:eks\/cluster:Cluster$/m);
    expect(result.stdout).toContain('endpoint                      private on, public off');
    expect(result.stdout).toContain('3 NAT gateway(s)');
    expect(result.stdout).toContain('findings: 0 (0 blocking)');
    const doc = JSON.parse(fs.readFileSync(out, 'utf8'));
    expect(Object.keys(doc)).toEqual(['resources', 'findings']);
    expect(doc.findings).toEqual([]);
    const cluster = doc.resources.find((r: { type: string }) => r.type === 'aws:eks/cluster:Cluster');
    expect(cluster).toMatchObject({ name: 'cluster', urn: expect.stringMatching(/^urn:pulumi:prod::platform::/), props: { name: 'platform-prod', version: '1.35' } });
    expect(Object.keys(doc.resources[0]).sort()).toEqual(['name', 'props', 'type', 'urn']);
    // Start-up: what only Pulumi's closure serializer needs, and the @pulumi/aws root, stay unloaded.
    expect(JSON.parse(fs.readFileSync(report, 'utf8'))).toEqual({ typescript: false, arborist: false, awsRoot: false });
    // --out: exactly the files `platform synth --stack prod` writes, byte for byte.
    const config = parseStackConfig(stackConfig('prod'), 'Pulumi.prod.yaml');
    const { files } = synthesizePlatform(config, placeholderInputs(config), { stack: 'prod' });
    expect(listFiles(rendered)).toEqual([...files.keys()].sort());
    for (const [file, text] of files) expect(fs.readFileSync(path.join(rendered, file), 'utf8')).toBe(text);
    expect(result.stdout).toMatch(new RegExp(`\\nrendered: ${files.size} files -> ${rendered.replace(/[/.]/g, '\\$&')}/\\n$`));
  });

  it('GIVEN a prod config without secrets encryption WHEN planned THEN it is refused with exit 2 naming the key, and nothing is written', () => {
    const rendered = path.join(tmp, 'refused');
    const result = plan('--config', writeStack('prod', { 'platform:encryption': { secrets: false } }), '--out', rendered);
    expect(result.status).toBe(2);
    expect(result.stdout).toBe('');
    expect(fs.existsSync(rendered)).toBe(false);
    expect(result.stderr).toMatch(/^platform: .*Pulumi\.prod\.yaml: platform:encryption\.secrets: must be true in prod \(Secrets envelope encryption, CIS EKS 5\.3\.1\) \(got false\)\n$/);
  });

  it('GIVEN a prod config dropping the audit log WHEN planned THEN it is refused with exit 2 naming the key', () => {
    const result = plan('--config', writeStack('prod', { 'platform:logging': { controlPlaneLogTypes: ['api', 'authenticator', 'controllerManager', 'scheduler'], retentionDays: 365 } }));
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('platform:logging.controlPlaneLogTypes: must include all five log types in prod (missing: audit; CIS EKS 2.1.1)');
  });

  it('GIVEN a dev config without secrets encryption WHEN planned THEN the critical finding blocks with exit 1', () => {
    const result = plan('--config', writeStack('dev', { 'platform:encryption': { secrets: false } }));
    expect(result.status).toBe(1);
    expect(result.stdout).toContain(
      'CRITICAL (blocking) eks-secrets-encryption CIS EKS 5.3.1 aws:eks/cluster:Cluster::cluster: encryptionConfig does not cover resources ["secrets"] (envelope-encrypt Secrets with a KMS key)',
    );
    expect(result.stdout).toContain('findings: 4 (1 blocking)');
  });

  it('GIVEN dev judged on 2027-04-01 WHEN planned THEN 1.35 past standard support is a blocking high finding (exit 1)', () => {
    const result = plan('--stack', 'dev', '--as-of', '2027-04-01');
    expect(result.status).toBe(1);
    // EKS calendar: 1.35 standard support ends 2027-03-27; the platform's clusters set upgradePolicy STANDARD.
    expect(result.stdout).toContain(
      'HIGH (blocking) k8s-version-extended-support EKS Kubernetes version lifecycle aws:eks/cluster:Cluster::cluster: Kubernetes 1.35 left EKS standard support on 2027-03-27 (as of 2027-04-01): with upgradePolicy STANDARD, EKS upgrades the control plane itself, on its own schedule, while add-ons and nodes stay behind',
    );
    expect(result.stdout).toContain('findings: 4 (1 blocking)');
  });

  it.each([
    ['--as-of 2026-13-01', ['--as-of', '2026-13-01'], {}, /^platform: --as-of: expected a date written YYYY-MM-DD, e\.g\. 2026-12-01 \(got "2026-13-01"\)$/],
    ['PLATFORM_AS_OF=tomorrow', [], { PLATFORM_AS_OF: 'tomorrow' }, /^platform: PLATFORM_AS_OF: expected a date written YYYY-MM-DD, e\.g\. 2026-12-01 \(got "tomorrow"\)$/],
  ])('GIVEN %s WHEN planned THEN it is refused with exit 2 before anything runs', (_what, args, env, message) => {
    const result = spawnSync(process.execPath, [BIN, 'plan', '--stack', 'prod', ...args], { cwd: REPO, encoding: 'utf8', env: { ...process.env, ...env } });
    expect(result.status).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr.trimEnd()).toMatch(message);
  });
});

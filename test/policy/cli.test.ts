import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { run as check } from '../../cli/commands/check';
import { REPO_ROOT } from '../../lib/paths';
import { checkManifests } from '../../lib/policy/check';
import { userErrorMessage } from '../helpers/errors';
import { HARDENED_POD_SPEC } from './fixtures';

function platform(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [path.join(REPO_ROOT, 'bin', 'platform.js'), ...args], { cwd: REPO_ROOT, encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const hardened = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'apps', labels: { 'app.kubernetes.io/name': 'web' } },
  spec: {
    selector: { matchLabels: { app: 'web' } },
    template: {
      metadata: { labels: { app: 'web' } },
      spec: HARDENED_POD_SPEC,
    },
  },
};

describe('platform check and verify (CLI)', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'check-cli-'));
    fs.writeFileSync(path.join(dir, 'ok.json'), JSON.stringify(hardened));
    const bad = { ...hardened, spec: { ...hardened.spec, template: { ...hardened.spec.template, spec: { ...hardened.spec.template.spec, hostNetwork: true } } } };
    fs.writeFileSync(path.join(dir, 'bad.yaml'), `${JSON.stringify(bad)}\n---\napiVersion: v1\nkind: Service\nmetadata: {name: np, namespace: apps}\nspec: {type: NodePort}\n`);
    fs.writeFileSync(path.join(dir, 'broken.yaml'), 'apiVersion: v1\nkind: [unclosed\n');
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('GIVEN a hardened Deployment WHEN checked THEN exit 0 and no violation lines', () => {
    const r = platform('check', path.join(dir, 'ok.json'));
    expect([r.status, r.stdout]).toEqual([0, '']);
  });

  it('GIVEN violations WHEN checked THEN one sorted line per violation and exit 1; --json gives the same as objects', () => {
    const file = path.join(dir, 'bad.yaml');
    const r = platform('check', file);
    expect(r.status).toBe(1);
    expect(r.stdout.trim().split('\n')).toEqual([
      `${file}: Deployment/apps/web: host-namespaces: sharing host namespaces is not allowed: hostNetwork`,
      `${file}: Service/apps/np: no-nodeport-services: Services of type NodePort are not allowed: np`,
    ]);
    const j = platform('check', '--json', file);
    expect(j.status).toBe(1);
    expect(JSON.parse(j.stdout)[1]).toEqual({ file, kind: 'Service', namespace: 'apps', name: 'np', constraint: 'no-nodeport-services', enforcementAction: 'deny', message: 'Services of type NodePort are not allowed: np' });
  });

  it('GIVEN malformed YAML WHEN checked THEN exit 2 with one line naming the file', () => {
    const r = platform('check', path.join(dir, 'ok.json'), path.join(dir, 'broken.yaml'));
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`^platform: ${path.join(dir, 'broken.yaml').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: YAML syntax error at line 3`));
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('GIVEN the library as a quoted glob WHEN verified THEN every case passes with the closing summary line', () => {
    const r = platform('verify', 'policies/**/suite.yaml');
    expect(r.status).toBe(0);
    const lines = r.stdout.trim().split('\n');
    // The one Rego template's suite (unique-ingress-hosts) is skipped: this engine runs no Rego.
    expect(lines[lines.length - 1]).toMatch(/^\d+ passed, 0 failed, 5 skipped$/);
    expect(lines.filter((l) => !l.startsWith('ok   ') && !l.startsWith('skip policies/unique-ingress-hosts/suite.yaml: '))).toHaveLength(1);
  });

  it('GIVEN the directory `platform synth` writes for prod (manifests plus values/) WHEN checked with --emit-vap THEN exit 0, the values files skipped and counted, one VAP file per constraint', () => {
    const out = path.join(dir, 'prod');
    expect(platform('synth', '--stack', 'prod', '--out', out).status).toBe(0);
    const valuesFiles = fs.readdirSync(path.join(out, 'values')).filter((f) => f.endsWith('.yaml'));
    expect(valuesFiles.length).toBeGreaterThan(0);
    const vap = path.join(dir, 'vap');
    const r = platform('check', out, '--emit-vap', vap);
    expect([r.status, r.stdout]).toEqual([0, '']);
    // --emit-vap wrote one policy file per constraint (the chart renders the library's constraints, which replace their own),
    // but for the Rego one, which reads other objects: no ValidatingAdmissionPolicy can, and stderr says so.
    const cel = fs.readdirSync(path.join(REPO_ROOT, 'policies')).filter((f) => fs.existsSync(path.join(REPO_ROOT, 'policies', f, 'constraint.yaml')) && f !== 'unique-ingress-hosts');
    expect(fs.readdirSync(vap).sort()).toEqual(cel.map((f) => `${f}.yaml`).sort());
    expect(r.stderr).toContain('platform: vap: skipped template platformuniqueingresshosts: no K8sNativeValidation code (a ValidatingAdmissionPolicy runs CEL over the object, its namespace and its parameters only)\n');
    expect(r.stderr.trim().split('\n').pop()).toMatch(new RegExp(`^0 violation\\(s\\) \\(0 deny\\) in \\d+ object\\(s\\) from \\d+ file\\(s\\), \\d+ constraint\\(s\\); skipped ${valuesFiles.length} files that hold no Kubernetes objects$`));
  });

  it('GIVEN no paths and no --emit-vap WHEN checking THEN it is bad input naming what to give', async () => {
    await expect(check([], {})).rejects.toThrow('check: name at least one file or directory to check (or --emit-vap <dir> to write the policies only)');
  });

  it('GIVEN a file that is not a Suite WHEN verified THEN exit 2 naming the file', () => {
    const file = path.join(dir, 'ok.json');
    const r = platform('verify', file);
    expect([r.status, r.stderr.trim()]).toEqual([2, `platform: ${file}: not a Gatekeeper Suite (expected apiVersion test.gatekeeper.sh/v1alpha1, kind Suite; got "apps/v1" "Deployment")`]);
  });
});

describe('platform check: inputs that check nothing (CLI)', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'check-nothing-'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it.each([
    ['empty.yaml', ''],
    ['comments.yaml', '# nothing here yet\n---\n# nor here\n'],
    ['empty-list.json', '{"apiVersion": "v1", "kind": "List", "items": []}'],
  ])('GIVEN a named file %s that holds no object WHEN checked THEN exit 2 with "no Kubernetes objects in <file>"', async (name, content) => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, content);
    expect(userErrorMessage(() => checkManifests([file]))).toBe(`no Kubernetes objects in ${file} (it is empty, holds only comments or an empty List): name a file of manifests`);
  });

  it('GIVEN an empty file named on the command line WHEN checked through the CLI THEN exit 2, one line', () => {
    const file = path.join(dir, 'named-empty.yaml');
    fs.writeFileSync(file, '\n# only a comment\n');
    const r = platform('check', file);
    expect([r.status, r.stdout, r.stderr]).toEqual([2, '', `platform: no Kubernetes objects in ${file} (it is empty, holds only comments or an empty List): name a file of manifests\n`]);
  });

  it('GIVEN a walked tree with a dangling link, a binary file, a malformed file and a violation WHEN checked THEN each bad file is reported, the rest is checked, exit 2 at the end', () => {
    const tree = path.join(dir, 'tree');
    fs.mkdirSync(path.join(tree, 'sub'), { recursive: true });
    fs.writeFileSync(path.join(tree, 'a-broken.yaml'), 'apiVersion: v1\nkind: [unclosed\n');
    fs.writeFileSync(path.join(tree, 'sub', 'b-binary.yaml'), Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x00]));
    fs.symlinkSync(path.join(tree, 'gone.yaml'), path.join(tree, 'sub', 'c-link.yaml'));
    fs.writeFileSync(path.join(tree, 'z-bad.yaml'), JSON.stringify({ ...hardened, spec: { ...hardened.spec, template: { ...hardened.spec.template, spec: { ...HARDENED_POD_SPEC, hostPID: true } } } }));
    const r = platform('check', tree);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe(`${path.join(tree, 'z-bad.yaml')}: Deployment/apps/web: host-namespaces: sharing host namespaces is not allowed: hostPID\n`);
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines.slice(0, 3)).toEqual([
      expect.stringMatching(new RegExp(`^platform: ${path.join(tree, 'a-broken.yaml').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: YAML syntax error at line \\d+, column \\d+: `)),
      `platform: ${path.join(tree, 'sub', 'b-binary.yaml')}: binary file, expected YAML or JSON text`,
      `platform: ${path.join(tree, 'sub', 'c-link.yaml')}: broken symbolic link (its target ${path.join(tree, 'gone.yaml')} does not exist)`,
    ]);
    expect(lines[3]).toMatch(/^1 violation\(s\) \(1 deny\) in 1 object\(s\) from 1 file\(s\), \d+ constraint\(s\); 3 file\(s\) could not be loaded$/);
  });
});

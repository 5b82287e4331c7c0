import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { expectOneLineError, platform } from '../helpers/cli';
import { fixturePath } from './helpers';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'audit-cli-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function write(name: string, text: string): string {
  const file = path.join(tmp, name);
  fs.writeFileSync(file, text);
  return file;
}

describe('platform audit (bundled CLI)', () => {
  it('GIVEN an empty, a truncated and a foreign file WHEN audited THEN each exits 2 with one line naming the file', () => {
    const empty = write('empty.json', '');
    expectOneLineError(platform(['audit', empty]), new RegExp(`^platform: ${empty}: file is empty; expected the JSON printed by \`pulumi preview --json\`$`));
    const truncated = write('truncated.json', fs.readFileSync(fixturePath('risky-update'), 'utf8').slice(0, 500));
    expectOneLineError(platform(['audit', truncated]), /^platform: .*truncated\.json: not valid JSON \(/);
    const foreign = write('foreign.json', '{"resources": [], "outputs": {}}');
    expectOneLineError(platform(['audit', foreign]), /^platform: .*foreign\.json: expected the JSON printed by `pulumi preview --json`: no "steps" list and no "changeSummary" object \(top-level keys: "resources", "outputs"\)$/);
  });

  it('GIVEN --fail-on high WHEN the risky update is audited THEN it exits 1; the no-op exits 0', () => {
    const risky = platform(['audit', fixturePath('risky-update'), '--format', 'json', '--fail-on', 'high']);
    expect(risky.status).toBe(1);
    expect((JSON.parse(risky.stdout) as { findings: unknown[] }).findings).toHaveLength(22);
    expect(platform(['audit', fixturePath('no-op'), '--fail-on', 'low']).status).toBe(0);
  });

  it('GIVEN --out WHEN auditing THEN the report is written there, stdout stays empty and the exit code is 0 without --fail-on', () => {
    const out = path.join(tmp, 'report', 'audit.html');
    const result = platform(['audit', fixturePath('destructive-replace'), '--format', 'html', '--out', out]);
    expect(result.status).toBe(0);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(`audit: 6 changed resources, 8 findings; report written to ${out}\n`);
    expect(fs.readFileSync(out, 'utf8')).toContain('<title>Preview audit: platform/prod</title>');
  });

  it('GIVEN --out under a regular file or onto a directory WHEN auditing THEN one line names the path, exit 2, nothing is written', () => {
    const file = write('plain.txt', 'x');
    expectOneLineError(platform(['audit', fixturePath('no-op'), '--out', path.join(file, 'report.md')]), new RegExp(`^platform: ${file}/report\\.md: cannot write there \\(a parent is a file, not a directory; nothing was written\\)$`));
    expectOneLineError(platform(['audit', fixturePath('no-op'), '--out', tmp]), new RegExp(`^platform: ${tmp}: is a directory \\(name a file to write; nothing was written\\)$`));
    expect(fs.readdirSync(tmp).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('GIVEN a preview with text before its JSON, or a failed preview, WHEN audited THEN exit 2 names the line; --fail-on high fails the incomplete one', () => {
    const mixed = write('mixed.json', `warning: A new version of Pulumi is available.\n${fs.readFileSync(fixturePath('no-op'), 'utf8')}`);
    expectOneLineError(platform(['audit', mixed]), /^platform: .*mixed\.json: line 1 is not JSON \("warning: A new version of Pulumi is available\."\); the JSON starts at line 2\./);
    const failed = write('failed.json', JSON.stringify({ config: {}, diagnostics: [{ message: 'error: program failed\n', severity: 'error' }] }));
    const result = platform(['audit', failed, '--fail-on', 'high']);
    expect([result.status, result.stderr]).toEqual([1, '']);
    expect(result.stdout).toContain('Pulumi reported an error: the preview stopped early');
  });
});

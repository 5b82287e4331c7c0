import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { UserError } from '../../lib/errors';
import { writeDirectoryAtomic, writeFileAtomic } from '../../lib/fs';

const made: string[] = [];
const tmp = (): string => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'platform-fs-'));
  made.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of made) fs.rmSync(dir, { recursive: true, force: true });
});

describe('writeFileAtomic', () => {
  it('GIVEN a missing parent directory WHEN writing THEN it creates it and leaves no temporary file', () => {
    const dir = tmp();
    const file = path.join(dir, 'a', 'b', 'report.json');
    writeFileAtomic(file, '{"ok":true}\n');
    expect(fs.readFileSync(file, 'utf8')).toBe('{"ok":true}\n');
    expect(fs.readdirSync(path.dirname(file))).toEqual(['report.json']);
  });

  it('GIVEN the target is a directory WHEN writing THEN a one-line UserError, and no temporary file remains', () => {
    const dir = tmp();
    fs.mkdirSync(path.join(dir, 'taken'));
    expect(() => writeFileAtomic(path.join(dir, 'taken'), 'x')).toThrow(UserError);
    expect(() => writeFileAtomic(path.join(dir, 'taken'), 'x')).toThrow(/taken: is a directory \(name a file to write; nothing was written\)$/);
    expect(fs.readdirSync(dir)).toEqual(['taken']);
  });

  it('GIVEN a parent that is a file WHEN writing THEN a one-line UserError naming the path', () => {
    const blocker = path.join(tmp(), 'file');
    fs.writeFileSync(blocker, 'x');
    expect(() => writeFileAtomic(path.join(blocker, 'plan.json'), '{}')).toThrow(/plan\.json: cannot write there \(a parent is a file, not a directory; nothing was written\)$/);
  });
});

describe('writeDirectoryAtomic', () => {
  const MARK = 'written by test';
  const file = (body: string) => `# ${MARK}\n${body}`;

  it('GIVEN an output this command wrote WHEN replaced THEN only the new files remain', () => {
    const out = path.join(tmp(), 'dist', 'dev');
    writeDirectoryAtomic(out, new Map([['old.yaml', file('a: 1\n')], ['values/x.yaml', file('b: 2\n')]]), MARK);
    writeDirectoryAtomic(out, new Map([['new.yaml', file('c: 3\n')]]), MARK);
    expect(fs.readdirSync(out)).toEqual(['new.yaml']);
    expect(fs.readFileSync(path.join(out, 'new.yaml'), 'utf8')).toBe(file('c: 3\n'));
    expect(fs.readdirSync(path.dirname(out))).toEqual(['dev']);
  });

  it('GIVEN a directory holding anything else (e.g. --out .) WHEN asked to replace it THEN it refuses and deletes nothing', () => {
    const out = tmp();
    fs.writeFileSync(path.join(out, 'package.json'), '{}');
    fs.mkdirSync(path.join(out, 'values'));
    fs.writeFileSync(path.join(out, 'values', 'mine.yaml'), file('ok: true\n'));
    expect(() => writeDirectoryAtomic(out, new Map([['a.yaml', file('a: 1\n')]]), MARK)).toThrow(UserError);
    expect(() => writeDirectoryAtomic(out, new Map([['a.yaml', file('a: 1\n')]]), MARK)).toThrow(/holds package\.json, which this command did not write; refusing to replace the directory/);
    expect(fs.readdirSync(out).sort()).toEqual(['package.json', 'values']);
    expect(fs.readdirSync(path.dirname(out)).filter((n) => n.includes(path.basename(out)) && n !== path.basename(out))).toEqual([]);
  });

  it('GIVEN an existing file at the output path WHEN writing THEN it refuses and keeps the file', () => {
    const target = path.join(tmp(), 'taken');
    fs.writeFileSync(target, 'precious');
    expect(() => writeDirectoryAtomic(target, new Map([['a.yaml', file('a: 1\n')]]), MARK)).toThrow(/taken: exists and is not a directory/);
    expect(fs.readFileSync(target, 'utf8')).toBe('precious');
  });

  it('GIVEN an output path under a file WHEN writing THEN one clear error, not a stack of EEXIST', () => {
    const blocker = path.join(tmp(), 'file');
    fs.writeFileSync(blocker, 'x');
    expect(() => writeDirectoryAtomic(path.join(blocker, 'out'), new Map([['a.yaml', file('a: 1\n')]]), MARK)).toThrow(/out: cannot write there \(a parent is a file, not a directory\)/);
  });

  it('GIVEN an empty existing directory WHEN writing THEN it is used', () => {
    const out = tmp();
    writeDirectoryAtomic(out, new Map([['a.yaml', file('a: 1\n')]]), MARK);
    expect(fs.readdirSync(out)).toEqual(['a.yaml']);
  });

  it('GIVEN a path escaping the directory WHEN writing THEN it refuses and keeps the previous output', () => {
    const out = path.join(tmp(), 'dist');
    writeDirectoryAtomic(out, new Map([['keep.yaml', file('k: 1\n')]]), MARK);
    expect(() => writeDirectoryAtomic(out, new Map([['../escape.yaml', file('x')]]), MARK)).toThrow(/refusing to write outside/);
    expect(fs.readdirSync(out)).toEqual(['keep.yaml']);
    expect(fs.readdirSync(path.dirname(out))).toEqual(['dist']);
  });
});

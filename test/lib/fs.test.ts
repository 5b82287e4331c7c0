import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { writeDirectoryAtomic, writeFileAtomic } from '../../lib/fs';

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'platform-fs-'));

describe('writeFileAtomic', () => {
  it('GIVEN a missing parent directory WHEN writing THEN it creates it and leaves no temporary file', () => {
    const dir = tmp();
    const file = path.join(dir, 'a', 'b', 'report.json');
    writeFileAtomic(file, '{"ok":true}\n');
    expect(fs.readFileSync(file, 'utf8')).toBe('{"ok":true}\n');
    expect(fs.readdirSync(path.dirname(file))).toEqual(['report.json']);
  });

  it('GIVEN the target is a directory WHEN writing fails THEN the error surfaces and no temporary file remains', () => {
    const dir = tmp();
    fs.mkdirSync(path.join(dir, 'taken'));
    expect(() => writeFileAtomic(path.join(dir, 'taken'), 'x')).toThrow();
    expect(fs.readdirSync(dir)).toEqual(['taken']);
  });
});

describe('writeDirectoryAtomic', () => {
  it('GIVEN an existing output WHEN replaced THEN only the new files remain', () => {
    const out = path.join(tmp(), 'dist', 'dev');
    writeDirectoryAtomic(out, new Map([['old.yaml', 'a: 1\n'], ['values/x.yaml', 'b: 2\n']]));
    writeDirectoryAtomic(out, new Map([['new.yaml', 'c: 3\n']]));
    expect(fs.readdirSync(out)).toEqual(['new.yaml']);
    expect(fs.readFileSync(path.join(out, 'new.yaml'), 'utf8')).toBe('c: 3\n');
    expect(fs.readdirSync(path.dirname(out))).toEqual(['dev']);
  });

  it('GIVEN a path escaping the directory WHEN writing THEN it refuses and keeps the previous output', () => {
    const out = path.join(tmp(), 'dist');
    writeDirectoryAtomic(out, new Map([['keep.yaml', 'k: 1\n']]));
    expect(() => writeDirectoryAtomic(out, new Map([['../escape.yaml', 'x']]))).toThrow(/refusing to write outside/);
    expect(fs.readdirSync(out)).toEqual(['keep.yaml']);
    expect(fs.readdirSync(path.dirname(out))).toEqual(['dist']);
  });
});

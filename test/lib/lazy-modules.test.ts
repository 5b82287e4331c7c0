/**
 * deferModule works on Node's own module cache, which jest replaces with its registry: so the
 * behaviour is checked in a plain Node child process running the compiled module.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { transformSync } from 'esbuild';

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lazy-'));
  const source = fs.readFileSync(path.join(__dirname, '..', '..', 'lib', 'lazy-modules.ts'), 'utf8');
  fs.writeFileSync(path.join(dir, 'lazy-modules.js'), transformSync(source, { loader: 'ts', format: 'cjs', platform: 'node' }).code);
  fs.writeFileSync(path.join(dir, 'heavy.js'), 'globalThis.loads = (globalThis.loads || 0) + 1;\nexports.answer = 42;\nexports.twice = (n) => n * 2;\n');
  fs.writeFileSync(path.join(dir, 'cjs.js'), 'globalThis.loads = (globalThis.loads || 0) + 1;\nmodule.exports = (x) => x + 1;\nmodule.exports.extra = true;\n');
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Runs `script` in Node with `deferModule` in scope; returns what it printed. */
function inNode(script: string): string {
  const prelude = `const { deferModule } = require(${JSON.stringify(path.join(dir, 'lazy-modules.js'))}); const dir = ${JSON.stringify(dir)}; const loads = () => globalThis.loads || 0;\n`;
  const result = spawnSync(process.execPath, ['-e', prelude + script], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(result.stderr);
  return result.stdout.trim();
}

describe('deferModule', () => {
  it('GIVEN a deferred module WHEN required THEN it loads only on first property access, once', () => {
    const out = inNode(`
      const file = dir + '/heavy.js';
      const deferred = deferModule(file);
      const mod = require(file);
      const before = loads();
      console.log(JSON.stringify([deferred, before, mod.answer, mod.twice(4), loads(), require(file).answer, loads()]));`);
    expect(JSON.parse(out)).toEqual([true, 0, 42, 8, 1, 42, 1]);
  });

  it('GIVEN TypeScript import helpers WHEN they wrap the stand-in THEN nothing loads until used, and default is the CommonJS module', () => {
    const out = inNode(`
      const file = dir + '/cjs.js';
      deferModule(file);
      const mod = require(file);
      const esModule = mod.__esModule;
      const before = loads();
      console.log(JSON.stringify([esModule, before, mod.default(1), mod.extra, loads()]));`);
    expect(JSON.parse(out)).toEqual([true, 0, 2, true, 1]);
  });

  it('GIVEN a module already loaded or missing WHEN deferred THEN nothing changes', () => {
    const out = inNode(`
      require(dir + '/heavy.js');
      console.log(JSON.stringify([deferModule(dir + '/heavy.js'), deferModule(dir + '/missing.js'), loads()]));`);
    expect(JSON.parse(out)).toEqual([false, false, 1]);
  });
});

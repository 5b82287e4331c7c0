/**
 * Start-up cost: `@pulumi/pulumi` loads, at import time, two heavy modules that only its closure
 * serializer uses (turning JavaScript functions into code for cloud functions): `typescript`
 * (~0.4 s, through its `typescript-shim`), `@npmcli/arborist` and `normalize-package-data`
 * (~0.45 s, to compute code paths); and its automation API (~0.1 s). A mocked run, like a
 * `pulumi up` of this program, never serializes a function nor drives the Pulumi CLI.
 *
 * `deferPulumiClosureDependencies` registers stand-ins for those two modules that load the real
 * module on first use, so nothing changes for code that does use them; it only moves the cost to
 * where it is paid. Must run before `@pulumi/pulumi` is first loaded; later calls do nothing.
 * (Under jest, which keeps its own module registry, the stand-ins are simply not consulted.)
 */
import * as fs from 'node:fs';
import Module from 'node:module';
import * as path from 'node:path';

/** Node's own require (also under a bundler or test runner), whose cache `require()` consults. */
const nativeRequire = Module.createRequire(__filename);

interface CacheableModule {
  filename: string;
  loaded: boolean;
  exports: unknown;
}

/** Registers a stand-in for the module at `file` that loads it on first property access. */
export function deferModule(file: string): boolean {
  if (!fs.existsSync(file) || nativeRequire.cache[file]) return false;
  let real: Record<PropertyKey, unknown> | undefined;
  const load = (): Record<PropertyKey, unknown> => {
    if (!real) {
      delete nativeRequire.cache[file];
      real = Module.createRequire(file)(file) as Record<PropertyKey, unknown>;
    }
    return real;
  };
  const standIn = new Proxy(
    {},
    {
      // `__importStar` helpers ask whether a module is an ES module before copying its keys;
      // answering yes keeps the stand-in itself (and so the laziness) in place.
      get: (_target, key) => {
        if (key === '__esModule' && !real) return true;
        const m = load();
        // What `__importDefault` would have given for a CommonJS module: the module itself.
        if (key === 'default' && !m.__esModule && !('default' in m)) return m;
        return m[key];
      },
      has: (_target, key) => key in load(),
      ownKeys: () => Reflect.ownKeys(load()),
      getOwnPropertyDescriptor: (_target, key) => {
        const d = Reflect.getOwnPropertyDescriptor(load(), key);
        return d ? { ...d, configurable: true } : undefined;
      },
    },
  );
  const mod = new Module(file) as unknown as CacheableModule;
  mod.filename = file;
  mod.loaded = true;
  mod.exports = standIn;
  nativeRequire.cache[file] = mod as unknown as NodeJS.Module;
  return true;
}

/** Defers what only Pulumi's closure serializer and automation API need. Returns the modules it deferred. */
export function deferUnusedPulumiModules(): string[] {
  let pulumiDir: string;
  try {
    pulumiDir = path.dirname(nativeRequire.resolve('@pulumi/pulumi/package.json'));
  } catch {
    return [];
  }
  const fromPulumi = Module.createRequire(path.join(pulumiDir, 'index.js'));
  // The automation API (driving the Pulumi CLI from code) is exported from the package root but
  // unused by a program.
  const candidates: string[] = [path.join(pulumiDir, 'typescript-shim.js'), path.join(pulumiDir, 'automation', 'index.js')];
  for (const name of ['@npmcli/arborist', 'normalize-package-data']) {
    try {
      candidates.push(fromPulumi.resolve(name));
    } catch {
      // Not installed where Pulumi looks: nothing to defer.
    }
  }
  return candidates.filter(deferModule).map((f) => path.relative(path.dirname(pulumiDir), f));
}

#!/usr/bin/env node
// Proves the construct library works from outside the repository, as an engineer would use it:
// 1. `npm pack` the workspace (its prepack builds lib/) and check what the tarball ships;
// 2. make a scratch app with plain `npm init`, an ES module app ("type": "module"), and install the
//    tarball with cdk8s, constructs, cdk8s-plus-28, typescript and @types/node at the versions this
//    repository tests with, from the npm cache that `npm ci` filled (registry tarball URLs with
//    --prefer-offline: no registry round trip when cached, a download when not);
// 3. `tsc --init` there (TypeScript 5.9), changing only rootDir, outDir and types: ["node"];
// 4. write every TypeScript example of README.md and constructs/README.md into src/, compile them
//    with `tsc`, run each with `node`, and check what they synthesize with `platform check` (no
//    violation allowed; the examples' registry and tenant allowed by test/fixtures/example-registry-constraint.yaml and
//    example-tenant-ingress-constraints.yaml); the app's node_modules must hold no @pulumi/* package.
// Usage: node scripts/check-constructs-package.js [--keep]   (--keep leaves the scratch app in place)
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawnSync } = require('node:child_process');

const root = path.resolve(__dirname, '..');
const PACKAGE = '@eks-platform-blueprint/constructs';
const EXAMPLE_READMES = ['README.md', 'constructs/README.md'];
/** Installed next to the package: its peers, and what compiles the app (undici-types is @types/node's dependency, named so no registry metadata is needed). */
const PEERS = ['cdk8s', 'constructs', 'cdk8s-plus-28'];
const DEV_TOOLS = ['typescript', '@types/node', 'undici-types'];

/** Every ```ts block of the READMEs: each must be a whole program that imports the package and synthesizes. */
function readmeExamples(dir = root) {
  const examples = [];
  for (const file of EXAMPLE_READMES) {
    const text = fs.readFileSync(path.join(dir, file), 'utf8');
    let index = 0;
    for (const m of text.matchAll(/^```ts\n([\s\S]*?)^```$/gm)) {
      index += 1;
      const name = `${file.replace(/\/?README\.md$/, '').replace(/\W+/g, '-') || 'root'}-${index}`;
      examples.push({ file, index, name, code: m[1] });
    }
  }
  return examples;
}

class Failure extends Error {}

function run(cmd, args, cwd, env = {}) {
  const result = spawnSync(cmd, args, { cwd, encoding: 'utf8', env: { ...process.env, npm_config_update_notifier: 'false', ...env } });
  if (result.status !== 0) {
    throw new Failure(`${cmd} ${args.join(' ')} (in ${cwd}) exited with ${result.status ?? result.signal}\n${result.stdout}${result.stderr}`);
  }
  return result.stdout;
}

const timings = [];
function step(label, fn) {
  const t0 = process.hrtime.bigint();
  const out = fn();
  const s = Number(process.hrtime.bigint() - t0) / 1e9;
  timings.push(`${label} ${s.toFixed(1)} s`);
  return out;
}

/** `npm pack --json` output: one entry per packed folder (filename, files). */
function pack(folders, cwd, dest) {
  return JSON.parse(run('npm', ['pack', ...folders, '--pack-destination', dest, '--json', '--silent'], cwd));
}

/** The registry tarball URL of the version of `name` this repository has installed (what `npm ci` cached). */
function tarballUrl(registry, name) {
  const { version } = JSON.parse(fs.readFileSync(path.join(root, 'node_modules', name, 'package.json'), 'utf8'));
  const base = name.startsWith('@') ? name.split('/')[1] : name;
  return `${registry.replace(/\/?$/, '/')}${name}/-/${base}-${version}.tgz`;
}

function checkTarball(entry) {
  const files = entry.files.map((f) => f.path).sort();
  const stray = files.filter((f) => !(f === 'package.json' || f === 'README.md' || f === 'LICENSE' || /^lib\/.+\.(js|d\.ts)$/.test(f)));
  if (stray.length > 0) throw new Failure(`the package ships files outside lib/*.js, lib/*.d.ts, README.md: ${stray.join(', ')}`);
  for (const needed of ['lib/index.js', 'lib/index.d.ts', 'README.md']) {
    if (!files.includes(needed)) throw new Failure(`the package does not ship ${needed}`);
  }
  return files.length;
}

/** tsc --init's tsconfig.json with only rootDir, outDir and types changed; each edit must apply exactly once. */
function editTsconfig(text) {
  const edits = [
    [/^(\s*)\/\/ "rootDir": "\.\/src",$/m, '$1"rootDir": "./src",'],
    [/^(\s*)\/\/ "outDir": "\.\/dist",$/m, '$1"outDir": "./dist",'],
    [/^(\s*)"types": \[\],$/m, '$1"types": ["node"],'],
  ];
  let out = text;
  for (const [pattern, replacement] of edits) {
    const hits = out.match(new RegExp(pattern.source, 'gm')) ?? [];
    if (hits.length !== 1) throw new Failure(`tsc --init wrote a tsconfig.json without exactly one line matching ${pattern} (found ${hits.length}): the edit list needs updating for this TypeScript`);
    out = out.replace(pattern, replacement);
  }
  return out;
}

function listPackages(nodeModules) {
  const names = [];
  for (const entry of fs.readdirSync(nodeModules)) {
    if (entry.startsWith('.')) continue;
    if (entry.startsWith('@')) for (const sub of fs.readdirSync(path.join(nodeModules, entry))) names.push(`${entry}/${sub}`);
    else names.push(entry);
  }
  return names.sort();
}

function main() {
  const keep = process.argv.includes('--keep');
  const started = process.hrtime.bigint();
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'constructs-package-'));
  const tarballs = path.join(work, 'tarballs');
  const app = path.join(work, 'app');
  fs.mkdirSync(tarballs);
  fs.mkdirSync(app);
  try {
    const examples = readmeExamples();
    if (examples.length === 0) throw new Failure(`no \`\`\`ts examples found in ${EXAMPLE_READMES.join(', ')}`);
    for (const e of examples) {
      if (!e.code.includes(`from '${PACKAGE}'`) || !/\bapp\.synth\(\)/.test(e.code)) {
        throw new Failure(`${e.file} example ${e.index} is not a whole program: it must import from '${PACKAGE}' and call app.synth()`);
      }
    }

    const [own] = step('pack', () => pack(['./constructs'], root, tarballs));
    const shipped = checkTarball(own);

    step('npm init + install', () => {
      run('npm', ['init', '-y'], app);
      const registry = run('npm', ['config', 'get', 'registry'], app).trim();
      run('npm', ['pkg', 'set', 'type=module', ...DEV_TOOLS.map((t) => `devDependencies.${t}=${tarballUrl(registry, t)}`)], app);
      run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', path.join(tarballs, own.filename), ...PEERS.map((p) => tarballUrl(registry, p))], app);
    });
    const installed = listPackages(path.join(app, 'node_modules'));
    const pulumi = installed.filter((n) => n.startsWith('@pulumi/'));
    if (pulumi.length > 0) throw new Failure(`the app's node_modules holds Pulumi packages: ${pulumi.join(', ')}`);
    const manifest = JSON.parse(fs.readFileSync(path.join(app, 'node_modules', PACKAGE, 'package.json'), 'utf8'));
    if (manifest.dependencies && Object.keys(manifest.dependencies).length > 0) throw new Failure(`the package has runtime dependencies: ${Object.keys(manifest.dependencies).join(', ')}`);

    step('tsc --init + tsc', () => {
      run('npx', ['--no-install', 'tsc', '--init'], app);
      const tsconfig = path.join(app, 'tsconfig.json');
      fs.writeFileSync(tsconfig, editTsconfig(fs.readFileSync(tsconfig, 'utf8')));
      fs.mkdirSync(path.join(app, 'src'));
      for (const e of examples) fs.writeFileSync(path.join(app, 'src', `${e.name}.ts`), e.code);
      run('npx', ['--no-install', 'tsc'], app);
    });

    const out = path.join(work, 'out');
    step('run examples', () => {
      for (const e of examples) {
        const cwd = path.join(out, e.name);
        fs.mkdirSync(cwd, { recursive: true });
        run(process.execPath, [path.join(app, 'dist', `${e.name}.js`)], cwd);
        const written = fs.existsSync(path.join(cwd, 'dist')) ? fs.readdirSync(path.join(cwd, 'dist')).filter((f) => f.endsWith('.yaml')) : [];
        if (written.length === 0) throw new Failure(`${e.file} example ${e.index} synthesized no manifest`);
      }
    });

    const verdict = step('platform check', () => {
      // The examples pull from a team registry (public.ecr.aws/example), allowed as a team allows its own
      // without a stack: a constraint among the inputs (the library's default admits only the add-ons' images);
      // their web service's tenant (payments.example.com and its IngressClasses) likewise, for the ingress policies.
      const registry = path.join(root, 'test', 'fixtures', 'example-registry-constraint.yaml');
      const tenants = path.join(root, 'test', 'fixtures', 'example-tenant-ingress-constraints.yaml');
      const result = spawnSync(process.execPath, [path.join(root, 'bin', 'platform.js'), 'check', registry, tenants, out], { encoding: 'utf8' });
      if (result.status !== 0) throw new Failure(`platform check of the examples' manifests exited with ${result.status}:\n${result.stdout}${result.stderr}`);
      return result.stderr.trim().split('\n').pop();
    });

    const total = Number(process.hrtime.bigint() - started) / 1e9;
    console.log(`check-constructs-package: ${own.filename} (${shipped} files, ${(own.size / 1024).toFixed(0)} KiB) installed into an ES module app with ${installed.length} packages, none from @pulumi`);
    console.log(`check-constructs-package: ${examples.length} README examples compiled with tsc --init's tsconfig (TypeScript ${require(path.join(app, 'node_modules', 'typescript', 'package.json')).version}), run, checked: ${verdict}`);
    console.log(`check-constructs-package: ${timings.join(', ')}; total ${total.toFixed(1)} s`);
  } finally {
    if (keep) console.log(`check-constructs-package: scratch app kept in ${work}`);
    else fs.rmSync(work, { recursive: true, force: true });
  }
}

module.exports = { readmeExamples, editTsconfig };

if (require.main === module) {
  try {
    main();
  } catch (err) {
    console.error(`check-constructs-package: ${err instanceof Failure ? err.message : err.stack}`);
    process.exit(1);
  }
}

#!/usr/bin/env node
// Builds what the repository runs from compiled code:
// - the construct library workspace (constructs/ -> constructs/lib/, JavaScript + .d.ts), which the
//   Pulumi program loads through node_modules/@eks-platform-blueprint/constructs when `pulumi up`
//   runs infra/index.ts;
// - the `platform` CLI (cli/index.ts and everything it imports from this repository) bundled into
//   one CommonJS file. Dependencies stay external and every subcommand is loaded lazily, so
//   `platform --help` never pays for Pulumi or cdk8s. The construct library is bundled from its
//   sources (WORKSPACE_ALIASES), so the CLI never runs a stale constructs/lib.
// Runs on `npm ci` (prepare) and in `npm start`; tests build the CLI only (test/global-setup.js).
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const esbuild = require('esbuild');

const root = path.resolve(__dirname, '..');
const CONSTRUCTS_DIR = path.join(root, 'constructs');

/** Workspace packages resolved to their TypeScript sources when bundling (the CLI, benchmarks). */
const WORKSPACE_ALIASES = { '@eks-platform-blueprint/constructs': path.join(CONSTRUCTS_DIR, 'src', 'index.ts') };

/** How repository code is bundled to run on Node (the CLI, benchmarks): dependencies stay external. */
const NODE_BUNDLE = { bundle: true, platform: 'node', target: 'node20', format: 'cjs', packages: 'external', alias: WORKSPACE_ALIASES, logLevel: 'warning' };

async function buildCli() {
  await esbuild.build({
    ...NODE_BUNDLE,
    entryPoints: [path.join(root, 'cli', 'index.ts')],
    outfile: path.join(root, 'build', 'platform.js'),
    sourcemap: 'linked',
  });
}

/** `tsc -p constructs` into a clean constructs/lib (what `npm pack` of the workspace ships). */
function buildConstructs() {
  fs.rmSync(path.join(CONSTRUCTS_DIR, 'lib'), { recursive: true, force: true });
  const tsc = require.resolve('typescript/bin/tsc');
  const run = spawnSync(process.execPath, [tsc, '-p', path.join(CONSTRUCTS_DIR, 'tsconfig.json')], { stdio: 'inherit' });
  if (run.status !== 0) throw new Error(`tsc -p constructs/tsconfig.json exited with ${run.status ?? run.signal}`);
}

module.exports = { buildCli, buildConstructs, NODE_BUNDLE, WORKSPACE_ALIASES };

if (require.main === module) {
  (async () => {
    buildConstructs();
    await buildCli();
  })().catch((err) => {
    console.error(`build failed: ${err.message}`);
    process.exit(1);
  });
}

// Bundles the repository modules a benchmark calls (TypeScript) into build/bench-<name>.js and loads
// it. The bundle sits one level below the root, like the CLI's, so REPO_ROOT and node_modules resolve.
'use strict';
const path = require('node:path');
const esbuild = require('esbuild');
const { WORKSPACE_ALIASES } = require('../scripts/build');

const root = path.resolve(__dirname, '..');

/** `contents`: an ES module re-exporting what the benchmark needs, with paths relative to the root. */
function loadForBench(name, contents) {
  const outfile = path.join(root, 'build', `bench-${name}.js`);
  esbuild.buildSync({
    stdin: { contents, resolveDir: root, loader: 'ts' },
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    packages: 'external',
    alias: WORKSPACE_ALIASES,
    logLevel: 'warning',
  });
  return require(outfile);
}

module.exports = { loadForBench, root };

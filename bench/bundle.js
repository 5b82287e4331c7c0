// Bundles the repository modules a benchmark calls (TypeScript) into build/bench-<name>.js and loads
// it. The bundle sits one level below the root, like the CLI's, so REPO_ROOT and node_modules resolve.
'use strict';
const path = require('node:path');
const esbuild = require('esbuild');
const { NODE_BUNDLE } = require('../scripts/build');

const root = path.resolve(__dirname, '..');

/** Bundles `contents` (an ES module, paths relative to the root) into build/bench-<name>.js; returns its path. */
function bundleForBench(name, contents) {
  const outfile = path.join(root, 'build', `bench-${name}.js`);
  esbuild.buildSync({ ...NODE_BUNDLE, stdin: { contents, resolveDir: root, loader: 'ts' }, outfile });
  return outfile;
}

/** `contents`: an ES module re-exporting what the benchmark needs, with paths relative to the root. */
function loadForBench(name, contents) {
  return require(bundleForBench(name, contents));
}

module.exports = { bundleForBench, loadForBench, root };

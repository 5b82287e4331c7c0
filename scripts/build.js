#!/usr/bin/env node
// Bundles the `platform` CLI (cli/index.ts and everything it imports from this repository) into one
// CommonJS file. Dependencies stay external and every subcommand is loaded lazily, so `platform --help`
// never pays for Pulumi or cdk8s. Runs on `npm ci` (prepare), before tests, and in `npm start`.
const path = require('node:path');
const esbuild = require('esbuild');

const root = path.resolve(__dirname, '..');

async function buildCli() {
  await esbuild.build({
    entryPoints: [path.join(root, 'cli', 'index.ts')],
    outfile: path.join(root, 'build', 'platform.js'),
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    packages: 'external',
    sourcemap: 'linked',
    logLevel: 'warning',
  });
}

module.exports = { buildCli };

if (require.main === module) {
  buildCli().catch((err) => {
    console.error(`build failed: ${err.message}`);
    process.exit(1);
  });
}

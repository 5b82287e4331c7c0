#!/usr/bin/env node
// Proves the deploy entry point loads the way `pulumi up` loads it, without the Pulumi CLI: the
// program named in Pulumi.yaml is compiled by the ts-node that @pulumi/pulumi's language host
// picks (its vendored ts-node with this project's typescript), registered with the same compiler
// options, and run under mocks for a stack. Type-checking is left to `tsc --noEmit`
// (transpile-only, as with PULUMI_NODEJS_TRANSPILE_ONLY=true). Usage: node scripts/check-entry.js [stack]
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
process.chdir(root);
const stack = process.argv[2] ?? 'prod';
const main = /^main:\s*(\S+)\s*$/m.exec(fs.readFileSync('Pulumi.yaml', 'utf8'))?.[1];
if (!main) {
  console.error('check-entry: Pulumi.yaml names no main program');
  process.exit(2);
}

const tsutils = require('@pulumi/pulumi/tsutils');
const { tsnodeRequire, typescriptRequire } = tsutils.typeScriptRequireStrings();
const compilerOptions = tsutils.loadTypeScriptCompilerOptions('tsconfig.json');
const tsNode = require(tsnodeRequire);
// The options the language host builds for a CommonJS project (cmd/run/run.js).
tsNode.register({
  compiler: typescriptRequire,
  transpileOnly: true,
  project: 'tsconfig.json',
  skipProject: false,
  compilerOptions: { target: 'ES2020', module: 'nodenext', moduleResolution: 'nodenext', sourceMap: 'true', ...compilerOptions },
});

const pulumi = require('@pulumi/pulumi');
const { RecordingMocks } = require(path.join(root, 'lib', 'pulumi-mocks.ts'));
const { toRuntimeConfig } = require(path.join(root, 'lib', 'run-program.ts'));
const { readStackConfigFileRaw, parseStackConfig } = require(path.join(root, 'lib', 'config', 'load.ts'));

(async () => {
  const file = `Pulumi.${stack}.yaml`;
  const raw = readStackConfigFileRaw(file);
  const config = parseStackConfig(raw, file);
  pulumi.runtime.setAllConfig(toRuntimeConfig(raw));
  const mocks = new RecordingMocks({ accountId: config.accountId, region: config.region, availabilityZones: config.network.availabilityZones });
  let registered = 0;
  await pulumi.runtime.setMocks({ newResource: (args) => (registered++, mocks.newResource(args)), call: (args) => mocks.call(args) }, 'platform', stack, false);
  const program = require(path.join(root, main));
  if (typeof program !== 'function') throw new Error(`${main} must export the program function (export = ...), got ${typeof program}`);
  const outputs = await pulumi.runtime.runInPulumiStack(program);
  await pulumi.runtime.disconnect();
  const names = Object.keys(outputs ?? {});
  if (registered < 100 || !names.includes('kubeconfig')) throw new Error(`expected the whole platform, got ${registered} resources and outputs ${names.join(', ')}`);
  console.log(`check-entry: ${main} (ts-node ${tsNode.VERSION}, typescript ${require(typescriptRequire).version}) ran for stack ${stack}: ${registered} resources, ${names.length} outputs`);
  process.exit(0);
})().catch((err) => {
  console.error(`check-entry: ${err.message}`);
  process.exit(1);
});

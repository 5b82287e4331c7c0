#!/usr/bin/env node
// The whole offline job for a stack (render every chart and values file into dist/<stack>, plan the
// program under mocks), as a user runs it, in fresh processes:
//   before: `platform synth --stack prod` then `platform plan --stack prod` (two processes, each
//           paying start-up, and both rendering the charts);
//   after:  `platform plan --stack prod --out <dir>` (one process, the plan writes what it rendered).
// Then the share of start-up: fresh processes that only load modules the job loads (Node itself,
// Pulumi's SDK and the provider modules the program imports, the config and object schemas, cdk8s
// and the construct library, all of them together) and exit, against the one-process job.
// Medians of wall time and CPU time (CPU time does not count waiting for a CPU: compare it on a busy
// machine). Run: npm run build && node bench/offline-job.js [runs=7] [stack=prod]
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { bundleForBench } = require('./bundle');
const { bin, createProbe, loadAverage, median, requireBuild, root } = require('./processes');

const runs = Number(process.argv[2] ?? 7);
const stack = process.argv[3] ?? 'prod';
requireBuild('bench/offline-job.js');

const probe = createProbe('offline-job');
const out = path.join(probe.dir, 'dist', stack);
// Exit 1 (blocking findings) is a result of the job, not a failure of it.
const planned = (r) => (r.status === 0 || r.status === 1 ? undefined : `exit ${r.status}: ${r.stderr.trim()}`);
const jobs = {
  before: () => [probe.run([bin, 'synth', '--stack', stack, '--out', out]), probe.run([bin, 'plan', '--stack', stack], planned)],
  after: () => [probe.run([bin, 'plan', '--stack', stack, '--out', out], planned)],
};

// Start-up groups: each a bundle that loads modules and does nothing else.
const pulumiModules = [
  ...new Set(
    fs
      .readdirSync(path.join(root, 'infra'))
      .filter((f) => f.endsWith('.ts'))
      .flatMap((f) => [...fs.readFileSync(path.join(root, 'infra', f), 'utf8').matchAll(/from '(@pulumi\/[^']+)'/g)].map((m) => m[1])),
  ),
].sort();
const objectSchemaModules = [...new Set([...fs.readFileSync(path.join(root, 'lib', 'schema', 'index.ts'), 'utf8').matchAll(/require\('((?:@kubernetes-models\/|kubernetes-models\/)[^']+)'\)/g)].map((m) => m[1]))].sort();
// Pulumi's deferred modules (lib/lazy-modules.ts) are deferred before anything loads, as the CLI does;
// hence require() and import() in order, not hoisted static imports.
const defer = "import { deferUnusedPulumiModules } from './lib/lazy-modules'; deferUnusedPulumiModules();";
const requireAll = (modules) => modules.map((m) => `require('${m}');`).join(' ');
const groups = [
  ['node itself', ''],
  [`Pulumi: the SDK and the ${pulumiModules.length - 1} provider modules the program imports`, `${defer} ${requireAll(pulumiModules)}`],
  [`schemas: the stack config schema and the object schemas (${objectSchemaModules.length} model modules)`, `import './model/config'; import './lib/schema'; ${requireAll(objectSchemaModules)}`],
  // The construct library is bundled from its sources, and side-effect free: exported, so it is kept.
  ['cdk8s: cdk8s, cdk8s-plus-28 and the construct library', "import 'cdk8s'; import 'cdk8s-plus-28'; export * as constructs from '@eks-platform-blueprint/constructs';"],
  [
    'all the modules of the job together',
    `${defer} (async () => { await import('./cli/commands/plan'); await import('./lib/run-program'); await import('./infra/program'); await import('./charts'); ${requireAll(objectSchemaModules)} })();`,
  ],
].map(([label, contents], i) => ({ label, file: bundleForBench(`startup-${i}`, contents || 'export {};') }));

console.log(`node ${process.version}, ${os.cpus().length} CPUs, load average ${loadAverage()}; offline job for stack ${stack}, ${runs} runs each (after a warm-up)`);
jobs.before();
jobs.after();
const samples = { before: [], after: [] };
for (let i = 0; i < runs; i++) {
  // Interleaved, so a change of load hits both alike.
  for (const name of ['before', 'after']) {
    const steps = jobs[name]();
    samples[name].push({ steps, wallMs: steps.reduce((n, s) => n + s.wallMs, 0), cpuMs: steps.reduce((n, s) => n + s.cpuMs, 0) });
  }
}
const med = (xs, key) => median(xs.map((x) => x[key]));
const before = { wall: med(samples.before, 'wallMs'), cpu: med(samples.before, 'cpuMs') };
const after = { wall: med(samples.after, 'wallMs'), cpu: med(samples.after, 'cpuMs') };
const synthWall = median(samples.before.map((s) => s.steps[0].wallMs));
const planWall = median(samples.before.map((s) => s.steps[1].wallMs));
const pct = (a, b) => `${((a / b) * 100).toFixed(0)}%`;
console.log(`before  synth + plan, 2 processes: median wall ${before.wall.toFixed(0)} ms (synth ${synthWall.toFixed(0)} + plan ${planWall.toFixed(0)}), median cpu ${before.cpu.toFixed(0)} ms`);
console.log(`after   plan --out, 1 process:     median wall ${after.wall.toFixed(0)} ms, median cpu ${after.cpu.toFixed(0)} ms (${pct(after.wall, before.wall)} of the wall time, ${pct(after.cpu, before.cpu)} of the CPU time before)`);

console.log(`start-up (a fresh process loading only these modules; share of the one-process job's wall / CPU time):`);
for (const group of groups) {
  probe.run([group.file]); // warm-up
  const s = Array.from({ length: runs }, () => probe.run([group.file]));
  const wall = median(s.map((x) => x.wallMs));
  const cpu = median(s.map((x) => x.cpuMs));
  console.log(`  ${group.label.padEnd(80)} wall ${wall.toFixed(0).padStart(5)} ms (${pct(wall, after.wall).padStart(4)}), cpu ${cpu.toFixed(0).padStart(5)} ms (${pct(cpu, after.cpu).padStart(4)})`);
}
probe.remove();
console.log(`load average at the end: ${loadAverage()}`);

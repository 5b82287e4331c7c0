#!/usr/bin/env node
// `platform plan --stack prod` benchmark: the bundled CLI as a user runs it, in fresh processes
// (start-up is most of the cost, so in-process repeats would hide it). Prints per-run wall time,
// CPU time and peak RSS, then medians. Wall time includes waiting for a CPU on a busy machine;
// CPU time (user + system) does not, so both are shown.
// Run: npm run build && node bench/plan.js [runs] [stack]
'use strict';
const os = require('node:os');
const { bin, createProbe, requireBuild, sampleRuns, summary } = require('./processes');

const runs = Number(process.argv[2] ?? 7);
const stack = process.argv[3] ?? 'prod';
requireBuild('bench/plan.js');

const probe = createProbe('plan');
const samples = sampleRuns(runs, () => probe.run([bin, 'plan', '--stack', stack]));
probe.remove();
console.log(`platform plan --stack ${stack}: ${summary(samples)} (${runs} runs, ${os.cpus().length} CPUs, load average ${os.loadavg()[0].toFixed(2)})`);

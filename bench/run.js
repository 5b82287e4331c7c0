#!/usr/bin/env node
// Runs every benchmark one after the other (they would skew each other in parallel) and prints
// their numbers. Run: npm run bench (builds the CLI first). Each script also runs on its own.
'use strict';
const { spawnSync } = require('node:child_process');
const path = require('node:path');
const os = require('node:os');

const BENCHES = [
  ['plan', ['plan.js']],
  ['offline job', ['offline-job.js']],
  ['synth', ['synth.js']],
  ['check', ['check.js']],
  ['upgrade', ['upgrade.js']],
  ['audit', ['audit.js']],
  ['audit screenshot', ['audit-screenshot.js']],
];

console.log(`node ${process.version}, ${os.cpus().length} cores, load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
let failed = 0;
for (const [name, args] of BENCHES) {
  console.log(`\n== ${name}`);
  const result = spawnSync(process.execPath, [path.join(__dirname, args[0]), ...args.slice(1)], { stdio: 'inherit', cwd: path.join(__dirname, '..') });
  if (result.status !== 0) {
    failed += 1;
    console.log(`${name}: exited ${result.status}`);
  }
}
process.exitCode = failed === 0 ? 0 : 1;

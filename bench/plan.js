#!/usr/bin/env node
// `platform plan --stack prod` benchmark: the bundled CLI as a user runs it, in fresh processes
// (start-up is most of the cost, so in-process repeats would hide it). Prints per-run wall time,
// CPU time and peak RSS, then medians. Wall time includes waiting for a CPU on a busy machine;
// CPU time (user + system) does not, so both are shown.
// Run: npm run build && node bench/plan.js [runs] [stack]
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const runs = Number(process.argv[2] ?? 7);
const stack = process.argv[3] ?? 'prod';
const bin = path.join(root, 'bin', 'platform.js');
if (!fs.existsSync(path.join(root, 'build', 'platform.js'))) {
  console.error('bench/plan.js: build/platform.js is missing (run npm run build first)');
  process.exit(2);
}

// The child reports its own peak RSS and CPU time as it exits (the CLI ends with process.exit).
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-plan-'));
const probe = path.join(dir, 'probe.js');
fs.writeFileSync(
  probe,
  "process.on('exit', () => { const u = process.resourceUsage(); require('fs').writeFileSync(process.env.BENCH_PLAN_REPORT, JSON.stringify({ maxRssKiB: u.maxRSS, cpuMs: (u.userCPUTime + u.systemCPUTime) / 1000 })); });\n",
);

function once(i) {
  const report = path.join(dir, `run-${i}.json`);
  const t0 = process.hrtime.bigint();
  const result = spawnSync(process.execPath, ['-r', probe, bin, 'plan', '--stack', stack], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, BENCH_PLAN_REPORT: report },
  });
  const wallMs = Number(process.hrtime.bigint() - t0) / 1e6;
  if (result.status !== 0) {
    console.error(`bench/plan.js: plan exited ${result.status}: ${result.stderr.trim()}`);
    process.exit(1);
  }
  const { maxRssKiB, cpuMs } = JSON.parse(fs.readFileSync(report, 'utf8'));
  return { wallMs, cpuMs, rssMiB: maxRssKiB / 1024 };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
once('warm-up'); // fills the OS file cache, as on a developer's machine
const samples = [];
for (let i = 0; i < runs; i++) {
  const s = once(i);
  samples.push(s);
  console.log(`run ${i + 1}/${runs}: wall ${s.wallMs.toFixed(0)} ms, cpu ${s.cpuMs.toFixed(0)} ms, peak RSS ${s.rssMiB.toFixed(0)} MiB`);
}
fs.rmSync(dir, { recursive: true, force: true });
console.log(
  `platform plan --stack ${stack}: median wall ${median(samples.map((s) => s.wallMs)).toFixed(0)} ms, ` +
    `median cpu ${median(samples.map((s) => s.cpuMs)).toFixed(0)} ms, median peak RSS ${median(samples.map((s) => s.rssMiB)).toFixed(0)} MiB ` +
    `(${runs} runs, ${os.cpus().length} CPUs, load average ${os.loadavg()[0].toFixed(2)})`,
);

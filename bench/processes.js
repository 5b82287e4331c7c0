// Fresh-process measurement shared by the benchmarks that run the CLI as a user does (start-up is
// much of the cost, so in-process repeats would hide it): wall time, CPU time (user + system, which
// waiting for a CPU on a busy machine does not inflate) and peak RSS, reported by the child itself.
'use strict';
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const bin = path.join(root, 'bin', 'platform.js');

/** Exits with a message when the bundled CLI is missing (benchmarks measure the build). */
function requireBuild(script) {
  if (!fs.existsSync(path.join(root, 'build', 'platform.js'))) {
    console.error(`${script}: build/platform.js is missing (run npm run build first)`);
    process.exit(2);
  }
}

/** A scratch directory with the preload that makes a child report its own CPU time and peak RSS at exit. */
function createProbe(prefix) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `bench-${prefix}-`));
  const probe = path.join(dir, 'probe.js');
  fs.writeFileSync(
    probe,
    "process.on('exit', () => { const u = process.resourceUsage(); require('fs').writeFileSync(process.env.BENCH_REPORT, JSON.stringify({ maxRssKiB: u.maxRSS, cpuMs: (u.userCPUTime + u.systemCPUTime) / 1000 })); });\n",
  );
  let n = 0;
  return {
    dir,
    /**
     * Runs `node <args>` with the probe; `check(result)` returns an error text for an unexpected
     * outcome (the benchmark then stops). Returns { wallMs, cpuMs, rssMiB, result }.
     */
    run(args, check = (r) => (r.status === 0 ? undefined : `exit ${r.status}: ${r.stderr.trim()}`)) {
      const report = path.join(dir, `run-${n++}.json`);
      const t0 = process.hrtime.bigint();
      const result = spawnSync(process.execPath, ['-r', probe, ...args], { cwd: root, encoding: 'utf8', env: { ...process.env, BENCH_REPORT: report }, maxBuffer: 64 * 1024 * 1024 });
      const wallMs = Number(process.hrtime.bigint() - t0) / 1e6;
      const problem = check(result);
      if (problem) {
        console.error(`node ${args.join(' ')}: ${problem}`);
        process.exit(1);
      }
      const { maxRssKiB, cpuMs } = JSON.parse(fs.readFileSync(report, 'utf8'));
      return { wallMs, cpuMs, rssMiB: maxRssKiB / 1024, result };
    },
    remove() {
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** A warm-up run (it fills the OS file cache, as on a developer's machine), then `runs` runs, each printed. */
function sampleRuns(runs, once) {
  once();
  return Array.from({ length: runs }, (_, i) => {
    const s = once();
    console.log(`run ${i + 1}/${runs}: wall ${s.wallMs.toFixed(0)} ms, cpu ${s.cpuMs.toFixed(0)} ms, peak RSS ${s.rssMiB.toFixed(0)} MiB`);
    return s;
  });
}

/** `median wall W ms, median cpu C ms, median peak RSS R MiB` of samples. */
function summary(samples) {
  return (
    `median wall ${median(samples.map((s) => s.wallMs)).toFixed(0)} ms, median cpu ${median(samples.map((s) => s.cpuMs)).toFixed(0)} ms, ` +
    `median peak RSS ${median(samples.map((s) => s.rssMiB)).toFixed(0)} MiB`
  );
}

const loadAverage = () => os.loadavg().map((x) => x.toFixed(2)).join(' ');

module.exports = { bin, root, requireBuild, createProbe, median, sampleRuns, summary, loadAverage };

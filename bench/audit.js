#!/usr/bin/env node
// Audit benchmark: the create-platform and risky-update fixtures scaled to ~2,000 steps (copies
// of every step under new names), audited in-process (parse, group, rules, render each format;
// median of 5 runs after a warm-up), then once end to end through the bundled CLI.
// Run: npm run build && node bench/audit.js
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const { loadForBench, root } = require('./bundle');
const { parsePreview, auditPreview, renderReport } = loadForBench('audit', "export * from './lib/audit';");

/** The fixture with every resource step repeated `copies` times under distinct names. */
function scaled(name, steps) {
  const doc = JSON.parse(fs.readFileSync(path.join(root, 'test', 'fixtures', 'preview', `${name}.json`), 'utf8'));
  const base = doc.steps.filter((s) => !s.urn.includes('pulumi:pulumi:Stack'));
  const copies = Math.ceil(steps / base.length);
  const out = [];
  for (let i = 0; i < copies; i++) {
    for (const s of base) {
      const text = JSON.stringify(s).split(s.urn).join(i === 0 ? s.urn : `${s.urn}-${i}`);
      out.push(JSON.parse(text));
    }
  }
  doc.steps = out.slice(0, steps);
  return `${JSON.stringify(doc, null, 4)}\n`;
}

function median(values) {
  const v = [...values].sort((a, b) => a - b);
  return v[Math.floor(v.length / 2)];
}

function time(fn) {
  const t = process.hrtime.bigint();
  const result = fn();
  return [Number(process.hrtime.bigint() - t) / 1e6, result];
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-audit-'));
const rows = [];
for (const [name, steps] of [['create-platform', 2000], ['risky-update', 2000]]) {
  const text = scaled(name, steps);
  const phases = { parse: [], audit: [], md: [], html: [], json: [] };
  let report;
  let sizes = {};
  for (let run = 0; run < 6; run++) {
    const [tParse, preview] = time(() => parsePreview(text, name));
    const [tAudit, r] = time(() => auditPreview(preview));
    report = r;
    const timings = { parse: tParse, audit: tAudit };
    for (const format of ['md', 'html', 'json']) {
      const [t, out] = time(() => renderReport(r, format, name));
      timings[format] = t;
      sizes[format] = out.length;
    }
    if (run > 0) for (const k of Object.keys(phases)) phases[k].push(timings[k]);
  }
  const file = path.join(tmp, `${name}.json`);
  fs.writeFileSync(file, text);
  const t0 = process.hrtime.bigint();
  const cli = spawnSync(process.execPath, [path.join(root, 'bin', 'platform.js'), 'audit', file, '--format', 'html', '--out', path.join(tmp, `${name}.html`)], { encoding: 'utf8' });
  const cliMs = Number(process.hrtime.bigint() - t0) / 1e6;
  if (cli.status !== 0) throw new Error(`CLI failed: ${cli.stderr}`);
  rows.push({ name, steps: JSON.parse(text).steps.length, inputKiB: Math.round(text.length / 1024), findings: report.findings.length, ...Object.fromEntries(Object.entries(phases).map(([k, v]) => [k, median(v)])), sizes, cliMs });
}
fs.rmSync(tmp, { recursive: true, force: true });

console.log('audit benchmark (median of 5 in-process runs; CLI = one end-to-end run of the bundled command, html --out)');
console.log('fixture           steps  input KiB  findings  parse ms  audit ms  md ms  html ms  json ms  md KiB  html KiB  CLI ms');
for (const r of rows) {
  console.log(
    `${r.name.padEnd(16)} ${String(r.steps).padStart(6)} ${String(r.inputKiB).padStart(10)} ${String(r.findings).padStart(9)} ${r.parse.toFixed(1).padStart(9)} ${r.audit.toFixed(1).padStart(9)} ${r.md.toFixed(1).padStart(6)} ${r.html.toFixed(1).padStart(8)} ${r.json.toFixed(1).padStart(8)} ${String(Math.round(r.sizes.md / 1024)).padStart(7)} ${String(Math.round(r.sizes.html / 1024)).padStart(9)} ${r.cliMs.toFixed(0).padStart(7)}`,
  );
}

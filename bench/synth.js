#!/usr/bin/env node
// Synth benchmark: the prod stack, and the prod stack with 10 / 100 / 1,000 tenants. In-process,
// after a warm-up, median of several runs; prints the per-tenant cost so linearity shows.
// Run: node bench/synth.js
const path = require('node:path');

const { loadForBench, root } = require('./bundle');
const lib = loadForBench('synth', "export { synthesizePlatform, placeholderInputs } from './charts'; export { parseStackConfig, readStackConfigFileRaw } from './lib/config/load';");
const { synthesizePlatform, placeholderInputs, parseStackConfig, readStackConfigFileRaw } = lib;

const raw = readStackConfigFileRaw(path.join(root, 'Pulumi.prod.yaml'));
// withIngress: every tenant gets a domain under the platform's (its IngressClass, certificate, readiness
// label), the first also the sample web service (as the stack files turn it on for one tenant).
function configWith(tenants, withIngress = false) {
  if (tenants === undefined) return parseStackConfig(raw, 'Pulumi.prod.yaml');
  const list = Array.from({ length: tenants }, (_, i) => ({
    name: `team-${String(i).padStart(4, '0')}`,
    teamGroup: `team-${i}`,
    quota: { cpu: '4', memory: '8Gi', pods: 50 },
    repositories: [`https://github.com/example-org/team-${i}.git`],
    ...(withIngress ? { ingress: { domains: [`team-${String(i).padStart(4, '0')}.example.com`], sampleWeb: i === 0 } } : {}),
  }));
  return parseStackConfig({ ...raw, 'platform:tenants': list }, 'bench');
}

function measure(config, runs) {
  const inputs = placeholderInputs(config);
  synthesizePlatform(config, inputs); // warm-up
  const times = [];
  let result;
  for (let i = 0; i < runs; i++) {
    const t0 = process.hrtime.bigint();
    result = synthesizePlatform(config, inputs);
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  times.sort((a, b) => a - b);
  const objects = result.charts.reduce((n, c) => n + c.objects.length, 0);
  const bytes = [...result.files.values()].reduce((n, t) => n + t.length, 0);
  return { median: times[Math.floor(times.length / 2)], objects, bytes };
}

const rows = [];
const base = measure(configWith(undefined), 7);
rows.push({ case: 'prod stack (3 tenants)', tenants: 3, ...base });
const baseline = measure(configWith(0), 7);
for (const n of [10, 100, 1000]) rows.push({ case: `prod + ${n} tenants`, tenants: n, ...measure(configWith(n), n >= 1000 ? 5 : 7) });
rows.push({ case: 'prod + 1000 with ingress', tenants: 1000, ...measure(configWith(1000, true), 5) });

console.log('case                      tenants  objects   median ms   ms/tenant (above 0-tenant baseline)   output');
for (const r of rows) {
  const perTenant = r.tenants > 0 ? ((r.median - baseline.median) / r.tenants).toFixed(3) : '-';
  console.log(`${r.case.padEnd(26)}${String(r.tenants).padStart(7)}${String(r.objects).padStart(9)}${r.median.toFixed(1).padStart(12)}${String(perTenant).padStart(14)}${(r.bytes / 1024).toFixed(0).padStart(28)} KiB`);
}
console.log(`baseline (0 tenants): ${baseline.median.toFixed(1)} ms, ${baseline.objects} objects`);

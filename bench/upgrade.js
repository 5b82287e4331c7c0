#!/usr/bin/env node
// `platform upgrade --stack prod --to 1.36` over a generated manifest of 10,000 objects (Deployments,
// one in a hundred a batch/v1beta1 CronJob): the bundled CLI as a user runs it, in fresh processes,
// so start-up, the stack's own synthesis, reading the file and judging every object all count.
// Prints per-run wall time, CPU time and peak RSS, then medians, with the load average (on a busy
// machine compare CPU time, not only wall time).
// Run: npm run build && node bench/upgrade.js [objects=10000] [runs=5]
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { bin, createProbe, requireBuild, sampleRuns, summary } = require('./processes');

const N = Number(process.argv[2] ?? 10000);
const runs = Number(process.argv[3] ?? 5);
requireBuild('bench/upgrade.js');

const probe = createProbe('upgrade');
const dir = probe.dir;
const labels = (i) => ({ 'app.kubernetes.io/name': `app-${i}` });
function object(i) {
  const metadata = { name: `app-${i}`, namespace: `team-${i % 20}`, labels: labels(i) };
  const pod = { containers: [{ name: 'app', image: 'public.ecr.aws/example/app:1.4.2', resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '256Mi' } } }] };
  if (i % 100 === 7) return { apiVersion: 'batch/v1beta1', kind: 'CronJob', metadata, spec: { schedule: '0 3 * * *', jobTemplate: { spec: { template: { spec: { ...pod, restartPolicy: 'OnFailure' } } } } } };
  return { apiVersion: 'apps/v1', kind: 'Deployment', metadata, spec: { replicas: 2, selector: { matchLabels: labels(i) }, template: { metadata: { labels: labels(i) }, spec: pod } } };
}
// Block-style YAML documents, as kubectl, helm template and platform synth write them.
const { dump } = require('js-yaml');
const manifest = path.join(dir, 'objects.yaml');
fs.writeFileSync(manifest, Array.from({ length: N }, (_, i) => dump(object(i))).join('---\n'));
const expectedBlockers = Array.from({ length: N }, (_, i) => i % 100 === 7).filter(Boolean).length + 1; // + the argo-cd pin

function once() {
  return probe.run([bin, 'upgrade', '--stack', 'prod', '--to', '1.36', '--as-of', '2026-12-01', manifest], (result) => {
    const verdict = result.stdout.trimEnd().split('\n').pop();
    return result.status === 1 && verdict === `not ready: ${expectedBlockers} blockers, 0 warnings` ? undefined : `unexpected result (exit ${result.status}): ${verdict} ${result.stderr.trim()}`;
  });
}

console.log(`load average (1, 5, 15 min) at start: ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}; ${os.cpus().length} CPUs`);
console.log(`manifest: ${N} objects, ${(fs.statSync(manifest).size / 1024 / 1024).toFixed(1)} MiB`);
const samples = sampleRuns(runs, once);
probe.remove();
console.log(
  `platform upgrade --stack prod --to 1.36 over ${N} objects: ${summary(samples)} (${runs} runs, load average ${os.loadavg()[0].toFixed(2)})`,
);

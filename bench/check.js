#!/usr/bin/env node
// Benchmark of `platform check`: the full built-in policy library (compiled once) evaluated over
// generated Pods and Deployments in memory, and over a 2,000-Deployment file on disk.
// Prints objects/s (median of several runs, wall clock) and the load average before and after: on a
// shared machine, numbers taken under load are not comparable. Usage: node bench/check.js [objects=20000] [runs=5]
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const { loadForBench } = require('./bundle');
const { checkManifests, policiesFor } = loadForBench('check', "export { checkManifests, policiesFor } from './lib/policy/check';");

const N = Number(process.argv[2] ?? 20000);
const RUNS = Number(process.argv[3] ?? 5);

function container(name) {
  return {
    name,
    // An image the library's default registries allow (an add-on's): the objects are compliant workloads.
    image: 'quay.io/prometheus/prometheus:v3.5.0',
    ports: [{ containerPort: 8080, name: 'http' }],
    resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '256Mi' } },
    securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, runAsNonRoot: true, capabilities: { drop: ['ALL'] } },
  };
}
function podSpec(i) {
  return {
    serviceAccountName: `app-${i % 50}`,
    automountServiceAccountToken: false,
    securityContext: { runAsNonRoot: true, runAsUser: 10001, seccompProfile: { type: 'RuntimeDefault' } },
    containers: [container('app'), container('sidecar')],
    volumes: [{ name: 'tmp', emptyDir: {} }],
  };
}
const labels = (i) => ({ 'app.kubernetes.io/name': `app-${i}` });
const pod = (i) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: `app-${i}`, namespace: `team-${i % 20}`, labels: labels(i) }, spec: podSpec(i) });
const deployment = (i) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: `app-${i}`, namespace: `team-${i % 20}`, labels: labels(i) },
  spec: { replicas: 2, selector: { matchLabels: labels(i) }, template: { metadata: { labels: labels(i) }, spec: podSpec(i) } },
});

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function timeReviews(policies, objects) {
  const times = [];
  let violations = 0;
  for (let r = 0; r < RUNS; r++) {
    const t0 = process.hrtime.bigint();
    violations = 0;
    for (const object of objects) violations += policies.review({ object, operation: 'CREATE', namespaceObject: null }).length;
    times.push(Number(process.hrtime.bigint() - t0) / 1e9);
  }
  return { seconds: median(times), violations };
}

const load = () => os.loadavg().map((x) => x.toFixed(2)).join(' ');
console.log(`load average (1, 5, 15 min) at start: ${load()}; ${os.cpus().length} CPUs`);
const t0 = process.hrtime.bigint();
const policies = policiesFor([]);
const compileMs = Number(process.hrtime.bigint() - t0) / 1e6;
console.log(`library: ${policies.constraintCount} constraints, loaded and compiled in ${compileMs.toFixed(0)} ms`);

for (const [label, make] of [['Pods', pod], ['Deployments', deployment]]) {
  const objects = Array.from({ length: N }, (_, i) => make(i));
  const { seconds, violations } = timeReviews(policies, objects);
  console.log(`${N} ${label}: ${seconds.toFixed(3)} s (median of ${RUNS}), ${Math.round(N / seconds)} objects/s, ${violations} violations`);
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'platform-bench-'));
const file = path.join(dir, 'deployments.json');
fs.writeFileSync(file, JSON.stringify({ apiVersion: 'v1', kind: 'List', items: Array.from({ length: 2000 }, (_, i) => deployment(i)) }));
const fileObjects = Array.from({ length: 2000 }, (_, i) => deployment(i));
const evalOnly = timeReviews(policies, fileObjects);
const times = [];
for (let r = 0; r < RUNS; r++) {
  const t = process.hrtime.bigint();
  checkManifests([file]);
  times.push(Number(process.hrtime.bigint() - t) / 1e9);
}
console.log(`2000-Deployment file: evaluation ${(evalOnly.seconds * 1000).toFixed(0)} ms; whole check (read, parse, library load and compile, evaluate) ${(median(times) * 1000).toFixed(0)} ms (median of ${RUNS})`);
fs.rmSync(dir, { recursive: true, force: true });
console.log(`load average at end: ${load()}`);

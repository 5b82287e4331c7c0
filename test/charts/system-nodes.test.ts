/**
 * Bootstrap without Karpenter capacity: every pod a Helm release waits for (its Deployments,
 * StatefulSets, DaemonSets and hook Jobs, as the pinned charts render them with the platform's values)
 * can be scheduled on the tainted system node group, and that node group, at its configured size, has
 * room for all of it next to the EKS add-ons.
 */
import * as path from 'node:path';
import { type PlatformConfig } from '../../model/config';
import { readStackConfigFile } from '../../lib/config/load';
import { SYSTEM_NODE_LABELS, SYSTEM_NODE_TAINT } from '../../model/names';
import { SYSTEM_NODE_AMI_TYPE } from '../../infra/nodes';
import { REPO_ROOT } from '../../lib/stack';
import { renderReleases, type WorkloadModel } from './upstream';
import { onePerNode, podRequests, schedulesOn, withoutRequests, type NodeShape, type Requests } from './upstream/scheduling';

const configs: Record<'dev' | 'prod', PlatformConfig> = {
  dev: readStackConfigFile(path.join(REPO_ROOT, 'Pulumi.dev.yaml')),
  prod: readStackConfigFile(path.join(REPO_ROOT, 'Pulumi.prod.yaml')),
};

/** A system node as the scheduler sees it: the node group's labels and taint (infra/nodes.ts), on Linux x86_64 (SYSTEM_NODE_AMI_TYPE). */
const SYSTEM_NODE: NodeShape = {
  labels: { ...SYSTEM_NODE_LABELS, 'kubernetes.io/os': 'linux', 'kubernetes.io/arch': 'amd64' },
  taints: [{ key: SYSTEM_NODE_TAINT.key, value: SYSTEM_NODE_TAINT.value, effect: 'NoSchedule' }],
};

/**
 * Instance types the stacks may give the system node group. vCPUs and memory: AWS EC2 instance type
 * specifications (docs.aws.amazon.com/ec2/latest/instancetypes/gp.html, general purpose M6i, M6a,
 * M7i). ENIs and IPv4 addresses per ENI: awslabs/amazon-eks-ami v20260714
 * nodeadm/internal/kubelet/instance-info.jsonl.
 */
const INSTANCE_TYPES: Readonly<Record<string, { vcpu: number; memoryMiB: number; enis: number; ipsPerEni: number }>> = {
  'm6i.large': { vcpu: 2, memoryMiB: 8192, enis: 3, ipsPerEni: 10 },
  'm6a.large': { vcpu: 2, memoryMiB: 8192, enis: 3, ipsPerEni: 10 },
  'm6i.xlarge': { vcpu: 4, memoryMiB: 16384, enis: 4, ipsPerEni: 15 },
  'm6a.xlarge': { vcpu: 4, memoryMiB: 16384, enis: 4, ipsPerEni: 15 },
  'm7i.xlarge': { vcpu: 4, memoryMiB: 16384, enis: 4, ipsPerEni: 15 },
};

/**
 * What the kubelet of an AL2023 EKS node offers pods (awslabs/amazon-eks-ami v20260714,
 * nodeadm/internal/kubelet/config.go and eni_max_pods.go):
 * - cpu: capacity minus kube-reserved, 6% of the first core, 1% of the second, 0.5% of cores 3-4,
 *   0.25% of the rest (getCPUMillicoresToReserve);
 * - memory: what the instance reports (Karpenter estimates the hypervisor's share at 7.5%, chart
 *   1.14.1 `settings.vmMemoryOverheadPercent: 0.075`) minus kube-reserved `11 * maxPods + 255` MiB
 *   (getMemoryMebibytesToReserve) minus the `memory.available: 100Mi` hard eviction threshold;
 * - pods: maxPods, ENIs * (IPv4 per ENI - 1) + 2 (calculateStandardMaxPods), or up to 110 when the
 *   managed node group sets it for prefix delegation. The least of each is taken: memory is reserved
 *   for 110 pods, and only the ENI-based count of pods is assumed to fit.
 */
function allocatable(instanceType: string): Requests & { pods: number } {
  const t = INSTANCE_TYPES[instanceType];
  if (!t) throw new Error(`instance type ${instanceType} is not in INSTANCE_TYPES: add its vCPUs, memory and ENI limits`);
  const millis = t.vcpu * 1000;
  const bands: [number, number, number][] = [[0, 1000, 600], [1000, 2000, 100], [2000, 4000, 50], [4000, Infinity, 25]];
  const cpuReserved = bands.reduce((sum, [from, to, bp]) => sum + (millis <= from ? 0 : ((Math.min(millis, to) - from) * bp) / 10000), 0);
  const eniPods = t.enis * (t.ipsPerEni - 1) + 2;
  const memoryReserved = 11 * Math.max(eniPods, 110) + 255;
  return { cpu: millis - cpuReserved, memory: Math.floor(t.memoryMiB * (1 - 0.075)) - memoryReserved - 100, pods: eniPods };
}

/**
 * EKS add-ons whose pods run on the system nodes (they tolerate the taint: CoreDNS by its own
 * manifest, the EBS CSI controller and metrics-server through infra/addons.ts), with their requests.
 */
const EKS_ADDON_PODS: readonly { name: string; replicas: number; requests: Requests; source: string }[] = [
  { name: 'coredns', replicas: 2, requests: { cpu: 100, memory: 70 }, source: 'coredns/deployment 7853d4a kubernetes/coredns.yaml.sed: requests cpu 100m, memory 70Mi, tolerates CriticalAddonsOnly; EKS runs two replicas' },
  {
    name: 'ebs-csi-controller',
    replicas: 2,
    requests: { cpu: 7 * 10, memory: 7 * 40 },
    source: 'kubernetes-sigs/aws-ebs-csi-driver v1.63.1 charts/aws-ebs-csi-driver: replicaCount 2, controller.resources requests 10m/40Mi, each sidecar `default .Values.controller.resources` (templates/controller.yaml); 7 containers at most',
  },
  { name: 'metrics-server', replicas: 2, requests: { cpu: 100, memory: 200 }, source: 'kubernetes-sigs/metrics-server v0.9.0 charts/metrics-server/values.yaml: requests 100m/200Mi (replicas 1 there; 2 counted)' },
];
const EKS_DAEMONSET_PODS: readonly { name: string; requests: Requests; source: string }[] = [
  { name: 'aws-node', requests: { cpu: 25, memory: 0 }, source: 'aws/amazon-vpc-cni-k8s v1.22.3 charts/aws-vpc-cni/values.yaml: requests cpu 25m; nodeAgent.resources {}' },
  { name: 'kube-proxy', requests: { cpu: 100, memory: 0 }, source: 'EKS publishes no manifest for its kube-proxy add-on: 100m counted, the request of the kube-proxy DaemonSet EKS creates (an observation, not a pinned source)' },
  { name: 'ebs-csi-node', requests: { cpu: 30, memory: 104 }, source: 'kubernetes-sigs/aws-ebs-csi-driver v1.63.1: node.resources 10m/40Mi, node-driver-registrar and liveness-probe 10m/32Mi each (templates/_node.tpl)' },
  { name: 'eks-pod-identity-agent', requests: { cpu: 0, memory: 0 }, source: 'aws/eks-pod-identity-agent d4dc0f3 charts/eks-pod-identity-agent/values.yaml: resources {}' },
];

interface Placed {
  readonly release: string;
  readonly workload: WorkloadModel;
}

const add = (a: Requests, b: Requests, n = 1): Requests => ({ cpu: a.cpu + b.cpu * n, memory: a.memory + b.memory * n });
const ZERO: Requests = { cpu: 0, memory: 0 };

/** Every workload of the stack's releases, and those the scheduler may put on a system node. */
function placement(config: PlatformConfig): { placed: Placed[]; onSystem: Placed[] } {
  const placed = renderReleases(config).flatMap((r) => r.workloads.map((workload) => ({ release: r.release.name, workload })));
  return { placed, onSystem: placed.filter((p) => schedulesOn(p.workload.pod, SYSTEM_NODE)) };
}

/**
 * The system node group's load: requests of the Deployments and StatefulSets placed there and of the
 * EKS add-ons' pods (`steady`), of the DaemonSet pods each node runs (`perNodeDaemons`), and of the
 * largest hook Job (hooks run one at a time, around an install); against what one node of the
 * smallest instance type the group may launch offers (`node`).
 */
function systemLoad(config: PlatformConfig) {
  const { onSystem } = placement(config);
  const node = config.systemNodeGroup.instanceTypes.map(allocatable).reduce((a, b) => ({ cpu: Math.min(a.cpu, b.cpu), memory: Math.min(a.memory, b.memory), pods: Math.min(a.pods, b.pods) }));
  const daemons = onSystem.filter((p) => p.workload.replicas === 'per-node');
  const replicated = onSystem.filter((p) => p.workload.replicas !== 'per-node' && p.workload.kind !== 'Job');
  const perNodeDaemons = [...EKS_DAEMONSET_PODS.map((d) => d.requests), ...daemons.map((p) => podRequests(p.workload.pod))].reduce((a, b) => add(a, b), ZERO);
  const steady = [
    ...replicated.map((p) => ({ requests: podRequests(p.workload.pod), replicas: p.workload.replicas as number })),
    ...EKS_ADDON_PODS.map((a) => ({ requests: a.requests, replicas: a.replicas })),
  ].reduce((a, b) => add(a, b.requests, b.replicas), ZERO);
  const largestHook = onSystem
    .filter((p) => p.workload.kind === 'Job')
    .map((p) => podRequests(p.workload.pod))
    .reduce((a, b) => ({ cpu: Math.max(a.cpu, b.cpu), memory: Math.max(a.memory, b.memory) }), ZERO);
  const steadyPods = replicated.reduce((n, p) => n + (p.workload.replicas as number), 0) + EKS_ADDON_PODS.reduce((n, a) => n + a.replicas, 0);
  const daemonPodsPerNode = EKS_DAEMONSET_PODS.length + daemons.length;
  const onePerNodeReplicas = replicated.filter((p) => onePerNode(p.workload.pod)).map((p) => ({ name: p.workload.name, replicas: p.workload.replicas as number }));
  return { node, steady, perNodeDaemons, largestHook, steadyPods, daemonPodsPerNode, onePerNodeReplicas };
}

describe.each(['dev', 'prod'] as const)('%s: the system node group carries the bootstrap', (stack) => {
  const config = configs[stack];
  const { placed, onSystem } = placement(config);
  // What Helm waits for: everything it creates itself (operator-made StatefulSets come after the release).
  const awaited = placed.filter((p) => p.workload.createdBy === undefined);
  const group = config.systemNodeGroup;

  test('GIVEN the system node group THEN it runs the AMI the node shape assumes, at a fixed size', () => {
    expect(SYSTEM_NODE_AMI_TYPE).toBe('AL2023_x86_64_STANDARD');
    // No cluster autoscaler scales the managed node group: its size is what the stack says.
    expect(group.desiredSize).toBe(group.minSize);
  });

  test('GIVEN every pod a release waits for (hooks included) WHEN scheduled THEN it fits the tainted system nodes and selects them', () => {
    const stranded = awaited.filter((p) => !schedulesOn(p.workload.pod, SYSTEM_NODE)).map((p) => `${p.release}: ${p.workload.kind}/${p.workload.name}`);
    expect(stranded).toEqual([]);
    // Not just tolerated: placed there, so Karpenter's nodes never take them (DaemonSets run on every node).
    const unpinned = awaited.filter((p) => p.workload.replicas !== 'per-node' && p.workload.pod.nodeSelector?.['platform.io/node-pool'] !== 'system');
    expect(unpinned.map((p) => `${p.release}: ${p.workload.name}`)).toEqual([]);
    expect(awaited.length).toBeGreaterThanOrEqual(18);
  });

  test('GIVEN the pods the operator creates later (Prometheus, Alertmanager) THEN they stay off the system nodes', () => {
    const later = placed.filter((p) => p.workload.createdBy !== undefined);
    expect(later.map((p) => p.workload.createdBy).sort()).toEqual(['Alertmanager', 'Prometheus']);
    expect(later.filter((p) => schedulesOn(p.workload.pod, SYSTEM_NODE)).map((p) => p.workload.name)).toEqual([]);
  });

  test('GIVEN the pods on the system nodes THEN every container declares cpu and memory requests (so the sums below are what the scheduler reserves)', () => {
    const missing = onSystem.flatMap((p) => withoutRequests(p.workload.pod).map((c) => `${p.release}: ${p.workload.name}/${c}`));
    expect(missing).toEqual([]);
  });

  test('GIVEN the node group size and instance types WHEN the bootstrap pods, a hook and the EKS add-ons are placed THEN cpu, memory and pod slots suffice', () => {
    const load = systemLoad(config);
    const nodes = group.minSize;
    const need = add(add(load.steady, load.largestHook), load.perNodeDaemons, nodes);
    expect(need.cpu).toBeLessThanOrEqual(load.node.cpu * nodes);
    expect(need.memory).toBeLessThanOrEqual(load.node.memory * nodes);
    expect(load.steadyPods + 1 + load.daemonPodsPerNode * nodes).toBeLessThanOrEqual(load.node.pods * nodes);
    // The largest single pod fits one node next to that node's DaemonSets.
    const largest = onSystem.filter((p) => p.workload.replicas !== 'per-node').map((p) => podRequests(p.workload.pod)).reduce((a, b) => ({ cpu: Math.max(a.cpu, b.cpu), memory: Math.max(a.memory, b.memory) }), ZERO);
    expect(largest.cpu + load.perNodeDaemons.cpu).toBeLessThanOrEqual(load.node.cpu);
    expect(largest.memory + load.perNodeDaemons.memory).toBeLessThanOrEqual(load.node.memory);
  });

  test('GIVEN pods that need a system node of their own (required anti-affinity on the host name) THEN the group has as many nodes as replicas', () => {
    const load = systemLoad(config);
    expect(load.onePerNodeReplicas.filter((p) => p.replicas > group.minSize)).toEqual([]);
    expect(load.onePerNodeReplicas.map((p) => p.name)).toEqual(expect.arrayContaining(['karpenter']));
  });
});

test('GIVEN prod WHEN one system node is lost (an AZ outage, a node being replaced) THEN the rest still hold every steady pod', () => {
  const load = systemLoad(configs.prod);
  const survivors = configs.prod.systemNodeGroup.minSize - 1;
  const need = add(load.steady, load.perNodeDaemons, survivors);
  expect(need.cpu).toBeLessThanOrEqual(load.node.cpu * survivors);
  expect(need.memory).toBeLessThanOrEqual(load.node.memory * survivors);
});

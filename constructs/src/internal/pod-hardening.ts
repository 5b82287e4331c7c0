/**
 * The hardening every workload construct shares, on top of cdk8s-plus: props validated and
 * containers hardened before the cdk8s-plus constructor runs (planPod), then, once the workload
 * exists, the same defaults for every container added later and a last check of the pod spec at
 * synthesis (PodHardening).
 *
 * cdk8s-plus-28 v2.5.6 facts this relies on (cdk8s-team/cdk8s-plus, tag cdk8s-plus-28/v2.5.6):
 * - src/container.ts: a container's security context defaults to runAsNonRoot, not privileged,
 *   no privilege escalation, read-only root filesystem, but sets no capabilities and no seccomp
 *   profile; resources default to 1 CPU / 512Mi requests when none are given; memory is written
 *   as `<n>Mi` (`toMebibytes()`, which throws on a fraction); a `portNumber` adds a TCP startup probe.
 * - src/pod.ts: the pod security context has no seccomp field; AbstractPod's constructor calls
 *   `this.addContainer` / `this.addInitContainer` for the containers in its props; `_toPodSpec()`
 *   builds the pod spec at synthesis, adding the volumes of every container mount.
 * - src/workload.ts: `select` (default true) selects pods by `cdk8s.io/metadata.addr`, a label
 *   derived from the construct path; the pod template always carries that label.
 */
import { Size, SizeRoundingBehavior } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import type { IConstruct } from 'constructs';
import type { HardenedContainerProps, HardenedPodProps } from '../pod-props';
import { NAME_LABEL } from './labels';
import { checkPodSpec } from './pod-spec-check';
import { namespacedChecker, parseQuantity, show, type PropChecker } from './validation';

export const DEFAULT_RUN_AS_USER = 10001;
const DEFAULT_TMP_SIZE = 256;

export interface PodPlan {
  readonly check: PropChecker;
  readonly name: string;
  readonly namespace: string;
  readonly runAsUser: number;
  readonly selector: Readonly<Record<string, string>>;
  readonly labels: Readonly<Record<string, string>>;
  /** Size of the /tmp emptyDir, when one is asked for. */
  readonly tmpSizeLimit?: Size;
  readonly priorityClassName?: string;
  /** Props for the cdk8s-plus workload constructor: hardened containers, pod security context, selector off. */
  readonly workloadProps: kplus.WorkloadProps;
}

type ContainerKind = 'container' | 'init' | 'sidecar';

interface ContainerSlot {
  readonly prop: string;
  readonly defaultName: string;
  readonly kind: ContainerKind;
  readonly runAsUser: number;
  /** Names already used by the pod's containers (all kinds share one namespace of names). */
  readonly taken: Set<string>;
  readonly tmp?: kplus.Volume;
}

/** Validates the pod-level props and hardens the containers; throws a ConstructError naming `<Kind> <namespace>/<name>`. */
export function planPod(kind: string, scope: IConstruct, id: string, props: HardenedPodProps): PodPlan {
  const name = props.name ?? id;
  const { check, namespace } = namespacedChecker(kind, scope, name, props.namespace);
  check.dnsLabel('name', name);
  if (!Array.isArray(props.containers) || props.containers.length === 0) check.fail(`containers must list at least one container (got ${show(props.containers)})`);
  const runAsUser = props.runAsUser ?? DEFAULT_RUN_AS_USER;
  if (!Number.isInteger(runAsUser) || runAsUser < 1) check.fail(`runAsUser must be a non-root UID >= 1 (got ${show(runAsUser)})`);
  if (props.tmpSizeLimit !== undefined) check.mebibytes('tmpSizeLimit', props.tmpSizeLimit, `Size.mebibytes(${DEFAULT_TMP_SIZE})`);
  if (props.terminationGracePeriod !== undefined) check.seconds('terminationGracePeriod', props.terminationGracePeriod, 0, 3600);
  if (props.priorityClassName !== undefined) check.dnsSubdomain('priorityClassName', props.priorityClassName);
  const given = props.labels ?? {};
  if (given[NAME_LABEL] !== undefined && given[NAME_LABEL] !== name) {
    check.fail(`labels must not set ${NAME_LABEL} to another value than the workload name (got ${JSON.stringify(given[NAME_LABEL])}; it is the selector label: rename the workload instead)`);
  }

  const taken = new Set<string>();
  const containers = props.containers.map((c, i) => hardenContainer(check, c, { prop: `containers[${i}]`, defaultName: i === 0 ? 'app' : `container-${i}`, kind: 'container', runAsUser, taken }));
  // Sidecars first: they are running by the time the init containers start (a proxy a migration
  // needs, say). To run an init container before a sidecar, list both in initContainers in that
  // order, the sidecar with restartPolicy: ContainerRestartPolicy.ALWAYS.
  const sidecars = (props.sidecars ?? []).map((c, i) => hardenContainer(check, c, { prop: `sidecars[${i}]`, defaultName: `sidecar-${i}`, kind: 'sidecar', runAsUser, taken }));
  const inits = (props.initContainers ?? []).map((c, i) => hardenContainer(check, c, { prop: `initContainers[${i}]`, defaultName: `init-${i}`, kind: 'init', runAsUser, taken }));

  const selector = { [NAME_LABEL]: name };
  const labels = { ...sorted(given), ...selector };
  return {
    check,
    name,
    namespace,
    runAsUser,
    selector,
    labels,
    ...(props.writableTmp ? { tmpSizeLimit: props.tmpSizeLimit ?? Size.mebibytes(DEFAULT_TMP_SIZE) } : {}),
    ...(props.priorityClassName !== undefined ? { priorityClassName: props.priorityClassName } : {}),
    workloadProps: {
      metadata: { name, namespace, labels },
      podMetadata: { labels },
      // The selector is the name label (set by the workload after construction), not cdk8s-plus's
      // path-derived one: a Deployment's selector is immutable, and moving a construct in the tree
      // must not change it.
      select: false,
      containers,
      initContainers: [...sidecars, ...inits],
      securityContext: { ensureNonRoot: true, user: runAsUser, group: runAsUser, fsGroup: runAsUser },
      automountServiceAccountToken: props.automountServiceAccountToken ?? false,
      ...(props.serviceAccount !== undefined ? { serviceAccount: props.serviceAccount } : {}),
      ...(props.volumes !== undefined ? { volumes: [...props.volumes] } : {}),
      ...(props.dns !== undefined ? { dns: props.dns } : {}),
      ...(props.dockerRegistryAuth !== undefined ? { dockerRegistryAuth: props.dockerRegistryAuth } : {}),
      ...(props.hostAliases !== undefined ? { hostAliases: [...props.hostAliases] } : {}),
      ...(props.isolate !== undefined ? { isolate: props.isolate } : {}),
      ...(props.terminationGracePeriod !== undefined ? { terminationGracePeriod: props.terminationGracePeriod } : {}),
    },
  };
}

/** The container's props for cdk8s-plus, validated, with the hardened security context. */
function hardenContainer(check: PropChecker, c: HardenedContainerProps, slot: ContainerSlot): kplus.ContainerProps {
  const { prop } = slot;
  if (typeof c !== 'object' || c === null) check.fail(`${prop} must be a container ({ image, resources }) (got ${show(c)})`);
  const name = c.name ?? slot.defaultName;
  check.dnsLabel(`${prop}.name`, name);
  if (slot.taken.has(name)) check.fail(`${prop}.name ${JSON.stringify(name)} is used by another container of the pod (names must be unique across containers, init containers and sidecars)`);
  check.image(`${prop}.image`, c.image);
  checkResources(check, `${prop}.resources`, c.resources);
  if ((c as kplus.ContainerProps).securityContext !== undefined) {
    check.fail(`${prop}.securityContext is set by the construct (got ${show((c as kplus.ContainerProps).securityContext)}); loosen it with addCapabilities or allowWritableRootFilesystem, or the pod's runAsUser`);
  }
  for (const cap of c.addCapabilities ?? []) {
    if (cap !== 'NET_BIND_SERVICE') check.fail(`${prop}.addCapabilities may only hold NET_BIND_SERVICE (restricted Pod Security Standard) (got ${JSON.stringify(cap)})`);
  }
  if (slot.kind === 'container' && c.restartPolicy !== undefined) {
    check.fail(`${prop}.restartPolicy is only for init containers (got ${JSON.stringify(c.restartPolicy)}); a container that runs beside the app is a sidecar: list it in sidecars`);
  }
  const sidecar = slot.kind === 'sidecar' || (slot.kind === 'init' && c.restartPolicy === kplus.ContainerRestartPolicy.ALWAYS);
  if (!sidecar && slot.kind === 'init') {
    for (const probe of ['readiness', 'liveness', 'startup'] as const) {
      if (c[probe] !== undefined) check.fail(`${prop}.${probe} is not allowed on an init container (it runs to completion); a container that stays up with probes is a sidecar`);
    }
    // cdk8s-plus turns portNumber into a TCP startup probe, which the API server refuses on an init container.
    if (c.portNumber !== undefined || c.port !== undefined) check.fail(`${prop}.portNumber adds a startup probe (cdk8s-plus), which an init container may not have (got ${c.portNumber ?? c.port}); use ports`);
  }
  slot.taken.add(name);

  const { addCapabilities, allowWritableRootFilesystem, ...rest } = c;
  return {
    ...rest,
    name,
    ...(sidecar ? { restartPolicy: kplus.ContainerRestartPolicy.ALWAYS } : {}),
    // A fresh array: cdk8s-plus keeps it and appends to it on mount().
    volumeMounts: [...(c.volumeMounts ?? []), ...(slot.tmp ? [{ volume: slot.tmp, path: '/tmp' }] : [])],
    securityContext: {
      ensureNonRoot: true,
      user: slot.runAsUser,
      group: slot.runAsUser,
      privileged: false,
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: !(allowWritableRootFilesystem ?? false),
      capabilities: { drop: [kplus.Capability.ALL], ...(addCapabilities?.length ? { add: addCapabilities.map(() => kplus.Capability.NET_BIND_SERVICE) } : {}) },
      seccompProfile: { type: kplus.SeccompProfileType.RUNTIME_DEFAULT },
    },
  };
}

const RESOURCES_EXAMPLE = '{ cpu: { request: Cpu.millis(100) }, memory: { request: Size.mebibytes(128), limit: Size.mebibytes(256) } }';

function checkResources(check: PropChecker, prop: string, r: kplus.ContainerResources | undefined): void {
  if (typeof r !== 'object' || r === null) check.fail(`${prop} is required: cpu.request, memory.request and memory.limit, e.g. ${RESOURCES_EXAMPLE}`);
  const cpuRequest = cpuAmount(check, `${prop}.cpu.request`, r.cpu?.request, true) as number;
  const cpuLimit = cpuAmount(check, `${prop}.cpu.limit`, r.cpu?.limit, false);
  if (cpuLimit !== undefined && cpuLimit < cpuRequest) check.fail(`${prop}.cpu.limit must be >= cpu.request (got limit ${r.cpu?.limit?.amount} < request ${r.cpu?.request?.amount})`);
  const memRequest = check.mebibytes(`${prop}.memory.request`, r.memory?.request, 'Size.mebibytes(128)');
  const memLimit = check.mebibytes(`${prop}.memory.limit`, r.memory?.limit, 'Size.mebibytes(256)');
  if (memLimit < memRequest) check.fail(`${prop}.memory.limit must be >= memory.request (got limit ${memLimit}Mi < request ${memRequest}Mi)`);
  // cdk8s-plus writes ephemeral storage as whole gibibytes.
  for (const field of ['request', 'limit'] as const) {
    const size = r.ephemeralStorage?.[field];
    if (size !== undefined && !Number.isInteger(size.toGibibytes({ rounding: SizeRoundingBehavior.NONE }))) check.fail(`${prop}.ephemeralStorage.${field} must be whole gibibytes (got ${size.asString()}; e.g. Size.gibibytes(1))`);
  }
}

function cpuAmount(check: PropChecker, prop: string, cpu: kplus.Cpu | undefined, required: boolean): number | undefined {
  if (cpu === undefined) {
    if (required) check.fail(`${prop} is required (e.g. Cpu.millis(100))`);
    return undefined;
  }
  const value = parseQuantity((cpu as { amount?: string }).amount ?? '');
  if (value === undefined || value <= 0) check.fail(`${prop} must be a positive CPU amount like Cpu.millis(100) (got ${show(cpu)})`);
  return value;
}

/**
 * The hardening of one workload after cdk8s-plus has built it: the /tmp volume, the defaults for
 * containers added later, and the pod spec's last check and extra fields at synthesis.
 */
export class PodHardening {
  private readonly tmp?: kplus.Volume;
  /** Set by replicated workloads: replicas spread across zones. */
  topologySpreadConstraints?: kplus.k8s.TopologySpreadConstraint[];
  /** Mounts every app container gets that are not pod volumes (a StatefulSet's claim templates). */
  claimMounts: { name: string; mountPath: string }[] = [];

  constructor(private readonly pod: kplus.AbstractPod, readonly plan: PodPlan) {
    if (plan.tmpSizeLimit) {
      this.tmp = kplus.Volume.fromEmptyDir(pod, 'tmp', 'tmp', { sizeLimit: plan.tmpSizeLimit });
      for (const c of [...pod.containers, ...pod.initContainers]) c.mount('/tmp', this.tmp);
    }
  }

  get check(): PropChecker {
    return this.plan.check;
  }

  /** Props for a container added with addContainer() after construction. */
  container(c: HardenedContainerProps): kplus.ContainerProps {
    const i = this.pod.containers.length;
    return hardenContainer(this.check, c, { prop: `containers[${i}]`, defaultName: i === 0 ? 'app' : `container-${i}`, kind: 'container', runAsUser: this.plan.runAsUser, taken: this.names(), ...(this.tmp ? { tmp: this.tmp } : {}) });
  }

  /** Props for an init container (a native sidecar when its restartPolicy is Always) added after construction. */
  initContainer(c: HardenedContainerProps): kplus.ContainerProps {
    const i = this.pod.initContainers.length;
    return hardenContainer(this.check, c, { prop: `initContainers[${i}]`, defaultName: `init-${i}`, kind: 'init', runAsUser: this.plan.runAsUser, taken: this.names(), ...(this.tmp ? { tmp: this.tmp } : {}) });
  }

  private names(): Set<string> {
    return new Set([...this.pod.containers, ...this.pod.initContainers].map((c) => c.name));
  }

  /** The selector cdk8s-plus Services and NetworkPolicies use for this workload's pods. */
  static selectorConfig(name: string, namespace: string | undefined): kplus.PodSelectorConfig {
    return { labelSelector: kplus.LabelSelector.of({ labels: { [NAME_LABEL]: name } }), ...(namespace !== undefined ? { namespaces: { names: [namespace] } } : {}) };
  }

  /** Checks the pod spec cdk8s-plus built, then adds what cdk8s-plus does not model. */
  finish(spec: kplus.k8s.PodSpec): kplus.k8s.PodSpec {
    checkPodSpec(this.check, spec);
    const mounts = this.claimMounts;
    return {
      ...spec,
      // Service links put every Service of the namespace into the environment: noise, and a leak of what runs beside.
      enableServiceLinks: false,
      // Pod level too, so containers added by other means (an ephemeral debug container) inherit it.
      securityContext: { ...spec.securityContext, seccompProfile: { type: 'RuntimeDefault' } },
      ...(this.plan.priorityClassName !== undefined ? { priorityClassName: this.plan.priorityClassName } : {}),
      ...(this.topologySpreadConstraints ? { topologySpreadConstraints: this.topologySpreadConstraints } : {}),
      containers: mounts.length === 0 ? spec.containers : spec.containers.map((c) => ({ ...c, volumeMounts: [...(c.volumeMounts ?? []), ...mounts] })),
    };
  }
}

export function sorted<T>(record: Readonly<Record<string, T>>): Record<string, T> {
  const out: Record<string, T> = {};
  for (const k of Object.keys(record).sort()) out[k] = record[k];
  return out;
}

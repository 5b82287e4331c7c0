/** The hardened pod template every workload construct shares: validation first, then the object. */
import type { IPodTemplateSpec } from 'kubernetes-models/v1/PodTemplateSpec';
import type { IContainer } from 'kubernetes-models/v1/Container';
import type { IVolume } from 'kubernetes-models/v1/Volume';
import type { HardenedContainerProps, HardenedPodProps } from '../pod-props';
import { parseQuantity, type PropChecker } from './validation';

export const NAME_LABEL = 'app.kubernetes.io/name';

export interface ResolvedPod {
  readonly name: string;
  readonly namespace: string;
  readonly selector: Record<string, string>;
  readonly labels: Record<string, string>;
  readonly template: IPodTemplateSpec;
}

/** Validates the pod-level props; throws a ConstructError naming `<Kind> <namespace>/<name>`. */
export function checkPodProps(check: PropChecker, props: HardenedPodProps, name: string): void {
  check.dnsLabel('namespace', props.namespace);
  check.dnsLabel('name', name);
  if (!Array.isArray(props.containers) || props.containers.length === 0) check.fail(`containers must list at least one container (got ${JSON.stringify(props.containers)})`);
  const runAsUser = props.runAsUser ?? 10001;
  if (!Number.isInteger(runAsUser) || runAsUser < 1) check.fail(`runAsUser must be a non-root UID >= 1 (got ${runAsUser})`);
  if (props.tmpSizeLimit !== undefined) check.quantity('tmpSizeLimit', props.tmpSizeLimit, '256Mi');
  if (props.terminationGracePeriodSeconds !== undefined) check.intRange('terminationGracePeriodSeconds', props.terminationGracePeriodSeconds, 0, 3600);
  const names = new Set<string>();
  props.containers.forEach((c, i) => {
    const prop = `containers[${i}]`;
    const cname = containerName(c, i);
    check.dnsLabel(`${prop}.name`, cname);
    if (names.has(cname)) check.fail(`${prop}.name ${JSON.stringify(cname)} is used by another container (names must be unique)`);
    names.add(cname);
    check.image(`${prop}.image`, c.image);
    checkResources(check, prop, c);
    for (const cap of c.addCapabilities ?? []) {
      if (cap !== 'NET_BIND_SERVICE') check.fail(`${prop}.addCapabilities may only hold NET_BIND_SERVICE (restricted Pod Security Standard) (got ${JSON.stringify(cap)})`);
    }
  });
}

function checkResources(check: PropChecker, prop: string, c: HardenedContainerProps): void {
  const r = c.resources;
  if (!r) check.fail(`${prop}.resources is required (requests.cpu, requests.memory and limits.memory, e.g. { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '256Mi' } })`);
  check.quantity(`${prop}.resources.requests.cpu`, r.requests?.cpu, '100m');
  check.quantity(`${prop}.resources.requests.memory`, r.requests?.memory, '128Mi');
  check.quantity(`${prop}.resources.limits.memory`, r.limits?.memory, '256Mi');
  if (r.limits.cpu !== undefined) check.quantity(`${prop}.resources.limits.cpu`, r.limits.cpu, '500m');
  if ((parseQuantity(r.limits.memory) as number) < (parseQuantity(r.requests.memory) as number)) {
    check.fail(`${prop}.resources.limits.memory must be >= requests.memory (got limit ${r.limits.memory} < request ${r.requests.memory})`);
  }
  if (r.limits.cpu !== undefined && (parseQuantity(r.limits.cpu) as number) < (parseQuantity(r.requests.cpu) as number)) {
    check.fail(`${prop}.resources.limits.cpu must be >= requests.cpu (got limit ${r.limits.cpu} < request ${r.requests.cpu})`);
  }
}

function containerName(c: HardenedContainerProps, i: number): string {
  return c.name ?? (i === 0 ? 'app' : `container-${i}`);
}

/** Builds the hardened pod template; call only after checkPodProps. */
export function hardenedPodTemplate(props: HardenedPodProps, name: string, extraVolumes: readonly IVolume[] = [], extraMounts: readonly { name: string; mountPath: string }[] = []): ResolvedPod {
  // Defaults, in one place.
  const runAsUser = props.runAsUser ?? 10001;
  const automount = props.automountServiceAccountToken ?? false;
  const writableTmp = props.writableTmp ?? false;
  const tmpSizeLimit = props.tmpSizeLimit ?? '256Mi';
  const terminationGracePeriodSeconds = props.terminationGracePeriodSeconds ?? 30;

  const selector = { [NAME_LABEL]: name };
  const labels = { ...sorted(props.labels ?? {}), ...selector };
  const volumes: IVolume[] = [...(writableTmp ? [{ name: 'tmp', emptyDir: { sizeLimit: tmpSizeLimit } }] : []), ...extraVolumes];
  const mounts = [...(writableTmp ? [{ name: 'tmp', mountPath: '/tmp' }] : []), ...extraMounts];

  const containers: IContainer[] = props.containers.map((c, i) => ({
    name: containerName(c, i),
    image: c.image,
    ...(c.command ? { command: [...c.command] } : {}),
    ...(c.args ? { args: [...c.args] } : {}),
    ...(c.env ? { env: Object.keys(c.env).sort().map((k) => ({ name: k, value: (c.env as Record<string, string>)[k] })) } : {}),
    ...(c.ports ? { ports: c.ports.map((p) => ({ name: p.name, containerPort: p.containerPort, protocol: p.protocol ?? 'TCP' })) } : {}),
    resources: {
      requests: { cpu: c.resources.requests.cpu, memory: c.resources.requests.memory },
      limits: { ...(c.resources.limits.cpu ? { cpu: c.resources.limits.cpu } : {}), memory: c.resources.limits.memory },
    },
    ...(c.startupProbe ? { startupProbe: c.startupProbe } : {}),
    ...(c.readinessProbe ? { readinessProbe: c.readinessProbe } : {}),
    ...(c.livenessProbe ? { livenessProbe: c.livenessProbe } : {}),
    securityContext: {
      runAsNonRoot: true,
      runAsUser,
      runAsGroup: runAsUser,
      allowPrivilegeEscalation: false,
      privileged: false,
      readOnlyRootFilesystem: !(c.allowWritableRootFilesystem ?? false),
      capabilities: { drop: ['ALL'], ...(c.addCapabilities?.length ? { add: [...c.addCapabilities] } : {}) },
      seccompProfile: { type: 'RuntimeDefault' },
    },
    ...(mounts.length ? { volumeMounts: mounts.map((m) => ({ ...m })) } : {}),
  }));

  return {
    name,
    namespace: props.namespace,
    selector,
    labels,
    template: {
      metadata: { labels },
      spec: {
        ...(props.serviceAccountName ? { serviceAccountName: props.serviceAccountName } : {}),
        automountServiceAccountToken: automount,
        enableServiceLinks: false,
        terminationGracePeriodSeconds,
        securityContext: {
          runAsNonRoot: true,
          runAsUser,
          runAsGroup: runAsUser,
          fsGroup: runAsUser,
          seccompProfile: { type: 'RuntimeDefault' },
        },
        ...(props.priorityClassName ? { priorityClassName: props.priorityClassName } : {}),
        ...(props.nodeSelector ? { nodeSelector: sorted(props.nodeSelector) } : {}),
        ...(props.tolerations ? { tolerations: props.tolerations.map((t) => ({ ...t })) } : {}),
        containers,
        ...(volumes.length ? { volumes } : {}),
      },
    },
  };
}

/** Spreads replicas across zones (and, softly, across nodes) so one zone outage leaves capacity. */
export function zoneSpread(selector: Record<string, string>, whenUnsatisfiable: 'DoNotSchedule' | 'ScheduleAnyway') {
  return [
    { maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable, labelSelector: { matchLabels: { ...selector } } },
    { maxSkew: 1, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: { ...selector } } },
  ];
}

export function sorted<T>(record: Readonly<Record<string, T>>): Record<string, T> {
  const out: Record<string, T> = {};
  for (const k of Object.keys(record).sort()) out[k] = record[k];
  return out;
}

/** The restricted-PSS check of a finished pod spec: the backstop for whatever bypassed addContainer(). */
import type * as kplus from 'cdk8s-plus-28';
import { imageProblem, type PropChecker } from './validation';

/** Volume sources the restricted Pod Security Standard allows (the list policies/volume-types enforces). */
export const RESTRICTED_VOLUME_TYPES = ['configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'persistentVolumeClaim', 'projected', 'secret'];

const DETOUR = 'containers attached with attachContainer() or changed after they were added do not get the hardened defaults: add them with addContainer() / addInitContainer()';

/** Throws a ConstructError on the first container or volume the restricted Pod Security Standard forbids. */
export function checkPodSpec(check: PropChecker, spec: kplus.k8s.PodSpec): void {
  const podNonRoot = spec.securityContext?.runAsNonRoot === true;
  const all = [...spec.containers.map((c) => ({ c, where: 'container' })), ...(spec.initContainers ?? []).map((c) => ({ c, where: 'init container' }))];
  const seen = new Set<string>();
  for (const { c, where } of all) {
    const what = `${where} ${JSON.stringify(c.name)}`;
    if (seen.has(c.name)) check.fail(`${what}: the name is used by another container of the pod (names must be unique)`);
    seen.add(c.name);
    const problem = containerProblem(c, podNonRoot);
    if (problem) check.fail(`${what} ${problem}; ${DETOUR}`);
  }
  for (const v of spec.volumes ?? []) {
    const types = Object.keys(v).filter((k) => k !== 'name' && (v as unknown as Record<string, unknown>)[k] !== undefined);
    const bad = types.filter((t) => !RESTRICTED_VOLUME_TYPES.includes(t));
    if (bad.length > 0) check.fail(`volume ${JSON.stringify(v.name)} is of type ${bad.join(', ')}, which the restricted Pod Security Standard forbids (allowed: ${RESTRICTED_VOLUME_TYPES.join(', ')})`);
  }
}

function containerProblem(c: kplus.k8s.Container, podNonRoot: boolean): string | undefined {
  const image = imageProblem(c.image);
  if (image) return `image ${image}`;
  const r = c.resources;
  if (r?.requests?.cpu === undefined || r.requests.memory === undefined || r.limits?.memory === undefined) return 'must set cpu and memory requests and a memory limit';
  const sc = c.securityContext ?? {};
  if (!(sc.runAsNonRoot ?? podNonRoot)) return 'must run as non-root (securityContext.runAsNonRoot)';
  if (sc.runAsUser === 0) return 'must not run as user 0';
  if (sc.privileged === true) return 'must not be privileged';
  if (sc.allowPrivilegeEscalation !== false) return 'must set allowPrivilegeEscalation to false';
  if (!(sc.capabilities?.drop ?? []).includes('ALL')) return 'must drop ALL capabilities';
  const added = (sc.capabilities?.add ?? []).filter((x) => x !== 'NET_BIND_SERVICE');
  if (added.length > 0) return `may add only NET_BIND_SERVICE (got ${added.join(', ')})`;
  const seccomp = sc.seccompProfile?.type;
  if (seccomp !== undefined && seccomp !== 'RuntimeDefault' && seccomp !== 'Localhost') return `must use a RuntimeDefault or Localhost seccomp profile (got ${seccomp})`;
  return undefined;
}

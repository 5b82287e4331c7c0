/**
 * Kubernetes API versions that were deprecated or removed, from 1.16 to the newest minor: what each
 * object of that group/version/kind becomes. Data with its source and the date it was read.
 *
 * Main source: the Kubernetes "Deprecated API Migration Guide" (kubernetes/website
 * content/en/docs/reference/using-api/deprecation-guide.md, main, read 2026-12-01), whose newest
 * section is v1.32. Removals of alpha APIs, of resource.k8s.io/v1beta1 (1.36) and the deprecation
 * dates come from FairwindsOps/pluto versions.yaml @dd5ec8c ("update versions list for 1.33-35");
 * alpha APIs are never enabled on EKS ("Alpha features aren't supported", EKS version FAQ), so those
 * only matter to manifests written for other clusters.
 */
import type { Sourced } from './kubernetes';

export interface ApiLifecycle extends Sourced {
  /** `extensions/v1beta1`, or `v1` for the core group. */
  readonly apiVersion: string;
  readonly kind: string;
  /** Minor that deprecated it, when known. */
  readonly deprecatedIn?: string;
  /** Minor that stopped serving it; absent while it is still served. */
  readonly removedIn?: string;
  /** apiVersion (and kind, when it changes) to move to; absent when nothing replaces it. */
  readonly replacement?: { readonly apiVersion: string; readonly kind?: string; readonly since: string };
  /** What to do when there is no replacement, or what changes with it. */
  readonly note?: string;
}

const READ_ON = '2026-12-01';
const GUIDE = 'kubernetes/website content/en/docs/reference/using-api/deprecation-guide.md (main)';
const PLUTO = 'FairwindsOps/pluto@dd5ec8c versions.yaml';

type Entry = Omit<ApiLifecycle, 'source' | 'readOn' | 'kind'>;

function kinds(kindList: readonly string[], entry: Entry, source: string): ApiLifecycle[] {
  return kindList.map((kind) => ({ ...entry, kind, source, readOn: READ_ON }));
}

const to = (apiVersion: string, since: string, kind?: string) => ({ apiVersion, since, ...(kind ? { kind } : {}) });

/** Every entry; one per apiVersion and kind. */
export const API_LIFECYCLE: readonly ApiLifecycle[] = [
  // v1.16
  ...kinds(['NetworkPolicy'], { apiVersion: 'extensions/v1beta1', deprecatedIn: '1.9', removedIn: '1.16', replacement: to('networking.k8s.io/v1', '1.8') }, GUIDE),
  ...kinds(['DaemonSet', 'Deployment', 'ReplicaSet'], { apiVersion: 'extensions/v1beta1', deprecatedIn: '1.9', removedIn: '1.16', replacement: to('apps/v1', '1.9') }, GUIDE),
  ...kinds(['Deployment', 'StatefulSet', 'ReplicaSet'], { apiVersion: 'apps/v1beta1', deprecatedIn: '1.9', removedIn: '1.16', replacement: to('apps/v1', '1.9') }, GUIDE),
  ...kinds(['DaemonSet', 'Deployment', 'StatefulSet', 'ReplicaSet'], { apiVersion: 'apps/v1beta2', deprecatedIn: '1.9', removedIn: '1.16', replacement: to('apps/v1', '1.9') }, GUIDE),
  ...kinds(['PodSecurityPolicy'], { apiVersion: 'extensions/v1beta1', deprecatedIn: '1.10', removedIn: '1.16', replacement: to('policy/v1beta1', '1.10') }, PLUTO),
  // v1.17 (alpha)
  ...kinds(['PriorityClass'], { apiVersion: 'scheduling.k8s.io/v1alpha1', deprecatedIn: '1.14', removedIn: '1.17', replacement: to('scheduling.k8s.io/v1', '1.14') }, PLUTO),
  // v1.22
  ...kinds(['MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration'], { apiVersion: 'admissionregistration.k8s.io/v1beta1', deprecatedIn: '1.16', removedIn: '1.22', replacement: to('admissionregistration.k8s.io/v1', '1.16') }, GUIDE),
  ...kinds(['CustomResourceDefinition'], { apiVersion: 'apiextensions.k8s.io/v1beta1', deprecatedIn: '1.16', removedIn: '1.22', replacement: to('apiextensions.k8s.io/v1', '1.16') }, GUIDE),
  ...kinds(['APIService'], { apiVersion: 'apiregistration.k8s.io/v1beta1', deprecatedIn: '1.10', removedIn: '1.22', replacement: to('apiregistration.k8s.io/v1', '1.10') }, GUIDE),
  ...kinds(['TokenReview'], { apiVersion: 'authentication.k8s.io/v1beta1', deprecatedIn: '1.6', removedIn: '1.22', replacement: to('authentication.k8s.io/v1', '1.6') }, GUIDE),
  ...kinds(['LocalSubjectAccessReview', 'SelfSubjectAccessReview', 'SubjectAccessReview'], { apiVersion: 'authorization.k8s.io/v1beta1', removedIn: '1.22', replacement: to('authorization.k8s.io/v1', '1.6') }, GUIDE),
  ...kinds(['CertificateSigningRequest'], { apiVersion: 'certificates.k8s.io/v1beta1', deprecatedIn: '1.19', removedIn: '1.22', replacement: to('certificates.k8s.io/v1', '1.19') }, GUIDE),
  ...kinds(['Lease'], { apiVersion: 'coordination.k8s.io/v1beta1', deprecatedIn: '1.14', removedIn: '1.22', replacement: to('coordination.k8s.io/v1', '1.14') }, GUIDE),
  ...kinds(['Ingress'], { apiVersion: 'extensions/v1beta1', deprecatedIn: '1.14', removedIn: '1.22', replacement: to('networking.k8s.io/v1', '1.19') }, GUIDE),
  ...kinds(['Ingress', 'IngressClass'], { apiVersion: 'networking.k8s.io/v1beta1', deprecatedIn: '1.19', removedIn: '1.22', replacement: to('networking.k8s.io/v1', '1.19') }, GUIDE),
  ...kinds(['ClusterRole', 'ClusterRoleBinding', 'Role', 'RoleBinding'], { apiVersion: 'rbac.authorization.k8s.io/v1beta1', deprecatedIn: '1.17', removedIn: '1.22', replacement: to('rbac.authorization.k8s.io/v1', '1.8') }, GUIDE),
  ...kinds(['ClusterRole', 'ClusterRoleBinding', 'Role', 'RoleBinding'], { apiVersion: 'rbac.authorization.k8s.io/v1alpha1', deprecatedIn: '1.17', removedIn: '1.22', replacement: to('rbac.authorization.k8s.io/v1', '1.8') }, PLUTO),
  ...kinds(['PriorityClass'], { apiVersion: 'scheduling.k8s.io/v1beta1', deprecatedIn: '1.14', removedIn: '1.22', replacement: to('scheduling.k8s.io/v1', '1.14') }, GUIDE),
  ...kinds(['CSIDriver'], { apiVersion: 'storage.k8s.io/v1beta1', deprecatedIn: '1.19', removedIn: '1.22', replacement: to('storage.k8s.io/v1', '1.19') }, GUIDE),
  ...kinds(['CSINode'], { apiVersion: 'storage.k8s.io/v1beta1', deprecatedIn: '1.17', removedIn: '1.22', replacement: to('storage.k8s.io/v1', '1.17') }, GUIDE),
  ...kinds(['StorageClass'], { apiVersion: 'storage.k8s.io/v1beta1', deprecatedIn: '1.6', removedIn: '1.22', replacement: to('storage.k8s.io/v1', '1.6') }, GUIDE),
  ...kinds(['VolumeAttachment'], { apiVersion: 'storage.k8s.io/v1beta1', deprecatedIn: '1.13', removedIn: '1.22', replacement: to('storage.k8s.io/v1', '1.13') }, GUIDE),
  // v1.25
  ...kinds(['CronJob'], { apiVersion: 'batch/v1beta1', deprecatedIn: '1.21', removedIn: '1.25', replacement: to('batch/v1', '1.21') }, GUIDE),
  ...kinds(['EndpointSlice'], { apiVersion: 'discovery.k8s.io/v1beta1', deprecatedIn: '1.21', removedIn: '1.25', replacement: to('discovery.k8s.io/v1', '1.21') }, GUIDE),
  ...kinds(['Event'], { apiVersion: 'events.k8s.io/v1beta1', deprecatedIn: '1.19', removedIn: '1.25', replacement: to('events.k8s.io/v1', '1.19') }, GUIDE),
  ...kinds(['HorizontalPodAutoscaler'], { apiVersion: 'autoscaling/v2beta1', deprecatedIn: '1.22', removedIn: '1.25', replacement: to('autoscaling/v2', '1.23') }, GUIDE),
  ...kinds(['PodDisruptionBudget'], { apiVersion: 'policy/v1beta1', deprecatedIn: '1.21', removedIn: '1.25', replacement: to('policy/v1', '1.21') }, GUIDE),
  ...kinds(
    ['PodSecurityPolicy'],
    { apiVersion: 'policy/v1beta1', deprecatedIn: '1.21', removedIn: '1.25', note: 'use Pod Security Admission (pod-security.kubernetes.io namespace labels) or a policy engine' },
    GUIDE,
  ),
  ...kinds(['RuntimeClass'], { apiVersion: 'node.k8s.io/v1beta1', deprecatedIn: '1.22', removedIn: '1.25', replacement: to('node.k8s.io/v1', '1.20') }, GUIDE),
  // v1.26
  ...kinds(['FlowSchema', 'PriorityLevelConfiguration'], { apiVersion: 'flowcontrol.apiserver.k8s.io/v1beta1', deprecatedIn: '1.23', removedIn: '1.26', replacement: to('flowcontrol.apiserver.k8s.io/v1beta3', '1.26') }, GUIDE),
  ...kinds(['HorizontalPodAutoscaler'], { apiVersion: 'autoscaling/v2beta2', deprecatedIn: '1.23', removedIn: '1.26', replacement: to('autoscaling/v2', '1.23') }, GUIDE),
  // v1.27
  ...kinds(['CSIStorageCapacity'], { apiVersion: 'storage.k8s.io/v1beta1', deprecatedIn: '1.24', removedIn: '1.27', replacement: to('storage.k8s.io/v1', '1.24') }, GUIDE),
  // v1.29
  ...kinds(['FlowSchema', 'PriorityLevelConfiguration'], { apiVersion: 'flowcontrol.apiserver.k8s.io/v1beta2', deprecatedIn: '1.26', removedIn: '1.29', replacement: to('flowcontrol.apiserver.k8s.io/v1', '1.29') }, GUIDE),
  // v1.32
  ...kinds(['FlowSchema', 'PriorityLevelConfiguration'], { apiVersion: 'flowcontrol.apiserver.k8s.io/v1beta3', deprecatedIn: '1.29', removedIn: '1.32', replacement: to('flowcontrol.apiserver.k8s.io/v1', '1.29') }, GUIDE),
  // v1.33 - v1.36 (alpha, and DRA's first beta)
  ...kinds(['ValidatingAdmissionPolicy', 'ValidatingAdmissionPolicyBinding'], { apiVersion: 'admissionregistration.k8s.io/v1alpha1', deprecatedIn: '1.28', removedIn: '1.33', replacement: to('admissionregistration.k8s.io/v1', '1.30') }, PLUTO),
  ...kinds(['DeviceClass', 'ResourceClaim', 'ResourceClaimTemplate', 'ResourceSlice'], { apiVersion: 'resource.k8s.io/v1alpha3', deprecatedIn: '1.32', removedIn: '1.34', replacement: to('resource.k8s.io/v1', '1.34') }, PLUTO),
  ...kinds(['VolumeAttributesClass'], { apiVersion: 'storage.k8s.io/v1alpha1', deprecatedIn: '1.31', removedIn: '1.35', replacement: to('storage.k8s.io/v1', '1.34') }, PLUTO),
  ...kinds(['StorageVersionMigration'], { apiVersion: 'storagemigration.k8s.io/v1alpha1', deprecatedIn: '1.35', removedIn: '1.35', replacement: to('storagemigration.k8s.io/v1beta1', '1.35') }, PLUTO),
  ...kinds(['DeviceClass', 'ResourceClaim', 'ResourceClaimTemplate', 'ResourceSlice'], { apiVersion: 'resource.k8s.io/v1beta1', deprecatedIn: '1.33', removedIn: '1.36', replacement: to('resource.k8s.io/v1', '1.34') }, PLUTO),
  // Deprecated, still served.
  ...kinds(['VolumeAttributesClass'], { apiVersion: 'storage.k8s.io/v1beta1', deprecatedIn: '1.34', replacement: to('storage.k8s.io/v1', '1.34') }, PLUTO),
  ...kinds(
    ['Endpoints'],
    { apiVersion: 'v1', deprecatedIn: '1.33', replacement: to('discovery.k8s.io/v1', '1.21', 'EndpointSlice'), note: 'the API server warns on every read and write; no removal is planned' },
    'kubernetes.io/blog/2025/04/24/endpoints-deprecation ("Kubernetes v1.33: Continuing the transition from Endpoints to EndpointSlices")',
  ),
];

const byKey = new Map(API_LIFECYCLE.map((e) => [`${e.apiVersion}|${e.kind}`, e]));

/** The lifecycle entry of an apiVersion and kind, if it was ever deprecated or removed. */
export function apiLifecycle(apiVersion: string, kind: string): ApiLifecycle | undefined {
  return byKey.get(`${apiVersion}|${kind}`);
}

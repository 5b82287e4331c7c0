/** Props shared by the hardened workload constructs (container and pod level), in cdk8s-plus terms. */
import type { Size } from 'cdk8s';
import type * as kplus from 'cdk8s-plus-28';

/**
 * A container in cdk8s-plus terms (`kplus.ContainerProps`: image, ports, `envVariables`, `envFrom`,
 * `volumeMounts`, probes, ...), with resources required and the security context owned by the
 * construct: non-root, no privilege escalation, not privileged, ALL capabilities dropped,
 * RuntimeDefault seccomp, read-only root filesystem. The two loosenings the restricted Pod Security
 * Standard allows are named props.
 */
export interface HardenedContainerProps extends Omit<kplus.ContainerProps, 'securityContext' | 'resources'> {
  /**
   * Requests and limits, required: `cpu.request`, `memory.request` and `memory.limit` (memory is
   * not compressible). A CPU limit is optional: throttling hurts latency more than it protects
   * neighbours. Memory is written in whole mebibytes.
   *
   * @example { cpu: { request: kplus.Cpu.millis(250) }, memory: { request: Size.mebibytes(256), limit: Size.mebibytes(512) } }
   */
  readonly resources: kplus.ContainerResources;
  /**
   * Loosening: capabilities added back after dropping ALL. The restricted Pod Security Standard
   * allows only NET_BIND_SERVICE (binding ports below 1024 as non-root).
   * @default none
   */
  readonly addCapabilities?: readonly 'NET_BIND_SERVICE'[];
  /**
   * Loosening: let the container write to its root filesystem. The platform's
   * read-only-root-filesystem policy denies it; prefer `writableTmp` or a volume.
   * @default false (read-only root filesystem)
   */
  readonly allowWritableRootFilesystem?: boolean;
}

/** Pod-level props of every hardened workload. */
export interface HardenedPodProps extends Pick<kplus.WorkloadProps, 'volumes' | 'dns' | 'dockerRegistryAuth' | 'hostAliases' | 'isolate' | 'terminationGracePeriod'> {
  /** Namespace of the workload. @default the enclosing Chart's namespace (one of the two is required) */
  readonly namespace?: string;
  /** Name of the workload; also the value of its selector label `app.kubernetes.io/name`. @default the construct id */
  readonly name?: string;
  /** Extra labels on the workload and its pods (the selector uses only `app.kubernetes.io/name`). @default none */
  readonly labels?: Readonly<Record<string, string>>;
  /** The app's containers: the first is named `app` unless named, the others `container-<n>`. */
  readonly containers: readonly HardenedContainerProps[];
  /** Containers run to completion, in order, before the app starts (named `init-<n>` unless named). @default none */
  readonly initContainers?: readonly HardenedContainerProps[];
  /**
   * Native sidecars: init containers with `restartPolicy: Always`, started before the app and kept
   * running beside it (named `sidecar-<n>` unless named). Kubernetes 1.29+.
   * @default none
   */
  readonly sidecars?: readonly HardenedContainerProps[];
  /**
   * Identity of the pods: a `WorkloadServiceAccount`, a `kplus.ServiceAccount`, or
   * `kplus.ServiceAccount.fromServiceAccountName(...)`.
   * @default the namespace's `default` ServiceAccount
   */
  readonly serviceAccount?: kplus.IServiceAccount;
  /**
   * Loosening: mount the ServiceAccount token into the pods. Only workloads that call the
   * Kubernetes API need it; a stolen token acts with the account's rights.
   * @default false
   */
  readonly automountServiceAccountToken?: boolean;
  /** User and group the containers run as (and the pod's fsGroup); must not be 0. @default 10001 */
  readonly runAsUser?: number;
  /** Mount an emptyDir at /tmp in every container (for a read-only root filesystem). @default false */
  readonly writableTmp?: boolean;
  /** Size limit of the /tmp emptyDir. @default Size.mebibytes(256) */
  readonly tmpSizeLimit?: Size;
  /** @default none */
  readonly priorityClassName?: string;
}

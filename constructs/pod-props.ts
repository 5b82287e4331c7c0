/** Props shared by the hardened workload constructs (container and pod level). */
import type { IProbe } from 'kubernetes-models/v1/Probe';
import type { IToleration } from 'kubernetes-models/v1/Toleration';

export interface ResourceProps {
  /** Scheduling guarantee; both are required (the scheduler and the quota need them). */
  readonly requests: { readonly cpu: string; readonly memory: string };
  /**
   * Memory limit is required (memory is not compressible); a CPU limit is optional because CPU
   * throttling hurts latency more than it protects neighbours.
   */
  readonly limits: { readonly memory: string; readonly cpu?: string };
}

export interface ContainerPortProps {
  readonly name: string;
  readonly containerPort: number;
  /** @default TCP */
  readonly protocol?: 'TCP' | 'UDP';
}

export interface HardenedContainerProps {
  /** @default "app" for the first container, "container-<n>" for the others */
  readonly name?: string;
  /** Image reference with a version tag or a digest; `latest` and untagged images are refused. */
  readonly image: string;
  readonly resources: ResourceProps;
  /** @default the image's entrypoint */
  readonly command?: readonly string[];
  /** @default the image's arguments */
  readonly args?: readonly string[];
  /** Plain environment variables, written in key order. @default none */
  readonly env?: Readonly<Record<string, string>>;
  /** @default no ports */
  readonly ports?: readonly ContainerPortProps[];
  /** Probes are encouraged: without a readiness probe, rollouts send traffic to pods that are not ready. @default none */
  readonly readinessProbe?: IProbe;
  /** @default none */
  readonly livenessProbe?: IProbe;
  /** @default none */
  readonly startupProbe?: IProbe;
  /**
   * Loosening: capabilities to add back after dropping ALL. The restricted Pod Security Standard
   * allows only NET_BIND_SERVICE.
   * @default none
   */
  readonly addCapabilities?: readonly 'NET_BIND_SERVICE'[];
  /**
   * Loosening: let the container write to its root filesystem. Prefer `writableTmp` or a volume.
   * @default false (read-only root filesystem)
   */
  readonly allowWritableRootFilesystem?: boolean;
}

export interface HardenedPodProps {
  /** Namespace of the workload (required: nothing goes to `default` by accident). */
  readonly namespace: string;
  /** @default the construct id */
  readonly name?: string;
  /** Extra labels on the workload and its pods (the selector uses only `app.kubernetes.io/name`). @default none */
  readonly labels?: Readonly<Record<string, string>>;
  readonly containers: readonly HardenedContainerProps[];
  /** @default the namespace's default ServiceAccount */
  readonly serviceAccountName?: string;
  /**
   * Loosening: mount the ServiceAccount token into the pods. Only workloads that call the
   * Kubernetes API need it.
   * @default false
   */
  readonly automountServiceAccountToken?: boolean;
  /** User and group the containers run as; must not be 0. @default 10001 */
  readonly runAsUser?: number;
  /** Mount an emptyDir at /tmp in every container (for a read-only root filesystem). @default false */
  readonly writableTmp?: boolean;
  /** Size limit of the /tmp emptyDir. @default 256Mi */
  readonly tmpSizeLimit?: string;
  /** @default none */
  readonly nodeSelector?: Readonly<Record<string, string>>;
  /** @default none */
  readonly tolerations?: readonly IToleration[];
  /** @default none */
  readonly priorityClassName?: string;
  /** @default 30 */
  readonly terminationGracePeriodSeconds?: number;
}

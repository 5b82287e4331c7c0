import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import type { AvailabilityProps } from './availability-props';
import type { HardenedPodProps } from './pod-props';
import { addAvailability, checkAvailability, spreadAcrossZones } from './internal/availability';
import { checkPodProps, hardenedPodTemplate } from './internal/pod-template';
import { PropChecker } from './internal/validation';

export interface StatefulStorageProps {
  /** Size of each replica's volume, e.g. `20Gi`. */
  readonly size: string;
  /** Where the volume is mounted in every container. */
  readonly mountPath: string;
  /** @default gp3 (encrypted EBS, created by the platform) */
  readonly storageClassName?: string;
}

export interface HardenedStatefulSetProps extends HardenedPodProps, AvailabilityProps {
  /** Headless Service that gives the pods their network identity. @default the workload name */
  readonly serviceName?: string;
  /** One PersistentVolumeClaim per replica. @default no persistent storage */
  readonly storage?: StatefulStorageProps;
}

/** A StatefulSet with the same hardening as HardenedDeployment (see there), plus per-replica storage. */
export class HardenedStatefulSet extends Construct {
  readonly name: string;
  readonly namespace: string;
  readonly statefulSet: ApiObject;
  readonly podDisruptionBudget?: ApiObject;
  readonly horizontalPodAutoscaler?: ApiObject;

  constructor(scope: Construct, id: string, props: HardenedStatefulSetProps) {
    super(scope, id);
    const name = props.name ?? id;
    const check = new PropChecker(`HardenedStatefulSet ${props.namespace}/${name}`);
    checkPodProps(check, props, name);
    const availability = checkAvailability(check, props);
    if (props.storage) {
      check.quantity('storage.size', props.storage.size, '20Gi');
      if (!props.storage.mountPath.startsWith('/')) check.fail(`storage.mountPath must be an absolute path (got ${JSON.stringify(props.storage.mountPath)})`);
    }

    const mounts = props.storage ? [{ name: 'data', mountPath: props.storage.mountPath }] : [];
    const pod = hardenedPodTemplate(props, name, [], mounts);
    spreadAcrossZones(pod, props, availability);
    this.name = name;
    this.namespace = props.namespace;
    this.statefulSet = new ApiObject(this, 'statefulset', {
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      metadata: { name, namespace: props.namespace, labels: pod.labels },
      spec: {
        ...(availability.replicas !== undefined ? { replicas: availability.replicas } : {}),
        serviceName: props.serviceName ?? name,
        podManagementPolicy: 'OrderedReady',
        selector: { matchLabels: pod.selector },
        updateStrategy: { type: 'RollingUpdate' },
        template: pod.template,
        ...(props.storage
          ? {
              volumeClaimTemplates: [
                {
                  metadata: { name: 'data' },
                  spec: { accessModes: ['ReadWriteOnce'], storageClassName: props.storage.storageClassName ?? 'gp3', resources: { requests: { storage: props.storage.size } } },
                },
              ],
            }
          : {}),
      },
    });
    const extra = addAvailability(this, { kind: 'StatefulSet', name, namespace: props.namespace, selector: pod.selector, labels: pod.labels }, props, availability);
    this.podDisruptionBudget = extra.pdb;
    this.horizontalPodAutoscaler = extra.hpa;
  }
}

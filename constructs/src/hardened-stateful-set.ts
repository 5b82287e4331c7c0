import { JsonPatch, type ApiObject, type Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import type { Construct } from 'constructs';
import type { AvailabilityProps } from './availability-props';
import type { HardenedContainerProps, HardenedPodProps } from './pod-props';
import { addAvailability, checkAvailability, spreadAcrossZones } from './internal/availability';
import { PodHardening, planPod } from './internal/pod-hardening';
import { show } from './internal/validation';

export interface StatefulStorageProps {
  /** Size of each replica's volume, e.g. `Size.gibibytes(20)`. */
  readonly size: Size;
  /** Where the volume is mounted in every app container. */
  readonly mountPath: string;
  /** @default gp3 (the platform's encrypted EBS StorageClass) */
  readonly storageClassName?: string;
}

export interface HardenedStatefulSetProps extends HardenedPodProps, AvailabilityProps {
  /**
   * Headless Service that gives the pods their network identity.
   * @default a headless Service cdk8s-plus creates from the containers' ports (one is required then)
   */
  readonly service?: kplus.Service;
  /** One PersistentVolumeClaim per replica, named `data`. @default no persistent storage */
  readonly storage?: StatefulStorageProps;
}

/** A cdk8s-plus StatefulSet with the hardening of HardenedDeployment (see there), plus per-replica storage. */
export class HardenedStatefulSet extends kplus.StatefulSet {
  readonly podDisruptionBudget?: ApiObject;
  readonly horizontalPodAutoscaler?: kplus.HorizontalPodAutoscaler;
  private readonly hardening: PodHardening;

  constructor(scope: Construct, id: string, props: HardenedStatefulSetProps) {
    const plan = planPod('HardenedStatefulSet', scope, id, props);
    const availability = checkAvailability(plan.check, props);
    const { check } = plan;
    if (props.service === undefined && !plan.workloadProps.containers?.some((c) => c.portNumber !== undefined || (c.ports ?? []).length > 0)) {
      check.fail('containers must expose a port for the headless Service cdk8s-plus creates (ports: [{ name: "db", number: 5432 }]), or pass service');
    }
    let storageMebibytes: number | undefined;
    if (props.storage) {
      storageMebibytes = check.mebibytes('storage.size', props.storage.size, 'Size.gibibytes(20)');
      if (typeof props.storage.mountPath !== 'string' || !props.storage.mountPath.startsWith('/')) check.fail(`storage.mountPath must be an absolute path (got ${show(props.storage.mountPath)})`);
      if (props.storage.storageClassName !== undefined) check.dnsSubdomain('storage.storageClassName', props.storage.storageClassName);
    }
    super(scope, id, {
      ...plan.workloadProps,
      ...(availability.replicas !== undefined ? { replicas: availability.replicas } : {}),
      ...(props.service !== undefined ? { service: props.service } : {}),
      podManagementPolicy: kplus.PodManagementPolicy.ORDERED_READY,
    });
    this.hardening = new PodHardening(this, plan);
    this.select(kplus.LabelSelector.of({ labels: { ...plan.selector } }));
    if (props.storage && storageMebibytes !== undefined) {
      // A Quantity, not a string: the patch goes in before cdk8s-plus's generated KubeStatefulSet
      // turns the spec into JSON, which keeps only Quantity values in resource maps.
      const storage = kplus.k8s.Quantity.fromString(storageMebibytes % 1024 === 0 ? `${storageMebibytes / 1024}Gi` : `${storageMebibytes}Mi`);
      this.apiObject.addJsonPatch(
        JsonPatch.add('/spec/volumeClaimTemplates', [
          { metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], storageClassName: props.storage.storageClassName ?? 'gp3', resources: { requests: { storage } } } },
        ]),
      );
      this.hardening.claimMounts.push({ name: 'data', mountPath: props.storage.mountPath });
    }
    spreadAcrossZones(this.hardening, props, availability);
    const extra = addAvailability(this, plan, props, availability);
    this.podDisruptionBudget = extra.pdb;
    this.horizontalPodAutoscaler = extra.hpa;
  }

  /** Adds a container with the hardened defaults (validated like the `containers` prop). */
  override addContainer(container: HardenedContainerProps): kplus.Container {
    if (!this.hardening) return super.addContainer(container as kplus.ContainerProps);
    return super.addContainer(this.hardening.container(container));
  }

  /** Adds an init container, or a native sidecar with `restartPolicy: ContainerRestartPolicy.ALWAYS`, with the hardened defaults. */
  override addInitContainer(container: HardenedContainerProps): kplus.Container {
    if (!this.hardening) return super.addInitContainer(container as kplus.ContainerProps);
    return super.addInitContainer(this.hardening.initContainer(container));
  }

  /** Selects the pods by `app.kubernetes.io/name`, the label the StatefulSet itself selects on. */
  override toPodSelectorConfig(): kplus.PodSelectorConfig {
    return PodHardening.selectorConfig(this.name, this.metadata.namespace);
  }

  /** @internal cdk8s-plus builds the pod spec here at synthesis; the hardening checks it and completes it. */
  override _toPodSpec(): kplus.k8s.PodSpec {
    return this.hardening.finish(super._toPodSpec());
  }
}

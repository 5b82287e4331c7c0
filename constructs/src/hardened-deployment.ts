import { JsonPatch, type ApiObject } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import type { Construct } from 'constructs';
import type { AvailabilityProps } from './availability-props';
import type { HardenedContainerProps, HardenedPodProps } from './pod-props';
import { addAvailability, checkAvailability, spreadAcrossZones } from './internal/availability';
import { PodHardening, planPod } from './internal/pod-hardening';
import { exposeHardened, type HardenedServiceOptions } from './internal/service';

export interface HardenedDeploymentProps extends HardenedPodProps, AvailabilityProps {}

/**
 * A cdk8s-plus Deployment whose zero-config form meets the restricted Pod Security Standard:
 * non-root, no privilege escalation, ALL capabilities dropped, RuntimeDefault seccomp, read-only
 * root filesystem, no ServiceAccount token, requests and memory limits, a pinned image. Rolls out
 * one new pod at a time without taking one down, and with more than one replica gets a
 * PodDisruptionBudget and a topology spread across zones.
 *
 * It is a `kplus.Deployment`: use it wherever cdk8s-plus takes one (`kplus.Service` selectors,
 * `kplus.NetworkPolicy` peers, `connections.allowFrom`, `kplus.HorizontalPodAutoscaler`), and add
 * containers, init containers and volumes the cdk8s-plus way: they get the same hardening.
 */
export class HardenedDeployment extends kplus.Deployment {
  readonly podDisruptionBudget?: ApiObject;
  readonly horizontalPodAutoscaler?: kplus.HorizontalPodAutoscaler;
  private readonly hardening: PodHardening;

  constructor(scope: Construct, id: string, props: HardenedDeploymentProps) {
    const plan = planPod('HardenedDeployment', scope, id, props);
    const availability = checkAvailability(plan.check, props);
    super(scope, id, {
      ...plan.workloadProps,
      ...(availability.replicas !== undefined ? { replicas: availability.replicas } : {}),
      // Surge one new pod before taking an old one down: capacity never drops during a rollout.
      strategy: kplus.DeploymentStrategy.rollingUpdate({ maxSurge: kplus.PercentOrAbsolute.absolute(1), maxUnavailable: kplus.PercentOrAbsolute.absolute(0) }),
    });
    this.hardening = new PodHardening(this, plan);
    this.select(kplus.LabelSelector.of({ labels: { ...plan.selector } }));
    this.apiObject.addJsonPatch(JsonPatch.add('/spec/revisionHistoryLimit', 5));
    spreadAcrossZones(this.hardening, props, availability);
    const extra = addAvailability(this, plan, props, availability);
    this.podDisruptionBudget = extra.pdb;
    this.horizontalPodAutoscaler = extra.hpa;
  }

  /**
   * Exposes the pods through a ClusterIP Service named after the workload and carrying its labels
   * (so a ServiceMonitor can select it). Ports default to the containers' ports. Other Service types
   * are refused here: NodePorts and public load balancers are what the platform's policies deny;
   * build a `kplus.Service` yourself if you need an internal load balancer.
   */
  override exposeViaService(options: HardenedServiceOptions = {}): kplus.Service {
    return exposeHardened(this, this.hardening.plan, options, (o) => super.exposeViaService(o));
  }

  /** Adds a container with the hardened defaults (validated like the `containers` prop). */
  override addContainer(container: HardenedContainerProps): kplus.Container {
    // cdk8s-plus's constructor adds the containers of the props, hardened by planPod already.
    if (!this.hardening) return super.addContainer(container as kplus.ContainerProps);
    return super.addContainer(this.hardening.container(container));
  }

  /** Adds an init container, or a native sidecar with `restartPolicy: ContainerRestartPolicy.ALWAYS`, with the hardened defaults. */
  override addInitContainer(container: HardenedContainerProps): kplus.Container {
    if (!this.hardening) return super.addInitContainer(container as kplus.ContainerProps);
    return super.addInitContainer(this.hardening.initContainer(container));
  }

  /** Selects the pods by `app.kubernetes.io/name`, the label the Deployment itself selects on. */
  override toPodSelectorConfig(): kplus.PodSelectorConfig {
    return PodHardening.selectorConfig(this.name, this.metadata.namespace);
  }

  /** @internal cdk8s-plus builds the pod spec here at synthesis; the hardening checks it and completes it. */
  override _toPodSpec(): kplus.k8s.PodSpec {
    return this.hardening.finish(super._toPodSpec());
  }
}

import { JsonPatch } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import type { Construct } from 'constructs';
import type { HardenedContainerProps, HardenedPodProps } from './pod-props';
import { PodHardening, planPod } from './internal/pod-hardening';

export interface HardenedDaemonSetProps extends HardenedPodProps {
  /** Nodes updated at once during a rollout. @default 1 */
  readonly maxUnavailable?: number;
}

/**
 * A cdk8s-plus DaemonSet with the restricted-PSS hardening of HardenedDeployment. Host namespaces
 * and hostPath volumes are deliberately not offered: an agent that needs them is not a restricted
 * workload.
 */
export class HardenedDaemonSet extends kplus.DaemonSet {
  private readonly hardening: PodHardening;

  constructor(scope: Construct, id: string, props: HardenedDaemonSetProps) {
    const plan = planPod('HardenedDaemonSet', scope, id, props);
    if (props.maxUnavailable !== undefined) plan.check.intRange('maxUnavailable', props.maxUnavailable, 1, 1000);
    super(scope, id, plan.workloadProps);
    this.hardening = new PodHardening(this, plan);
    this.select(kplus.LabelSelector.of({ labels: { ...plan.selector } }));
    // cdk8s-plus does not model the update strategy; written explicitly so a review sees the rollout
    // pace. The patch goes in before cdk8s-plus's generated KubeDaemonSet turns the spec into JSON,
    // so an int-or-string must be an IntOrString (a plain number would be dropped).
    const maxUnavailable = kplus.k8s.IntOrString.fromNumber(props.maxUnavailable ?? 1);
    this.apiObject.addJsonPatch(JsonPatch.add('/spec/updateStrategy', { type: 'RollingUpdate', rollingUpdate: { maxUnavailable } }));
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

  /** Selects the pods by `app.kubernetes.io/name`, the label the DaemonSet itself selects on. */
  override toPodSelectorConfig(): kplus.PodSelectorConfig {
    return PodHardening.selectorConfig(this.name, this.metadata.namespace);
  }

  /** @internal cdk8s-plus builds the pod spec here at synthesis; the hardening checks it and completes it. */
  override _toPodSpec(): kplus.k8s.PodSpec {
    return this.hardening.finish(super._toPodSpec());
  }
}

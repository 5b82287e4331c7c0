import { Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import type { Construct } from 'constructs';
import type { HardenedContainerProps, HardenedPodProps } from './pod-props';
import { PodHardening, planPod, type PodPlan } from './internal/pod-hardening';

export interface JobBehaviourProps {
  /** Retries before the Job is marked failed. @default 2 */
  readonly backoffLimit?: number;
  /** Hard time limit of one run. @default Duration.hours(1) */
  readonly activeDeadline?: Duration;
  /** Finished Jobs are deleted this long after they finish. @default Duration.days(1) */
  readonly ttlAfterFinished?: Duration;
}

export interface HardenedJobProps extends HardenedPodProps, JobBehaviourProps {}

/**
 * Validates the Job props of a pod plan and returns the cdk8s-plus Job props; shared with
 * HardenedCronJob, whose finished Jobs are kept by count instead of by age (`withTtl` false).
 */
export function hardenedJobProps(plan: PodPlan, props: JobBehaviourProps, withTtl = true): kplus.JobProps {
  const { check } = plan;
  if (props.backoffLimit !== undefined) check.intRange('backoffLimit', props.backoffLimit, 0, 100);
  if (props.activeDeadline !== undefined) check.seconds('activeDeadline', props.activeDeadline, 1);
  if (props.ttlAfterFinished !== undefined) check.seconds('ttlAfterFinished', props.ttlAfterFinished, 0);
  return {
    ...plan.workloadProps,
    backoffLimit: props.backoffLimit ?? 2,
    activeDeadline: props.activeDeadline ?? Duration.hours(1),
    ...(withTtl ? { ttlAfterFinished: props.ttlAfterFinished ?? Duration.days(1) } : {}),
  };
}

/** A cdk8s-plus Job with the restricted-PSS hardening of HardenedDeployment, bounded retries and time. */
export class HardenedJob extends kplus.Job {
  private readonly hardening: PodHardening;

  constructor(scope: Construct, id: string, props: HardenedJobProps) {
    const plan = planPod('HardenedJob', scope, id, props);
    super(scope, id, hardenedJobProps(plan, props));
    // No selector: the Job controller selects a Job's pods by their controller-uid label itself.
    this.hardening = new PodHardening(this, plan);
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

  /** Selects the pods by `app.kubernetes.io/name`. */
  override toPodSelectorConfig(): kplus.PodSelectorConfig {
    return PodHardening.selectorConfig(this.name, this.metadata.namespace);
  }

  /** @internal cdk8s-plus builds the pod spec here at synthesis; the hardening checks it and completes it. */
  override _toPodSpec(): kplus.k8s.PodSpec {
    return this.hardening.finish(super._toPodSpec());
  }
}

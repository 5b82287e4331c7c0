import { Duration, type Cron } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import type { Construct } from 'constructs';
import type { HardenedContainerProps, HardenedPodProps } from './pod-props';
import { hardenedJobProps, type JobBehaviourProps } from './hardened-job';
import { PodHardening, planPod } from './internal/pod-hardening';
import { show } from './internal/validation';

/**
 * Finished Jobs of a CronJob are kept by count (`successfulJobsRetained`, `failedJobsRetained`),
 * not by age: cdk8s-plus refuses `ttlAfterFinished` beside them, since the TTL would delete the Jobs
 * the counts keep (cdk8s-team/cdk8s-plus, tag cdk8s-plus-28/v2.5.6, src/cron-job.ts).
 */
export interface HardenedCronJobProps extends HardenedPodProps, Omit<JobBehaviourProps, 'ttlAfterFinished'> {
  /** When to run: `Cron.daily()`, `Cron.schedule({ minute: '*\/15' })`, ... */
  readonly schedule: Cron;
  /** IANA time zone of the schedule. @default UTC (not the controller's local time) */
  readonly timeZone?: string;
  /** @default Forbid (a slow run never overlaps the next) */
  readonly concurrencyPolicy?: kplus.ConcurrencyPolicy;
  /**
   * How late a run may still start (after a controller restart, say) before it counts as missed.
   * cdk8s-plus defaults to 10 seconds, the least Kubernetes reliably honours; here a run may be up
   * to 5 minutes late.
   * @default Duration.minutes(5)
   */
  readonly startingDeadline?: Duration;
  /** @default 3 */
  readonly successfulJobsRetained?: number;
  /** @default 1 */
  readonly failedJobsRetained?: number;
}

/** A cdk8s-plus CronJob whose Jobs carry the HardenedJob settings and restricted-PSS pods. */
export class HardenedCronJob extends kplus.CronJob {
  private readonly hardening: PodHardening;

  constructor(scope: Construct, id: string, props: HardenedCronJobProps) {
    const plan = planPod('HardenedCronJob', scope, id, props);
    const { check } = plan;
    const expression = (props.schedule as { expressionString?: unknown } | undefined)?.expressionString;
    if (typeof expression !== 'string' || !/^(@(yearly|annually|monthly|weekly|daily|midnight|hourly)|\S+ \S+ \S+ \S+ \S+)$/.test(expression)) {
      check.fail(`schedule must be a cdk8s Cron of five fields, e.g. Cron.daily() or Cron.schedule({ minute: '0', hour: '3' }) (got ${show(expression ?? props.schedule)})`);
    }
    // The CronJob controller appends 11 characters to the name for each Job it creates (Kubernetes CronJob docs).
    if (plan.name.length > 52) check.fail(`name must be at most 52 characters for a CronJob (its Jobs get a suffix) (got ${plan.name.length})`);
    if (props.timeZone !== undefined && !/^[A-Za-z]+(?:[/_+-][A-Za-z0-9_+-]+)*$/.test(props.timeZone)) check.fail(`timeZone must be an IANA zone like Europe/Berlin or UTC (got ${show(props.timeZone)})`);
    if (props.startingDeadline !== undefined) check.seconds('startingDeadline', props.startingDeadline, 10);
    if (props.successfulJobsRetained !== undefined) check.intRange('successfulJobsRetained', props.successfulJobsRetained, 0, 100);
    if (props.failedJobsRetained !== undefined) check.intRange('failedJobsRetained', props.failedJobsRetained, 0, 100);
    super(scope, id, {
      ...hardenedJobProps(plan, props, false),
      schedule: props.schedule,
      timeZone: props.timeZone ?? 'UTC',
      concurrencyPolicy: props.concurrencyPolicy ?? kplus.ConcurrencyPolicy.FORBID,
      successfulJobsRetained: props.successfulJobsRetained ?? 3,
      failedJobsRetained: props.failedJobsRetained ?? 1,
      startingDeadline: props.startingDeadline ?? Duration.minutes(5),
    });
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

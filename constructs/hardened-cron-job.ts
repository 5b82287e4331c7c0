import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import type { HardenedPodProps } from './pod-props';
import { hardenedJobSpec, type JobBehaviourProps } from './hardened-job';
import { PropChecker } from './internal/validation';

export interface HardenedCronJobProps extends HardenedPodProps, JobBehaviourProps {
  /** Cron schedule, five fields (`*\/15 * * * *`) or a macro (`@daily`). */
  readonly schedule: string;
  /** IANA time zone of the schedule. @default UTC */
  readonly timeZone?: string;
  /** @default Forbid (a slow run never overlaps the next) */
  readonly concurrencyPolicy?: 'Allow' | 'Forbid' | 'Replace';
  /** @default 3 */
  readonly successfulJobsHistoryLimit?: number;
  /** @default 1 */
  readonly failedJobsHistoryLimit?: number;
}

/** A CronJob whose Jobs carry the HardenedJob settings and restricted-PSS pods. */
export class HardenedCronJob extends Construct {
  readonly name: string;
  readonly namespace: string;
  readonly cronJob: ApiObject;

  constructor(scope: Construct, id: string, props: HardenedCronJobProps) {
    super(scope, id);
    const name = props.name ?? id;
    const check = new PropChecker(`HardenedCronJob ${props.namespace}/${name}`);
    if (!/^(@(yearly|annually|monthly|weekly|daily|midnight|hourly)|\S+ \S+ \S+ \S+ \S+)$/.test(props.schedule)) {
      check.fail(`schedule must be five cron fields or a macro like @daily (got ${JSON.stringify(props.schedule)})`);
    }
    if (name.length > 52) check.fail(`name must be at most 52 characters for a CronJob (Job names get a suffix) (got ${name.length})`);
    const { pod, spec } = hardenedJobSpec(check, props, name);
    this.name = name;
    this.namespace = props.namespace;
    this.cronJob = new ApiObject(this, 'cronjob', {
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: { name, namespace: props.namespace, labels: pod.labels },
      spec: {
        schedule: props.schedule,
        timeZone: props.timeZone ?? 'UTC',
        concurrencyPolicy: props.concurrencyPolicy ?? 'Forbid',
        successfulJobsHistoryLimit: props.successfulJobsHistoryLimit ?? 3,
        failedJobsHistoryLimit: props.failedJobsHistoryLimit ?? 1,
        jobTemplate: { metadata: { labels: pod.labels }, spec },
      },
    });
  }
}

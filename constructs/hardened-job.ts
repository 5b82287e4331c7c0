import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import type { HardenedPodProps } from './pod-props';
import { checkPodProps, hardenedPodTemplate, type ResolvedPod } from './internal/pod-template';
import { PropChecker } from './internal/validation';

export interface JobBehaviourProps {
  /** Retries before the Job is marked failed. @default 2 */
  readonly backoffLimit?: number;
  /** Hard time limit of one run, in seconds. @default 3600 */
  readonly activeDeadlineSeconds?: number;
  /** Finished Jobs are deleted after this many seconds. @default 86400 (one day) */
  readonly ttlSecondsAfterFinished?: number;
}

export interface HardenedJobProps extends HardenedPodProps, JobBehaviourProps {}

/** Validates the Job props and returns the Job spec; shared with HardenedCronJob. */
export function hardenedJobSpec(check: PropChecker, props: HardenedPodProps & JobBehaviourProps, name: string): { pod: ResolvedPod; spec: Record<string, unknown> } {
  checkPodProps(check, props, name);
  if (props.backoffLimit !== undefined) check.intRange('backoffLimit', props.backoffLimit, 0, 100);
  if (props.activeDeadlineSeconds !== undefined) check.intRange('activeDeadlineSeconds', props.activeDeadlineSeconds, 1);
  if (props.ttlSecondsAfterFinished !== undefined) check.intRange('ttlSecondsAfterFinished', props.ttlSecondsAfterFinished, 0);
  const pod = hardenedPodTemplate(props, name);
  (pod.template.spec as { restartPolicy?: string }).restartPolicy = 'Never';
  return {
    pod,
    spec: {
      backoffLimit: props.backoffLimit ?? 2,
      activeDeadlineSeconds: props.activeDeadlineSeconds ?? 3600,
      ttlSecondsAfterFinished: props.ttlSecondsAfterFinished ?? 86400,
      template: pod.template,
    },
  };
}

/** A run-to-completion Job with the restricted-PSS hardening of HardenedDeployment, bounded retries and time. */
export class HardenedJob extends Construct {
  readonly name: string;
  readonly namespace: string;
  readonly job: ApiObject;

  constructor(scope: Construct, id: string, props: HardenedJobProps) {
    super(scope, id);
    const name = props.name ?? id;
    const { pod, spec } = hardenedJobSpec(new PropChecker(`HardenedJob ${props.namespace}/${name}`), props, name);
    this.name = name;
    this.namespace = props.namespace;
    this.job = new ApiObject(this, 'job', { apiVersion: 'batch/v1', kind: 'Job', metadata: { name, namespace: props.namespace, labels: pod.labels }, spec });
  }
}

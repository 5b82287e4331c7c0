import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import type { AvailabilityProps } from './availability-props';
import type { HardenedPodProps } from './pod-props';
import { addAvailability, checkAvailability, spreadAcrossZones } from './internal/availability';
import { checkPodProps, hardenedPodTemplate } from './internal/pod-template';
import { PropChecker } from './internal/validation';

export interface HardenedDeploymentProps extends HardenedPodProps, AvailabilityProps {}

/**
 * A Deployment whose zero-config form meets the restricted Pod Security Standard: non-root,
 * no privilege escalation, ALL capabilities dropped, RuntimeDefault seccomp, read-only root
 * filesystem, no ServiceAccount token, requests and memory limits, a pinned image. With more than
 * one replica it also gets a PodDisruptionBudget and a topology spread across zones.
 */
export class HardenedDeployment extends Construct {
  readonly name: string;
  readonly namespace: string;
  readonly deployment: ApiObject;
  readonly podDisruptionBudget?: ApiObject;
  readonly horizontalPodAutoscaler?: ApiObject;

  constructor(scope: Construct, id: string, props: HardenedDeploymentProps) {
    super(scope, id);
    const name = props.name ?? id;
    const check = new PropChecker(`HardenedDeployment ${props.namespace}/${name}`);
    checkPodProps(check, props, name);
    const availability = checkAvailability(check, props);

    const pod = hardenedPodTemplate(props, name);
    spreadAcrossZones(pod, props, availability);
    this.name = name;
    this.namespace = props.namespace;
    this.deployment = new ApiObject(this, 'deployment', {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name, namespace: props.namespace, labels: pod.labels },
      spec: {
        ...(availability.replicas !== undefined ? { replicas: availability.replicas } : {}),
        revisionHistoryLimit: 5,
        selector: { matchLabels: pod.selector },
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } },
        template: pod.template,
      },
    });
    const extra = addAvailability(this, { kind: 'Deployment', name, namespace: props.namespace, selector: pod.selector, labels: pod.labels }, props, availability);
    this.podDisruptionBudget = extra.pdb;
    this.horizontalPodAutoscaler = extra.hpa;
  }
}

import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import type { HardenedPodProps } from './pod-props';
import { checkPodProps, hardenedPodTemplate } from './internal/pod-template';
import { PropChecker } from './internal/validation';

export interface HardenedDaemonSetProps extends HardenedPodProps {
  /** Nodes updated at once during a rollout. @default 1 */
  readonly maxUnavailable?: number;
}

/**
 * A DaemonSet with the restricted-PSS hardening of HardenedDeployment. Host namespaces and
 * hostPath volumes are deliberately not offered: an agent that needs them is not a restricted workload.
 */
export class HardenedDaemonSet extends Construct {
  readonly name: string;
  readonly namespace: string;
  readonly daemonSet: ApiObject;

  constructor(scope: Construct, id: string, props: HardenedDaemonSetProps) {
    super(scope, id);
    const name = props.name ?? id;
    const check = new PropChecker(`HardenedDaemonSet ${props.namespace}/${name}`);
    checkPodProps(check, props, name);
    if (props.maxUnavailable !== undefined) check.intRange('maxUnavailable', props.maxUnavailable, 1, 1000);

    const pod = hardenedPodTemplate(props, name);
    this.name = name;
    this.namespace = props.namespace;
    this.daemonSet = new ApiObject(this, 'daemonset', {
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      metadata: { name, namespace: props.namespace, labels: pod.labels },
      spec: {
        selector: { matchLabels: pod.selector },
        updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: props.maxUnavailable ?? 1 } },
        template: pod.template,
      },
    });
  }
}

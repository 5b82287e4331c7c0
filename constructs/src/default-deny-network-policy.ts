import { ApiObject } from 'cdk8s';
import type { Construct } from 'constructs';
import { namespacedChecker } from './internal/validation';

export interface DefaultDenyNetworkPolicyProps {
  /** @default the enclosing Chart's namespace (one of the two is required) */
  readonly namespace?: string;
  /** @default default-deny */
  readonly name?: string;
}

/** Denies all ingress and egress of every pod in a namespace; explicit allow policies open what is needed. */
export class DefaultDenyNetworkPolicy extends ApiObject {
  constructor(scope: Construct, id: string, props: DefaultDenyNetworkPolicyProps = {}) {
    const name = props.name ?? 'default-deny';
    const { check, namespace } = namespacedChecker('DefaultDenyNetworkPolicy', scope, name, props.namespace);
    check.dnsSubdomain('name', name);
    super(scope, id, {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name, namespace },
      spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] },
    });
  }
}

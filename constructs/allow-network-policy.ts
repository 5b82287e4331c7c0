import { ApiObject } from 'cdk8s';
import type { Construct } from 'constructs';
import type { INetworkPolicyPeer } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicyPeer';
import type { INetworkPolicyPort } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicyPort';
import { PropChecker } from './internal/validation';

export interface AllowNetworkPolicyProps {
  readonly namespace: string;
  /** @default the construct id */
  readonly name?: string;
  /** Pods the policy applies to. @default every pod in the namespace */
  readonly podSelector?: Readonly<Record<string, string>>;
  /** Allowed sources of incoming traffic (see NetworkPeers). @default no ingress rule */
  readonly ingressFrom?: readonly INetworkPolicyPeer[];
  /** Ports the ingress rule opens. @default all ports */
  readonly ingressPorts?: readonly INetworkPolicyPort[];
  /** Allowed destinations of outgoing traffic. @default no egress rule */
  readonly egressTo?: readonly INetworkPolicyPeer[];
  /** Ports the egress rule opens. @default all ports */
  readonly egressPorts?: readonly INetworkPolicyPort[];
}

/** One explicit allow rule on top of a default deny: ingress from some peers and/or egress to others. */
export class AllowNetworkPolicy extends ApiObject {
  constructor(scope: Construct, id: string, props: AllowNetworkPolicyProps) {
    const name = props.name ?? id;
    const check = new PropChecker(`AllowNetworkPolicy ${props.namespace}/${name}`);
    check.dnsLabel('namespace', props.namespace);
    check.dnsSubdomain('name', name);
    if (!props.ingressFrom && !props.egressTo) check.fail('set ingressFrom or egressTo (a policy with neither allows nothing)');
    if (props.ingressFrom?.length === 0) check.fail('ingressFrom must list at least one peer (leave it out to add no ingress rule)');
    if (props.egressTo?.length === 0) check.fail('egressTo must list at least one peer (leave it out to add no egress rule)');
    const policyTypes: string[] = [];
    const spec: Record<string, unknown> = { podSelector: props.podSelector ? { matchLabels: { ...props.podSelector } } : {} };
    if (props.ingressFrom) {
      policyTypes.push('Ingress');
      spec.ingress = [{ from: [...props.ingressFrom], ...(props.ingressPorts ? { ports: [...props.ingressPorts] } : {}) }];
    }
    if (props.egressTo) {
      policyTypes.push('Egress');
      spec.egress = [{ to: [...props.egressTo], ...(props.egressPorts ? { ports: [...props.egressPorts] } : {}) }];
    }
    spec.policyTypes = policyTypes;
    super(scope, id, { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name, namespace: props.namespace }, spec });
  }
}

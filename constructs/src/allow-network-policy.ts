import { ApiObject } from 'cdk8s';
import type * as kplus from 'cdk8s-plus-28';
import type { Construct } from 'constructs';
import { isPodSelector, labelSelectorOf, type LabelSelectorSpec, type NetworkPolicyPeerSpec, type NetworkPolicyPortSpec } from './network-peers';
import { namespacedChecker, type PropChecker } from './internal/validation';

export interface AllowNetworkPolicyProps {
  /** @default the enclosing Chart's namespace (one of the two is required) */
  readonly namespace?: string;
  /** @default the construct id */
  readonly name?: string;
  /**
   * Pods the policy applies to: labels, or a workload (a hardened one or any cdk8s-plus
   * `IPodSelector`) in the policy's namespace.
   * @default every pod in the namespace
   */
  readonly podSelector?: Readonly<Record<string, string>> | kplus.IPodSelector;
  /** Allowed sources of incoming traffic (see NetworkPeers). @default no ingress rule */
  readonly ingressFrom?: readonly NetworkPolicyPeerSpec[];
  /** Ports the ingress rule opens. @default all ports */
  readonly ingressPorts?: readonly NetworkPolicyPortSpec[];
  /** Allowed destinations of outgoing traffic. @default no egress rule */
  readonly egressTo?: readonly NetworkPolicyPeerSpec[];
  /** Ports the egress rule opens. @default all ports */
  readonly egressPorts?: readonly NetworkPolicyPortSpec[];
}

/** One explicit allow rule on top of a default deny: ingress from some peers and/or egress to others. */
export class AllowNetworkPolicy extends ApiObject {
  constructor(scope: Construct, id: string, props: AllowNetworkPolicyProps) {
    const name = props.name ?? id;
    const { check, namespace } = namespacedChecker('AllowNetworkPolicy', scope, name, props.namespace);
    check.dnsSubdomain('name', name);
    if (!props.ingressFrom && !props.egressTo) check.fail('set ingressFrom or egressTo (a policy with neither allows nothing)');
    if (props.ingressFrom?.length === 0) check.fail('ingressFrom must list at least one peer (leave it out to add no ingress rule)');
    if (props.egressTo?.length === 0) check.fail('egressTo must list at least one peer (leave it out to add no egress rule)');
    const policyTypes: string[] = [];
    const spec: Record<string, unknown> = { podSelector: podSelectorOf(check, namespace, props.podSelector) };
    if (props.ingressFrom) {
      policyTypes.push('Ingress');
      spec.ingress = [{ from: [...props.ingressFrom], ...(props.ingressPorts ? { ports: [...props.ingressPorts] } : {}) }];
    }
    if (props.egressTo) {
      policyTypes.push('Egress');
      spec.egress = [{ to: [...props.egressTo], ...(props.egressPorts ? { ports: [...props.egressPorts] } : {}) }];
    }
    spec.policyTypes = policyTypes;
    super(scope, id, { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name, namespace }, spec });
  }
}

function podSelectorOf(check: PropChecker, namespace: string, selector: AllowNetworkPolicyProps['podSelector']): LabelSelectorSpec {
  if (selector === undefined) return {};
  if (!isPodSelector(selector)) return { matchLabels: { ...selector } };
  const config = selector.toPodSelectorConfig();
  const names = config.namespaces?.names;
  // A NetworkPolicy selects pods of its own namespace only.
  if (config.namespaces?.labelSelector || (names !== undefined && (names.length !== 1 || names[0] !== namespace))) {
    check.fail(`podSelector selects pods outside the policy's namespace ${namespace} (got namespaces ${JSON.stringify(names ?? 'by label')}); create the policy in the workload's namespace`);
  }
  return labelSelectorOf(config.labelSelector);
}

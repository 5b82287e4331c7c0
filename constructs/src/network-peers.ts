/** Network policy peers and ports for the policy constructs: say who, not how selectors are spelled. */
import type * as kplus from 'cdk8s-plus-28';

/** Label every namespace carries (set by the API server), used to select namespaces by name. */
export const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

export interface LabelSelectorRequirementSpec {
  readonly key: string;
  readonly operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';
  readonly values?: readonly string[];
}

/** A Kubernetes label selector, as written in a NetworkPolicy. */
export interface LabelSelectorSpec {
  readonly matchLabels?: Readonly<Record<string, string>>;
  readonly matchExpressions?: readonly LabelSelectorRequirementSpec[];
}

/** One `from` / `to` entry of a NetworkPolicy rule. */
export interface NetworkPolicyPeerSpec {
  readonly podSelector?: LabelSelectorSpec;
  readonly namespaceSelector?: LabelSelectorSpec;
  readonly ipBlock?: { readonly cidr: string; readonly except?: readonly string[] };
}

/** One `ports` entry of a NetworkPolicy rule. */
export interface NetworkPolicyPortSpec {
  readonly protocol?: 'TCP' | 'UDP' | 'SCTP';
  readonly port?: number | string;
  readonly endPort?: number;
}

/** The label selector a cdk8s-plus selector renders (`LabelSelector._toKube()`, public in cdk8s-plus-28's typings). */
export function labelSelectorOf(selector: kplus.LabelSelector): LabelSelectorSpec {
  const kube = selector._toKube();
  return {
    ...(kube.matchLabels ? { matchLabels: { ...kube.matchLabels } } : {}),
    ...(kube.matchExpressions?.length ? { matchExpressions: kube.matchExpressions.map((e) => ({ key: e.key, operator: e.operator as LabelSelectorRequirementSpec['operator'], ...(e.values ? { values: [...e.values] } : {}) })) } : {}),
  };
}

export function isPodSelector(value: unknown): value is kplus.IPodSelector {
  return typeof (value as kplus.IPodSelector | undefined)?.toPodSelectorConfig === 'function';
}

export const NetworkPeers = {
  /** Every pod in the policy's own namespace. */
  sameNamespace(): NetworkPolicyPeerSpec {
    return { podSelector: {} };
  },
  /** Every pod in the named namespace. */
  namespace(name: string): NetworkPolicyPeerSpec {
    return { namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: name } } };
  },
  /** Pods with these labels in the named namespace. */
  podsInNamespace(namespace: string, labels: Readonly<Record<string, string>>): NetworkPolicyPeerSpec {
    return { namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: namespace } }, podSelector: { matchLabels: { ...labels } } };
  },
  /**
   * The pods of a workload (a hardened one, any cdk8s-plus workload, or `kplus.Pods.select(...)`),
   * in the workload's namespace: no labels spelled out.
   */
  pods(selector: kplus.IPodSelector): NetworkPolicyPeerSpec {
    const config = selector.toPodSelectorConfig();
    const podSelector = labelSelectorOf(config.labelSelector);
    const ns = config.namespaces;
    if (!ns) return { podSelector };
    const names = ns.names ?? [];
    const byLabels = ns.labelSelector ? labelSelectorOf(ns.labelSelector) : {};
    const namespaceSelector: LabelSelectorSpec =
      names.length === 1
        ? { ...byLabels, matchLabels: { ...byLabels.matchLabels, [NAMESPACE_NAME_LABEL]: names[0] } }
        : names.length > 1
          ? { ...byLabels, matchExpressions: [...(byLabels.matchExpressions ?? []), { key: NAMESPACE_NAME_LABEL, operator: 'In', values: [...names] }] }
          : byLabels;
    return { namespaceSelector, podSelector };
  },
  /** The cluster DNS pods (CoreDNS, labelled k8s-app=kube-dns on EKS). */
  kubeDns(): NetworkPolicyPeerSpec {
    return NetworkPeers.podsInNamespace('kube-system', { 'k8s-app': 'kube-dns' });
  },
} as const;

export const NetworkPorts = {
  tcp(port: number | string): NetworkPolicyPortSpec {
    return { protocol: 'TCP', port };
  },
  udp(port: number | string): NetworkPolicyPortSpec {
    return { protocol: 'UDP', port };
  },
  /** DNS over UDP and TCP (large answers fall back to TCP). */
  dns(): NetworkPolicyPortSpec[] {
    return [NetworkPorts.udp(53), NetworkPorts.tcp(53)];
  },
} as const;

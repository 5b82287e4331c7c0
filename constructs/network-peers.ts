/** Network policy peers and ports for the policy constructs: say who, not how selectors are spelled. */
import type { INetworkPolicyPeer } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicyPeer';
import type { INetworkPolicyPort } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicyPort';

/** Label every namespace carries (set by the API server), used to select namespaces by name. */
export const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

export const NetworkPeers = {
  /** Every pod in the policy's own namespace. */
  sameNamespace(): INetworkPolicyPeer {
    return { podSelector: {} };
  },
  /** Every pod in the named namespace. */
  namespace(name: string): INetworkPolicyPeer {
    return { namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: name } } };
  },
  /** Pods with these labels in the named namespace. */
  podsInNamespace(namespace: string, labels: Readonly<Record<string, string>>): INetworkPolicyPeer {
    return { namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: namespace } }, podSelector: { matchLabels: { ...labels } } };
  },
  /** The cluster DNS pods (CoreDNS, labelled k8s-app=kube-dns on EKS). */
  kubeDns(): INetworkPolicyPeer {
    return NetworkPeers.podsInNamespace('kube-system', { 'k8s-app': 'kube-dns' });
  },
} as const;

export const NetworkPorts = {
  tcp(port: number | string): INetworkPolicyPort {
    return { protocol: 'TCP', port };
  },
  udp(port: number | string): INetworkPolicyPort {
    return { protocol: 'UDP', port };
  },
  /** DNS over UDP and TCP (large answers fall back to TCP). */
  dns(): INetworkPolicyPort[] {
    return [NetworkPorts.udp(53), NetworkPorts.tcp(53)];
  },
} as const;

/**
 * NetworkPolicies of the add-on namespaces (CIS EKS 5.3.2: every namespace has policies): each gets
 * a default deny of ingress and egress, then only what its components need: DNS, the API server,
 * the API server calling their admission webhooks, Prometheus scraping their metrics, and the
 * outside endpoints they talk to (AWS APIs, git repositories, alert receivers).
 *
 * The ports are read off the pinned charts' default values (our values do not change them);
 * `readAt` is the tag, and tests fail when a pin moves away from it so the ports are read again
 * (test/charts/network-policies.test.ts also finds each port among the pods the chart models render).
 * Kubelet probes need no rule: traffic from a pod's own node is always allowed. Argo CD's chart makes
 * NetworkPolicies of its own from 10.x; the platform turns them off (charts/argocd/values.ts) so these
 * are the only ones.
 */
import { Construct } from 'constructs';
import { AllowNetworkPolicy, DefaultDenyNetworkPolicy, NetworkPeers, NetworkPorts } from '@eks-platform-blueprint/constructs';
import type { PlatformConfig } from '../../model/config';
import { NAMESPACES } from '../../model/namespaces';

type Addon = keyof PlatformConfig['addons'];

/** Where a namespace's components talk outside the cluster, beyond DNS and the API server. */
interface OutsideEgress {
  /** TCP ports, to any address. */
  readonly ports: readonly number[];
  readonly why: string;
}

export interface AddonTraffic {
  readonly addon: Addon;
  readonly namespace: string;
  /** Upstream tag the ports were read at, and where. */
  readonly readAt: string;
  readonly source: string;
  /** Container ports of admission webhooks the API server calls. */
  readonly webhookPorts: readonly number[];
  /** Container ports Prometheus scrapes (from the monitoring namespace). */
  readonly metricsPorts: readonly number[];
  /** Components of the namespace call each other (Argo CD server to repo-server and Redis, Grafana to Prometheus). */
  readonly sameNamespace: boolean;
  /** Components take AWS credentials from the EKS Pod Identity agent on their node (charts/base/chart.ts). */
  readonly podIdentity?: boolean;
  readonly outside?: OutsideEgress;
  /** Host-network pods only (no DNS, API server or other allows): the default deny keeps anything else out. */
  readonly hostNetworkOnly?: boolean;
}

export const ADDON_TRAFFIC: readonly AddonTraffic[] = [
  {
    addon: 'gatekeeper',
    namespace: NAMESPACES.gatekeeper,
    readAt: 'v3.23.0',
    source: 'open-policy-agent/gatekeeper charts/gatekeeper/values.yaml: controllerManager.port 8443 (webhook), controllerManager.metricsPort and audit.metricsPort 8888',
    webhookPorts: [8443],
    metricsPorts: [8888],
    sameNamespace: false,
  },
  {
    addon: 'externalSecrets',
    namespace: NAMESPACES.externalSecrets,
    readAt: 'helm-chart-2.8.0',
    source: 'external-secrets/external-secrets deploy/charts/external-secrets/values.yaml: webhook.port 10250, metrics.listen.port 8080 (controller, webhook, cert-controller)',
    webhookPorts: [10250],
    metricsPorts: [8080],
    sameNamespace: false,
    podIdentity: true,
    outside: { ports: [443], why: 'AWS Secrets Manager and STS (EKS Pod Identity credentials)' },
  },
  {
    addon: 'karpenter',
    namespace: NAMESPACES.karpenter,
    readAt: 'v1.14.1',
    source: 'aws/karpenter-provider-aws charts/karpenter/values.yaml: controller.metrics.port 8080 (no webhook in v1)',
    webhookPorts: [],
    metricsPorts: [8080],
    sameNamespace: false,
    podIdentity: true,
    outside: { ports: [443], why: 'AWS APIs: EC2, SQS (interruption queue), SSM, pricing, IAM, EKS, STS' },
  },
  {
    addon: 'argocd',
    namespace: NAMESPACES.argocd,
    readAt: 'argo-cd-10.1.1',
    source: 'argoproj/argo-helm charts/argo-cd/values.yaml containerPorts: controller.metrics 8082, server.metrics 8083, repoServer.metrics 8084, applicationSet.metrics 8080',
    webhookPorts: [],
    metricsPorts: [8080, 8082, 8083, 8084],
    sameNamespace: true,
    outside: { ports: [22, 443], why: 'git repositories (HTTPS and SSH) and Helm repositories the Applications name' },
  },
  {
    addon: 'monitoring',
    namespace: NAMESPACES.monitoring,
    readAt: 'kube-prometheus-stack-79.6.1',
    source:
      'prometheus-community/helm-charts charts/kube-prometheus-stack/values.yaml: prometheusOperator.tls.internalPort 10250 (admission webhook on the operator); ' +
      'templates/prometheus-operator/deployment.yaml. The certificate exporter (enix/x509-certificate-exporter v4.2.0 chart/values.yaml podListenPort 9793) ' +
      'is scraped from its own namespace, as every target in it (same-namespace allow)',
    webhookPorts: [10250],
    metricsPorts: [9793],
    sameNamespace: true,
    outside: { ports: [443], why: 'Alertmanager receivers (HTTPS webhooks, chat, paging services)' },
  },
  {
    addon: 'monitoring',
    namespace: NAMESPACES.nodeExporter,
    readAt: 'kube-prometheus-stack-79.6.1',
    source:
      'prometheus-community/helm-charts prometheus-node-exporter-4.49.1 values.yaml hostNetwork: true: the VPC CNI policy agent enforces nothing on host-network pods ' +
      '(aws/aws-network-policy-agent v1.4.1 controllers/policyendpoints_controller.go skips pods whose IP is the host\'s); ' +
      'Prometheus scrapes it on the node address (the monitoring namespace\'s allow-scrape-nodes)',
    webhookPorts: [],
    metricsPorts: [],
    sameNamespace: false,
    hostNetworkOnly: true,
  },
  {
    addon: 'ingress',
    namespace: NAMESPACES.loadBalancerController,
    readAt: 'v3.5.0',
    source:
      'kubernetes-sigs/aws-load-balancer-controller helm/aws-load-balancer-controller/templates/deployment.yaml: webhook-server `webhookBindPort | default 9443` ' +
      '(Ingress validation, Service and Pod mutation), metrics-server `metricsBindAddr` port, default 8080',
    webhookPorts: [9443],
    metricsPorts: [8080],
    sameNamespace: false,
    podIdentity: true,
    outside: { ports: [443], why: 'AWS APIs: Elastic Load Balancing, EC2 (security groups, subnets), ACM, STS' },
  },
  {
    addon: 'ingress',
    namespace: NAMESPACES.externalDns,
    readAt: 'external-dns-helm-chart-1.21.1',
    source: 'kubernetes-sigs/external-dns charts/external-dns/templates/deployment.yaml: containerPort `http` 7979 (metrics, values.yaml service.port); no webhook (the AWS provider is in-tree)',
    webhookPorts: [],
    metricsPorts: [7979],
    sameNamespace: false,
    podIdentity: true,
    outside: { ports: [443], why: 'AWS APIs: Route 53, STS' },
  },
];

/**
 * The EKS Pod Identity agent: a host-network DaemonSet serving credentials on this link-local address,
 * port 80 (awsdocs/amazon-eks-user-guide latest/ug/manage-access/aws-access/service-accounts.adoc, EKS
 * Pod Identity considerations). Egress policies apply to it like to any address (aws/aws-network-policy-agent
 * v1.4.1 pkg/ebpf/c/tc.v4egress.bpf.c has no exception for it), so a default deny without this allow
 * leaves the AWS SDK without credentials.
 */
const POD_IDENTITY_AGENT = { ipBlock: { cidr: '169.254.170.23/32' } };

/** Where Prometheus scrapes on the nodes: the kubelet (10250, cAdvisor) and node-exporter on the host network (9100). */
const NODE_SCRAPE_PORTS = [10250, 9100];
const ANYWHERE = { ipBlock: { cidr: '0.0.0.0/0' } };

/** Default deny plus the allows each enabled add-on namespace needs. */
export class AddonNetworkPolicies extends Construct {
  constructor(scope: Construct, id: string, config: PlatformConfig) {
    super(scope, id);
    // EKS reaches the cluster's webhooks, and pods reach the API server (the kubernetes Service's
    // endpoints), through the control plane's network interfaces in the cluster VPC.
    const vpc = { ipBlock: { cidr: config.network.vpcCidr } };
    for (const t of ADDON_TRAFFIC) {
      if (!config.addons[t.addon]) continue;
      const ns = t.namespace;
      const at = (name: string) => `${ns}-${name}`;
      new DefaultDenyNetworkPolicy(this, at('default-deny'), { namespace: ns });
      if (t.hostNetworkOnly) continue;
      new AllowNetworkPolicy(this, at('allow-dns'), { namespace: ns, name: 'allow-dns', egressTo: [NetworkPeers.kubeDns()], egressPorts: NetworkPorts.dns() });
      new AllowNetworkPolicy(this, at('allow-api-server'), { namespace: ns, name: 'allow-api-server', egressTo: [vpc], egressPorts: [NetworkPorts.tcp(443)] });
      if (t.webhookPorts.length > 0) {
        new AllowNetworkPolicy(this, at('allow-webhooks'), { namespace: ns, name: 'allow-api-server-webhooks', ingressFrom: [vpc], ingressPorts: t.webhookPorts.map((p) => NetworkPorts.tcp(p)) });
      }
      if (t.metricsPorts.length > 0) {
        new AllowNetworkPolicy(this, at('allow-scrape'), { namespace: ns, name: 'allow-prometheus-scrape', ingressFrom: [NetworkPeers.namespace(NAMESPACES.monitoring)], ingressPorts: t.metricsPorts.map((p) => NetworkPorts.tcp(p)) });
      }
      if (t.sameNamespace) {
        new AllowNetworkPolicy(this, at('allow-same-namespace'), { namespace: ns, name: 'allow-same-namespace', ingressFrom: [NetworkPeers.sameNamespace()], egressTo: [NetworkPeers.sameNamespace()] });
      }
      if (t.podIdentity) {
        new AllowNetworkPolicy(this, at('allow-pod-identity'), { namespace: ns, name: 'allow-pod-identity-agent', egressTo: [POD_IDENTITY_AGENT], egressPorts: [NetworkPorts.tcp(80)] });
      }
      if (t.outside) {
        new AllowNetworkPolicy(this, at('allow-outside'), { namespace: ns, name: 'allow-outside', egressTo: [ANYWHERE], egressPorts: t.outside.ports.map((p) => NetworkPorts.tcp(p)) });
      }
      if (t.addon === 'monitoring') {
        // Prometheus scrapes every namespace's pods (their own policies admit the monitoring namespace) and the nodes.
        new AllowNetworkPolicy(this, at('allow-scrape-targets'), { namespace: ns, name: 'allow-scrape-targets', egressTo: [{ namespaceSelector: {} }] });
        new AllowNetworkPolicy(this, at('allow-scrape-nodes'), { namespace: ns, name: 'allow-scrape-nodes', egressTo: [vpc], egressPorts: NODE_SCRAPE_PORTS.map((p) => NetworkPorts.tcp(p)) });
      }
    }
  }
}

/**
 * Values for the upstream aws-load-balancer-controller chart (aws/eks-charts, chart 3.5.0 = controller
 * v3.5.0). Chart facts cited below are read off `helm/aws-load-balancer-controller/` at tag v3.5.0 of
 * kubernetes-sigs/aws-load-balancer-controller (identical to aws/eks-charts `stable/` at commit 5239609).
 */
import type { PlatformConfig } from '../../model/config';
import { WORKLOAD_IDENTITIES } from '../../model/identities';
import { DEFAULT_SSL_POLICY } from '../../model/ingress';
import { SYSTEM_NODE_LABELS, SYSTEM_NODE_TOLERATION } from '../../model/names';
import { baseTags } from '../../model/tags';
import type { AwsInputs } from '../inputs';
import type { ArgoIgnoreDifference } from '../releases';
import { AWS_LOAD_BALANCER_CONTROLLER_CHART } from '../versions';

/** The release (and so the chart's fullname and pod label `app.kubernetes.io/name`, _helpers.tpl). */
export const LOAD_BALANCER_CONTROLLER_RELEASE = 'aws-load-balancer-controller';

/**
 * What the chart generates anew whenever it is rendered without access to the cluster, as Argo CD renders
 * it (`helm template`: `lookup` finds nothing, so `keepTLSSecret` cannot reuse the Secret): the webhook CA
 * and serving certificate (_helpers.tpl webhookCerts). They land in the Secret `<namePrefix>-tls` and in
 * the `caBundle` of every webhook of the Mutating- and ValidatingWebhookConfiguration `<namePrefix>-webhook`
 * (templates/webhook.yaml), namePrefix being the chart name without `-controller` (_helpers.tpl namePrefix;
 * these values set no nameOverride). In GitOps mode the add-on's Application ignores these fields, in the
 * diff and in the sync (charts/argocd/chart.ts), so that the first sync's certificate stays.
 */
export const LOAD_BALANCER_CONTROLLER_RENDERED_ANEW: readonly ArgoIgnoreDifference[] = [
  { kind: 'Secret', name: 'aws-load-balancer-tls', jsonPointers: ['/data'] },
  ...(['MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration'] as const).map((kind) => ({
    group: 'admissionregistration.k8s.io',
    kind,
    name: 'aws-load-balancer-webhook',
    jqPathExpressions: ['.webhooks[]?.clientConfig.caBundle'],
  })),
];

/**
 * The UID of the image's user: the image is built FROM eks-distro-minimal-base-nonroot (Makefile
 * BASE_IMAGE at v3.5.0), whose nonroot user is 65532. Set explicitly so the kubelet can verify
 * runAsNonRoot whatever the image metadata says.
 */
export const LOAD_BALANCER_CONTROLLER_UID = 65532;

/**
 * Hardened values. The chart's defaults (values.yaml) give the pod `fsGroup: 65534` and the container
 * `readOnlyRootFilesystem`, `runAsNonRoot` and `allowPrivilegeEscalation: false`; the restricted Pod
 * Security Standard also needs all capabilities dropped and a RuntimeDefault seccomp profile, added here.
 */
export function loadBalancerControllerValues(config: PlatformConfig, inputs: AwsInputs): Record<string, unknown> {
  const prod = config.environment === 'prod';
  const replicas = prod ? 2 : 1;
  const podLabels = { 'app.kubernetes.io/name': LOAD_BALANCER_CONTROLLER_RELEASE, 'app.kubernetes.io/instance': LOAD_BALANCER_CONTROLLER_RELEASE };
  return {
    image: { tag: AWS_LOAD_BALANCER_CONTROLLER_CHART.appVersion },
    // No IMDS: the node's hop limit of 1 keeps pods from it, so cluster, region and VPC come from here.
    clusterName: inputs.clusterName,
    region: inputs.region,
    // The VPC by its tags (network.ts tags it Name and platform:cluster with the cluster name): the
    // same text offline and in the cluster, so `platform synth` output deploys as is in GitOps mode.
    vpcTags: { Name: inputs.clusterName, 'platform:cluster': inputs.clusterName },
    replicaCount: replicas,
    // Rendered only when replicaCount > 1 (templates/pdb.yaml).
    ...(replicas > 1 ? { podDisruptionBudget: { maxUnavailable: 1 } } : {}),
    // Its Ingress validation webhook fails closed and must outlive Karpenter's nodes: system nodes.
    nodeSelector: { ...SYSTEM_NODE_LABELS },
    tolerations: [{ ...SYSTEM_NODE_TOLERATION }],
    ...(replicas > 1 ? { topologySpreadConstraints: [{ maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: podLabels } }] } : {}),
    serviceAccount: { create: false, name: WORKLOAD_IDENTITIES['lb-controller'].serviceAccount },
    podSecurityContext: { fsGroup: 65534, runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
    securityContext: {
      readOnlyRootFilesystem: true,
      runAsNonRoot: true,
      runAsUser: LOAD_BALANCER_CONTROLLER_UID,
      runAsGroup: LOAD_BALANCER_CONTROLLER_UID,
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
      seccompProfile: { type: 'RuntimeDefault' },
    },
    resources: { requests: { cpu: '100m', memory: '256Mi' }, limits: { memory: '512Mi' } },
    // The platform's IngressClasses and their params come from charts/ingress (one per tenant and scheme).
    createIngressClassResource: false,
    ingressClassParams: { create: false },
    // The legacy kubernetes.io/ingress.class annotation bypasses IngressClassParams (pkg/ingress/group_loader.go
    // classifyIngress): with it refused, every Ingress gets its class's forced scheme, group and TLS policy.
    disableIngressClassAnnotation: true,
    // No Service mutator webhook. Enabled by default (values.yaml), it fails closed
    // (serviceMutatorWebhookConfig.failurePolicy Fail) on CREATE of every Service in every namespace
    // (templates/webhook.yaml mservice: no namespaceSelector, objectSelector only excludes the controller),
    // so any release creating any Service fails while the controller's pods are not ready. All it does is
    // give a LoadBalancer Service without a class the controller's `service.k8s.aws/nlb`
    // (webhooks/core/service_mutator.go); here a LoadBalancer Service names that class itself.
    enableServiceMutatorWebhook: false,
    // Keep the webhook certificate across upgrades. Without it (values.yaml `keepTLSSecret: false`) every
    // render makes a new CA and serving certificate (_helpers.tpl webhookCerts: genCA, genSignedCert): each
    // `helm upgrade` puts the new CA in the webhook configurations at once, while the running pods serve the
    // old certificate until the kubelet refreshes their mounted Secret. Meanwhile the webhooks that fail
    // closed (templates/webhook.yaml: the Ingress and TargetGroupBinding validators, `failurePolicy: Fail`)
    // refuse every Ingress change, and pods of the tenant namespaces start without their readiness gate
    // (the pod mutator fails open: podMutatorWebhookConfig.failurePolicy Ignore). With it the chart reads
    // the existing Secret (`lookup`) and reuses it: on the Pulumi path the release is a helm.v3.Release, which
    // runs Helm as a library against the cluster (pulumi-kubernetes docs, helm/v3 Release), so `lookup` works.
    // Argo CD renders without the cluster: there LOAD_BALANCER_CONTROLLER_RENDERED_ANEW applies.
    keepTLSSecret: true,
    // IP targets: the ALB sends straight to pod IPs (VPC CNI), so NetworkPolicies can admit the load balancer subnets only.
    defaultTargetType: 'ip',
    defaultLoadBalancerScheme: 'internal',
    // Its own default is ELBSecurityPolicy-2016-08 (TLS 1.0+, pkg/config/controller_config.go).
    defaultSSLPolicy: config.ingress?.sslPolicy ?? DEFAULT_SSL_POLICY,
    // WAF Classic, WAFv2 and Shield Advanced integrations off: the platform attaches none, and its IAM policy grants none.
    enableWaf: false,
    enableWafv2: false,
    enableShield: false,
    // The stack's tags on every load balancer, target group and security group it creates
    // (`--default-tags` is key=value pairs joined by commas: the config schema refuses tags with either).
    defaultTags: { ...baseTags(config), 'managed-by': 'aws-load-balancer-controller' },
    logLevel: 'info',
  };
}

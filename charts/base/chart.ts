import { ApiObject, Chart } from 'cdk8s';
import type { Construct } from 'constructs';
import { WorkloadServiceAccount } from '@eks-platform-blueprint/constructs';
import { EXTERNAL_DNS_SERVICE_ACCOUNT, LOAD_BALANCER_CONTROLLER_SERVICE_ACCOUNT } from '../../infra/ingress-model';
import { NAMESPACES, podSecurityLabels } from '../namespaces';
import { podSecurityVersion, PART_OF_LABEL, type PlatformChartProps } from '../context';
import { AddonNetworkPolicies } from './network-policies';

/** Service accounts the Helm releases use (created here so they carry the platform's identity binding). */
export const EXTERNAL_SECRETS_SERVICE_ACCOUNT = 'external-secrets';
export const KARPENTER_SERVICE_ACCOUNT = 'karpenter';
export const GP3_STORAGE_CLASS = 'gp3';

/**
 * What must exist before any Helm release: the add-on namespaces (Pod Security labels pinned),
 * the encrypted gp3 StorageClass, and the ServiceAccounts bound to AWS roles through EKS Pod Identity.
 */
export class PlatformBaseChart extends Chart {
  constructor(scope: Construct, id: string, { config, inputs }: PlatformChartProps) {
    super(scope, id);
    const version = podSecurityVersion(config);
    const namespace = (name: string, level: 'restricted' | 'privileged', extra: Record<string, string> = {}) =>
      new ApiObject(this, `ns-${name}`, { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels: { ...PART_OF_LABEL, ...podSecurityLabels(level, version), ...extra } } });

    const { addons } = config;
    // Gatekeeper must never review its own namespace (it could block its own recovery).
    if (addons.gatekeeper) namespace(NAMESPACES.gatekeeper, 'restricted', { 'admission.gatekeeper.sh/ignore': 'no-self-managing' });
    if (addons.argocd) namespace(NAMESPACES.argocd, 'restricted');
    if (addons.monitoring) {
      namespace(NAMESPACES.monitoring, 'restricted');
      // node-exporter alone needs hostNetwork, hostPID and hostPath: privileged is enforced only in its
      // own namespace, restricted still audited and warned so any other drift shows.
      namespace(NAMESPACES.nodeExporter, 'privileged');
    }
    if (addons.externalSecrets) namespace(NAMESPACES.externalSecrets, 'restricted');
    if (addons.karpenter) namespace(NAMESPACES.karpenter, 'restricted');
    if (addons.ingress) {
      namespace(NAMESPACES.loadBalancerController, 'restricted');
      namespace(NAMESPACES.externalDns, 'restricted');
    }
    // Default deny plus what each add-on needs, in place before its release starts (CIS EKS 5.3.2).
    new AddonNetworkPolicies(this, 'network-policies', config);

    new ApiObject(this, 'storage-class-gp3', {
      apiVersion: 'storage.k8s.io/v1',
      kind: 'StorageClass',
      metadata: { name: GP3_STORAGE_CLASS, labels: { ...PART_OF_LABEL }, annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } },
      provisioner: 'ebs.csi.aws.com',
      parameters: { type: 'gp3', encrypted: 'true', kmsKeyId: inputs.ebsKmsKeyArn },
      volumeBindingMode: 'WaitForFirstConsumer',
      allowVolumeExpansion: true,
      reclaimPolicy: config.environment === 'prod' ? 'Retain' : 'Delete',
    });

    if (addons.externalSecrets) {
      new WorkloadServiceAccount(this, 'sa-external-secrets', {
        namespace: NAMESPACES.externalSecrets,
        name: EXTERNAL_SECRETS_SERVICE_ACCOUNT,
        identity: { type: 'pod-identity', roleArn: inputs.externalSecretsRoleArn },
        // The controller calls the Kubernetes API to write Secrets.
        automountServiceAccountToken: true,
        labels: PART_OF_LABEL,
      });
    }
    if (addons.karpenter) {
      new WorkloadServiceAccount(this, 'sa-karpenter', {
        namespace: NAMESPACES.karpenter,
        name: KARPENTER_SERVICE_ACCOUNT,
        identity: { type: 'pod-identity', roleArn: inputs.karpenterControllerRoleArn },
        automountServiceAccountToken: true,
        labels: PART_OF_LABEL,
      });
    }
    if (addons.ingress) {
      // Both watch the Kubernetes API (Ingresses, Services, endpoints), so they mount their tokens.
      new WorkloadServiceAccount(this, 'sa-aws-load-balancer-controller', {
        namespace: LOAD_BALANCER_CONTROLLER_SERVICE_ACCOUNT.namespace,
        name: LOAD_BALANCER_CONTROLLER_SERVICE_ACCOUNT.serviceAccount,
        identity: { type: 'pod-identity', roleArn: inputs.loadBalancerControllerRoleArn },
        automountServiceAccountToken: true,
        labels: PART_OF_LABEL,
      });
      new WorkloadServiceAccount(this, 'sa-external-dns', {
        namespace: EXTERNAL_DNS_SERVICE_ACCOUNT.namespace,
        name: EXTERNAL_DNS_SERVICE_ACCOUNT.serviceAccount,
        identity: { type: 'pod-identity', roleArn: inputs.externalDnsRoleArn },
        automountServiceAccountToken: true,
        labels: PART_OF_LABEL,
      });
    }
  }
}

import { ApiObject, Chart } from 'cdk8s';
import type { Construct } from 'constructs';
import { WorkloadServiceAccount } from '@eks-platform-blueprint/constructs';
import { WORKLOAD_IDENTITIES, type WorkloadComponent } from '../../model/identities';
import { podSecurityLabels } from '../namespaces';
import { NAMESPACES } from '../../model/namespaces';
import { podSecurityVersion, PART_OF_LABEL, type PlatformChartProps } from '../context';
import { AddonNetworkPolicies } from './network-policies';

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

    // Every ServiceAccount bound to an AWS role: its controller calls the Kubernetes API (External
    // Secrets writes Secrets, Karpenter manages nodes, the ingress add-ons watch Ingresses, Services and
    // endpoints), so each mounts its token.
    const bound: [WorkloadComponent, boolean, string][] = [
      ['external-secrets', addons.externalSecrets, inputs.externalSecretsRoleArn],
      ['karpenter-controller', addons.karpenter, inputs.karpenterControllerRoleArn],
      ['lb-controller', addons.ingress, inputs.loadBalancerControllerRoleArn],
      ['external-dns', addons.ingress, inputs.externalDnsRoleArn],
    ];
    for (const [component, enabled, roleArn] of bound) {
      if (!enabled) continue;
      const binding = WORKLOAD_IDENTITIES[component];
      new WorkloadServiceAccount(this, `sa-${binding.serviceAccount}`, {
        namespace: binding.namespace,
        name: binding.serviceAccount,
        identity: { type: 'pod-identity', roleArn },
        automountServiceAccountToken: true,
        labels: PART_OF_LABEL,
      });
    }
  }
}

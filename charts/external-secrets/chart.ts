import { ApiObject, Chart } from 'cdk8s';
import type { Construct } from 'constructs';
import { NAMESPACES } from '../../model/namespaces';
import { PART_OF_LABEL, type PlatformChartProps } from '../context';
import { ARGOCD_OIDC_SECRET_KEY } from '../argocd/values';
import { PLATFORM_SECRETS } from '../../model/names';

export const CLUSTER_SECRET_STORE = 'aws-secrets-manager';
export const GRAFANA_ADMIN_SECRET = 'grafana-admin';

/**
 * A ClusterSecretStore for AWS Secrets Manager, usable only from the platform namespaces that need it
 * (the IAM role limits reads to the cluster's secret prefix), and the ExternalSecrets Argo CD and
 * Grafana read their credentials from.
 */
export class ExternalSecretsChart extends Chart {
  constructor(scope: Construct, id: string, { config, inputs }: PlatformChartProps) {
    super(scope, id);
    const consumers = [
      ...(config.addons.argocd && config.argocd.sso ? [NAMESPACES.argocd] : []),
      ...(config.addons.monitoring ? [NAMESPACES.monitoring] : []),
    ];
    new ApiObject(this, 'store', {
      apiVersion: 'external-secrets.io/v1',
      kind: 'ClusterSecretStore',
      metadata: { name: CLUSTER_SECRET_STORE, labels: { ...PART_OF_LABEL } },
      spec: {
        provider: { aws: { service: 'SecretsManager', region: inputs.region } },
        // Tenants cannot point an ExternalSecret at this store: only the platform namespaces may.
        conditions: [{ namespaces: consumers.length > 0 ? consumers : [NAMESPACES.externalSecrets] }],
      },
    });
    const key = (name: string) => `${inputs.secretsPrefix}${name}`;
    const storeRef = { name: CLUSTER_SECRET_STORE, kind: 'ClusterSecretStore' };

    if (config.addons.argocd && config.argocd.sso) {
      new ApiObject(this, 'argocd-oidc', {
        apiVersion: 'external-secrets.io/v1',
        kind: 'ExternalSecret',
        metadata: { name: 'argocd-oidc', namespace: NAMESPACES.argocd, labels: { ...PART_OF_LABEL } },
        spec: {
          refreshInterval: '1h',
          secretStoreRef: storeRef,
          // Merged into the chart's argocd-secret, where `$oidc.clientSecret` in argocd-cm resolves.
          target: { name: 'argocd-secret', creationPolicy: 'Merge' },
          data: [{ secretKey: ARGOCD_OIDC_SECRET_KEY, remoteRef: { key: key(PLATFORM_SECRETS.argocdOidc), property: 'clientSecret' } }],
        },
      });
    }
    if (config.addons.monitoring) {
      new ApiObject(this, 'grafana-admin', {
        apiVersion: 'external-secrets.io/v1',
        kind: 'ExternalSecret',
        metadata: { name: GRAFANA_ADMIN_SECRET, namespace: NAMESPACES.monitoring, labels: { ...PART_OF_LABEL } },
        spec: {
          refreshInterval: '1h',
          secretStoreRef: storeRef,
          target: { name: GRAFANA_ADMIN_SECRET, creationPolicy: 'Owner' },
          data: [
            { secretKey: 'admin-user', remoteRef: { key: key(PLATFORM_SECRETS.grafanaAdmin), property: 'username' } },
            { secretKey: 'admin-password', remoteRef: { key: key(PLATFORM_SECRETS.grafanaAdmin), property: 'password' } },
          ],
        },
      });
    }
  }
}

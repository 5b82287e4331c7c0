import { Chart } from 'cdk8s';
import type { Construct } from 'constructs';
import { TenantNamespace } from '@eks-platform-blueprint/constructs';
import { NAMESPACES } from '../../model/namespaces';
import { podSecurityVersion, PART_OF_LABEL, type PlatformChartProps } from '../context';

/** One TenantNamespace per tenant of the stack config. */
export class TenantsChart extends Chart {
  constructor(scope: Construct, id: string, { config }: PlatformChartProps) {
    super(scope, id);
    const version = podSecurityVersion(config);
    for (const tenant of config.tenants) {
      new TenantNamespace(this, tenant.name, {
        name: tenant.name,
        teamGroup: tenant.teamGroup,
        quota: tenant.quota,
        podSecurityVersion: version,
        repositories: tenant.repositories,
        allowSecretsRead: tenant.allowSecretsRead,
        argoCd: config.addons.argocd ? { namespace: NAMESPACES.argocd } : false,
        monitoringNamespace: config.addons.monitoring ? NAMESPACES.monitoring : undefined,
        labels: PART_OF_LABEL,
      });
    }
  }
}

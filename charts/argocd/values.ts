import type { PlatformConfig } from '../../model/config';
import { ARGOCD_CHART } from '../versions';

/** Secret (kept by External Secrets) holding the OIDC client secret Argo CD's SSO reads. */
export const ARGOCD_OIDC_SECRET_KEY = 'oidc.clientSecret';

const res = (cpu: string, memory: string, limit: string) => ({ requests: { cpu, memory }, limits: { memory: limit } });

/** Hardened values for the upstream argo-cd chart: HA in prod, SSO, read-only default role, no insecure flags. */
export function argocdValues(config: PlatformConfig): Record<string, unknown> {
  const { ha, adminEnabled, sso } = config.argocd;
  const replicas = ha ? 2 : 1;
  const cm: Record<string, unknown> = {
    'admin.enabled': adminEnabled,
    'users.anonymous.enabled': false,
    'exec.enabled': false,
    'server.rbac.log.enforce.enable': true,
    'statusbadge.enabled': false,
  };
  if (sso) {
    cm['oidc.config'] = [
      'name: SSO',
      `issuer: ${sso.issuer}`,
      `clientID: ${sso.clientId}`,
      `clientSecret: $${ARGOCD_OIDC_SECRET_KEY}`,
      'requestedScopes: ["openid", "profile", "email", "groups"]',
      '',
    ].join('\n');
  }
  return {
    global: { image: { tag: ARGOCD_CHART.appVersion }, logging: { format: 'json' } },
    configs: {
      params: { 'server.insecure': false, 'server.disable.auth': false },
      cm,
      rbac: {
        'policy.default': 'role:readonly',
        scopes: '[groups]',
        ...(sso ? { 'policy.csv': `g, ${sso.adminGroup}, role:admin\n` } : {}),
      },
    },
    dex: { enabled: false },
    'redis-ha': { enabled: ha },
    controller: { replicas, resources: res('250m', '512Mi', '2Gi'), metrics: { enabled: true } },
    server: { replicas, resources: res('100m', '128Mi', '512Mi'), metrics: { enabled: true }, service: { type: 'ClusterIP' } },
    repoServer: { replicas, resources: res('100m', '256Mi', '1Gi'), metrics: { enabled: true } },
    applicationSet: { replicas, resources: res('50m', '64Mi', '256Mi'), metrics: { enabled: true } },
    notifications: { enabled: false },
  };
}

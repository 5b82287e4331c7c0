import type { PlatformConfig } from '../../infra/config';
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
    // redis-ha-4.34.11 (the HA subchart) sets no requests or limits (values.yaml redis, sentinel,
    // splitBrainDetection, init, haproxy and haproxy.init resources: {}); its pods get our name label
    // (values.yaml labels: pod labels of the StatefulSet).
    'redis-ha': {
      enabled: ha,
      labels: { 'app.kubernetes.io/name': 'argocd-redis-ha' },
      redis: { resources: res('100m', '128Mi', '512Mi') },
      sentinel: { resources: res('20m', '32Mi', '64Mi') },
      splitBrainDetection: { resources: res('10m', '32Mi', '64Mi') },
      init: { resources: res('10m', '32Mi', '64Mi') },
      haproxy: { resources: res('50m', '64Mi', '256Mi'), init: { resources: res('10m', '32Mi', '64Mi') } },
    },
    controller: { replicas, resources: res('250m', '512Mi', '2Gi'), metrics: { enabled: true } },
    server: { replicas, resources: res('100m', '128Mi', '512Mi'), metrics: { enabled: true }, service: { type: 'ClusterIP' } },
    repoServer: { replicas, resources: res('100m', '256Mi', '1Gi'), metrics: { enabled: true } },
    applicationSet: { replicas, resources: res('50m', '64Mi', '256Mi'), metrics: { enabled: true } },
    notifications: { enabled: false },
    // The chart leaves these without requests and limits (argo-cd-9.2.1 values.yaml redis.resources,
    // redisSecretInit.resources), which the container-resources policy refuses in the argocd namespace.
    redis: { resources: res('50m', '64Mi', '256Mi') },
    redisSecretInit: { resources: res('10m', '32Mi', '64Mi') },
  };
}

import type { PlatformConfig } from '../../model/config';
import { ARGOCD_CHART } from '../versions';
import { systemNodes } from '../placement';
import { APPLICATION_HEALTH_KEY, APPLICATION_HEALTH_LUA } from './application-health';

/** Secret (kept by External Secrets) holding the OIDC client secret Argo CD's SSO reads. */
export const ARGOCD_OIDC_SECRET_KEY = 'oidc.clientSecret';

const res = (cpu: string, memory: string, limit: string) => ({ requests: { cpu, memory }, limits: { memory: limit } });

/**
 * Hardened values for the upstream argo-cd chart: HA in prod, SSO, read-only default role, no insecure flags.
 *
 * Every Argo CD pod runs on the system nodes: in GitOps mode Argo CD installs Karpenter itself, and in
 * either mode its pre-install hook (the redis-secret-init Job, `helm.sh/hook: pre-install,pre-upgrade`,
 * argoproj/argo-helm argo-cd-10.1.1 charts/argo-cd/templates/redis-secret-init/job.yaml) must run
 * before any of its Deployments exist. Each component takes `<component>.nodeSelector | default
 * global.nodeSelector` and the same for tolerations (templates/*), so `global` places them all.
 * The redis-ha subchart (DandyDeveloper/charts redis-ha-4.38.0) reads its own top-level
 * `nodeSelector`/`tolerations` for both the Redis StatefulSet and the HAProxy Deployment
 * (templates/redis-ha-statefulset.yaml, redis-haproxy-deployment.yaml); the argo-cd chart's
 * `redis-ha.haproxy.tolerations` default is read by no template.
 * Resources are set for every container the chart leaves without (Redis, the secret-init Job,
 * redis-ha's containers: `resources: {}` in both values.yaml), so the system nodes' capacity can be
 * computed and the scheduler reserves it.
 */
export function argocdValues(config: PlatformConfig): Record<string, unknown> {
  const { ha, adminEnabled, sso } = config.argocd;
  const replicas = ha ? 2 : 1;
  const cm: Record<string, unknown> = {
    'admin.enabled': adminEnabled,
    'users.anonymous.enabled': false,
    'exec.enabled': false,
    'server.rbac.log.enforce.enable': true,
    'statusbadge.enabled': false,
    // An Application's health, so sync waves of an app-of-apps wait for each child (application-health.ts).
    [APPLICATION_HEALTH_KEY]: APPLICATION_HEALTH_LUA,
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
    global: {
      image: { tag: ARGOCD_CHART.appVersion },
      logging: { format: 'json' },
      ...systemNodes(),
      // The chart's own NetworkPolicies (on by default from 10.x, argo-cd-10.1.1 values.yaml
      // global.networkPolicy.create; templates/*/networkpolicy.yaml) admit the server from anywhere
      // (`ingress: [{}]`) and metrics from every namespace, which would widen the namespace's default
      // deny: the platform's own (charts/base/network-policies.ts) are the only ones.
      networkPolicy: { create: false },
    },
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
    // Redis runs as the namespace's `default` ServiceAccount with its token mounted (argo-cd-10.1.1
    // values.yaml redis.serviceAccount.create: false, redis.automountServiceAccountToken: true); it never
    // calls the API, and default-service-account-token refuses that pod.
    redis: { resources: res('50m', '64Mi', '256Mi'), automountServiceAccountToken: false },
    redisSecretInit: { resources: res('10m', '64Mi', '128Mi') },
    // The redis-ha pods get our name label (redis-ha-4.38.0 values.yaml `labels`: the Redis
    // StatefulSet's pod labels, templates/redis-ha-statefulset.yaml), which required-labels asks of them.
    'redis-ha': {
      enabled: ha,
      ...systemNodes(),
      labels: { 'app.kubernetes.io/name': 'argocd-redis-ha' },
      init: { resources: res('10m', '16Mi', '64Mi') },
      redis: { resources: res('50m', '64Mi', '256Mi') },
      sentinel: { resources: res('10m', '32Mi', '64Mi') },
      splitBrainDetection: { resources: res('10m', '16Mi', '64Mi') },
      haproxy: { resources: res('25m', '64Mi', '128Mi'), init: { resources: res('10m', '16Mi', '64Mi') } },
    },
    controller: { replicas, resources: res('250m', '512Mi', '2Gi'), metrics: { enabled: true } },
    server: { replicas, resources: res('100m', '128Mi', '512Mi'), metrics: { enabled: true }, service: { type: 'ClusterIP' } },
    repoServer: { replicas, resources: res('100m', '256Mi', '1Gi'), metrics: { enabled: true } },
    applicationSet: { replicas, resources: res('50m', '64Mi', '256Mi'), metrics: { enabled: true } },
    notifications: { enabled: false },
  };
}

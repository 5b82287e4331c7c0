/* eslint-disable @typescript-eslint/no-explicit-any -- synthesized manifests are untyped JSON that the tests query field by field */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { type PlatformConfig } from '../../model/config';
import { readStackConfigFile } from '../../lib/config/load';
import { platformConfig, synthPlatform as synth, type Obj } from '../helpers/platform';
import { REPO_ROOT } from '../../lib/stack';
import {
  ARGOCD_CHART,
  EXTERNAL_SECRETS_CHART,
  GATEKEEPER_CHART,
  HELM_RELEASES,
  KARPENTER_AMI_ALIAS,
  KARPENTER_CHART,
  KUBE_PROMETHEUS_STACK_CHART,
  PLATFORM_ALERTS,
  RUNBOOK_BASE_URL,
  placeholderInputs,
} from '../../charts';

const configs: Record<'dev' | 'prod', PlatformConfig> = {
  dev: readStackConfigFile(path.join(REPO_ROOT, 'Pulumi.dev.yaml')),
  prod: readStackConfigFile(path.join(REPO_ROOT, 'Pulumi.prod.yaml')),
};

const built = { dev: synth(configs.dev), prod: synth(configs.prod) };
const find = (objects: Obj[], kind: string, name: string) => objects.find((o) => o.kind === kind && o.metadata.name === name) as Obj;
const helm = (stack: 'dev' | 'prod', name: string) => {
  const release = HELM_RELEASES.find((r) => r.name === name);
  if (!release) throw new Error(`no release ${name}`);
  return release.values(configs[stack], placeholderInputs(configs[stack])) as Record<string, any>;
};

describe('pinned versions', () => {
  test('GIVEN charts/versions.ts THEN each add-on is pinned to an exact upstream chart version', () => {
    expect(GATEKEEPER_CHART).toEqual({ repo: 'https://open-policy-agent.github.io/gatekeeper/charts', chart: 'gatekeeper', version: '3.23.0', appVersion: 'v3.23.0' });
    expect(ARGOCD_CHART).toEqual({ repo: 'https://argoproj.github.io/argo-helm', chart: 'argo-cd', version: '10.1.1', appVersion: 'v3.4.4' });
    expect(KUBE_PROMETHEUS_STACK_CHART).toEqual({ repo: 'https://prometheus-community.github.io/helm-charts', chart: 'kube-prometheus-stack', version: '79.6.1' });
    expect(EXTERNAL_SECRETS_CHART).toEqual({ repo: 'https://charts.external-secrets.io', chart: 'external-secrets', version: '2.8.0', appVersion: 'v2.8.0' });
    expect(KARPENTER_CHART).toEqual({ repo: 'oci://public.ecr.aws/karpenter', chart: 'karpenter', version: '1.14.1', appVersion: '1.14.1' });
    expect(KARPENTER_AMI_ALIAS).toBe('al2023@v20260714');
    expect(HELM_RELEASES.map((r) => `${r.name}@${r.pin.version}`)).toEqual([
      'gatekeeper@3.23.0', 'external-secrets@2.8.0', 'karpenter@1.14.1', 'kube-prometheus-stack@79.6.1', 'argocd@10.1.1',
      'aws-load-balancer-controller@3.5.0', 'external-dns@1.21.1', 'x509-certificate-exporter@4.2.0',
    ]);
  });
});

describe.each(['dev', 'prod'] as const)('%s stack', (stack) => {
  const b = built[stack];
  const config = configs[stack];

  test('GIVEN every add-on enabled THEN every chart and every values file is written', () => {
    // sample-web: each stack file turns the sample web service on for one tenant.
    expect(b.charts.map((c) => c.id)).toEqual(['base', 'gatekeeper-templates', 'gatekeeper-constraints', 'external-secrets', 'monitoring', 'karpenter', 'argocd', 'ingress', 'tenants', 'sample-web']);
    expect([...b.files.keys()].filter((f) => f.startsWith('values/')).sort()).toEqual([
      'values/argocd.yaml', 'values/aws-load-balancer-controller.yaml', 'values/external-dns.yaml', 'values/external-secrets.yaml', 'values/gatekeeper.yaml',
      'values/karpenter.yaml', 'values/kube-prometheus-stack.yaml', 'values/x509-certificate-exporter.yaml',
    ]);
  });

  test('THEN add-on namespaces pin Pod Security: restricted, except node-exporter\'s own, which still audits and warns restricted', () => {
    const base = b.chart('base');
    for (const ns of ['gatekeeper-system', 'argocd', 'monitoring', 'external-secrets', 'karpenter']) {
      expect(find(base, 'Namespace', ns).metadata.labels).toMatchObject({ 'pod-security.kubernetes.io/enforce': 'restricted', 'pod-security.kubernetes.io/enforce-version': `v${config.kubernetesVersion}` });
    }
    expect(find(base, 'Namespace', 'node-exporter').metadata.labels).toMatchObject({ 'pod-security.kubernetes.io/enforce': 'privileged', 'pod-security.kubernetes.io/audit': 'restricted', 'pod-security.kubernetes.io/warn': 'restricted' });
    expect(helm(stack, 'kube-prometheus-stack')['prometheus-node-exporter'].namespaceOverride).toBe('node-exporter');
    expect(find(base, 'StorageClass', 'gp3')).toMatchObject({ provisioner: 'ebs.csi.aws.com', parameters: { type: 'gp3', encrypted: 'true', kmsKeyId: `arn:aws:kms:eu-west-1:${config.accountId}:alias/${config.clusterName}/ebs` }, reclaimPolicy: stack === 'prod' ? 'Retain' : 'Delete' });
  });

  test('THEN the External Secrets and Karpenter ServiceAccounts use Pod Identity (no IRSA annotation) and the Helm releases reuse them', () => {
    const base = b.chart('base');
    expect(find(base, 'ServiceAccount', 'external-secrets').metadata.namespace).toBe('external-secrets');
    expect(find(base, 'ServiceAccount', 'karpenter').metadata).toEqual({ name: 'karpenter', namespace: 'karpenter', labels: { 'app.kubernetes.io/part-of': 'eks-platform' } });
    expect(helm(stack, 'external-secrets').serviceAccount).toEqual({ create: false, name: 'external-secrets' });
    expect(helm(stack, 'karpenter').serviceAccount).toEqual({ create: false, name: 'karpenter' });
    // Karpenter and the Gatekeeper webhook run on the tainted system node group (Karpenter cannot run on its own nodes).
    const systemPlacement = { nodeSelector: { 'platform.io/node-pool': 'system' }, tolerations: [{ key: 'CriticalAddonsOnly', operator: 'Exists', effect: 'NoSchedule' }] };
    expect(helm(stack, 'karpenter')).toMatchObject(systemPlacement);
    expect(helm(stack, 'gatekeeper').controllerManager).toMatchObject(systemPlacement);
    expect(helm(stack, 'gatekeeper').audit).toMatchObject(systemPlacement);
    expect(helm(stack, 'karpenter').settings).toEqual({
      clusterName: config.clusterName,
      interruptionQueue: `${config.clusterName}-karpenter-interruption`,
    });
  });

  test('THEN the load balancer controller\'s webhooks stay up: in prod two replicas spread over zones with a PDB (the chart renders one only above one replica, templates/pdb.yaml at v3.5.0)', () => {
    const v = helm(stack, 'aws-load-balancer-controller');
    const spread = [
      {
        maxSkew: 1,
        topologyKey: 'topology.kubernetes.io/zone',
        whenUnsatisfiable: 'DoNotSchedule',
        labelSelector: { matchLabels: { 'app.kubernetes.io/name': 'aws-load-balancer-controller', 'app.kubernetes.io/instance': 'aws-load-balancer-controller' } },
      },
    ];
    const expected = { prod: { replicaCount: 2, podDisruptionBudget: { maxUnavailable: 1 }, topologySpreadConstraints: spread }, dev: { replicaCount: 1, podDisruptionBudget: undefined, topologySpreadConstraints: undefined } };
    expect({ replicaCount: v.replicaCount, podDisruptionBudget: v.podDisruptionBudget, topologySpreadConstraints: v.topologySpreadConstraints }).toEqual(expected[stack]);
  });

  test('THEN every constraint carries the stack enforcement action and exempts the system namespaces', () => {
    const constraints = b.chart('gatekeeper-constraints');
    const templates = b.chart('gatekeeper-templates').filter((o) => o.kind === 'ConstraintTemplate');
    expect(constraints.length).toBeGreaterThan(0);
    expect(templates.length).toBe(constraints.length);
    for (const c of constraints) {
      expect(c.apiVersion).toBe('constraints.gatekeeper.sh/v1beta1');
      expect(c.spec.enforcementAction).toBe(stack === 'prod' ? 'deny' : 'warn');
      // Only the control plane's namespaces and Gatekeeper's own: every add-on namespace is checked.
      expect(c.spec.match.excludedNamespaces).toEqual(['gatekeeper-system', 'kube-node-lease', 'kube-public', 'kube-system']);
    }
  });

  test('THEN Gatekeeper values follow the environment: replicas, audit interval, webhook failure policy, PDB', () => {
    const v = helm(stack, 'gatekeeper');
    expect(v.replicas).toBe(config.gatekeeper.replicas);
    expect(v.auditInterval).toBe(config.gatekeeper.auditIntervalSeconds);
    expect(v.validatingWebhookFailurePolicy).toBe(stack === 'prod' ? 'Fail' : 'Ignore');
    expect(v.pdb).toEqual({ controllerManager: { minAvailable: stack === 'prod' ? 1 : 0 } });
    expect(v.image).toEqual({ release: 'v3.23.0' });
    expect(v.controllerManager.exemptNamespaces).toEqual(['kube-system', 'kube-public', 'kube-node-lease', 'gatekeeper-system']);
  });

  test('THEN Argo CD values: HA and no admin in prod, read-only default role, no insecure server', () => {
    const v = helm(stack, 'argocd');
    expect(v.configs.params['server.insecure']).toBe(false);
    expect(v.configs.rbac['policy.default']).toBe('role:readonly');
    expect(v.configs.cm['admin.enabled']).toBe(stack !== 'prod');
    expect(v['redis-ha'].enabled).toBe(stack === 'prod');
    expect(v.server.replicas).toBe(stack === 'prod' ? 2 : 1);
    expect(v.global.image.tag).toBe('v3.4.4');
  });

  test('THEN kube-prometheus-stack keeps config retention on gp3 and Grafana reads its admin from the External Secret', () => {
    const v = helm(stack, 'kube-prometheus-stack');
    expect(v.prometheus.prometheusSpec.retention).toBe(config.monitoring.retention);
    expect(v.prometheus.prometheusSpec.storageSpec.volumeClaimTemplate.spec).toEqual({ storageClassName: 'gp3', accessModes: ['ReadWriteOnce'], resources: { requests: { storage: `${config.monitoring.storageGiB}Gi` } } });
    expect(v.grafana.admin).toEqual({ existingSecret: 'grafana-admin', userKey: 'admin-user', passwordKey: 'admin-password' });
    expect(v.grafana.adminPassword).toBeUndefined();
    const es = find(b.chart('external-secrets'), 'ExternalSecret', 'grafana-admin');
    expect(es.spec.data[1]).toEqual({ secretKey: 'admin-password', remoteRef: { key: `${config.clusterName}/monitoring/grafana-admin`, property: 'password' } });
  });

  test('THEN the ClusterSecretStore reads Secrets Manager in the region and serves only platform namespaces', () => {
    const store = find(b.chart('external-secrets'), 'ClusterSecretStore', 'aws-secrets-manager');
    expect(store.apiVersion).toBe('external-secrets.io/v1');
    expect(store.spec.provider).toEqual({ aws: { service: 'SecretsManager', region: 'eu-west-1' } });
    expect(store.spec.conditions).toEqual([{ namespaces: stack === 'prod' ? ['argocd', 'monitoring'] : ['monitoring'] }]);
  });

  test('THEN every alert has a runbook_url pointing at an existing runbook that says what to check and do', () => {
    const rule = find(b.chart('monitoring'), 'PrometheusRule', 'platform-alerts');
    const rules = rule.spec.groups[0].rules as { alert: string; annotations: { runbook_url: string } }[];
    expect(rules.map((r) => r.alert)).toEqual(PLATFORM_ALERTS.map((a) => a.alert));
    for (const r of rules) {
      expect(r.annotations.runbook_url.startsWith(`${RUNBOOK_BASE_URL}/`)).toBe(true);
      const file = path.join(REPO_ROOT, 'docs/runbooks', r.annotations.runbook_url.slice(RUNBOOK_BASE_URL.length + 1));
      const text = fs.readFileSync(file, 'utf8');
      expect(text).toContain(`# ${r.alert}`);
      expect(text).toContain('## Check');
      expect(text).toContain('## Do');
    }
    const monitors = b.chart('monitoring').filter((o) => o.kind === 'ServiceMonitor' || o.kind === 'PodMonitor').map((o) => o.metadata.name);
    expect(monitors.sort()).toEqual([
      'argocd-application-controller', 'argocd-applicationset-controller', 'argocd-repo-server', 'argocd-server', 'aws-load-balancer-controller', 'external-dns',
      'external-secrets', 'gatekeeper', 'karpenter', 'x509-certificate-exporter',
    ]);
  });

  test('THEN the EC2NodeClass requires IMDSv2 with hop limit 1, encrypts EBS with the EBS key and pins the AMI', () => {
    const nodeClass = find(b.chart('karpenter'), 'EC2NodeClass', 'default');
    expect(nodeClass.spec.metadataOptions).toEqual({ httpEndpoint: 'enabled', httpProtocolIPv6: 'disabled', httpPutResponseHopLimit: 1, httpTokens: 'required' });
    expect(nodeClass.spec.blockDeviceMappings[0].ebs).toMatchObject({ encrypted: true, volumeType: 'gp3', kmsKeyID: placeholderInputs(config).ebsKmsKeyArn });
    expect(nodeClass.spec.amiSelectorTerms).toEqual([{ alias: 'al2023@v20260714' }]);
    expect(nodeClass.spec.subnetSelectorTerms).toEqual([{ tags: { 'karpenter.sh/discovery': config.clusterName } }]);
    expect(nodeClass.spec.role).toBe(`${config.clusterName}-karpenter-node`);
  });

  test('THEN the NodePools split the CPU and memory limits, system-adjacent on-demand only, general with spot', () => {
    const pools = b.chart('karpenter').filter((o) => o.kind === 'NodePool');
    const system = find(pools, 'NodePool', 'system-adjacent');
    const general = find(pools, 'NodePool', 'general');
    const capacity = (p: Obj) => p.spec.template.spec.requirements.find((r: { key: string }) => r.key === 'karpenter.sh/capacity-type').values;
    expect(capacity(system)).toEqual(['on-demand']);
    expect(capacity(general)).toEqual(['spot', 'on-demand']);
    expect(Number(system.spec.limits.cpu) + Number(general.spec.limits.cpu)).toBe(config.karpenter.cpuLimit);
    expect(general.spec.disruption.consolidationPolicy).toBe('WhenEmptyOrUnderutilized');
    expect(general.spec.disruption.budgets[0]).toEqual({ nodes: '10%' });
    expect(general.spec.disruption.budgets).toHaveLength(stack === 'prod' ? 2 : 1);
  });

  test('THEN there is one TenantNamespace per configured tenant, with its AppProject and scrape allow', () => {
    const tenants = b.chart('tenants');
    expect(tenants.filter((o) => o.kind === 'Namespace').map((o) => o.metadata.name).sort()).toEqual(config.tenants.map((t) => t.name).sort());
    expect(tenants.filter((o) => o.kind === 'AppProject')).toHaveLength(config.tenants.length);
    expect(find(tenants, 'ResourceQuota', 'tenant-quota').spec.hard['requests.cpu']).toBe(config.tenants.find((t) => t.name === find(tenants, 'ResourceQuota', 'tenant-quota').metadata.namespace)?.quota.cpu);
    expect(tenants.filter((o) => o.metadata.name === 'allow-monitoring-scrape')).toHaveLength(config.tenants.length);
  });
});

describe('prod SSO', () => {
  test('GIVEN prod with SSO WHEN Argo CD values are built THEN OIDC is configured and the admin group maps to role:admin', () => {
    const v = helm('prod', 'argocd');
    expect(v.configs.cm['oidc.config']).toContain('issuer: https://login.example.com/oauth2/default');
    expect(v.configs.cm['oidc.config']).toContain('clientSecret: $oidc.clientSecret');
    expect(v.configs.rbac['policy.csv']).toBe('g, platform-admins, role:admin\n');
    expect(find(built.prod.chart('external-secrets'), 'ExternalSecret', 'argocd-oidc').spec.target).toEqual({ name: 'argocd-secret', creationPolicy: 'Merge' });
  });
});

describe('config toggles', () => {
  test('GIVEN add-ons disabled WHEN synthesized THEN their charts, values and dependent objects are absent', () => {
    // Monitoring needs External Secrets (Grafana's admin Secret): config refuses one without the other.
    const config = platformConfig('dev', { 'platform:addons': { gatekeeper: false, argocd: false, monitoring: true, externalSecrets: true, karpenter: false, ingress: false } });
    const b = synth(config);
    expect(b.charts.map((c) => c.id)).toEqual(['base', 'external-secrets', 'monitoring', 'tenants']);
    expect([...b.files.keys()].filter((f) => f.startsWith('values/'))).toEqual(['values/external-secrets.yaml', 'values/kube-prometheus-stack.yaml', 'values/x509-certificate-exporter.yaml']);
    expect(b.chart('tenants').some((o) => o.kind === 'AppProject')).toBe(false);
    const alerts = find(b.chart('monitoring'), 'PrometheusRule', 'platform-alerts').spec.groups[0].rules.map((r: { alert: string }) => r.alert);
    expect(alerts).toEqual(['NodeNotReady', 'PodCrashLooping', 'PersistentVolumeFillingUp', 'TLSSecretExpiring', 'TLSSecretWatchDown']);
  });

  test('GIVEN gitops delivery WHEN synthesized THEN an app-of-apps Application syncs dist/<stack> from the repository', () => {
    const config = platformConfig('dev', { 'platform:delivery': { mode: 'gitops', repoURL: 'https://github.com/example-org/platform.git', revision: 'v1.2.0' } });
    const app = find(synth(config).chart('argocd'), 'Application', 'platform');
    expect(app.metadata.namespace).toBe('argocd');
    expect(app.spec.source).toEqual({ repoURL: 'https://github.com/example-org/platform.git', targetRevision: 'v1.2.0', path: 'dist/dev', directory: { recurse: false } });
    expect(app.spec.syncPolicy.automated).toEqual({ prune: true, selfHeal: true });
  });

  test('GIVEN spot disallowed WHEN synthesized THEN the general pool is on-demand only', () => {
    const config = platformConfig('prod', { 'platform:karpenter': { cpuLimit: 100, memoryLimitGiB: 400, allowSpot: false } });
    const general = find(synth(config).chart('karpenter'), 'NodePool', 'general');
    expect(general.spec.template.spec.requirements.find((r: { key: string }) => r.key === 'karpenter.sh/capacity-type').values).toEqual(['on-demand']);
    expect(general.spec.limits).toEqual({ cpu: '75', memory: '300Gi' });
  });
});

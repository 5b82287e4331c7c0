/* eslint-disable @typescript-eslint/no-explicit-any -- synthesized manifests are untyped JSON queried field by field */
import * as path from 'node:path';
import { parseStackConfig, readStackConfigFileRaw } from '../../lib/config/load';
import { REPO_ROOT } from '../../lib/stack';
import { HELM_RELEASES, KARPENTER_CHART, enabledReleases, placeholderInputs, synthesizePlatform } from '../../charts';
import { SYNC_WAVE_ANNOTATION, SYNC_WAVES } from '../../charts/argocd/chart';
import { runHealthLua } from '../helpers/argocd-lua';
import { loadBalancerControllerGeneratedCertificate } from './upstream/aws-load-balancer-controller';

const REPO_URL = 'https://github.com/example-org/platform-gitops.git';
const config = parseStackConfig(
  { ...readStackConfigFileRaw(path.join(REPO_ROOT, 'Pulumi.prod.yaml')), 'platform:delivery': { mode: 'gitops', repoURL: REPO_URL, revision: 'release-1' } },
  'test',
);
const result = synthesizePlatform(config, placeholderInputs(config), { stack: 'prod' });
const objects = (id: string) => (result.charts.find((c) => c.id === id)?.objects ?? []) as any[];
const wave = (o: any) => Number(o.metadata.annotations?.[SYNC_WAVE_ANNOTATION]);

describe('GIVEN prod in GitOps delivery mode', () => {
  it('THEN the app-of-apps syncs the top-level files of dist/prod from the configured repository and revision', () => {
    const app = objects('argocd').find((o) => o.kind === 'Application' && o.metadata.name === 'platform');
    expect(app.spec.source).toEqual({ repoURL: REPO_URL, targetRevision: 'release-1', path: 'dist/prod', directory: { recurse: false } });
    expect(app.spec.syncPolicy.automated).toEqual({ prune: true, selfHeal: true });
  });

  it('THEN every Helm add-on but Argo CD itself becomes an Application with the same pin and values Pulumi would install', () => {
    const apps = objects('argocd').filter((o) => o.kind === 'Application' && o.metadata.name !== 'platform');
    const releases = enabledReleases(config, placeholderInputs(config)).filter((r) => r.release.name !== 'argocd');
    expect(apps.map((a) => a.metadata.name).sort()).toEqual(releases.map((r) => r.release.name).sort());
    for (const { release, values } of releases) {
      const app = apps.find((a) => a.metadata.name === release.name);
      expect(app.spec.source.targetRevision).toBe(release.pin.version);
      expect(app.spec.source.helm).toEqual({ releaseName: release.name, valuesObject: values });
      expect(app.spec.destination.namespace).toBe(release.namespace);
    }
    const karpenter = apps.find((a) => a.metadata.name === 'karpenter');
    expect(karpenter.spec.source).toMatchObject({ repoURL: `${KARPENTER_CHART.repo}/karpenter`, path: '.', targetRevision: KARPENTER_CHART.version });
    expect(karpenter.spec.source.chart).toBeUndefined();
    const gatekeeper = apps.find((a) => a.metadata.name === 'gatekeeper');
    expect(gatekeeper.spec.source).toMatchObject({ repoURL: HELM_RELEASES.find((r) => r.name === 'gatekeeper')!.pin.repo, chart: 'gatekeeper' });
  });

  it('THEN the load balancer controller\'s Application keeps the webhook certificate of its first sync: the fields its chart generates at every render are ignored in diff and sync', () => {
    const apps = objects('argocd').filter((o) => o.kind === 'Application');
    const lbc = apps.find((a) => a.metadata.name === 'aws-load-balancer-controller');
    // Read off the chart model (v3.5.0 _helpers.tpl webhookCerts) with the values the Application carries.
    const generated = loadBalancerControllerGeneratedCertificate(lbc.spec.source.helm.valuesObject);
    expect(generated).toEqual({ secret: 'aws-load-balancer-tls', webhookConfigurations: 'aws-load-balancer-webhook' });
    expect(lbc.spec.ignoreDifferences).toEqual([
      { kind: 'Secret', name: generated!.secret, jsonPointers: ['/data'] },
      { group: 'admissionregistration.k8s.io', kind: 'MutatingWebhookConfiguration', name: generated!.webhookConfigurations, jqPathExpressions: ['.webhooks[]?.clientConfig.caBundle'] },
      { group: 'admissionregistration.k8s.io', kind: 'ValidatingWebhookConfiguration', name: generated!.webhookConfigurations, jqPathExpressions: ['.webhooks[]?.clientConfig.caBundle'] },
    ]);
    expect(lbc.spec.syncPolicy.syncOptions).toEqual(['ServerSideApply=true', 'CreateNamespace=false', 'RespectIgnoreDifferences=true']);
    // The other add-ons generate nothing at render time (their webhooks' certificates come from in-cluster controllers or jobs).
    expect(apps.filter((a) => a.spec.ignoreDifferences !== undefined).map((a) => a.metadata.name)).toEqual(['aws-load-balancer-controller']);
  });

  it('GIVEN the chart model WHEN the certificate is given or comes from cert-manager THEN nothing is generated at render time', () => {
    expect(loadBalancerControllerGeneratedCertificate({ enableCertManager: true })).toBeUndefined();
    expect(loadBalancerControllerGeneratedCertificate({ webhookTLS: { caCert: 'c', cert: 'c', key: 'k' } })).toBeUndefined();
    expect(loadBalancerControllerGeneratedCertificate({ keepTLSSecret: true, nameOverride: 'lbc' })).toEqual({ secret: 'lbc-tls', webhookConfigurations: 'lbc-webhook' });
  });

  it('THEN the platform AppProject admits exactly the GitOps repository and the pinned chart sources', () => {
    const project = objects('argocd').find((o) => o.kind === 'AppProject' && o.metadata.name === 'platform');
    expect(project.spec.sourceRepos[0]).toBe(REPO_URL);
    expect(new Set(project.spec.sourceRepos)).toEqual(new Set([
      REPO_URL, 'https://open-policy-agent.github.io/gatekeeper/charts', 'https://charts.external-secrets.io', 'oci://public.ecr.aws/karpenter/karpenter', 'https://prometheus-community.github.io/helm-charts',
      'https://aws.github.io/eks-charts', 'https://kubernetes-sigs.github.io/external-dns', 'oci://quay.io/enix/charts/x509-certificate-exporter',
    ]));
  });

  it('THEN sync waves carry the apply order: namespaces, base, add-ons, templates, custom resources, constraints last', () => {
    for (const chart of result.charts) for (const o of chart.objects as any[]) expect(Number.isInteger(wave(o))).toBe(true);
    const all = result.charts.flatMap((c) => c.objects as any[]);
    for (const ns of all.filter((o) => o.kind === 'Namespace')) expect(wave(ns)).toBe(SYNC_WAVES.namespaces);
    expect(objects('base').filter((o) => o.kind !== 'Namespace').every((o) => wave(o) === SYNC_WAVES.base)).toBe(true);
    expect(objects('gatekeeper-templates').every((o) => wave(o) === SYNC_WAVES.gatekeeperTemplates)).toBe(true);
    expect(objects('gatekeeper-constraints').every((o) => wave(o) === SYNC_WAVES.gatekeeperConstraints)).toBe(true);
    const maxOther = Math.max(...all.filter((o) => !o.apiVersion.startsWith('constraints.gatekeeper.sh/')).map(wave));
    expect(maxOther).toBeLessThan(SYNC_WAVES.gatekeeperConstraints);
  });

  it('THEN Gatekeeper, whose webhook fails closed in prod, syncs in a wave of its own after the base objects and before every other add-on', () => {
    const apps = objects('argocd').filter((o) => o.kind === 'Application' && o.metadata.name !== 'platform');
    const gatekeeper = apps.find((a) => a.metadata.name === 'gatekeeper');
    expect(result.helmValues.gatekeeper.validatingWebhookFailurePolicy).toBe('Fail');
    const others = apps.filter((a) => a !== gatekeeper);
    expect(others.length).toBeGreaterThan(3);
    for (const app of others) expect(wave(app)).toBeGreaterThan(wave(gatekeeper));
    expect(wave(gatekeeper)).toBeGreaterThan(SYNC_WAVES.base);
    // Nothing else shares its wave: the next wave starts only once Gatekeeper's Application is healthy.
    const all = result.charts.flatMap((c) => c.objects as any[]);
    expect(all.filter((o) => wave(o) === wave(gatekeeper)).map((o) => `${o.kind}/${o.metadata.name}`)).toEqual(['Application/gatekeeper']);
  });

  it('THEN no add-on Application waits, wave after health-gated wave, for objects of a later wave (no deadlock)', () => {
    const all = result.charts.flatMap((c) => c.objects as any[]);
    const appWave = (name: string) => wave(all.find((o) => o.kind === 'Application' && o.metadata.name === name));
    // Every custom resource after the Application that installs its CRDs (Argo CD itself is Pulumi's).
    const early = all.filter((o) => {
      const definer = HELM_RELEASES.find((r) => r.crdGroups.includes(o.apiVersion.split('/')[0]));
      return definer !== undefined && definer.name !== 'argocd' && !(wave(o) > appWave(definer.name));
    });
    expect(all.filter((o) => o.kind === 'ServiceMonitor').length).toBeGreaterThan(0);
    expect(early.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual([]);
    // kube-prometheus-stack turns healthy only once Prometheus runs (Argo CD's health of a Prometheus:
    // argo-cd v3.4.4 resource_customizations/monitoring.coreos.com/Prometheus/health.lua, condition
    // Available) and Grafana has its admin Secret: the NodePool its nodeSelector names and the
    // ExternalSecret writing that Secret (and its store) sync in earlier waves.
    const kps = result.helmValues['kube-prometheus-stack'] as any;
    const selector = kps.prometheus.prometheusSpec.nodeSelector as Record<string, string>;
    const pools = all.filter((o) => o.kind === 'NodePool' && Object.entries(selector).every(([k, v]) => o.spec.template.metadata?.labels?.[k] === v));
    expect(pools).toHaveLength(1);
    const secret = kps.grafana.admin.existingSecret;
    const feed = all.find((o) => o.kind === 'ExternalSecret' && o.metadata.namespace === 'monitoring' && (o.spec.target?.name ?? o.metadata.name) === secret);
    const store = all.find((o) => o.kind === feed.spec.secretStoreRef.kind && o.metadata.name === feed.spec.secretStoreRef.name);
    for (const needed of [pools[0], feed, store]) expect(wave(needed)).toBeLessThan(appWave('kube-prometheus-stack'));
  });

  it('THEN every generated Application retries a failed sync with a bounded backoff (argo-cd v3.4.4 application.yaml syncPolicy.retry)', () => {
    const apps = result.charts.flatMap((c) => c.objects as any[]).filter((o) => o.kind === 'Application');
    expect(apps.length).toBe(enabledReleases(config, placeholderInputs(config)).length); // the add-ons but Argo CD, and the app-of-apps
    // pkg/apis/application/v1alpha1/types.go at v3.4.4 (RetryStrategy, Backoff, NextRetryAt): a negative
    // limit retries forever; a duration is seconds or a Go duration; the wait before retry n is
    // duration * factor^n, capped at maxDuration.
    const seconds = (d: string) => {
      const m = /^(\d+)(s|m|h)?$/.exec(d);
      return m ? Number(m[1]) * { s: 1, m: 60, h: 3600 }[(m[2] ?? 's') as 's' | 'm' | 'h'] : NaN;
    };
    for (const app of apps) {
      const { limit, backoff } = app.spec.syncPolicy.retry;
      expect(Number.isInteger(limit) && limit > 0).toBe(true);
      const [first, cap] = [seconds(backoff.duration), seconds(backoff.maxDuration)];
      expect(Number.isInteger(backoff.factor) && first > 0 && cap >= first).toBe(true);
      let total = 0;
      for (let n = 0; n < limit; n++) total += Math.min(cap, first * backoff.factor ** n);
      // Longer than the default 5 retries from 5 s (155 s: controller/appcontroller.go autoSync), bounded by an hour.
      expect(total).toBeGreaterThan(155);
      expect(total).toBeLessThan(3600);
    }
  });

  it('THEN argocd-cm assesses the health of Applications, so the waves between the add-on Applications wait for each to be healthy', () => {
    // argo-cd v3.4.4 docs/operator-manual/health.md: a custom check is argocd-cm's
    // resource.customizations.health.<group>_<kind>; argo-helm argo-cd-10.1.1 copies configs.cm into argocd-cm.
    const script = (result.helmValues.argocd.configs as any).cm['resource.customizations.health.argoproj.io_Application'];
    expect(typeof script).toBe('string');
    const app = (status?: unknown) => ({ apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', metadata: { name: 'gatekeeper' }, ...(status ? { status } : {}) });
    expect(runHealthLua(script, app())).toMatchObject({ status: 'Progressing' });
    expect(runHealthLua(script, app({ sync: { status: 'Synced' } })).status).toBe('Progressing');
    expect(runHealthLua(script, app({ health: { status: 'Healthy' } }))).toEqual({ status: 'Healthy', message: '' });
    expect(runHealthLua(script, app({ health: { status: 'Degraded', message: 'Deployment gatekeeper-controller-manager exceeded its progress deadline' } })))
      .toEqual({ status: 'Degraded', message: 'Deployment gatekeeper-controller-manager exceeded its progress deadline' });
    expect(runHealthLua(script, app({ health: { status: 'Progressing' }, operationState: { phase: 'Running' } })).status).toBe('Progressing');
  });

  it('THEN custom resources whose CRDs an earlier wave installs skip the dry run', () => {
    const nodePool = objects('karpenter').find((o) => o.kind === 'NodePool');
    expect(nodePool.metadata.annotations['argocd.argoproj.io/sync-options']).toBe('SkipDryRunOnMissingResource=true');
    const ns = objects('base').find((o) => o.kind === 'Namespace');
    expect(ns.metadata.annotations['argocd.argoproj.io/sync-options']).toBeUndefined();
  });
});

describe('GIVEN dev (Gatekeeper failing open) in GitOps delivery mode', () => {
  const dev = parseStackConfig(
    { ...readStackConfigFileRaw(path.join(REPO_ROOT, 'Pulumi.dev.yaml')), 'platform:delivery': { mode: 'gitops', repoURL: REPO_URL, revision: 'main' } },
    'test',
  );
  const synthesized = synthesizePlatform(dev, placeholderInputs(dev), { stack: 'dev' });

  it('THEN Gatekeeper syncs in the same wave as the other add-ons: nothing waits for a webhook that fails open', () => {
    expect(synthesized.helmValues.gatekeeper.validatingWebhookFailurePolicy).toBe('Ignore');
    const apps = (synthesized.charts.find((c) => c.id === 'argocd')?.objects ?? [] as any[]).filter((o: any) => o.kind === 'Application' && o.metadata.name !== 'platform');
    const gatekeeper = apps.find((a: any) => a.metadata.name === 'gatekeeper');
    expect(wave(gatekeeper)).toBe(SYNC_WAVES.helmReleases);
    expect(Math.min(...apps.map(wave))).toBe(SYNC_WAVES.helmReleases);
  });
});

describe('GIVEN prod in Pulumi delivery mode', () => {
  const pulumiMode = parseStackConfig(readStackConfigFileRaw(path.join(REPO_ROOT, 'Pulumi.prod.yaml')), 'test');
  const synthesized = synthesizePlatform(pulumiMode, placeholderInputs(pulumiMode), { stack: 'prod' });

  it('THEN no object carries Argo CD annotations and no empty argocd.yaml is written', () => {
    const all = synthesized.charts.flatMap((c) => c.objects as any[]);
    expect(all.some((o) => o.metadata.annotations?.[SYNC_WAVE_ANNOTATION] !== undefined)).toBe(false);
    expect(synthesized.files.has('argocd.yaml')).toBe(false);
    expect(synthesized.files.has('values/argocd.yaml')).toBe(true);
  });
});

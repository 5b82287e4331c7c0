/* eslint-disable @typescript-eslint/no-explicit-any -- synthesized manifests are untyped JSON queried field by field */
import * as path from 'node:path';
import { parseStackConfig, readStackConfigFileRaw } from '../../lib/config/load';
import { REPO_ROOT } from '../../lib/stack';
import { HELM_RELEASES, KARPENTER_CHART, enabledReleases, placeholderInputs, synthesizePlatform } from '../../charts';
import { SYNC_WAVE_ANNOTATION, SYNC_WAVES } from '../../charts/argocd/chart';

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
      expect(wave(app)).toBe(SYNC_WAVES.helmReleases);
    }
    const karpenter = apps.find((a) => a.metadata.name === 'karpenter');
    expect(karpenter.spec.source).toMatchObject({ repoURL: `${KARPENTER_CHART.repo}/karpenter`, path: '.', targetRevision: KARPENTER_CHART.version });
    expect(karpenter.spec.source.chart).toBeUndefined();
    const gatekeeper = apps.find((a) => a.metadata.name === 'gatekeeper');
    expect(gatekeeper.spec.source).toMatchObject({ repoURL: HELM_RELEASES.find((r) => r.name === 'gatekeeper')!.pin.repo, chart: 'gatekeeper' });
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

  it('THEN custom resources whose CRDs an earlier wave installs skip the dry run', () => {
    const nodePool = objects('karpenter').find((o) => o.kind === 'NodePool');
    expect(nodePool.metadata.annotations['argocd.argoproj.io/sync-options']).toBe('SkipDryRunOnMissingResource=true');
    const ns = objects('base').find((o) => o.kind === 'Namespace');
    expect(ns.metadata.annotations['argocd.argoproj.io/sync-options']).toBeUndefined();
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

/**
 * GitOps delivery under mocks: Pulumi installs Argo CD and its app-of-apps only; everything else is
 * Argo CD's to sync from the repository.
 */
import type { ProgramRun } from '../../lib/run-program';
import { ARGOCD_CHART } from '../../charts';
import { versionFindings } from '../../lib/versions/findings';
import { ofType, runStack } from '../helpers/pulumi';
import { helmReleases, kubernetesProvider, kubernetesResources, missingDependencies, objectName, objectNamed, objectsOfKind } from '../helpers/wiring';

const REPO_URL = 'https://github.com/example-org/platform-gitops.git';
let run: ProgramRun;
beforeAll(async () => {
  run = await runStack('prod', { 'platform:delivery': { mode: 'gitops', repoURL: REPO_URL, revision: 'main' } });
});

describe('GIVEN prod with delivery mode gitops', () => {
  it('THEN the only Helm release is Argo CD, pinned', () => {
    const releases = helmReleases(run);
    expect(releases.map((r) => r.props.name)).toEqual(['argocd']);
    expect(releases[0].props).toMatchObject({ chart: ARGOCD_CHART.chart, version: ARGOCD_CHART.version, namespace: 'argocd' });
  });

  it('THEN Pulumi applies only the argocd namespace and the Argo CD objects: no tenants, node pools or constraints', () => {
    expect(objectsOfKind(run, 'Namespace').map(objectName)).toEqual(['argocd']);
    const kinds = new Set(kubernetesResources(run).map((r) => r.type.split(':').pop()));
    // NamespacePatch: the Gatekeeper ignore label on the control plane's namespaces, which Argo CD does not own.
    expect([...kinds].sort()).toEqual(['AppProject', 'Application', 'Namespace', 'NamespacePatch', 'Release']);
    expect(objectsOfKind(run, 'NodePool')).toEqual([]);
  });

  it('THEN the app-of-apps points at dist/prod in the configured repository and waits for Argo CD', () => {
    const app = objectNamed(run, 'Application', 'argocd/platform');
    expect((app.props.spec as { source: unknown }).source).toEqual({ repoURL: REPO_URL, targetRevision: 'main', path: 'dist/prod', directory: { recurse: false } });
    expect(missingDependencies(app, ofType(run, 'kubernetes:helm.sh/v3:Release'))).toEqual([]);
  });

  it('THEN the other add-ons arrive as Argo CD Applications with their pinned charts', () => {
    const apps = objectsOfKind(run, 'Application').map(objectName).sort();
    expect(apps).toEqual([
      'argocd/aws-load-balancer-controller', 'argocd/external-dns', 'argocd/external-secrets', 'argocd/gatekeeper', 'argocd/karpenter',
      'argocd/kube-prometheus-stack', 'argocd/platform', 'argocd/x509-certificate-exporter',
    ]);
    const provider = kubernetesProvider(run);
    for (const r of kubernetesResources(run)) expect(r.provider).toBe(`${provider.urn}::${provider.id}`);
  });

  it('THEN the AWS side is unchanged: the cluster, its identities and Karpenter\'s queue still exist', () => {
    expect(ofType(run, 'aws:eks/cluster:Cluster')).toHaveLength(1);
    expect(ofType(run, 'aws:eks/podIdentityAssociation:PodIdentityAssociation')).toHaveLength(4);
    expect(ofType(run, 'aws:sqs/queue:Queue')).toHaveLength(1);
  });

  it('THEN the Applications\' pinned charts are judged as releases are: none is a version finding on 2026-12-01', () => {
    expect(versionFindings(run.resources, '2026-12-01')).toEqual([]);
    // The same inventory on a 1.34 cluster: external-secrets 2.8 is tested on 1.35-1.36 only, and its pin lives in an Application.
    const on134 = run.resources.map((r) => (r.type === 'aws:eks/cluster:Cluster' ? { ...r, props: { ...r.props, version: '1.34' } } : r));
    const applications = versionFindings(on134, '2026-12-01').filter((f) => f.resource.startsWith('kubernetes:argoproj.io/v1alpha1:Application::'));
    expect(applications.map((f) => f.resource)).toEqual(['kubernetes:argoproj.io/v1alpha1:Application::platform-argocd/argocd/external-secrets']);
  });
});

import { ApiObject, Chart } from 'cdk8s';
import type { Construct } from 'constructs';
import { NAMESPACES } from '../namespaces';
import { PART_OF_LABEL, type PlatformChartProps } from '../context';

export const IN_CLUSTER = 'https://kubernetes.default.svc';

/** Default path of the synthesized manifests in the GitOps repository. */
export function deliveryPath(config: PlatformChartProps['config'], stack: string): string {
  return config.delivery.path ?? `dist/${stack}`;
}

export interface ArgoCdChartProps extends PlatformChartProps {
  readonly stack: string;
}

/**
 * In GitOps mode: the `platform` AppProject and the app-of-apps Application that syncs the
 * synthesized platform manifests from `delivery.repoURL`. (Tenant AppProjects come with each
 * TenantNamespace in the tenants chart.) In Pulumi mode Pulumi applies the manifests and this chart is empty.
 */
export class ArgoCdChart extends Chart {
  constructor(scope: Construct, id: string, { config, stack }: ArgoCdChartProps) {
    super(scope, id);
    const { delivery } = config;
    if (delivery.mode !== 'gitops' || !delivery.repoURL) return;
    new ApiObject(this, 'platform-project', {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'AppProject',
      metadata: { name: 'platform', namespace: NAMESPACES.argocd, labels: { ...PART_OF_LABEL } },
      spec: {
        description: 'The platform itself, synthesized by `platform synth`',
        sourceRepos: [delivery.repoURL],
        destinations: [{ server: IN_CLUSTER, namespace: '*' }],
        // The platform's own manifests hold Namespaces, StorageClasses and Gatekeeper objects.
        clusterResourceWhitelist: [{ group: '*', kind: '*' }],
      },
    });
    new ApiObject(this, 'platform-app', {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Application',
      metadata: { name: 'platform', namespace: NAMESPACES.argocd, labels: { ...PART_OF_LABEL } },
      spec: {
        project: 'platform',
        // Top-level files only: values/ holds Helm values, not manifests.
        source: { repoURL: delivery.repoURL, targetRevision: delivery.revision, path: deliveryPath(config, stack), directory: { recurse: false } },
        destination: { server: IN_CLUSTER, namespace: NAMESPACES.argocd },
        syncPolicy: { automated: { prune: true, selfHeal: true }, syncOptions: ['ServerSideApply=true'] },
      },
    });
  }
}

/** The model of each Helm release's pinned chart, by release name (charts/releases.ts), and the releases rendered through them. */
import type { PlatformConfig } from '../../../model/config';
import { enabledReleases, placeholderInputs, type HelmRelease } from '../../../charts';
import { argocdModel } from './argo-cd';
import { loadBalancerControllerModel } from './aws-load-balancer-controller';
import { externalDnsModel } from './external-dns';
import { externalSecretsModel } from './external-secrets';
import { gatekeeperModel } from './gatekeeper';
import { karpenterModel } from './karpenter';
import { kubePrometheusStackModel } from './kube-prometheus-stack';
import { x509ExporterModel } from './x509-certificate-exporter';
import type { ChartModel, Values, WorkloadModel } from './helm';

export const CHART_MODELS: Readonly<Record<string, ChartModel>> = {
  gatekeeper: gatekeeperModel(),
  karpenter: karpenterModel(),
  argocd: argocdModel(),
  'external-secrets': externalSecretsModel(),
  'kube-prometheus-stack': kubePrometheusStackModel(),
  'aws-load-balancer-controller': loadBalancerControllerModel(),
  'external-dns': externalDnsModel(),
  'x509-certificate-exporter': x509ExporterModel(),
};

export interface RenderedRelease {
  readonly release: HelmRelease;
  readonly model: ChartModel;
  /** The chart's defaults merged with the platform's values, as Helm merges them. */
  readonly values: Values;
  readonly workloads: readonly WorkloadModel[];
}

/** Every enabled release of a stack, rendered through its chart's model with the platform's values. */
export function renderReleases(config: PlatformConfig): RenderedRelease[] {
  return enabledReleases(config, placeholderInputs(config)).map(({ release, values: ours }) => {
    const model = CHART_MODELS[release.name];
    if (!model) throw new Error(`no chart model for release ${release.name}`);
    const values = model.values(ours);
    return { release, model, values, workloads: model.workloads(values, release.namespace) };
  });
}

export { mergeValues, podOf, workloadOf, type ChartModel, type Values, type WorkloadModel } from './helm';

/**
 * The registries the allowed-registries constraint admits per stack: the stack's own
 * (`platform:registries`, by default the account's ECR in the stack's region) plus, scoped to their
 * repository paths, the registries the platform's add-ons pull from.
 *
 * The add-on list is read off each pinned chart's default image values (our values change tags, not
 * registries). `readAt` is the chart tag the images were read at: tests fail when a pin moves away
 * from it, so a chart bump re-reads this list.
 */
import { REGISTRY_PATTERN, type PlatformConfig } from '../../model/config';
import { UserError } from '../../lib/errors';
import { HELM_RELEASES } from '../releases';
import { SAMPLE_WEB_IMAGE, sampleWebTenants } from '../tenants/sample-web';

/** One allowed registry: a host (exact, or `*.` for its subdomains, with `:port` if images name one) and an optional repository path prefix. */
export interface RegistryEntry {
  readonly host: string;
  /** Whole path segments, no leading or trailing `/`; absent: any repository on the host. */
  readonly path?: string;
}

export interface AddonImages {
  /** Helm release (charts/releases.ts) whose pods pull these images. */
  readonly release: string;
  /** Upstream repository tag the images were read at. */
  readonly readAt: string;
  /** Where, at that tag. */
  readonly source: string;
  /** Images as `host/path` without tag. */
  readonly images: readonly string[];
}

/**
 * Images the releases' pods pull with our values (charts/<addon>/values.ts) at the pinned versions;
 * test/charts/upstream-admission.test.ts proves the list is exactly what the chart models render.
 * Gatekeeper's own images (docker.io/openpolicyagent) are not listed: gatekeeper-system is exempt
 * from every constraint (charts/namespaces.ts).
 */
export const ADDON_IMAGES: readonly AddonImages[] = [
  {
    release: 'argocd',
    readAt: 'argo-cd-10.1.1',
    source:
      'argoproj/argo-helm charts/argo-cd/values.yaml: global.image.repository, redis.image, redis-ha.image and redis-ha.haproxy.image ' +
      '(dex is disabled in our values, the redis exporter is off by default)',
    images: ['quay.io/argoproj/argocd', 'ecr-public.aws.com/docker/library/redis', 'ecr-public.aws.com/docker/library/haproxy'],
  },
  {
    release: 'external-secrets',
    readAt: 'helm-chart-2.8.0',
    source: 'external-secrets/external-secrets deploy/charts/external-secrets/values.yaml: image, webhook.image, certController.image (global.repository empty)',
    images: ['ghcr.io/external-secrets/external-secrets'],
  },
  {
    release: 'karpenter',
    readAt: 'v1.14.1',
    source: 'aws/karpenter-provider-aws charts/karpenter/values.yaml: controller.image.repository',
    images: ['public.ecr.aws/karpenter/controller'],
  },
  {
    release: 'kube-prometheus-stack',
    readAt: 'kube-prometheus-stack-79.6.1',
    source:
      'prometheus-community/helm-charts charts/kube-prometheus-stack/values.yaml (alertmanager, prometheusOperator, its admissionWebhooks.patch image, prometheus-config-reloader, prometheus; ' +
      'not admissionWebhooks.deployment, off by default); ' +
      'subcharts kube-state-metrics-6.4.1 and prometheus-node-exporter-4.49.1 values.yaml (image.registry/repository); grafana/helm-charts grafana-10.1.5 charts/grafana/values.yaml (image, sidecar.image)',
    images: [
      'quay.io/prometheus/alertmanager',
      'quay.io/prometheus-operator/prometheus-operator',
      'registry.k8s.io/ingress-nginx/kube-webhook-certgen',
      'quay.io/prometheus-operator/prometheus-config-reloader',
      'quay.io/prometheus/prometheus',
      'registry.k8s.io/kube-state-metrics/kube-state-metrics',
      'quay.io/prometheus/node-exporter',
      'docker.io/grafana/grafana',
      'quay.io/kiwigrid/k8s-sidecar',
    ],
  },
  {
    release: 'aws-load-balancer-controller',
    readAt: 'v3.5.0',
    source: 'kubernetes-sigs/aws-load-balancer-controller helm/aws-load-balancer-controller/values.yaml: image.repository',
    images: ['public.ecr.aws/eks/aws-load-balancer-controller'],
  },
  {
    release: 'external-dns',
    readAt: 'external-dns-helm-chart-1.21.1',
    source: 'kubernetes-sigs/external-dns charts/external-dns/values.yaml: image.repository (the AWS provider runs in-tree: no webhook sidecar)',
    images: ['registry.k8s.io/external-dns/external-dns'],
  },
  {
    release: 'x509-certificate-exporter',
    readAt: 'v4.2.0',
    source: 'enix/x509-certificate-exporter chart/values.yaml: image.registry and image.repository (kube-rbac-proxy off; the kubectl migration Job runs only on upgrades from 3.x)',
    images: ['quay.io/enix/x509-certificate-exporter'],
  },
];

/** `host[:port][/path]` as an entry; throws a UserError naming `where` on anything else. */
export function parseRegistry(text: string, where = 'registry'): RegistryEntry {
  if (!REGISTRY_PATTERN.test(text)) {
    throw new UserError(`${where}: ${JSON.stringify(text)} is not a registry (expected a host with a dot or a port, or localhost, then an optional /path, like 123456789012.dkr.ecr.eu-west-1.amazonaws.com, *.example.com, localhost:5000 or registry.example.com:5000/team)`);
  }
  const slash = text.indexOf('/');
  return slash === -1 ? { host: text.toLowerCase() } : { host: text.slice(0, slash).toLowerCase(), path: text.slice(slash + 1) };
}

/** The account's own ECR in the stack's region: where the platform's teams keep their images. */
export function accountEcr(config: Pick<PlatformConfig, 'accountId' | 'region'>): string {
  return `${config.accountId}.dkr.ecr.${config.region}.amazonaws.com`;
}

/** An image reference without its tag or digest, as a registry entry scoped to exactly that repository. */
function repositoryEntry(image: string): RegistryEntry {
  const slash = image.indexOf('/');
  const path = image.slice(slash + 1).replace(/@.*$/, '').replace(/:[^/]*$/, '');
  return { host: image.slice(0, slash), path };
}

/**
 * Registries of the add-ons' images, each scoped to exactly the image's repository (least privilege: a
 * tenant cannot pull another image of the same organisation through it); of the releases named, or all.
 */
export function addonRegistries(releases?: ReadonlySet<string>): RegistryEntry[] {
  const out = new Map<string, RegistryEntry>();
  for (const a of ADDON_IMAGES) {
    if (releases !== undefined && !releases.has(a.release)) continue;
    for (const image of a.images) out.set(image, repositoryEntry(image));
  }
  return [...out.values()];
}

/**
 * The stack's allowed registries: `platform:registries` (default: the account's ECR in the stack's
 * region), then the registries of the enabled releases' images, then the sample web service's image
 * repository when a tenant runs it (charts/tenants/sample-web.ts: the platform deploys it, so it
 * admits exactly that repository; a team's own services pull from the team's registries).
 */
export function stackRegistries(config: PlatformConfig): RegistryEntry[] {
  const own = (config.registries ?? [accountEcr(config)]).map((r, i) => parseRegistry(r, `platform:registries[${i}]`));
  const enabled = new Set(HELM_RELEASES.filter((r) => config.addons[r.addon]).map((r) => r.name));
  const sample = sampleWebTenants(config).length > 0 ? [repositoryEntry(SAMPLE_WEB_IMAGE)] : [];
  const seen = new Set<string>();
  return [...own, ...addonRegistries(enabled), ...sample].filter((e) => {
    const key = `${e.host}/${e.path ?? ''}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

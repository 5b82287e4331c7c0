/**
 * Upstream objects a library constraint must not block, each named for one constraint: by
 * namespace and labels (workloads: the chart's selector labels, which its pods carry too) or by
 * name (cluster-scoped objects). No constraint skips a whole add-on namespace: everything else the
 * add-ons create is checked like any workload.
 *
 * Every entry names the chart tag it was read at (`readAt`) and the template; tests fail when a
 * pin moves away from `readAt`, so a chart bump re-reads the objects (and their names) here.
 *
 * Read at the pins and found to need none: the Roles and ClusterRoles of karpenter v1.14.1, External
 * Secrets helm-chart-2.8.0, aws-load-balancer-controller v3.5.0, x509-certificate-exporter v4.2.0,
 * kube-state-metrics 6.4.1, prometheus-node-exporter 4.49.1, grafana 10.1.5 and redis-ha 4.38.0 grant
 * no `*` verb or resource; external-dns-helm-chart-1.21.1 charts/external-dns/templates/clusterrole.yaml
 * grants `*` on dnsendpoints/status only with the `crd` source, which the platform's values do not
 * list (charts/external-dns/values.ts); argo-cd-10.1.1's repo-server ClusterRole (all `*`) renders only
 * with repoServer.clusterRoleRules.enabled, off by default.
 */
import type { PlatformConfig } from '../../model/config';
import { NAMESPACES } from '../../model/namespaces';

/** What a constraint's `spec.parameters.exemptions` holds (policies/README.md). */
export interface ExemptionEntry {
  /** Absent for cluster-scoped objects. */
  readonly namespace?: string;
  readonly kinds?: readonly string[];
  readonly names?: readonly string[];
  readonly labels?: Readonly<Record<string, string>>;
  readonly reason: string;
}

type Addon = 'gatekeeper' | 'argocd' | 'monitoring';

export interface UpstreamExemption {
  /** metadata.name of the library constraint. */
  readonly constraint: string;
  /** Add-on (platform:addons key) whose chart creates the object: no entry when it is disabled. */
  readonly addon: Addon;
  /** Upstream repository tag the object was read at. */
  readonly readAt: string;
  /** Template(s) at that tag. */
  readonly source: string;
  readonly entry: ExemptionEntry;
  /** Only when the stack deploys the object. @default whenever the add-on is enabled */
  readonly when?: (config: PlatformConfig) => boolean;
}

/** Release names of charts/releases.ts: object names derive from them. */
const ARGOCD_FULLNAME = 'argocd'; // argo-cd's fullname: the release name `argocd` contains nameOverride `argocd` (values.yaml), so it is the release name.
const KPS_FULLNAME = 'kube-prometheus-stack'; // kube-prometheus-stack's fullname: the release name contains the chart name.

/**
 * The node-exporter DaemonSet and its pods, in their own namespace (kube-prometheus-stack values
 * `prometheus-node-exporter.namespaceOverride`, charts/monitoring/values.ts): selector labels of
 * prometheus-node-exporter-4.49.1 (_helpers.tpl selectorLabels; the release and name are the parent's),
 * which its labels include. Never the namespace itself: anything else put there is checked.
 */
const NODE_EXPORTER = { namespace: NAMESPACES.nodeExporter, labels: { 'app.kubernetes.io/name': 'prometheus-node-exporter', 'app.kubernetes.io/instance': KPS_FULLNAME } } as const;
const NODE_EXPORTER_SOURCE = 'prometheus-community/helm-charts charts/prometheus-node-exporter/templates/daemonset.yaml and values.yaml (hostNetwork: true, hostPID: true, hostRootFsMount/hostProcFsMount/hostSysFsMount)';

export const UPSTREAM_EXEMPTIONS: readonly UpstreamExemption[] = [
  {
    constraint: 'no-wildcard-rbac',
    addon: 'gatekeeper',
    readAt: 'v3.23.0',
    source: 'open-policy-agent/gatekeeper charts/gatekeeper/templates/gatekeeper-manager-role-clusterrole.yaml',
    entry: {
      kinds: ['ClusterRole'],
      names: ['gatekeeper-manager-role'],
      reason: 'Gatekeeper audits and caches every kind a constraint may target (apiGroups "*", resources "*": get, list, watch) and manages all resources of its own API groups; the chart re-applies this role on every upgrade',
    },
  },
  {
    constraint: 'no-wildcard-rbac',
    addon: 'argocd',
    readAt: 'argo-cd-10.1.1',
    source:
      'argoproj/argo-helm charts/argo-cd/templates/argocd-application-controller/clusterrole.yaml and argocd-server/clusterrole.yaml ' +
      '(createClusterRoles: true; controller and server clusterRoleRules.enabled: false, so the default rules)',
    entry: {
      kinds: ['ClusterRole'],
      names: [`${ARGOCD_FULLNAME}-application-controller`, `${ARGOCD_FULLNAME}-server`],
      reason: 'Argo CD syncs whatever kinds its Applications hold (controller: "*" on every resource) and its UI views, patches and deletes live objects of any kind (server: "*" resources); the chart re-applies these roles on every upgrade',
    },
  },
  {
    constraint: 'no-wildcard-rbac',
    addon: 'monitoring',
    readAt: 'kube-prometheus-stack-79.6.1',
    source: 'prometheus-community/helm-charts charts/kube-prometheus-stack/templates/prometheus-operator/clusterrole.yaml',
    entry: {
      kinds: ['ClusterRole'],
      names: [`${KPS_FULLNAME}-operator`],
      reason: 'the Prometheus operator owns the monitoring.coreos.com custom resources it reconciles (verbs "*" on its own kinds only); the chart re-applies this role on every upgrade',
    },
  },
  {
    constraint: 'host-namespaces',
    addon: 'monitoring',
    readAt: 'kube-prometheus-stack-79.6.1',
    source: NODE_EXPORTER_SOURCE,
    entry: { ...NODE_EXPORTER, reason: "node-exporter reports the node's own network and process statistics: it needs the host network and PID namespaces" },
  },
  {
    constraint: 'host-ports',
    addon: 'monitoring',
    readAt: 'kube-prometheus-stack-79.6.1',
    source: `${NODE_EXPORTER_SOURCE}; with hostNetwork the API server defaults each container port's hostPort to it (kubernetes pkg/apis/core/v1 defaults.go defaultHostNetworkPorts)`,
    entry: { ...NODE_EXPORTER, reason: 'node-exporter serves metrics on the host network, so its port 9100 is a host port' },
  },
  {
    constraint: 'volume-types',
    addon: 'monitoring',
    readAt: 'kube-prometheus-stack-79.6.1',
    source: NODE_EXPORTER_SOURCE,
    entry: { ...NODE_EXPORTER, reason: "node-exporter reads the node's /proc, /sys and root filesystem through read-only hostPath mounts" },
  },
  {
    constraint: 'required-labels',
    addon: 'argocd',
    readAt: 'argo-cd-10.1.1',
    source:
      'argoproj/argo-helm charts/argo-cd/Chart.yaml (redis-ha 4.38.0 when redis-ha.enabled) and values.yaml redis-ha.haproxy.labels; ' +
      'DandyDeveloper/charts redis-ha-4.38.0 templates/redis-ha-statefulset.yaml, redis-haproxy-deployment.yaml, _helpers.tpl labels.standard',
    entry: {
      namespace: NAMESPACES.argocd,
      kinds: ['StatefulSet', 'Deployment'],
      names: [`${ARGOCD_FULLNAME}-redis-ha-server`, `${ARGOCD_FULLNAME}-redis-ha-haproxy`],
      reason:
        "redis-ha labels its StatefulSet and Deployment with app/release/chart only; its one way to add a label to them (extraLabels) also lands on the haproxy pods, which argo-cd's values already name (app.kubernetes.io/name), so the objects keep the chart's labels and their pods carry the name",
    },
    when: (config) => config.argocd.ha,
  },
  {
    constraint: 'read-only-root-filesystem',
    addon: 'monitoring',
    readAt: 'kube-prometheus-stack-79.6.1',
    source: 'grafana/helm-charts grafana-10.1.5 charts/grafana/templates/_pod.tpl and values.yaml containerSecurityContext, sidecar.securityContext (no readOnlyRootFilesystem); _helpers.tpl selectorLabels',
    entry: {
      namespace: NAMESPACES.monitoring,
      labels: { 'app.kubernetes.io/name': 'grafana', 'app.kubernetes.io/instance': KPS_FULLNAME },
      reason:
        'the chart runs Grafana and its dashboard/datasource sidecars with a writable root filesystem and they have not been verified without one; every other restricted setting applies to them',
    },
  },
];

/** The exemptions a stack's constraint gets: those of its enabled add-ons (and of the objects it deploys). */
export function exemptionsFor(config: PlatformConfig, constraint: string): ExemptionEntry[] {
  return UPSTREAM_EXEMPTIONS.filter((e) => e.constraint === constraint && config.addons[e.addon] && (e.when?.(config) ?? true)).map((e) => e.entry);
}

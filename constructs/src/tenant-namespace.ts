import { ApiObject, Chart, JsonPatch } from 'cdk8s';
import { Construct } from 'constructs';
import { AllowNetworkPolicy } from './allow-network-policy';
import { DefaultDenyNetworkPolicy } from './default-deny-network-policy';
import type { HardenedWebServiceProps } from './hardened-web-service';
import { NetworkPeers, NetworkPorts } from './network-peers';
import { checkTenantIngress, READINESS_GATE_INJECT_LABEL, type TenantIngress } from './tenant-ingress';
import { parseQuantity, PropChecker } from './internal/validation';

export interface TenantQuotaProps {
  /** Total CPU requests of the namespace, e.g. `8` or `4500m`. */
  readonly cpu: string;
  /** Total memory requests (and limits) of the namespace, e.g. `16Gi`. */
  readonly memory: string;
  readonly pods: number;
}

export interface ContainerDefaultsProps {
  /** Requests given to containers that set none. @default { cpu: '100m', memory: '128Mi' } */
  readonly defaultRequest?: { readonly cpu: string; readonly memory: string };
  /** Memory limit given to containers that set none. @default 512Mi */
  readonly defaultMemoryLimit?: string;
  /** Largest memory limit one container may set. @default the quota's memory */
  readonly maxMemoryLimit?: string;
}

export interface TenantArgoCdProps {
  /** Namespace Argo CD runs in (where the AppProject goes). @default argocd */
  readonly namespace?: string;
  /** The cluster the project may deploy to. @default https://kubernetes.default.svc */
  readonly destinationServer?: string;
}

export interface TenantNamespaceProps {
  /** Namespace name (a DNS label); also names the Role, RoleBinding and AppProject. */
  readonly name: string;
  /** Identity-provider group mapped to the team's Kubernetes group (RoleBinding subject). */
  readonly teamGroup: string;
  readonly quota: TenantQuotaProps;
  /** @default see ContainerDefaultsProps */
  readonly containerDefaults?: ContainerDefaultsProps;
  /** Pod Security Standards version the namespace labels pin, e.g. `v1.33`. */
  readonly podSecurityVersion: string;
  /** Git repositories the tenant's Argo CD project may deploy from. @default none */
  readonly repositories?: readonly string[];
  /** Loosening: let the team read Secrets in its namespace. @default false */
  readonly allowSecretsRead?: boolean;
  /** Argo CD AppProject for the tenant; `false` creates none. @default { namespace: 'argocd' } */
  readonly argoCd?: TenantArgoCdProps | false;
  /** Namespace of the ingress controller allowed to reach the tenant's pods. @default none (no ingress from outside the namespace) */
  readonly ingressControllerNamespace?: string;
  /** Namespace of the Prometheus allowed to scrape the tenant's pods. @default none */
  readonly monitoringNamespace?: string;
  /**
   * The tenant's ingress: the domains its hosts lie in and its IngressClass (and load balancer subnets)
   * per scheme, internet-facing only when allowed. Labels the namespace for the AWS Load Balancer
   * Controller's readiness gates, and is what `webServiceProps()` gives the tenant's web services.
   * @default none (the tenant exposes nothing through a load balancer)
   */
  readonly ingress?: TenantIngress;
  /** Extra labels on the Namespace. @default none */
  readonly labels?: Readonly<Record<string, string>>;
}

/** What a tenant's `HardenedWebService` takes from its namespace: `new HardenedWebService(chart, 'shop', { ...tenant.webServiceProps(), hosts, containers })`. */
export type TenantWebServiceProps = Pick<HardenedWebServiceProps, 'namespace' | 'ingress' | 'monitoringNamespace'>;

/** Label that marks a namespace as a tenant's, with the tenant name as value. */
export const TENANT_LABEL = 'platform.eks-blueprint.io/tenant';

/**
 * A team's namespace with its guardrails: restricted Pod Security Admission (enforce, audit and
 * warn, version pinned), ResourceQuota and LimitRange, default-deny network policy with explicit
 * allows (DNS, same namespace, optional ingress controller and monitoring), a Role and RoleBinding
 * for the team's group (no cluster-wide rights, Secrets only when asked) and an Argo CD AppProject
 * restricted to the namespace and the team's repositories.
 */
export class TenantNamespace extends Construct {
  readonly namespaceName: string;
  readonly namespace: ApiObject;
  readonly role: ApiObject;
  readonly roleBinding: ApiObject;
  readonly appProject?: ApiObject;
  /** The tenant's ingress settings, as given (validated). @default none */
  readonly ingress?: TenantIngress;
  private readonly monitoringNamespace?: string;
  private readonly check: PropChecker;

  constructor(scope: Construct, id: string, props: TenantNamespaceProps) {
    super(scope, id);
    const name = props.name;
    const check = new PropChecker(`TenantNamespace ${name}`);
    check.dnsLabel('name', name);
    if (!/^[\w.:@-]{1,128}$/.test(props.teamGroup)) check.fail(`teamGroup must be a group name of letters, digits, . _ : @ - (got ${JSON.stringify(props.teamGroup)})`);
    check.quantity('quota.cpu', props.quota.cpu, '8');
    check.quantity('quota.memory', props.quota.memory, '16Gi');
    check.intRange('quota.pods', props.quota.pods, 1, 10000);
    if (!/^v\d+\.\d+$/.test(props.podSecurityVersion)) check.fail(`podSecurityVersion must be a pinned version like v1.33 (got ${JSON.stringify(props.podSecurityVersion)}; "latest" drifts with upgrades)`);
    for (const [i, repo] of (props.repositories ?? []).entries()) {
      if (!/^(https:\/\/|ssh:\/\/|git@)\S+$/.test(repo) || repo.includes('*')) check.fail(`repositories[${i}] must be one git URL without wildcards (got ${JSON.stringify(repo)})`);
    }
    if (props.ingressControllerNamespace !== undefined) check.dnsLabel('ingressControllerNamespace', props.ingressControllerNamespace);
    if (props.monitoringNamespace !== undefined) check.dnsLabel('monitoringNamespace', props.monitoringNamespace);
    const ingress = props.ingress === undefined ? undefined : freezeIngress(checkTenantIngress(check, 'ingress', props.ingress));

    // Defaults, in one place.
    const defaults = props.containerDefaults ?? {};
    const defaultRequest = defaults.defaultRequest ?? { cpu: '100m', memory: '128Mi' };
    const defaultMemoryLimit = defaults.defaultMemoryLimit ?? '512Mi';
    const maxMemoryLimit = defaults.maxMemoryLimit ?? props.quota.memory;
    const allowSecretsRead = props.allowSecretsRead ?? false;
    const argoCd = props.argoCd === false ? undefined : { namespace: props.argoCd?.namespace ?? 'argocd', destinationServer: props.argoCd?.destinationServer ?? 'https://kubernetes.default.svc' };
    check.quantity('containerDefaults.defaultRequest.cpu', defaultRequest.cpu, '100m');
    check.quantity('containerDefaults.defaultRequest.memory', defaultRequest.memory, '128Mi');
    check.quantity('containerDefaults.defaultMemoryLimit', defaultMemoryLimit, '512Mi');
    check.quantity('containerDefaults.maxMemoryLimit', maxMemoryLimit, '8Gi');
    if ((parseQuantity(defaultMemoryLimit) as number) > (parseQuantity(maxMemoryLimit) as number)) {
      check.fail(`containerDefaults.defaultMemoryLimit must not exceed maxMemoryLimit (got ${defaultMemoryLimit} > ${maxMemoryLimit})`);
    }

    this.namespaceName = name;
    this.check = check;
    if (ingress) this.ingress = ingress;
    if (props.monitoringNamespace !== undefined) this.monitoringNamespace = props.monitoringNamespace;
    const labels = { [TENANT_LABEL]: name };
    const psa = props.podSecurityVersion;
    this.namespace = new ApiObject(this, 'namespace', {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: {
        name,
        labels: {
          ...(props.labels ?? {}),
          ...labels,
          ...(ingress ? READINESS_GATE_INJECT_LABEL : {}),
          'pod-security.kubernetes.io/enforce': 'restricted',
          'pod-security.kubernetes.io/enforce-version': psa,
          'pod-security.kubernetes.io/audit': 'restricted',
          'pod-security.kubernetes.io/audit-version': psa,
          'pod-security.kubernetes.io/warn': 'restricted',
          'pod-security.kubernetes.io/warn-version': psa,
        },
      },
    });
    // cdk8s gives every ApiObject its chart's namespace, cluster-scoped ones too
    // (cdk8s-team/cdk8s-core src/api-object.ts: `namespace: props.metadata?.namespace ?? this.chart.namespace`).
    if (Chart.of(this).namespace !== undefined) this.namespace.addJsonPatch(JsonPatch.remove('/metadata/namespace'));

    new ApiObject(this, 'quota', {
      apiVersion: 'v1',
      kind: 'ResourceQuota',
      metadata: { name: 'tenant-quota', namespace: name, labels },
      spec: {
        hard: {
          'requests.cpu': props.quota.cpu,
          'requests.memory': props.quota.memory,
          'limits.memory': props.quota.memory,
          pods: String(props.quota.pods),
          // Exposure goes through the shared ingress controller, never a per-team load balancer or node port.
          'services.loadbalancers': '0',
          'services.nodeports': '0',
        },
      },
    });

    new ApiObject(this, 'limits', {
      apiVersion: 'v1',
      kind: 'LimitRange',
      metadata: { name: 'container-defaults', namespace: name, labels },
      spec: {
        limits: [
          {
            type: 'Container',
            defaultRequest: { cpu: defaultRequest.cpu, memory: defaultRequest.memory },
            default: { memory: defaultMemoryLimit },
            max: { memory: maxMemoryLimit },
          },
        ],
      },
    });

    new DefaultDenyNetworkPolicy(this, 'default-deny', { namespace: name });
    new AllowNetworkPolicy(this, 'allow-dns', { namespace: name, name: 'allow-dns', egressTo: [NetworkPeers.kubeDns()], egressPorts: NetworkPorts.dns() });
    new AllowNetworkPolicy(this, 'allow-same-namespace', {
      namespace: name,
      name: 'allow-same-namespace',
      ingressFrom: [NetworkPeers.sameNamespace()],
      egressTo: [NetworkPeers.sameNamespace()],
    });
    if (props.ingressControllerNamespace) {
      new AllowNetworkPolicy(this, 'allow-ingress-controller', { namespace: name, name: 'allow-ingress-controller', ingressFrom: [NetworkPeers.namespace(props.ingressControllerNamespace)] });
    }
    if (props.monitoringNamespace) {
      new AllowNetworkPolicy(this, 'allow-monitoring', { namespace: name, name: 'allow-monitoring-scrape', ingressFrom: [NetworkPeers.namespace(props.monitoringNamespace)] });
    }

    const readWrite = ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'];
    const read = ['get', 'list', 'watch'];
    this.role = new ApiObject(this, 'role', {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'Role',
      metadata: { name: `${name}-team`, namespace: name, labels },
      rules: [
        { apiGroups: [''], resources: ['configmaps', 'persistentvolumeclaims', 'pods', 'services', 'serviceaccounts'], verbs: readWrite },
        { apiGroups: [''], resources: ['pods/log', 'events', 'endpoints', 'resourcequotas', 'limitranges'], verbs: read },
        { apiGroups: ['apps'], resources: ['deployments', 'statefulsets', 'daemonsets', 'replicasets'], verbs: readWrite },
        { apiGroups: ['batch'], resources: ['jobs', 'cronjobs'], verbs: readWrite },
        { apiGroups: ['autoscaling'], resources: ['horizontalpodautoscalers'], verbs: readWrite },
        { apiGroups: ['policy'], resources: ['poddisruptionbudgets'], verbs: readWrite },
        { apiGroups: ['networking.k8s.io'], resources: ['ingresses'], verbs: readWrite },
        // NetworkPolicies are guardrails: the team may read them, not change them.
        { apiGroups: ['networking.k8s.io'], resources: ['networkpolicies'], verbs: read },
        ...(allowSecretsRead ? [{ apiGroups: [''], resources: ['secrets'], verbs: read }] : []),
      ],
    });
    this.roleBinding = new ApiObject(this, 'role-binding', {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name: `${name}-team`, namespace: name, labels },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: `${name}-team` },
      subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: props.teamGroup }],
    });

    if (argoCd) {
      this.appProject = new ApiObject(this, 'app-project', {
        apiVersion: 'argoproj.io/v1alpha1',
        kind: 'AppProject',
        metadata: { name, namespace: argoCd.namespace, labels },
        spec: {
          description: `Applications of tenant ${name}, limited to namespace ${name}`,
          sourceRepos: [...(props.repositories ?? [])],
          destinations: [{ server: argoCd.destinationServer, namespace: name }],
          // No cluster-scoped resources, and the guardrails above stay the platform's.
          clusterResourceWhitelist: [],
          namespaceResourceBlacklist: [
            { group: '', kind: 'ResourceQuota' },
            { group: '', kind: 'LimitRange' },
            { group: 'networking.k8s.io', kind: 'NetworkPolicy' },
            { group: 'rbac.authorization.k8s.io', kind: 'Role' },
            { group: 'rbac.authorization.k8s.io', kind: 'RoleBinding' },
          ],
          roles: [{ name: 'team', description: `Members of ${props.teamGroup}`, groups: [props.teamGroup], policies: [`p, proj:${name}:team, applications, *, ${name}/*, allow`] }],
        },
      });
    }
  }

  /**
   * What a web service of this tenant needs from its namespace: the namespace, the ingress settings and
   * the monitoring namespace. Spread it into `HardenedWebServiceProps` and add `hosts` and `containers`.
   */
  webServiceProps(): TenantWebServiceProps {
    if (!this.ingress) this.check.fail('webServiceProps() needs the ingress prop: this tenant has no ingress settings (allowed domains and IngressClasses) to give a web service');
    return {
      namespace: this.namespaceName,
      ingress: this.ingress,
      ...(this.monitoringNamespace !== undefined ? { monitoringNamespace: this.monitoringNamespace } : {}),
    };
  }
}

/** A deep copy the tenant's apps cannot change under it. */
function freezeIngress(ingress: TenantIngress): TenantIngress {
  const lb = (l: TenantIngress['internal']) => Object.freeze({ ingressClassName: l.ingressClassName, subnetCidrs: Object.freeze([...l.subnetCidrs]) });
  return Object.freeze({
    domains: Object.freeze([...ingress.domains]),
    internal: lb(ingress.internal),
    ...(ingress.internetFacing ? { internetFacing: lb(ingress.internetFacing) } : {}),
  });
}

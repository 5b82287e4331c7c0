/* eslint-disable @typescript-eslint/no-explicit-any -- synthesized manifests are untyped JSON that the tests query field by field */
import { Chart, Testing } from 'cdk8s';
import { testApp } from './fixtures';
import { Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { AllowNetworkPolicy, ConstructError, HardenedWebService, NetworkPeers, TenantNamespace, WorkloadServiceAccount, type TenantIngress, type TenantNamespaceProps } from '@eks-platform-blueprint/constructs';

type Obj = { apiVersion: string; kind: string; metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> }; [k: string]: any };

const base: TenantNamespaceProps = {
  name: 'payments',
  teamGroup: 'team-payments',
  quota: { cpu: '8', memory: '16Gi', pods: 50 },
  podSecurityVersion: 'v1.33',
  repositories: ['https://github.com/example-org/payments-deploy.git'],
};

function synth(props: Partial<TenantNamespaceProps> = {}): Obj[] {
  const chart = new Chart(testApp(), 'test');
  new TenantNamespace(chart, 'tenant', { ...base, ...props });
  return Testing.synth(chart) as Obj[];
}

const find = (objects: Obj[], kind: string, name: string) => objects.find((o) => o.kind === kind && o.metadata.name === name) as Obj;

describe('TenantNamespace', () => {
  const objects = synth();

  test('GIVEN defaults WHEN synthesized THEN the namespace enforces, audits and warns restricted at the pinned version', () => {
    expect(find(objects, 'Namespace', 'payments').metadata.labels).toMatchObject({
      'pod-security.kubernetes.io/enforce': 'restricted',
      'pod-security.kubernetes.io/enforce-version': 'v1.33',
      'pod-security.kubernetes.io/audit': 'restricted',
      'pod-security.kubernetes.io/audit-version': 'v1.33',
      'pod-security.kubernetes.io/warn': 'restricted',
      'pod-security.kubernetes.io/warn-version': 'v1.33',
      'platform.eks-blueprint.io/tenant': 'payments',
    });
  });

  test('GIVEN a quota WHEN synthesized THEN ResourceQuota caps requests and forbids load balancers and node ports', () => {
    expect(find(objects, 'ResourceQuota', 'tenant-quota').spec.hard).toEqual({
      'requests.cpu': '8',
      'requests.memory': '16Gi',
      'limits.memory': '16Gi',
      pods: '50',
      'services.loadbalancers': '0',
      'services.nodeports': '0',
    });
    expect(find(objects, 'LimitRange', 'container-defaults').spec.limits).toEqual([
      { type: 'Container', defaultRequest: { cpu: '100m', memory: '128Mi' }, default: { memory: '512Mi' }, max: { memory: '16Gi' } },
    ]);
  });

  test('GIVEN defaults WHEN synthesized THEN ingress and egress are denied except DNS and the same namespace', () => {
    const policies = objects.filter((o) => o.kind === 'NetworkPolicy');
    expect(policies.map((p) => p.metadata.name).sort()).toEqual(['allow-dns', 'allow-same-namespace', 'default-deny']);
    expect(find(objects, 'NetworkPolicy', 'default-deny').spec).toEqual({ podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
    expect(find(objects, 'NetworkPolicy', 'allow-dns').spec).toEqual({
      podSelector: {},
      policyTypes: ['Egress'],
      egress: [
        {
          to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }],
          ports: [{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 53 }],
        },
      ],
    });
  });

  test('GIVEN ingress controller and monitoring namespaces WHEN synthesized THEN each gets one ingress allow', () => {
    const more = synth({ ingressControllerNamespace: 'ingress-nginx', monitoringNamespace: 'monitoring' });
    expect(find(more, 'NetworkPolicy', 'allow-ingress-controller').spec.ingress).toEqual([{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } } }] }]);
    expect(find(more, 'NetworkPolicy', 'allow-monitoring-scrape').spec.policyTypes).toEqual(['Ingress']);
  });

  test('GIVEN defaults WHEN synthesized THEN the team Role cannot read Secrets and is bound to the team group only', () => {
    const role = find(objects, 'Role', 'payments-team');
    expect(role.rules.some((r: { resources: string[] }) => r.resources.includes('secrets'))).toBe(false);
    expect(role.rules.find((r: { resources: string[] }) => r.resources.includes('networkpolicies')).verbs).toEqual(['get', 'list', 'watch']);
    expect(find(objects, 'RoleBinding', 'payments-team')).toMatchObject({
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'payments-team' },
      subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'team-payments' }],
    });
    expect(objects.some((o) => o.kind === 'ClusterRoleBinding' || o.kind === 'ClusterRole')).toBe(false);
  });

  test('GIVEN allowSecretsRead WHEN synthesized THEN the Role may read (not write) Secrets', () => {
    const role = find(synth({ allowSecretsRead: true }), 'Role', 'payments-team');
    expect(role.rules.find((r: { resources: string[] }) => r.resources.includes('secrets'))).toEqual({ apiGroups: [''], resources: ['secrets'], verbs: ['get', 'list', 'watch'] });
  });

  test('GIVEN repositories WHEN synthesized THEN the AppProject allows only them and only this namespace, no cluster resources', () => {
    const project = find(objects, 'AppProject', 'payments');
    expect(project.metadata.namespace).toBe('argocd');
    expect(project.spec.sourceRepos).toEqual(['https://github.com/example-org/payments-deploy.git']);
    expect(project.spec.destinations).toEqual([{ server: 'https://kubernetes.default.svc', namespace: 'payments' }]);
    expect(project.spec.clusterResourceWhitelist).toEqual([]);
    expect(project.spec.namespaceResourceBlacklist).toContainEqual({ group: 'networking.k8s.io', kind: 'NetworkPolicy' });
  });

  test('GIVEN argoCd false WHEN synthesized THEN no AppProject is created', () => {
    expect(synth({ argoCd: false }).some((o) => o.kind === 'AppProject')).toBe(false);
  });

  test('GIVEN a chart with a namespace WHEN synthesized THEN the cluster-scoped Namespace carries none, and the namespaced objects keep the tenant\'s', () => {
    const chart = new Chart(testApp(), 'test', { namespace: 'platform' });
    new TenantNamespace(chart, 'tenant', base);
    const objects = Testing.synth(chart) as Obj[];
    expect(find(objects, 'Namespace', 'payments').metadata).not.toHaveProperty('namespace');
    expect(find(objects, 'ResourceQuota', 'tenant-quota').metadata.namespace).toBe('payments');
    expect(find(objects, 'AppProject', 'payments').metadata.namespace).toBe('argocd');
  });

  test.each([
    [{ name: 'Payments' }, 'TenantNamespace Payments: name must be a DNS label'],
    [{ quota: { cpu: 'lots', memory: '16Gi', pods: 50 } }, 'quota.cpu must be a Kubernetes quantity like 8 (got "lots")'],
    [{ quota: { cpu: '8', memory: '16Gi', pods: 0 } }, 'quota.pods must be a whole number from 1 to 10000 (got 0)'],
    [{ podSecurityVersion: 'latest' }, 'podSecurityVersion must be a pinned version like v1.33 (got "latest"'],
    [{ repositories: ['https://github.com/example-org/*'] }, 'repositories[0] must be one git URL without wildcards'],
  ])('GIVEN invalid props %j WHEN constructed THEN the error names the prop', (override, message) => {
    const chart = new Chart(testApp(), 'test');
    expect(() => new TenantNamespace(chart, 't', { ...base, ...override })).toThrow(ConstructError);
    expect(() => new TenantNamespace(new Chart(testApp(), 'x'), 't', { ...base, ...override })).toThrow(message);
  });
});

describe('TenantNamespace with ingress settings', () => {
  const ingress: TenantIngress = {
    domains: ['payments.example.com'],
    internal: { ingressClassName: 'alb-internal-payments', subnetCidrs: ['10.20.96.0/19'] },
    internetFacing: { ingressClassName: 'alb-internet-facing-payments', subnetCidrs: ['10.20.0.0/22'] },
  };

  test('GIVEN ingress WHEN synthesized THEN the namespace asks the load balancer controller for readiness gates; without it, it does not', () => {
    // The label and value the controller's pod webhook selects namespaces by (aws-load-balancer-controller v3.5.0,
    // helm/aws-load-balancer-controller/templates/webhook.yaml, mpod.elbv2.k8s.aws namespaceSelector).
    expect(find(synth({ ingress }), 'Namespace', 'payments').metadata.labels).toMatchObject({ 'elbv2.k8s.aws/pod-readiness-gate-inject': 'enabled' });
    expect(find(synth(), 'Namespace', 'payments').metadata.labels).not.toHaveProperty('elbv2.k8s.aws/pod-readiness-gate-inject');
  });

  test('GIVEN ingress and monitoring WHEN a web service takes webServiceProps() THEN it lands in the namespace, on the tenant\'s class, scraped from its monitoring namespace', () => {
    const chart = new Chart(testApp(), 'test');
    const tenant = new TenantNamespace(chart, 'tenant', { ...base, ingress, monitoringNamespace: 'prometheus' });
    expect(tenant.webServiceProps()).toEqual({ namespace: 'payments', ingress, monitoringNamespace: 'prometheus' });
    new HardenedWebService(chart, 'shop', {
      ...tenant.webServiceProps(),
      hosts: ['shop.payments.example.com'],
      containers: [{
        image: 'public.ecr.aws/example/shop:3.1.0',
        resources: { cpu: { request: kplus.Cpu.millis(100) }, memory: { request: Size.mebibytes(128), limit: Size.mebibytes(256) } },
        ports: [{ name: 'http', number: 8080 }, { name: 'metrics', number: 9090 }],
        readiness: kplus.Probe.fromHttpGet('/ready', { port: 8080 }),
      }],
    });
    const objects = Testing.synth(chart) as Obj[];
    expect(find(objects, 'Ingress', 'shop').metadata.namespace).toBe('payments');
    expect(find(objects, 'Ingress', 'shop').spec.ingressClassName).toBe('alb-internal-payments');
    expect(find(objects, 'NetworkPolicy', 'shop').spec.ingress[1].from).toEqual([NetworkPeers.namespace('prometheus')]);
  });

  test('GIVEN ingress WHEN the caller changes its own copy afterwards THEN the tenant\'s settings stay as validated', () => {
    const domains = ['payments.example.com'];
    const tenant = new TenantNamespace(new Chart(testApp(), 'test'), 'tenant', { ...base, ingress: { ...ingress, domains } });
    domains.push('search.example.com');
    expect(tenant.ingress?.domains).toEqual(['payments.example.com']);
    expect(Object.isFrozen(tenant.ingress?.internal.subnetCidrs)).toBe(true);
  });

  test('GIVEN no ingress WHEN webServiceProps() is asked THEN the error says the tenant has none', () => {
    const tenant = new TenantNamespace(new Chart(testApp(), 'test'), 'tenant', base);
    expect(tenant.ingress).toBeUndefined();
    expect(() => tenant.webServiceProps()).toThrow(new ConstructError('TenantNamespace payments: webServiceProps() needs the ingress prop: this tenant has no ingress settings (allowed domains and IngressClasses) to give a web service'));
  });

  test.each([
    [{ ...ingress, domains: [] }, 'ingress.domains must list at least one domain (got [])'],
    [{ ...ingress, domains: ['*.example.com'] }, 'ingress.domains[0] must not be a wildcard (got "*.example.com"; list each host name)'],
    [{ ...ingress, domains: ['payments.example.com', 'payments.example.com'] }, 'ingress.domains[1] repeats "payments.example.com" (list each domain once)'],
    [{ ...ingress, internal: { ingressClassName: 'alb internal', subnetCidrs: ['10.20.96.0/19'] } }, 'ingress.internal.ingressClassName must be a DNS subdomain'],
    [{ ...ingress, internetFacing: { ingressClassName: 'alb-internet-facing-payments', subnetCidrs: ['10.20.0.0/8'] } }, 'ingress.internetFacing.subnetCidrs[0] is broader than /16 (got "10.20.0.0/8")'],
    [{ ...ingress, internal: { ingressClassName: 'alb-internal-payments', subnetCidrs: ['10.20.96.0/33'] } }, 'ingress.internal.subnetCidrs[0] must be an IPv4 CIDR like 10.0.32.0/19 (got "10.20.96.0/33")'],
  ])('GIVEN ingress %j WHEN constructed THEN the error names the field, the value and the fix', (bad, message) => {
    const build = () => new TenantNamespace(new Chart(testApp(), 'test'), 'tenant', { ...base, ingress: bad as TenantIngress });
    expect(build).toThrow(ConstructError);
    expect(build).toThrow(`TenantNamespace payments: ${message}`);
  });
});

describe('WorkloadServiceAccount and AllowNetworkPolicy', () => {
  test('GIVEN an IRSA identity WHEN synthesized THEN the role ARN annotation is set and the token is not automounted', () => {
    const chart = new Chart(testApp(), 'test');
    new WorkloadServiceAccount(chart, 'sa', { namespace: 'payments', name: 'api', identity: { type: 'irsa', roleArn: 'arn:aws:iam::111122223333:role/payments-api' } });
    const [sa] = Testing.synth(chart) as Obj[];
    expect(sa.metadata.annotations).toEqual({ 'eks.amazonaws.com/role-arn': 'arn:aws:iam::111122223333:role/payments-api' });
    expect(sa.automountServiceAccountToken).toBe(false);
  });

  test('GIVEN a Pod Identity WHEN synthesized THEN the ServiceAccount carries no annotation but exposes the role for the association', () => {
    const chart = new Chart(testApp(), 'test');
    const sa = new WorkloadServiceAccount(chart, 'sa', { namespace: 'karpenter', name: 'karpenter', identity: { type: 'pod-identity', roleArn: 'arn:aws:iam::111122223333:role/c-karpenter-controller' } });
    const [obj] = Testing.synth(chart) as Obj[];
    expect(obj.metadata.annotations).toBeUndefined();
    expect(sa.identity).toEqual({ type: 'pod-identity', roleArn: 'arn:aws:iam::111122223333:role/c-karpenter-controller' });
  });

  test('GIVEN a malformed role ARN WHEN constructed THEN the error names identity.roleArn', () => {
    const chart = new Chart(testApp(), 'test');
    expect(() => new WorkloadServiceAccount(chart, 'sa', { namespace: 'x', identity: { type: 'irsa', roleArn: 'my-role' } })).toThrow(
      'WorkloadServiceAccount x/sa: identity.roleArn must be an IAM role ARN like arn:aws:iam::123456789012:role/name (got "my-role")',
    );
  });

  test('GIVEN neither ingress nor egress WHEN an allow policy is constructed THEN it is refused', () => {
    const chart = new Chart(testApp(), 'test');
    expect(() => new AllowNetworkPolicy(chart, 'p', { namespace: 'x' })).toThrow('AllowNetworkPolicy x/p: set ingressFrom or egressTo');
    new AllowNetworkPolicy(chart, 'q', { namespace: 'x', egressTo: [NetworkPeers.namespace('y')] });
    expect((Testing.synth(chart) as Obj[])[0].spec.policyTypes).toEqual(['Egress']);
  });
});

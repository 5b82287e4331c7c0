/**
 * The constructs' defaults judged the way the platform judges manifests: `platform check` (the
 * policy library: restricted Pod Security Standard, image, resource, label and Service rules) and
 * the schema validation of `platform synth`, on synthesized output.
 */
import { Cron, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import {
  AllowNetworkPolicy,
  DefaultDenyNetworkPolicy,
  ExternalSecret,
  HardenedCronJob,
  HardenedDaemonSet,
  HardenedDeployment,
  HardenedJob,
  HardenedStatefulSet,
  HardenedWebService,
  NetworkPeers,
  ServiceMonitor,
  TenantNamespace,
  WorkloadServiceAccount,
} from '@eks-platform-blueprint/constructs';
import * as fs from 'node:fs';
import { load } from 'js-yaml';
import { loadPolicyLibrary } from '../../lib/policy/library';
import { INGRESS_POLICIES } from '../../charts/gatekeeper/chart';
import { ingressPolicyNamespaces } from '../../model/ingress';
import { EXAMPLE_REGISTRY_CONSTRAINT, EXAMPLE_TENANT_INGRESS_CONSTRAINTS, policyViolations, schemaIssues } from '../helpers/manifest-check';
import { container, synth } from './fixtures';

describe('GIVEN every construct called with only its required props', () => {
  const objects = synth((c) => {
    new TenantNamespace(c, 'tenant', { name: 'payments', teamGroup: 'team-payments', quota: { cpu: '8', memory: '16Gi', pods: 50 }, podSecurityVersion: 'v1.33' });
    new DefaultDenyNetworkPolicy(c, 'deny', { name: 'deny-all' });
    new WorkloadServiceAccount(c, 'api-sa', {});
    const api = new HardenedDeployment(c, 'api', { containers: [{ ...container, ports: [{ name: 'metrics', number: 9090 }] }] });
    new ServiceMonitor(c, 'api-metrics', { service: api.exposeViaService() });
    new AllowNetworkPolicy(c, 'allow-api', { podSelector: api, ingressFrom: [NetworkPeers.sameNamespace()] });
    new HardenedStatefulSet(c, 'db', { containers: [{ ...container, ports: [{ name: 'pg', number: 5432 }] }] });
    new HardenedDaemonSet(c, 'agent', { containers: [container] });
    new HardenedJob(c, 'migrate', { containers: [container] });
    new HardenedCronJob(c, 'report', { schedule: Cron.daily(), containers: [container] });
    new ExternalSecret(c, 'db-credentials', { remoteKey: 'prod/payments/db' });
  });

  test('THEN platform check finds no violation in any object', () => {
    expect(objects.length).toBeGreaterThanOrEqual(20);
    expect(policyViolations(objects)).toEqual([]);
  });

  test('THEN every object is valid against its Kubernetes or CRD schema', () => {
    expect(schemaIssues(objects)).toEqual([]);
  });
});

describe('GIVEN a real workload built with the cdk8s-plus vocabulary', () => {
  const objects = synth((c) => {
    const config = new kplus.ConfigMap(c, 'config', { metadata: { name: 'api-config' }, data: { LOG_LEVEL: 'info' } });
    const db = new ExternalSecret(c, 'db', { remoteKey: 'prod/payments/db', keys: { DB_PASSWORD: 'password' } });
    const account = new WorkloadServiceAccount(c, 'api', { identity: { type: 'irsa', roleArn: 'arn:aws:iam::123456789012:role/payments-api' } });
    const claim = new kplus.PersistentVolumeClaim(c, 'uploads', { metadata: { name: 'uploads' }, storage: Size.gibibytes(10), storageClassName: 'gp3', accessModes: [kplus.PersistentVolumeAccessMode.READ_WRITE_ONCE] });
    const api = new HardenedDeployment(c, 'api-server', {
      serviceAccount: account,
      writableTmp: true,
      autoscaling: { minReplicas: 3, maxReplicas: 12 },
      initContainers: [{ ...container, image: 'public.ecr.aws/example/migrate:3.0.0', envFrom: [kplus.Env.fromSecret(db.secret)] }],
      sidecars: [{ ...container, image: 'public.ecr.aws/example/proxy:2.0.0' }],
      containers: [
        {
          ...container,
          ports: [{ name: 'http', number: 8080 }, { name: 'metrics', number: 9090 }],
          envFrom: [kplus.Env.fromConfigMap(config)],
          envVariables: { DB_PASSWORD: db.envValue('DB_PASSWORD') },
          readiness: kplus.Probe.fromHttpGet('/ready', { port: 8080 }),
          volumeMounts: [
            { path: '/etc/api', volume: kplus.Volume.fromConfigMap(c, 'config-volume', config) },
            { path: '/uploads', volume: kplus.Volume.fromPersistentVolumeClaim(c, 'uploads-volume', claim) },
          ],
        },
      ],
    });
    new ServiceMonitor(c, 'api-metrics', { service: api.exposeViaService() });
  });

  test('THEN platform check finds no violation and every object matches its schema', () => {
    expect(objects.map((o) => o.kind).sort()).toEqual(
      ['ConfigMap', 'Deployment', 'ExternalSecret', 'HorizontalPodAutoscaler', 'PersistentVolumeClaim', 'PodDisruptionBudget', 'Service', 'ServiceAccount', 'ServiceMonitor'].sort(),
    );
    expect(policyViolations(objects)).toEqual([]);
    expect(schemaIssues(objects)).toEqual([]);
  });
});

describe('GIVEN the named loosenings, and cdk8s-plus without the hardening', () => {
  test('WHEN checked THEN the policy library reports exactly what each costs', () => {
    const loosened = synth((c) => {
      new HardenedDeployment(c, 'writer', { replicas: 1, containers: [{ ...container, allowWritableRootFilesystem: true }] });
      new HardenedDeployment(c, 'operator', { replicas: 1, automountServiceAccountToken: true, containers: [container] });
    });
    expect(policyViolations(loosened)).toEqual([
      'Deployment/operator: default-service-account-token: pods using the default ServiceAccount must set automountServiceAccountToken: false (or use a dedicated ServiceAccount)',
      'Deployment/writer: read-only-root-filesystem: containers must set securityContext.readOnlyRootFilesystem to true: app',
    ]);
  });

  test('WHEN a plain kplus.Deployment runs the same container THEN the library finds what the hardening adds', () => {
    const plain = synth((c) => new kplus.Deployment(c, 'plain', { containers: [{ image: container.image, resources: container.resources }] }));
    const constraints = policyViolations(plain).map((v) => v.split(': ')[1]);
    expect(constraints).toEqual(['capabilities', 'required-labels', 'seccomp']);
  });
});

describe("GIVEN the examples' team registry (test/fixtures/example-registry-constraint.yaml)", () => {
  const fixture = load(fs.readFileSync(EXAMPLE_REGISTRY_CONSTRAINT, 'utf8')) as { kind: string; metadata: { name: string }; spec: { match: unknown; parameters: { registries: unknown } } };
  const library = loadPolicyLibrary().constraints.find((c) => c.kind === 'PlatformAllowedRegistries') as { metadata: { name: string }; spec: { match: unknown } };

  test('THEN it replaces the library constraint of the same name and match, allowing that registry alone', () => {
    expect([fixture.kind, fixture.metadata.name, fixture.spec.match]).toEqual(['PlatformAllowedRegistries', library.metadata.name, library.spec.match]);
    expect(fixture.spec.parameters.registries).toEqual([{ host: 'public.ecr.aws', path: 'example' }]);
  });

  test('WHEN a hardened workload pulls from elsewhere on the same host THEN allowed-registries still flags it', () => {
    const elsewhere = synth((c) => new HardenedDeployment(c, 'api', { containers: [{ ...container, image: 'public.ecr.aws/other/api:1.4.2' }] }));
    expect(policyViolations(elsewhere).map((v) => v.split(': ')[1])).toEqual(['allowed-registries']);
  });
});

describe("GIVEN the examples' tenants (test/fixtures/example-tenant-ingress-constraints.yaml)", () => {
  const items = (load(fs.readFileSync(EXAMPLE_TENANT_INGRESS_CONSTRAINTS, 'utf8')) as { items: { kind: string; metadata: { name: string }; spec: { match: unknown; parameters: { namespaces: unknown } } }[] }).items;
  const library = loadPolicyLibrary().constraints.filter((c) => INGRESS_POLICIES.has((c.metadata as { name: string }).name)) as { kind: string; metadata: { name: string }; spec: { match: unknown } }[];
  const byName = <T extends { metadata: { name: string } }>(xs: T[]): T[] => [...xs].sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : 1));

  test('THEN they replace the four ingress constraints of the library, same kind, name and match, with what the model gives those tenants', () => {
    expect(byName(items).map((c) => [c.kind, c.metadata.name, c.spec.match])).toEqual(byName(library).map((c) => [c.kind, c.metadata.name, c.spec.match]));
    const tenants = ingressPolicyNamespaces({
      addons: { ingress: true },
      tenants: [
        { name: 'payments', ingress: { domains: ['payments.example.com'], internetFacing: true } },
        { name: 'search', ingress: { domains: ['search.example.com'], internetFacing: false } },
      ],
    });
    for (const c of items) expect([c.metadata.name, c.spec.parameters.namespaces]).toEqual([c.metadata.name, tenants]);
  });

  test('WHEN a web service of payments claims a host of search THEN tenant-hosts flags it, and only it', () => {
    const objects = synth((c) => new HardenedWebService(c, 'shop', {
      ingress: { domains: ['search.example.com'], internal: { ingressClassName: 'alb-internal-payments', subnetCidrs: ['10.20.96.0/19'] } },
      hosts: ['shop.search.example.com'],
      containers: [{ ...container, ports: [{ name: 'http', number: 8080 }, { name: 'metrics', number: 9090 }], readiness: kplus.Probe.fromHttpGet('/ready', { port: 8080 }) }],
    }));
    expect(policyViolations(objects).filter((v) => v.startsWith('Ingress/'))).toEqual([
      "Ingress/shop: tenant-hosts: Ingress payments/shop claims host(s) outside namespace payments's domains: shop.search.example.com (allowed: payments.example.com and <name>.payments.example.com)",
    ]);
  });
});

/** The dev stack under mocks: what differs from prod, and that dev's weakening is reported, not hidden. */
import { ADDON_VERSIONS } from '../../model/versions';
import { parseStackConfig } from '../../lib/config/load';
import { evaluatePosture } from '../../lib/posture';
import { versionFindings } from '../../lib/versions/findings';
import type { ProgramRun } from '../../lib/run-program';
import { expectFormerUrnsKept } from '../helpers/aliases';
import { ofType, runStack, single, stackConfig } from '../helpers/pulumi';
import { helmRelease, helmReleases, kubernetesProvider, kubernetesResources, missingDependencies, objectName, objectsOfKind } from '../helpers/wiring';

let run: ProgramRun;
beforeAll(async () => {
  run = await runStack('dev');
});

describe('dev stack', () => {
  it('GIVEN dev WHEN planned THEN the cluster runs 1.35 with secrets encryption and all five log types (30 days)', () => {
    const cluster = single(run, 'aws:eks/cluster:Cluster');
    expect(cluster.props.version).toBe('1.35');
    expect((cluster.props.encryptionConfig as { resources: string[] }).resources).toEqual(['secrets']);
    expect(cluster.props.enabledClusterLogTypes).toEqual(['api', 'audit', 'authenticator', 'controllerManager', 'scheduler']);
    const group = ofType(run, 'aws:cloudwatch/logGroup:LogGroup').find((g) => g.props.name === '/aws/eks/platform-dev/cluster')!;
    expect(group.props.retentionInDays).toBe(30);
  });

  it('GIVEN dev WHEN planned THEN the public endpoint is on but allowlisted, the private one on, no deletion protection', () => {
    const cluster = single(run, 'aws:eks/cluster:Cluster');
    expect(cluster.props.vpcConfig).toMatchObject({ endpointPrivateAccess: true, endpointPublicAccess: true, publicAccessCidrs: ['203.0.113.0/24'] });
    expect(cluster.props.deletionProtection).toBe(false);
  });

  it('GIVEN natGateways single WHEN planned THEN one NAT gateway serves the private subnets of all three AZs', () => {
    const [nat] = ofType(run, 'aws:ec2/natGateway:NatGateway');
    expect(ofType(run, 'aws:ec2/natGateway:NatGateway')).toHaveLength(1);
    const privateRoutes = ofType(run, 'aws:ec2/routeTable:RouteTable').filter((t) => t.name.startsWith('network-private-'));
    expect(privateRoutes.map((t) => (t.props.routes as { natGatewayId: string }[])[0].natGatewayId)).toEqual([nat.id, nat.id, nat.id]);
    const azs = ofType(run, 'aws:ec2/subnet:Subnet').map((s) => s.props.availabilityZone);
    expect(new Set(azs).size).toBe(3);
  });

  it('GIVEN dev WHEN planned THEN the launch template is as hardened as prod, with the dev disk size', () => {
    const lt = single(run, 'aws:ec2/launchTemplate:LaunchTemplate');
    expect(lt.props.metadataOptions).toMatchObject({ httpTokens: 'required', httpPutResponseHopLimit: 1 });
    expect(lt.props.blockDeviceMappings).toEqual([expect.objectContaining({ ebs: expect.objectContaining({ volumeSize: 50, encrypted: 'true', volumeType: 'gp3' }) })]);
    expect(single(run, 'aws:eks/nodeGroup:NodeGroup').props.scalingConfig).toEqual({ minSize: 2, desiredSize: 2, maxSize: 4 });
  });

  it('GIVEN Kubernetes 1.35 WHEN planned THEN add-ons run the 1.35 pins and the system nodes the stack version', () => {
    const versions = Object.fromEntries(ofType(run, 'aws:eks/addon:Addon').map((a) => [a.props.addonName, a.props.addonVersion]));
    expect(versions).toEqual(ADDON_VERSIONS['1.35']);
    // The EKS user guide's add-on tables (managing-kube-proxy, managing-coredns), 1.35 rows.
    expect(ADDON_VERSIONS['1.35']).toMatchObject({ coredns: 'v1.14.3-eksbuild.3', 'kube-proxy': 'v1.35.3-eksbuild.13' });
    expect(single(run, 'aws:eks/nodeGroup:NodeGroup').props.version).toBe('1.35');
  });

  it('GIVEN the dev inventory WHEN evaluated THEN its three deliberate weakenings are reported, non-blocking, each with its reason', () => {
    const config = parseStackConfig(stackConfig('dev'), 'Pulumi.dev.yaml');
    const findings = evaluatePosture(run.resources, config);
    expect(findings.map((f) => [f.id, f.control, f.severity, f.blocking])).toEqual([
      ['argocd-local-admin', 'CIS EKS 5.5.1', 'medium', false],
      ['eks-public-endpoint', 'CIS EKS 5.4.2', 'medium', false],
      ['gatekeeper-enforcement', 'CIS EKS 4.2.1', 'medium', false],
    ]);
    const message = (id: string) => findings.find((f) => f.id === id)!.message;
    expect(message('eks-public-endpoint')).toMatch(/^public API endpoint is on \(allowlisted: 203\.0\.113\.0\/24\); accepted in dev: .*VPN/);
    expect(message('gatekeeper-enforcement')).toMatch(/^29 of 29 Gatekeeper constraints admit violations \(enforcementAction warn, not deny\); accepted in dev: /);
    expect(message('argocd-local-admin')).toMatch(/local admin user is enabled .*; accepted in dev: .*SSO/);
  });
});

describe('dev: versions', () => {
  it('GIVEN dev as planned WHEN judged on 2026-12-01 THEN there is no version finding; from 2026-12-27 the end of 1.35 standard support shows', () => {
    expect(versionFindings(run.resources, '2026-12-01')).toEqual([]);
    expect(versionFindings(run.resources, '2026-12-27').map((f) => f.id)).toEqual(['k8s-version-support-ending']);
  });
});

describe('dev: platform wiring', () => {
  it('GIVEN dev WHEN planned THEN Gatekeeper runs one replica and its constraints only warn (dev config)', () => {
    const gatekeeper = helmRelease(run, 'gatekeeper');
    expect((gatekeeper.props.values as { replicas: number }).replicas).toBe(1);
    const constraints = kubernetesResources(run).filter((r) => r.type.startsWith('kubernetes:constraints.gatekeeper.sh/'));
    expect(constraints.length).toBeGreaterThanOrEqual(20);
    for (const c of constraints) expect((c.props.spec as { enforcementAction: string }).enforcementAction).toBe('warn');
  });

  it('GIVEN Gatekeeper failing open in dev WHEN planned THEN no release waits directly for another (kube-prometheus-stack waits for the Grafana secret, not a release)', () => {
    const releases = helmReleases(run);
    expect((helmRelease(run, 'gatekeeper').props.values as { validatingWebhookFailurePolicy: string }).validatingWebhookFailurePolicy).toBe('Ignore');
    for (const r of releases) expect({ release: r.name, missing: missingDependencies(r, releases) }).toEqual({ release: r.name, missing: releases.filter((o) => o !== r).map((o) => `${o.type}::${o.name}`) });
  });

  it('GIVEN dev WHEN planned THEN the two dev tenants and every add-on are applied through the one cluster provider', () => {
    expect(helmReleases(run).map((r) => r.props.name).sort()).toEqual([
      'argocd', 'aws-load-balancer-controller', 'external-dns', 'external-secrets', 'gatekeeper', 'karpenter', 'kube-prometheus-stack', 'x509-certificate-exporter',
    ]);
    const tenants = objectsOfKind(run, 'Namespace').filter((n) => (n.props.metadata as { labels: Record<string, string> }).labels['pod-security.kubernetes.io/enforce'] === 'restricted').map(objectName);
    expect(tenants).toEqual(expect.arrayContaining(['payments', 'search']));
    const provider = kubernetesProvider(run);
    expect(new Set(kubernetesResources(run).map((r) => r.provider))).toEqual(new Set([`${provider.urn}::${provider.id}`]));
  });
});

describe('dev: stacks created before #14', () => {
  it('GIVEN the URNs such a stack holds WHEN the program runs THEN each is reached once, by its own URN or by an alias, and no alias points elsewhere', () => {
    expectFormerUrnsKept(run, 'dev', 242, 65);
  });
});

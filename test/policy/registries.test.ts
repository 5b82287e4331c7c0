/**
 * Allowed registries per stack: `platform:registries` (default: the account's ECR in the stack's
 * region) plus the add-ons' images, in the constraint the gatekeeper chart deploys and in what
 * `platform check --stack` evaluates.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseStackConfig } from '../../lib/config/load';
import { ADDON_IMAGES, addonRegistries, parseRegistry, stackRegistries } from '../../charts/gatekeeper/registries';
import { stackConstraints } from '../../charts/gatekeeper/chart';
import { HELM_RELEASES } from '../../charts/releases';
import { sampleWebTenants } from '../../charts/tenants/sample-web';
import {
  ARGOCD_CHART,
  AWS_LOAD_BALANCER_CONTROLLER_CHART,
  EXTERNAL_DNS_CHART,
  EXTERNAL_SECRETS_CHART,
  KARPENTER_CHART,
  KUBE_PROMETHEUS_STACK_CHART,
  X509_CERTIFICATE_EXPORTER_CHART,
} from '../../charts/versions';
import { checkManifests } from '../../lib/policy/check';
import { loadPolicyLibrary } from '../../lib/policy/library';
import { platform } from '../helpers/cli';
import { userErrorMessage } from '../helpers/errors';
import { stackConfig } from '../helpers/pulumi';
import { HARDENED_POD_SPEC } from './fixtures';

const configWith = (stack: 'dev' | 'prod', extra: Record<string, unknown>) => parseStackConfig({ ...stackConfig(stack), ...extra }, `Pulumi.${stack}.yaml`);

describe('allowed registries per stack', () => {
  it('GIVEN no platform:registries THEN the stack allows its account ECR in its region first, then each add-on image exactly, then the sample web service a tenant runs', () => {
    const config = configWith('prod', {});
    const registries = stackRegistries(config);
    expect(registries[0]).toEqual({ host: `${config.accountId}.dkr.ecr.${config.region}.amazonaws.com` });
    // Prod enables every add-on, and runs the sample (podinfo, ghcr.io/stefanprodan/podinfo:6.14.1) for the search tenant.
    expect(sampleWebTenants(config).map((t) => t.name)).toEqual(['search']);
    expect(registries.slice(1)).toEqual([...addonRegistries(), { host: 'ghcr.io', path: 'stefanprodan/podinfo' }]);
    expect(registries).toContainEqual({ host: 'public.ecr.aws', path: 'karpenter/controller' });
    // Never a whole public registry: every add-on entry names its repository.
    expect(registries.slice(1).every((r) => r.path !== undefined && r.path.includes('/'))).toBe(true);
  });

  it('GIVEN platform:registries THEN it replaces the account ECR default; disabled add-ons bring no registries', () => {
    expect(['localhost', 'localhost:5000/team', 'registry.local:5000', '*.corp.example.com'].map((r) => parseRegistry(r))).toEqual([{ host: 'localhost' }, { host: 'localhost:5000', path: 'team' }, { host: 'registry.local:5000' }, { host: '*.corp.example.com' }]);
    const config = configWith('dev', { 'platform:registries': ['*.corp.example.com', 'registry.local:5000/team-a'], 'platform:addons': { gatekeeper: true, argocd: false, monitoring: false, externalSecrets: false, karpenter: true } });
    expect(stackRegistries(config)).toEqual([{ host: '*.corp.example.com' }, { host: 'registry.local:5000', path: 'team-a' }, { host: 'public.ecr.aws', path: 'karpenter/controller' }]);
  });

  it.each([
    ['https://registry.example.com', 'platform:registries[0]'],
    ['registry.example.com/', 'platform:registries[0]'],
    ['*registry.example.com', 'platform:registries[0]'],
    // A single name is a Docker Hub organisation to the runtime, never a registry.
    ['myregistry', 'platform:registries[0]'],
  ])('GIVEN platform:registries [%j] THEN one line names the key and what is accepted', (bad, key) => {
    const message = userErrorMessage(() => configWith('dev', { 'platform:registries': [bad] }));
    expect(message).toContain(`${key}`);
    expect(message).toContain('123456789012.dkr.ecr.eu-west-1.amazonaws.com');
    expect(() => parseRegistry(bad)).toThrow(/is not a registry/);
  });

  it('GIVEN the add-on image list THEN it was read at the pinned chart versions (a bump must re-read it)', () => {
    const readAt = Object.fromEntries(ADDON_IMAGES.map((a) => [a.release, a.readAt]));
    expect(readAt).toEqual({
      argocd: `argo-cd-${ARGOCD_CHART.version}`,
      'external-secrets': `helm-chart-${EXTERNAL_SECRETS_CHART.version}`,
      karpenter: `v${KARPENTER_CHART.version}`,
      'kube-prometheus-stack': `kube-prometheus-stack-${KUBE_PROMETHEUS_STACK_CHART.version}`,
      'aws-load-balancer-controller': `v${AWS_LOAD_BALANCER_CONTROLLER_CHART.version}`,
      'external-dns': `external-dns-helm-chart-${EXTERNAL_DNS_CHART.version}`,
      'x509-certificate-exporter': `v${X509_CERTIFICATE_EXPORTER_CHART.version}`,
    });
    // One entry per release the platform installs from a chart with images the constraints review (all but Gatekeeper's).
    expect(ADDON_IMAGES.map((a) => a.release).sort()).toEqual(HELM_RELEASES.filter((r) => r.name !== 'gatekeeper').map((r) => r.name).sort());
  });

  it("GIVEN the library's own constraint THEN its default registries are exactly the add-ons' (no bare registry prefixes)", () => {
    const constraint = loadPolicyLibrary().constraints.find((c) => c.kind === 'PlatformAllowedRegistries') as { spec: { parameters: { registries: unknown } } };
    expect(constraint.spec.parameters.registries).toEqual(addonRegistries());
  });

  it("GIVEN a stack THEN the deployed constraint carries the stack's registries and enforcement action", () => {
    for (const stack of ['dev', 'prod'] as const) {
      const config = configWith(stack, {});
      const constraint = stackConstraints(config, loadPolicyLibrary()).find((c) => c.kind === 'PlatformAllowedRegistries') as { spec: { enforcementAction: string; parameters: { registries: unknown } } };
      expect([stack, constraint.spec.enforcementAction, constraint.spec.parameters.registries]).toEqual([stack, config.gatekeeper.enforcementAction, stackRegistries(config)]);
    }
  });
});

describe('platform check --stack (CLI)', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'check-stack-'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  const pod = (image: string) => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'app', namespace: 'apps', labels: { 'app.kubernetes.io/name': 'app' } },
    spec: { ...HARDENED_POD_SPEC, containers: (HARDENED_POD_SPEC.containers as Record<string, unknown>[]).map((c) => ({ ...c, image })) },
  });

  it("GIVEN an image from prod's account ECR and one from a lookalike host WHEN checked with --stack prod THEN only the lookalike is denied; without --stack both are (the library knows no account)", () => {
    const config = configWith('prod', {});
    const own = path.join(dir, 'own.json');
    const evil = path.join(dir, 'evil.json');
    fs.writeFileSync(own, JSON.stringify(pod(`${config.accountId}.dkr.ecr.${config.region}.amazonaws.com/team/app:1.0.0`)));
    fs.writeFileSync(evil, JSON.stringify(pod(`${config.accountId}.dkr.ecr.${config.region}.amazonaws.com.attacker.example/app:1.0.0`)));
    const r = platform(['check', '--stack', 'prod', own, evil]);
    expect(r.status).toBe(1);
    expect(r.stdout.trim().split('\n')).toEqual([expect.stringMatching(new RegExp(`^${evil.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: Pod/apps/app: allowed-registries: images must come from an allowed registry \\(${config.accountId}\\.dkr\\.ecr\\.`))]);
    expect(checkManifests([own]).violations.map((v) => [v.file, v.constraint])).toEqual([[own, 'allowed-registries']]);
  });

  it("GIVEN dev (enforcementAction warn) WHEN a disallowed image is checked with dev's constraints THEN it is a warn violation naming the image", () => {
    const file = path.join(dir, 'hub.json');
    fs.writeFileSync(file, JSON.stringify(pod('nginx:1.27')));
    const result = checkManifests([file], { stackConstraints: { where: 'dev', constraints: stackConstraints(configWith('dev', {}), loadPolicyLibrary()) } });
    expect(result.violations.map((v) => [v.constraint, v.enforcementAction])).toEqual([['allowed-registries', 'warn']]);
    expect(result.violations[0].message).toMatch(/: web \(nginx:1\.27\)$/);
  });
});

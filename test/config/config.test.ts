import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadStackConfigFromRuntime, parseStackConfig, readStackConfigFile, readStackConfigFileRaw } from '../../lib/config/load';
import { userErrorMessage } from '../helpers/errors';
import { toRuntimeConfig } from '../../lib/run-program';
import { REPO, stackConfig } from '../helpers/pulumi';

/** The one-line message parseStackConfig throws for `raw`, or fails the test when it accepts it. */
function errorFor(raw: Record<string, unknown>): string {
  return userErrorMessage(() => parseStackConfig(raw, 'Pulumi.test.yaml'));
}

const dev = () => stackConfig('dev');
const prod = () => stackConfig('prod');
const network = (raw: Record<string, unknown>) => raw['platform:network'] as Record<string, unknown>;

describe('GIVEN the repository stack files', () => {
  it('THEN dev validates into the documented dev posture', () => {
    const config = readStackConfigFile(path.join(REPO, 'Pulumi.dev.yaml'));
    expect(config.environment).toBe('dev');
    expect(config.region).toBe('eu-west-1');
    expect(config.network.availabilityZones).toEqual(['eu-west-1a', 'eu-west-1b', 'eu-west-1c']);
    expect(config.network.natGateways).toBe('single');
    expect(config.endpoint).toEqual({ publicAccess: true, publicAccessCidrs: ['203.0.113.0/24'], privateAccessCidrs: [] });
    expect(config.gatekeeper.enforcementAction).toBe('warn');
    expect(config.tenants.map((t) => t.name)).toEqual(['payments', 'search']);
  });

  it('THEN a cluster name of 32 characters, the longest whose EventBridge rule names fit 64, is accepted', () => {
    expect(parseStackConfig({ ...dev(), 'platform:clusterName': `p${'a'.repeat(31)}` }, 'Pulumi.test.yaml').clusterName).toHaveLength(32);
  });

  it('THEN prod validates into the hardened prod posture', () => {
    const config = readStackConfigFile(path.join(REPO, 'Pulumi.prod.yaml'));
    expect(config.environment).toBe('prod');
    expect(config.network.natGateways).toBe('perAz');
    expect(config.endpoint).toEqual({ publicAccess: false, publicAccessCidrs: [], privateAccessCidrs: ['10.100.0.0/16'] });
    expect(config.logging.controlPlaneLogTypes).toEqual(['api', 'audit', 'authenticator', 'controllerManager', 'scheduler']);
    expect(config.encryption.secrets).toBe(true);
    expect(config.argocd.adminEnabled).toBe(false);
    expect(config.systemNodeGroup).toEqual({ instanceTypes: ['m6i.xlarge', 'm6a.xlarge', 'm7i.xlarge'], minSize: 3, desiredSize: 3, maxSize: 6, diskSizeGiB: 100 });
  });

  it('THEN the validated object is frozen all the way down', () => {
    const config = readStackConfigFile(path.join(REPO, 'Pulumi.prod.yaml'));
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.network.availabilityZones)).toBe(true);
    expect(Object.isFrozen(config.tenants[0].quota)).toBe(true);
  });

  it('THEN no stack file holds a plaintext or encrypted secret', () => {
    for (const stack of ['dev', 'prod']) {
      const text = fs.readFileSync(path.join(REPO, `Pulumi.${stack}.yaml`), 'utf8');
      expect(text).not.toMatch(/secure:|password|token|secretKey/i);
    }
  });
});

describe('GIVEN config as the Pulumi runtime hands it over (strings, structured values as JSON)', () => {
  it('THEN it validates to the same object as the file', () => {
    const fromFile = readStackConfigFile(path.join(REPO, 'Pulumi.prod.yaml'));
    const fromRuntime = loadStackConfigFromRuntime(toRuntimeConfig(prod()), 'prod');
    expect(fromRuntime).toEqual(fromFile);
  });

  it('THEN top-level booleans and numbers given as strings are accepted', () => {
    const raw = { ...dev(), 'platform:addons': JSON.stringify({ gatekeeper: 'false' }) };
    const config = loadStackConfigFromRuntime(toRuntimeConfig(raw), 'dev');
    expect(config.addons.gatekeeper).toBe(false);
    expect(config.addons.argocd).toBe(true);
  });
});

describe('GIVEN a config with a mistake, WHEN it is validated, THEN one line names the key, the value and what is accepted', () => {
  it.each([
    ['an unknown top-level key', { 'platform:clusterNme': 'x' }, /^Pulumi\.test\.yaml: platform:clusterNme: unknown key \(did you mean clusterName\? accepted: environment, accountId, clusterName/],
    ['an unknown nested key', { 'platform:network': { ...network(dev()), natGateway: 'single' } }, /platform:network\.natGateway: unknown key \(did you mean natGateways\?/],
    ['an unknown namespace', { 'platfrom:clusterName': 'x' }, /platfrom:clusterName: unknown config namespace 'platfrom'/],
    ['region under the project namespace', { 'platform:region': 'eu-west-1' }, /platform:region: unknown key \(set the region as aws:region\)/],
    ['a wrong type', { 'platform:systemNodeGroup': { instanceTypes: ['m6i.large'], minSize: 'two', desiredSize: 2, maxSize: 3 } }, /platform:systemNodeGroup\.minSize: expected a whole number from 1 to 100 \(got "two"\)/],
    ['an invalid CIDR', { 'platform:network': { ...network(dev()), vpcCidr: '10.0.0.0/33' } }, /platform:network\.vpcCidr: invalid CIDR .* \(got "10\.0\.0\.0\/33"\)/],
    ['a CIDR with host bits', { 'platform:network': { ...network(dev()), vpcCidr: '10.0.1.0/16' } }, /platform:network\.vpcCidr: host bits are set \(did you mean 10\.0\.0\.0\/16\?\) \(got "10\.0\.1\.0\/16"\)/],
    ['a VPC too small', { 'platform:network': { ...network(dev()), vpcCidr: '10.0.0.0/24' } }, /vpcCidr: prefix \/24 is out of range \(accepted: \/16 to \/20\)/],
    ['an unsupported Kubernetes version', { 'platform:kubernetesVersion': '1.29' }, /platform:kubernetesVersion: expected one of 1\.35, 1\.36 .*\(got "1\.29"\)/],
    ['a Kubernetes version YAML read as a number', { 'platform:kubernetesVersion': 1.3 }, /quote it in YAML.*\(got 1\.3\)/],
    ['minSize above maxSize', { 'platform:systemNodeGroup': { instanceTypes: ['m6i.large'], minSize: 5, desiredSize: 5, maxSize: 4 } }, /platform:systemNodeGroup\.minSize: must not exceed maxSize \(4\) \(got 5\)/],
    ['desiredSize outside min..max', { 'platform:systemNodeGroup': { instanceTypes: ['m6i.large'], minSize: 2, desiredSize: 9, maxSize: 4 } }, /desiredSize: must lie between minSize \(2\) and maxSize \(4\) \(got 9\)/],
    ['a single AZ', { 'platform:network': { ...network(dev()), availabilityZones: ['eu-west-1a'] } }, /availabilityZones: expected 2 to 6 availability zones/],
    ['an AZ outside the region', { 'platform:network': { ...network(dev()), availabilityZones: ['eu-west-1a', 'us-east-1b'] } }, /availabilityZones\[1\]: is not in region eu-west-1 \(got "us-east-1b"\)/],
    ['repeated AZs', { 'platform:network': { ...network(dev()), availabilityZones: ['eu-west-1a', 'eu-west-1a'] } }, /availabilityZones: availability zones must be distinct/],
    ['a bad account id', { 'platform:accountId': '1234' }, /platform:accountId: expected a 12-digit AWS account id \(got "1234"\)/],
    ['a bad admin ARN', { 'platform:adminPrincipals': ['admin'] }, /platform:adminPrincipals\[0\]: expected an IAM role or user ARN/],
    ['no admin principal', { 'platform:adminPrincipals': [] }, /platform:adminPrincipals: expected at least one IAM principal ARN/],
    ['a public endpoint without allowlist', { 'platform:endpoint': { publicAccess: true } }, /platform:endpoint\.publicAccessCidrs: must list the networks allowed/],
    ['an allowlist without public access', { 'platform:endpoint': { publicAccess: false, publicAccessCidrs: ['203.0.113.0/24'] } }, /publicAccessCidrs: is set but publicAccess is false/],
    ['an allowlist overlapping the VPC', { 'platform:endpoint': { publicAccess: true, publicAccessCidrs: ['10.20.5.0/24'] } }, /publicAccessCidrs\[0\]: overlaps the VPC range 10\.20\.0\.0\/16/],
    ['a reserved tenant name', { 'platform:tenants': [{ name: 'kube-system', teamGroup: 'x' }] }, /platform:tenants\[0\]\.name: is reserved for the platform/],
    // Every add-on namespace is reserved, node-exporter's privileged one included (model/namespaces.ts derives the list).
    ['the node-exporter namespace as a tenant', { 'platform:tenants': [{ name: 'node-exporter', teamGroup: 'x' }] }, /platform:tenants\[0\]\.name: is reserved for the platform \(reserved: default, kube-system, kube-public, kube-node-lease, gatekeeper-system, argocd, monitoring, node-exporter, .*\) \(got "node-exporter"\)/],
    ['a duplicate tenant', { 'platform:tenants': [{ name: 'a1', teamGroup: 'x' }, { name: 'a1', teamGroup: 'y' }] }, /platform:tenants\[1\]\.name: is used by another tenant/],
    ['a tenant name that is no DNS label', { 'platform:tenants': [{ name: 'Team_A', teamGroup: 'x' }] }, /platform:tenants\[0\]\.name: expected a DNS label .* \(got "Team_A"\)/],
    ['a bad log retention', { 'platform:logging': { retentionDays: 42 } }, /platform:logging\.retentionDays: expected one of 1, 3, 5/],
    ['an unknown log type', { 'platform:logging': { controlPlaneLogTypes: ['api', 'everything'] } }, /platform:logging\.controlPlaneLogTypes\[1\]: expected log types from api, audit/],
    ['gitops without a repository', { 'platform:delivery': { mode: 'gitops' } }, /platform:delivery\.repoURL: is required when mode is gitops/],
    ['a bad enforcement action', { 'platform:gatekeeper': { enforcementAction: 'block' } }, /platform:gatekeeper\.enforcementAction: expected deny, warn or dryrun \(got "block"\)/],
    ['a missing required key', { 'platform:clusterName': undefined }, /platform:clusterName: missing \(expected a name of 3-32 lowercase letters/],
    // 33 characters: `<name>-karpenter-instance-state-change` would pass EventBridge's 64-character rule names (model/names.ts).
    ['a cluster name one character too long', { 'platform:clusterName': `p${'a'.repeat(32)}` }, /^.*platform:clusterName: expected a name of 3-32 lowercase letters, digits or -, starting with a letter \(got "pa{32}"\)$/],
  ])('%s', (_what, change, expected) => {
    const raw: Record<string, unknown> = { ...dev(), ...change };
    for (const [k, v] of Object.entries(raw)) if (v === undefined) delete raw[k];
    const message = errorFor(raw);
    expect(message).toMatch(expected);
    expect(message).not.toContain('\n');
  });

  it('missing aws:region', () => {
    const raw = dev();
    delete raw['aws:region'];
    expect(errorFor(raw)).toBe('Pulumi.test.yaml: aws:region: missing (expected an AWS region like eu-west-1)');
  });
});

describe('GIVEN prod, WHEN a setting would weaken the platform, THEN the config is refused', () => {
  it.each([
    ['public endpoint open to the internet', { 'platform:endpoint': { publicAccess: true, publicAccessCidrs: ['0.0.0.0/0'] } }, /platform:endpoint\.publicAccessCidrs\[0\]: opens the prod API endpoint to the whole internet \(.*\) \(got "0\.0\.0\.0\/0"\)/],
    ['secrets encryption off', { 'platform:encryption': { secrets: false } }, /platform:encryption\.secrets: must be true in prod .*CIS EKS 5\.3\.1/],
    ['a control-plane log type off', { 'platform:logging': { controlPlaneLogTypes: ['api', 'audit'], retentionDays: 365 } }, /platform:logging\.controlPlaneLogTypes: must include all five log types in prod \(missing: authenticator, controllerManager, scheduler/],
    ['Argo CD admin user on', { 'platform:argocd': { ha: true, adminEnabled: true } }, /platform:argocd\.adminEnabled: must be false in prod/],
    ['Gatekeeper not denying', { 'platform:gatekeeper': { enforcementAction: 'dryrun' } }, /platform:gatekeeper\.enforcementAction: must be deny in prod \(warn and dryrun are for dev\) \(got "dryrun"\)/],
  ])('%s', (_what, change, expected) => {
    expect(errorFor({ ...prod(), ...change })).toMatch(expected);
  });

  it('THEN dev may use the same settings (they surface as posture findings instead)', () => {
    const config = parseStackConfig({ ...dev(), 'platform:encryption': { secrets: false }, 'platform:endpoint': { publicAccess: true, publicAccessCidrs: ['0.0.0.0/0'] } }, 'dev');
    expect(config.encryption.secrets).toBe(false);
    expect(config.endpoint.publicAccessCidrs).toEqual(['0.0.0.0/0']);
  });
});

describe('GIVEN a stack config file that cannot be read as config', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'platform-config-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const write = (name: string, content: string) => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, content);
    return file;
  };
  const readError = (file: string) => userErrorMessage(() => readStackConfigFileRaw(file));

  it.each([
    ['a missing file', () => path.join(dir, 'absent.yaml'), /absent\.yaml: no such file/],
    ['an empty file', () => write('empty.yaml', ''), /empty\.yaml: file is empty \(expected a top-level 'config:' map\)/],
    ['a YAML syntax error', () => write('syntax.yaml', 'config:\n  platform:x: [1\n'), /syntax\.yaml: YAML syntax error at line 3, column 1: /],
    ['a duplicate key', () => write('dup.yaml', 'config:\n  a: 1\n  a: 2\n'), /dup\.yaml: YAML syntax error at line 3, column 3: Map keys must be unique/],
    ['a list at the top', () => write('list.yaml', '- a\n'), /list\.yaml: top level is a list \(expected a map with a 'config:' key\)/],
    ['no config key', () => write('noconfig.yaml', 'encryptionsalt: abc\n'), /noconfig\.yaml: config: missing/],
    ['an unknown top-level key', () => write('top.yaml', 'confg:\n  a: 1\n'), /top\.yaml: confg: unknown top-level key \(accepted: config, /],
    ['a directory', () => dir, /is a directory/],
  ])('%s', (_what, file, expected) => {
    const message = readError(file());
    expect(message).toMatch(expected);
    expect(message).not.toContain('\n');
  });
});

/** Stack config for the first deploy: AWS provider settings, combinations that cannot work. */
import { parseClusterStackConfig, parseStackConfig } from '../../lib/config/load';
import { buildKubeconfig } from '../../infra/kubeconfig';
import { deployerIdentity } from '../../infra/main';
import { userErrorMessage } from '../helpers/errors';
import { stackConfig } from '../helpers/pulumi';

const errorFor = (raw: Record<string, unknown>) => userErrorMessage(() => parseStackConfig(raw, 'Pulumi.test.yaml'));
const ROLE = 'arn:aws:iam::111122223333:role/platform-deployer';

describe('aws: settings forwarded to the explicit AWS provider', () => {
  it('GIVEN a profile and one role WHEN validated THEN both reach the config, and get-token uses them like the provider does', () => {
    const config = parseStackConfig(stackConfig('dev', { 'aws:profile': 'platform-dev', 'aws:assumeRoles': [{ roleArn: ROLE, sessionName: 'pulumi' }] }), 'Pulumi.dev.yaml');
    expect(config.aws).toEqual({ profile: 'platform-dev', assumeRoles: [{ roleArn: ROLE, sessionName: 'pulumi' }] });
    const kubeconfig = buildKubeconfig({ clusterName: 'c', endpoint: 'https://e', certificateAuthorityData: 'ca', region: 'eu-west-1', ...deployerIdentity(config) });
    const args = (kubeconfig.users as { user: { exec: { args: string[] } } }[])[0].user.exec.args;
    expect(args).toEqual(['eks', 'get-token', '--cluster-name', 'c', '--region', 'eu-west-1', '--role-arn', ROLE, '--profile', 'platform-dev', '--output', 'json']);
  });

  it('GIVEN the runtime form (JSON text) WHEN validated THEN assumeRoles is read the same way', () => {
    const config = parseStackConfig(stackConfig('dev', { 'aws:assumeRoles': JSON.stringify([{ roleArn: ROLE }]) }), 'Pulumi.dev.yaml');
    expect(config.aws.assumeRoles).toEqual([{ roleArn: ROLE }]);
  });

  it('GIVEN a key the explicit provider would silently ignore WHEN validated THEN it is refused, naming the accepted keys', () => {
    expect(errorFor(stackConfig('dev', { 'aws:skipMetadataApiCheck': true }))).toBe(
      'Pulumi.test.yaml: aws:skipMetadataApiCheck: unknown key (accepted: aws:region, aws:profile, aws:assumeRoles, aws:allowedAccountIds, aws:sharedConfigFiles, aws:sharedCredentialsFiles; the program builds its own AWS provider and forwards only these)',
    );
  });

  it('GIVEN static keys in the stack file WHEN validated THEN they are refused without echoing the value', () => {
    const message = errorFor(stackConfig('dev', { 'aws:secretKey': 'wJalrXUtnFEMI/K7MDENG' }));
    expect(message).toBe('Pulumi.test.yaml: aws:secretKey: static credentials are not read from stack config (use aws:profile, aws:assumeRoles or credentials from the environment)');
  });

  it('GIVEN two chained roles or another account WHEN validated THEN the one line names the key', () => {
    expect(errorFor(stackConfig('dev', { 'aws:assumeRoles': [{ roleArn: ROLE }, { roleArn: ROLE }] }))).toMatch(/^Pulumi\.test\.yaml: aws:assumeRoles: expected at most one role/);
    expect(errorFor(stackConfig('dev', { 'aws:assumeRoles': [{ roleArn: 'arn:aws:iam::1:role/x' }] }))).toMatch(/^Pulumi\.test\.yaml: aws:assumeRoles\[0\]\.roleArn: expected an IAM role ARN/);
    expect(errorFor(stackConfig('dev', { 'aws:allowedAccountIds': ['999999999999'] }))).toBe(
      'Pulumi.test.yaml: aws:allowedAccountIds: must be [111122223333] (platform:accountId) or left out: the program allows only that account (got ["999999999999"])',
    );
    expect(errorFor(stackConfig('dev', { 'platform:aws': { profile: 'x' } }))).toMatch(/platform:aws: unknown key \(set AWS provider settings as aws:<key>/);
  });
});

describe('add-on combinations', () => {
  it('GIVEN monitoring without External Secrets WHEN validated THEN it is refused (Grafana\'s admin Secret would never exist)', () => {
    const addons = { gatekeeper: true, argocd: true, monitoring: true, externalSecrets: false, karpenter: true };
    expect(errorFor(stackConfig('dev', { 'platform:addons': addons }))).toMatch(/^Pulumi\.test\.yaml: platform:addons\.externalSecrets: must be true when monitoring is on/);
  });
});

describe('the deployer\'s way to a private endpoint', () => {
  const prodWith = (overrides: Record<string, unknown>) => stackConfig('prod', overrides);
  const endpoint = (e: Record<string, unknown>) => ({ 'platform:endpoint': { publicAccess: false, ...e } });
  const network = (n: Record<string, unknown>) => ({ 'platform:network': { ...(stackConfig('prod')['platform:network'] as object), ...n } });

  it('GIVEN a private-only endpoint and no deployer network WHEN validated THEN it is refused (nothing could apply the in-cluster half)', () => {
    expect(errorFor(prodWith(endpoint({})))).toMatch(/^Pulumi\.test\.yaml: platform:endpoint\.privateAccessCidrs: must list the networks the in-cluster half is applied from when the endpoint is private only/);
  });

  it('GIVEN a deployer network outside the VPC and no transit gateway WHEN validated THEN the entry is named: no route leads there', () => {
    const raw = prodWith({ ...endpoint({ privateAccessCidrs: ['10.40.8.0/24', '192.168.0.0/16'] }), ...network({ transitGatewayId: undefined }) });
    expect(errorFor(raw)).toBe(
      'Pulumi.test.yaml: platform:endpoint.privateAccessCidrs[1]: is outside the VPC 10.40.0.0/16 and nothing routes there (set platform:network.transitGatewayId to route it through your transit gateway) (got "192.168.0.0/16")',
    );
  });

  it('GIVEN in-VPC deployers only and the in-cluster half in the same stack WHEN validated THEN inClusterStack must be separate', () => {
    const raw = prodWith({ ...endpoint({ privateAccessCidrs: ['10.40.8.0/24'] }), ...network({ transitGatewayId: undefined }), 'platform:delivery': { mode: 'pulumi', inClusterStack: 'same' } });
    expect(errorFor(raw)).toMatch(/^Pulumi\.test\.yaml: platform:delivery\.inClusterStack: must be separate when the endpoint is private only and no transit gateway connects the deployer/);
  });

  it('GIVEN a transit gateway WHEN validated THEN outside ranges are accepted, and the same stack may apply the in-cluster half', () => {
    const config = parseStackConfig(prodWith({ 'platform:delivery': { mode: 'pulumi', inClusterStack: 'same' } }), 'Pulumi.prod.yaml');
    expect(config.network.transitGatewayId).toBe('tgw-0a1b2c3d4e5f60718');
    expect(config.endpoint.privateAccessCidrs).toEqual(['10.100.0.0/16']);
    expect(errorFor(prodWith(network({ transitGatewayId: 'tgw-xyz' })))).toMatch(/platform:network\.transitGatewayId: expected a transit gateway id like tgw-0123456789abcdef0/);
    expect(errorFor(prodWith(endpoint({ privateAccessCidrs: ['0.0.0.0/0'] })))).toMatch(/platform:endpoint\.privateAccessCidrs\[0\]: prefix \/0 is out of range/);
  });
});

describe('tenant principals', () => {
  const tenants = () => structuredClone(stackConfig('prod')['platform:tenants']) as Record<string, unknown>[];

  it('GIVEN a principal mapped twice WHEN validated THEN it is refused: EKS keeps one access entry per principal', () => {
    const t = tenants();
    t[1].principals = ['arn:aws:iam::444455556666:role/platform-admin'];
    expect(errorFor(stackConfig('prod', { 'platform:tenants': t }))).toBe(
      'Pulumi.test.yaml: platform:tenants[1].principals[0]: is already mapped by platform:adminPrincipals (EKS allows one access entry per principal) (got "arn:aws:iam::444455556666:role/platform-admin")',
    );
  });

  it('GIVEN a system: group WHEN validated THEN it is refused (reserved by Kubernetes)', () => {
    const t = tenants();
    t[0].teamGroup = 'system:masters';
    expect(errorFor(stackConfig('prod', { 'platform:tenants': t }))).toMatch(/platform:tenants\[0\]\.teamGroup: must not start with system:/);
  });
});

describe('the in-cluster stack file', () => {
  it('GIVEN Pulumi.prod-cluster.yaml WHEN validated THEN it names prod, and platform settings there are refused, pointing to the AWS stack', () => {
    expect(parseClusterStackConfig(stackConfig('prod-cluster'), 'Pulumi.prod-cluster.yaml')).toEqual({ awsStack: 'prod', aws: {} });
    expect(userErrorMessage(() => parseClusterStackConfig({ 'platform:awsStack': 'prod', 'platform:tenants': [] }, 'Pulumi.x.yaml'))).toMatch(
      /^Pulumi\.x\.yaml: platform:tenants: not read by an in-cluster stack \(set it in the AWS stack's file/,
    );
    expect(userErrorMessage(() => parseClusterStackConfig({ 'platform:awsStack': 'a/b' }, 'Pulumi.x.yaml'))).toMatch(/platform:awsStack: expected the AWS stack's name/);
  });
});

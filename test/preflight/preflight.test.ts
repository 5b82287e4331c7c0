/**
 * `platform preflight` against mocked AWS SDK clients (aws-sdk-client-mock): what each check says
 * for a fresh account, a wrong account, throttling, missing permissions and missing credentials.
 */
import { DescribeAddressesCommand, DescribeAvailabilityZonesCommand, DescribeInternetGatewaysCommand, DescribeNatGatewaysCommand, DescribeSubnetsCommand, DescribeTransitGatewaysCommand, DescribeVpcsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { DescribeAddonVersionsCommand, DescribeClusterCommand, EKSClient } from '@aws-sdk/client-eks';
import { GetRoleCommand, GetUserCommand, IAMClient } from '@aws-sdk/client-iam';
import { DescribeSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { GetServiceQuotaCommand, ServiceQuotasClient } from '@aws-sdk/client-service-quotas';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { ADDON_NAMES, ADDON_VERSIONS } from '../../model/versions';
import { type PlatformConfig } from '../../model/config';
import { parseStackConfig } from '../../lib/config/load';
import { AwsCaller, NoCredentialsError, THROTTLE_ATTEMPTS } from '../../lib/preflight/aws';
import { formatPreflight, runPreflight, type CheckLine, type PreflightEnvironment, type PreflightTarget } from '../../lib/preflight';
import { stackConfig } from '../helpers/pulumi';

const sts = mockClient(STSClient);
const ec2 = mockClient(EC2Client);
const iam = mockClient(IAMClient);
const eks = mockClient(EKSClient);
const secrets = mockClient(SecretsManagerClient);
const quotas = mockClient(ServiceQuotasClient);

const awsError = (name: string, message = name) => Object.assign(new Error(message), { name, $metadata: {} });
const options = { region: 'eu-west-1', credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'not-a-secret' } };
const clients = { sts: new STSClient(options), ec2: new EC2Client(options), iam: new IAMClient(options), eks: new EKSClient(options), secrets: new SecretsManagerClient(options), quotas: new ServiceQuotasClient(options) };

let sleeps: number[];
let probes: string[];
function environment(over: Partial<PreflightEnvironment> = {}): PreflightEnvironment {
  return {
    clients,
    caller: new AwsCaller(async (ms) => void sleeps.push(ms)),
    probeTcp: async (host, port) => (probes.push(`${host}:${port}`), true),
    egressIp: async () => '203.0.113.10',
    localAddresses: () => ['192.168.1.20'],
    ...over,
  };
}
const prod = parseStackConfig(stackConfig('prod'), 'Pulumi.prod.yaml');
const dev = parseStackConfig(stackConfig('dev'), 'Pulumi.dev.yaml');
const PROD_ACCOUNT = '444455556666';

/** An account as a fresh one looks: nothing of the stack, the default quotas, the pinned add-ons offered. */
function freshAccount(account: string, adminRole: string, kubernetesVersion: PlatformConfig['kubernetesVersion']) {
  sts.on(GetCallerIdentityCommand).resolves({ Account: account, Arn: `arn:aws:sts::${account}:assumed-role/${adminRole}/alice` });
  ec2.on(DescribeAvailabilityZonesCommand).resolves({ AvailabilityZones: ['a', 'b', 'c'].map((s) => ({ ZoneName: `eu-west-1${s}`, State: 'available', ZoneType: 'availability-zone' })) });
  iam.on(GetRoleCommand).callsFake((input: { RoleName: string }) => {
    if (input.RoleName.startsWith('AWSServiceRoleFor')) throw awsError('NoSuchEntityException');
    return { Role: { RoleName: input.RoleName } };
  });
  iam.on(GetUserCommand).rejects(awsError('NoSuchEntityException'));
  for (const addon of ADDON_NAMES) {
    eks.on(DescribeAddonVersionsCommand, { addonName: addon, kubernetesVersion }).resolves({ addons: [{ addonName: addon, addonVersions: [{ addonVersion: 'v9.9.9-eksbuild.1' }, { addonVersion: ADDON_VERSIONS[kubernetesVersion][addon] }] }] });
  }
  eks.on(DescribeClusterCommand).rejects(awsError('ResourceNotFoundException'));
  secrets.on(DescribeSecretCommand).rejects(awsError('ResourceNotFoundException'));
  quotas.on(GetServiceQuotaCommand).resolves({ Quota: { Value: 5 } });
  ec2.on(DescribeVpcsCommand).resolves({ Vpcs: [{ VpcId: 'vpc-default', Tags: [] }] });
  ec2.on(DescribeInternetGatewaysCommand).resolves({ InternetGateways: [{ InternetGatewayId: 'igw-default' }] });
  ec2.on(DescribeAddressesCommand).resolves({ Addresses: [] });
  ec2.on(DescribeNatGatewaysCommand).resolves({ NatGateways: [] });
  ec2.on(DescribeSubnetsCommand).resolves({ Subnets: [] });
  ec2.on(DescribeTransitGatewaysCommand).resolves({ TransitGateways: [{ TransitGatewayId: 'tgw-0a1b2c3d4e5f60718', State: 'available', OwnerId: '999988887777', Options: { AutoAcceptSharedAttachments: 'enable' } }] });
}

const line = (lines: CheckLine[], check: string) => {
  const found = lines.filter((l) => l.check === check);
  if (found.length !== 1) throw new Error(`expected one line for ${check}, got ${found.length}: ${lines.map((l) => l.check).join(', ')}`);
  return found[0];
};

beforeEach(() => {
  for (const m of [sts, ec2, iam, eks, secrets, quotas]) m.reset();
  sleeps = [];
  probes = [];
});

describe('preflight on a fresh account', () => {
  it('GIVEN the prod AWS stack and a fresh account WHEN checked THEN nothing fails: roles will be created, quotas fit, the endpoint is the in-cluster stack\'s business', async () => {
    freshAccount(PROD_ACCOUNT, 'platform-admin', prod.kubernetesVersion);
    const lines = await runPreflight({ config: prod, stack: 'prod' }, environment());
    expect(lines.filter((l) => l.status === 'FAIL')).toEqual([]);
    expect(line(lines, 'account').message).toBe(`arn:aws:sts::${PROD_ACCOUNT}:assumed-role/platform-admin/alice in ${PROD_ACCOUNT}`);
    expect(line(lines, 'region')).toEqual({ status: 'ok', check: 'region', message: 'eu-west-1: eu-west-1a, eu-west-1b, eu-west-1c available' });
    expect(line(lines, 'service-linked role AWSServiceRoleForEC2Spot').message).toMatch(/^absent; created by EC2 on Karpenter's first spot launch/);
    expect(lines.filter((l) => l.check.startsWith('addon ')).map((l) => l.status)).toEqual(ADDON_NAMES.map(() => 'ok'));
    // Argo CD's OIDC secret comes from the identity provider: the AWS stack's run only warns, with the command.
    const oidc = line(lines, 'secret platform-prod/argocd/oidc');
    expect(oidc.status).toBe('WARN');
    expect(oidc.message).toContain('aws secretsmanager create-secret --region eu-west-1 --name platform-prod/argocd/oidc --kms-key-id alias/platform-prod/secrets --secret-string file://argocd-oidc.json');
    expect(line(lines, 'quota NAT gateways per Availability Zone (eu-west-1c)')).toEqual({ status: 'ok', check: 'quota NAT gateways per Availability Zone (eu-west-1c)', message: '0 used + 1 needed <= 5' });
    expect(line(lines, 'quota EC2-VPC Elastic IPs').message).toBe('0 used + 3 needed <= 5');
    expect(line(lines, 'transit gateway tgw-0a1b2c3d4e5f60718')).toMatchObject({ status: 'ok', message: 'available, shared by 999988887777' });
    expect(line(lines, 'api endpoint').message).toMatch(/^not needed here: the in-cluster stack prod-cluster applies the Kubernetes side/);
    expect(probes).toEqual([]);
    const text = formatPreflight('prod', lines);
    expect(text.trimEnd().split('\n').at(-1)).toMatch(/^preflight: stack prod: \d+ ok, 1 WARN, 0 FAIL$/);
    expect(text).toMatch(/^ok {3}account: /);
  });

  it('GIVEN a pinned add-on version the region does not offer WHEN checked THEN that add-on FAILs, naming the newest offered versions', async () => {
    freshAccount(PROD_ACCOUNT, 'platform-admin', prod.kubernetesVersion);
    eks.on(DescribeAddonVersionsCommand, { addonName: 'coredns' }).resolves({ addons: [{ addonVersions: [{ addonVersion: 'v1.11.9-eksbuild.1' }] }] });
    const lines = await runPreflight({ config: prod, stack: 'prod' }, environment());
    expect(line(lines, 'addon coredns')).toEqual({
      status: 'FAIL',
      check: 'addon coredns',
      message: `${ADDON_VERSIONS[prod.kubernetesVersion].coredns} is not offered for Kubernetes ${prod.kubernetesVersion} in eu-west-1 (offered, newest first: v1.11.9-eksbuild.1); re-pin ADDON_VERSIONS in model/versions.ts`,
    });
  });

  it('GIVEN a full Region WHEN checked THEN the quota FAILs with the request command', async () => {
    freshAccount(PROD_ACCOUNT, 'platform-admin', prod.kubernetesVersion);
    ec2.on(DescribeVpcsCommand).resolves({ Vpcs: Array.from({ length: 5 }, (_, i) => ({ VpcId: `vpc-${i}` })) });
    const lines = await runPreflight({ config: prod, stack: 'prod' }, environment());
    expect(line(lines, 'quota VPCs per Region')).toEqual({
      status: 'FAIL',
      check: 'quota VPCs per Region',
      message: '5 used + 1 needed > 5: free some, or request more: aws service-quotas request-service-quota-increase --region eu-west-1 --service-code vpc --quota-code L-F678F1CE --desired-value 6',
    });
  });

  it('GIVEN a missing admin principal and a Region not enabled WHEN checked THEN each FAILs naming the key', async () => {
    freshAccount(PROD_ACCOUNT, 'platform-admin', prod.kubernetesVersion);
    iam.on(GetRoleCommand, { RoleName: 'platform-breakglass' }).rejects(awsError('NoSuchEntityException'));
    ec2.on(DescribeAvailabilityZonesCommand).rejects(awsError('AuthFailure'));
    const lines = await runPreflight({ config: prod, stack: 'prod' }, environment());
    expect(line(lines, `principal arn:aws:iam::${PROD_ACCOUNT}:role/platform-breakglass`)).toMatchObject({ status: 'FAIL', message: expect.stringMatching(/^platform:adminPrincipals\[1\] does not exist/) });
    expect(line(lines, 'region')).toMatchObject({ status: 'FAIL', message: expect.stringMatching(/^eu-west-1 is not enabled for account 444455556666 \(enable it: aws account enable-region/) });
  });
});

describe('preflight of the secrets the stack creates', () => {
  it('GIVEN a Grafana admin secret the stack did not create WHEN checked THEN FAIL, with the import that adopts it as the program\'s own resource', async () => {
    freshAccount(PROD_ACCOUNT, 'platform-admin', prod.kubernetesVersion);
    const arn = `arn:aws:secretsmanager:eu-west-1:${PROD_ACCOUNT}:secret:platform-prod/monitoring/grafana-admin-AbCdEf`;
    secrets.on(DescribeSecretCommand, { SecretId: 'platform-prod/monitoring/grafana-admin' }).resolves({ ARN: arn, Tags: [] });
    const lines = await runPreflight({ config: prod, stack: 'prod' }, environment());
    // infra/secrets.ts: the secret is `platform-secrets-grafana-admin` under the PlatformSecrets component `platform-secrets`.
    expect(line(lines, 'secret platform-prod/monitoring/grafana-admin')).toEqual({
      status: 'FAIL',
      check: 'secret platform-prod/monitoring/grafana-admin',
      message: `exists but was not created by this stack: pulumi up cannot create it; delete it, or import it (pulumi import aws:secretsmanager/secret:Secret platform-secrets-grafana-admin ${arn} --parent secrets=urn:pulumi:prod::platform::platform:secrets:PlatformSecrets::platform-secrets)`,
    });
  });
});

describe('preflight for the stack that applies the in-cluster half', () => {
  it('GIVEN prod-cluster run by a non-admin, an existing cluster out of reach and no OIDC secret WHEN checked THEN all three FAIL with what to do', async () => {
    freshAccount(PROD_ACCOUNT, 'ci-runner', prod.kubernetesVersion);
    eks.on(DescribeClusterCommand).resolves({ cluster: { name: 'platform-prod', endpoint: 'https://ABC.gr7.eu-west-1.eks.amazonaws.com' } });
    const target: PreflightTarget = { config: prod, stack: 'prod', clusterStack: 'prod-cluster' };
    const lines = await runPreflight(target, environment({ probeTcp: async (host) => (probes.push(host), false) }));
    expect(line(lines, 'cluster access')).toMatchObject({ status: 'FAIL', message: expect.stringMatching(/assumed-role\/ci-runner\/alice, which is not in platform:adminPrincipals/) });
    expect(line(lines, 'secret platform-prod/argocd/oidc')).toMatchObject({ status: 'FAIL', message: expect.stringMatching(/^missing: Argo CD's SSO cannot log anyone in without it/) });
    expect(line(lines, 'api endpoint')).toMatchObject({ status: 'FAIL', message: expect.stringMatching(/^abc\.gr7\.eu-west-1\.eks\.amazonaws\.com:443 not reachable from here; the private endpoint admits platform:endpoint\.privateAccessCidrs \(10\.100\.0\.0\/16\)/) });
    expect(probes).toEqual(['abc.gr7.eu-west-1.eks.amazonaws.com']);
  });

  it('GIVEN dev before its first run WHEN this machine\'s public IP is or is not in the allowlist THEN the endpoint line says so', async () => {
    freshAccount('111122223333', 'platform-admin', dev.kubernetesVersion);
    const inside = await runPreflight({ config: dev, stack: 'dev' }, environment({ egressIp: async () => '203.0.113.10' }));
    expect(line(inside, 'api endpoint')).toEqual({ status: 'ok', check: 'api endpoint', message: "cluster not created yet; this machine's public IP 203.0.113.10 is in 203.0.113.0/24" });
    const outside = await runPreflight({ config: dev, stack: 'dev' }, environment({ egressIp: async () => '198.51.100.7' }));
    expect(line(outside, 'api endpoint')).toMatchObject({ status: 'FAIL', message: expect.stringMatching(/198\.51\.100\.7 is not in platform:endpoint\.publicAccessCidrs \(203\.0\.113\.0\/24\)/) });
    expect(line(inside, 'cluster access').status).toBe('ok');
  });
});

describe('preflight when AWS pushes back', () => {
  it('GIVEN credentials for another account WHEN checked THEN one FAIL line and nothing else is looked at', async () => {
    freshAccount('999999999999', 'platform-admin', prod.kubernetesVersion);
    const lines = await runPreflight({ config: prod, stack: 'prod' }, environment());
    expect(lines).toEqual([
      { status: 'FAIL', check: 'account', message: 'credentials are for account 999999999999 (arn:aws:sts::999999999999:assumed-role/platform-admin/alice), platform:accountId is 444455556666: use credentials for 444455556666 (aws:profile, aws:assumeRoles or the environment)' },
    ]);
    expect(ec2.calls()).toHaveLength(0);
  });

  it('GIVEN throttling that clears WHEN checked THEN the call is retried with back-off and the check passes', async () => {
    freshAccount(PROD_ACCOUNT, 'platform-admin', prod.kubernetesVersion);
    eks.on(DescribeAddonVersionsCommand, { addonName: 'vpc-cni' })
      .rejectsOnce(awsError('ThrottlingException'))
      .rejectsOnce(awsError('ThrottlingException'))
      .resolves({ addons: [{ addonVersions: [{ addonVersion: ADDON_VERSIONS[prod.kubernetesVersion]['vpc-cni'] }] }] });
    const lines = await runPreflight({ config: prod, stack: 'prod' }, environment());
    expect(line(lines, 'addon vpc-cni').status).toBe('ok');
    expect(sleeps).toEqual([250, 500]);
  });

  it('GIVEN throttling that does not clear WHEN checked THEN a WARN says it was not checked and to re-run', async () => {
    freshAccount(PROD_ACCOUNT, 'platform-admin', prod.kubernetesVersion);
    eks.on(DescribeAddonVersionsCommand, { addonName: 'coredns' }).rejects(awsError('ThrottlingException'));
    const lines = await runPreflight({ config: prod, stack: 'prod' }, environment());
    expect(line(lines, 'addon coredns')).toEqual({ status: 'WARN', check: 'addon coredns', message: `not checked: eks:DescribeAddonVersions still throttled after ${THROTTLE_ATTEMPTS} attempts (re-run preflight in a minute)` });
    expect(sleeps).toEqual([250, 500, 1000]);
  });

  it('GIVEN a missing permission WHEN checked THEN the line FAILs naming the IAM action to grant', async () => {
    freshAccount(PROD_ACCOUNT, 'platform-admin', prod.kubernetesVersion);
    quotas.on(GetServiceQuotaCommand).rejects(awsError('AccessDeniedException', 'User is not authorized to perform: servicequotas:GetServiceQuota'));
    secrets.on(DescribeSecretCommand).rejects(awsError('AccessDeniedException'));
    const lines = await runPreflight({ config: prod, stack: 'prod' }, environment());
    expect(line(lines, 'quotas')).toEqual({ status: 'FAIL', check: 'quotas', message: 'not checked: access denied to servicequotas:GetServiceQuota (grant servicequotas:GetServiceQuota to the identity running preflight)' });
    expect(line(lines, 'secret platform-prod/argocd/oidc').message).toBe('not checked: access denied to secretsmanager:DescribeSecret (grant secretsmanager:DescribeSecret to the identity running preflight)');
  });

  it('GIVEN no credentials at all WHEN checked THEN preflight stops with NoCredentialsError (the command prints one line, exit 2)', async () => {
    sts.on(GetCallerIdentityCommand).rejects(awsError('CredentialsProviderError', 'Could not load credentials from any providers'));
    await expect(runPreflight({ config: prod, stack: 'prod' }, environment())).rejects.toThrow(NoCredentialsError);
    await expect(runPreflight({ config: prod, stack: 'prod' }, environment())).rejects.toThrow('no AWS credentials found');
  });
});

/** Stack config for the first deploy: AWS provider settings, combinations that cannot work. */
import { parseStackConfig } from '../../infra/config';
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

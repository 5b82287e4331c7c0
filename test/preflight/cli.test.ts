/** `platform preflight` as a command: input errors and missing credentials are one line, exit 2. */
import { expectOneLineError, platform } from '../helpers/cli';

describe('platform preflight (command)', () => {
  const saved = { ...process.env };
  beforeAll(() => {
    // No credentials anywhere the SDK looks: no keys, no profile files, no instance metadata.
    for (const k of ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_PROFILE', 'AWS_WEB_IDENTITY_TOKEN_FILE', 'AWS_CONTAINER_CREDENTIALS_FULL_URI', 'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI']) delete process.env[k];
    process.env.AWS_CONFIG_FILE = '/nonexistent/aws-config';
    process.env.AWS_SHARED_CREDENTIALS_FILE = '/nonexistent/aws-credentials';
    process.env.AWS_EC2_METADATA_DISABLED = 'true';
  });
  afterAll(() => {
    process.env = saved;
  });

  it('GIVEN no AWS credentials WHEN preflight runs THEN one line says so and how to fix it, exit 2', () => {
    expectOneLineError(platform(['preflight', '--stack', 'prod-cluster']), /^platform: preflight: no AWS credentials found \(set AWS_PROFILE, or run aws sso login \/ aws configure\)$/);
  });

  it('GIVEN an unknown stack WHEN preflight runs THEN exit 2 before any AWS call', () => {
    expectOneLineError(platform(['preflight', '--stack', 'staging']), /--stack: no stack named "staging"/);
  });
});

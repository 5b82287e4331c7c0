/**
 * Calling AWS for `platform preflight`: every call names the IAM action it needs, is retried when
 * throttled, and its failure becomes a check line instead of a stack trace. The SDK clients are
 * loaded only here, only when preflight runs (they cost start-up every other command must not pay).
 */
import type { EC2Client } from '@aws-sdk/client-ec2';
import type { EKSClient } from '@aws-sdk/client-eks';
import type { IAMClient } from '@aws-sdk/client-iam';
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { ServiceQuotasClient } from '@aws-sdk/client-service-quotas';
import type { STSClient } from '@aws-sdk/client-sts';

export interface PreflightClients {
  readonly sts: STSClient;
  readonly ec2: EC2Client;
  readonly iam: IAMClient;
  readonly eks: EKSClient;
  readonly secrets: SecretsManagerClient;
  readonly quotas: ServiceQuotasClient;
}

/** How many times a throttled call is tried in all, and the first back-off (doubled each time). */
export const THROTTLE_ATTEMPTS = 4;
export const THROTTLE_BACKOFF_MS = 250;

const THROTTLING = new Set(['Throttling', 'ThrottlingException', 'ThrottledException', 'RequestLimitExceeded', 'TooManyRequestsException', 'RequestThrottled', 'RequestThrottledException', 'SlowDown']);
const ACCESS_DENIED = new Set(['AccessDenied', 'AccessDeniedException', 'UnauthorizedOperation', 'UnauthorizedAccess', 'NotAuthorized']);
/** Errors that mean the caller has no usable credentials at all: nothing can be checked. */
const NO_CREDENTIALS = new Set(['CredentialsProviderError', 'ExpiredToken', 'ExpiredTokenException', 'InvalidClientTokenId', 'UnrecognizedClientException', 'TokenRefreshRequired']);

export function errorName(err: unknown): string {
  const e = err as { name?: unknown; Code?: unknown; code?: unknown } | undefined;
  return String(e?.name ?? e?.Code ?? e?.code ?? 'Error');
}

/** Thrown when the caller has no credentials (or expired ones): the command stops with one line, exit 2. */
export class NoCredentialsError extends Error {
  override readonly name = 'NoCredentialsError';
}

/** A call that did not succeed, already turned into what a check line says. */
export class CallFailed extends Error {
  constructor(
    readonly status: 'WARN' | 'FAIL',
    message: string,
    readonly awsError: string,
  ) {
    super(message);
  }
}

/** Runs AWS calls for checks: retries throttling, names the IAM action on AccessDenied. */
export class AwsCaller {
  constructor(private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms))) {}

  /**
   * `action` is the IAM action the call needs (`ec2:DescribeVpcs`). Resolves with the response;
   * rejects with NoCredentialsError, CallFailed, or the service's own error for the caller to read
   * (NoSuchEntity, ResourceNotFoundException, ...).
   */
  async call<T>(action: string, send: () => Promise<T>, handled: readonly string[] = []): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await send();
      } catch (err) {
        const name = errorName(err);
        if (handled.includes(name)) throw err;
        if (NO_CREDENTIALS.has(name)) {
          throw new NoCredentialsError(name === 'CredentialsProviderError' ? 'no AWS credentials found' : `AWS credentials rejected (${name})`);
        }
        if (THROTTLING.has(name)) {
          if (attempt < THROTTLE_ATTEMPTS) {
            await this.sleep(THROTTLE_BACKOFF_MS * 2 ** (attempt - 1));
            continue;
          }
          throw new CallFailed('WARN', `not checked: ${action} still throttled after ${THROTTLE_ATTEMPTS} attempts (re-run preflight in a minute)`, name);
        }
        if (ACCESS_DENIED.has(name)) throw new CallFailed('FAIL', `not checked: access denied to ${action} (grant ${action} to the identity running preflight)`, name);
        throw new CallFailed('FAIL', `not checked: ${action} failed with ${name}: ${oneLineMessage(err)}`, name);
      }
    }
  }
}

function oneLineMessage(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  const line = text.replace(/\s*\n\s*/g, ' ').trim();
  return line.length > 160 ? `${line.slice(0, 157)}...` : line;
}

export interface ClientSettings {
  readonly region: string;
  readonly profile?: string;
  readonly assumeRole?: { readonly roleArn: string; readonly sessionName?: string; readonly externalId?: string };
}

/**
 * Real SDK clients with the stack's own identity (aws:profile, aws:assumeRoles), as Pulumi's AWS
 * provider would use. Retries are left to AwsCaller (maxAttempts 1), so there is one retry policy.
 */
export async function createClients(settings: ClientSettings): Promise<PreflightClients> {
  const [sts, ec2, iam, eks, secrets, quotas] = await Promise.all([
    import('@aws-sdk/client-sts'),
    import('@aws-sdk/client-ec2'),
    import('@aws-sdk/client-iam'),
    import('@aws-sdk/client-eks'),
    import('@aws-sdk/client-secrets-manager'),
    import('@aws-sdk/client-service-quotas'),
  ]);
  const base = { region: settings.region, maxAttempts: 1, ...(settings.profile ? { profile: settings.profile } : {}) };
  const role = settings.assumeRole;
  let credentials: (() => Promise<{ accessKeyId: string; secretAccessKey: string; sessionToken?: string; expiration?: Date }>) | undefined;
  if (role) {
    const baseSts = new sts.STSClient(base);
    let cached: Promise<{ accessKeyId: string; secretAccessKey: string; sessionToken?: string; expiration?: Date }> | undefined;
    credentials = () =>
      (cached ??= baseSts
        .send(new sts.AssumeRoleCommand({ RoleArn: role.roleArn, RoleSessionName: role.sessionName ?? 'platform-preflight', ...(role.externalId ? { ExternalId: role.externalId } : {}) }))
        .then((r) => {
          const c = r.Credentials!;
          return { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken, expiration: c.Expiration };
        }));
  }
  const config = { ...base, ...(credentials ? { credentials } : {}) };
  return {
    sts: new sts.STSClient(config),
    ec2: new ec2.EC2Client(config),
    iam: new iam.IAMClient(config),
    eks: new eks.EKSClient(config),
    secrets: new secrets.SecretsManagerClient(config),
    quotas: new quotas.ServiceQuotasClient(config),
  };
}

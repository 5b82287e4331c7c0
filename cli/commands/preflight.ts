/**
 * `platform preflight --stack <name>`: read-only checks against the real AWS account before
 * `pulumi up`, with the credentials Pulumi would use (the stack's aws:profile / aws:assumeRoles, else
 * the environment). Exit 0 all ok or WARN, 1 any FAIL, 2 bad input or no usable credentials.
 * The AWS SDK is loaded here only.
 */
import * as https from 'node:https';
import * as net from 'node:net';
import * as os from 'node:os';
import { UserError } from '../../lib/errors';
import { loadStack } from '../../lib/stack';

export interface PreflightOptions {
  readonly stack?: string;
  readonly config?: string;
}

export async function run(opts: PreflightOptions): Promise<number> {
  const loaded = loadStack(opts);
  // The SDK's multi-line notice about its future Node support would break the one-line output
  // contract; the pinned SDK versions support this repository's Node (>= 20).
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const { AwsCaller, createClients, NoCredentialsError } = await import('../../lib/preflight/aws');
  const { formatPreflight, runPreflight } = await import('../../lib/preflight');
  // The in-cluster stack runs with its own identity (its file's aws: settings); the AWS stack with its own.
  const aws = loaded.clusterStack?.config.aws ?? loaded.config.aws;
  const role = aws.assumeRoles?.[0];
  const clients = await createClients({ region: loaded.config.region, ...(aws.profile ? { profile: aws.profile } : {}), ...(role ? { assumeRole: role } : {}) });
  const target = { config: loaded.config, stack: loaded.stack, ...(loaded.clusterStack ? { clusterStack: loaded.clusterStack.stack } : {}) };
  try {
    const lines = await runPreflight(target, { clients, caller: new AwsCaller(), probeTcp, egressIp, localAddresses });
    process.stdout.write(formatPreflight(loaded.clusterStack?.stack ?? loaded.stack, lines));
    return lines.some((l) => l.status === 'FAIL') ? 1 : 0;
  } catch (err) {
    if (err instanceof NoCredentialsError) {
      const how = aws.profile ? `the profile ${aws.profile} (aws:profile) has none: aws sso login --profile ${aws.profile}` : 'set AWS_PROFILE, or run aws sso login / aws configure';
      throw new UserError(`preflight: ${err.message} (${how})`);
    }
    throw err;
  }
}

function probeTcp(host: string, port: number, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (reached: boolean) => {
      socket.destroy();
      resolve(reached);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** AWS's own "what is my IP" service; undefined when it cannot be reached within 5 s. */
function egressIp(): Promise<string | undefined> {
  return new Promise((resolve) => {
    const req = https.get('https://checkip.amazonaws.com/', { timeout: 5000 }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve(/^\d{1,3}(\.\d{1,3}){3}$/.test(body.trim()) ? body.trim() : undefined));
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(undefined));
  });
}

function localAddresses(): string[] {
  return Object.values(os.networkInterfaces())
    .flat()
    .filter((a) => a !== undefined && a.family === 'IPv4' && !a.internal)
    .map((a) => a!.address);
}

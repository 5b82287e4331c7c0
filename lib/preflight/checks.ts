/**
 * The preflight checks, each a function of the stack config and the AWS account (through the
 * injected clients): read-only calls only, one line per thing checked.
 */
import { DescribeAvailabilityZonesCommand, DescribeTransitGatewaysCommand } from '@aws-sdk/client-ec2';
import { DescribeAddonVersionsCommand, DescribeClusterCommand } from '@aws-sdk/client-eks';
import { GetRoleCommand, GetUserCommand } from '@aws-sdk/client-iam';
import { DescribeSecretCommand } from '@aws-sdk/client-secrets-manager';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { ADDON_NAMES, ADDON_VERSIONS } from '../../model/versions';
import { kmsAliasName, platformSecretName, SPOT_SERVICE_LINKED_ROLE } from '../../model/names';
import { parseCidr, overlaps } from '../../model/cidr';
import { PROJECT } from '../../model/config';
import { CallFailed, errorName } from './aws';
import { appliesInCluster, type CheckLine, type PreflightEnvironment, type PreflightTarget } from './types';

const ok = (check: string, message: string): CheckLine => ({ status: 'ok', check, message });
const warn = (check: string, message: string): CheckLine => ({ status: 'WARN', check, message });
const fail = (check: string, message: string): CheckLine => ({ status: 'FAIL', check, message });

/** Runs one check; a call that failed (throttled, denied) becomes its line. */
export async function guarded(check: string, run: () => Promise<CheckLine[]>): Promise<CheckLine[]> {
  try {
    return await run();
  } catch (err) {
    if (err instanceof CallFailed) return [{ status: err.status, check, message: err.message }];
    throw err;
  }
}

export interface CallerIdentity {
  readonly account: string;
  readonly arn: string;
}

/** The caller's account must be platform:accountId (the AWS provider refuses any other). */
export async function checkAccount(t: PreflightTarget, env: PreflightEnvironment): Promise<{ line: CheckLine; identity?: CallerIdentity }> {
  try {
    const id = await env.caller.call('sts:GetCallerIdentity', () => env.clients.sts.send(new GetCallerIdentityCommand({})));
    const identity = { account: id.Account ?? '', arn: id.Arn ?? '' };
    if (identity.account !== t.config.accountId) {
      return {
        line: fail('account', `credentials are for account ${identity.account} (${identity.arn}), platform:accountId is ${t.config.accountId}: use credentials for ${t.config.accountId} (aws:profile, aws:assumeRoles or the environment)`),
        identity,
      };
    }
    return { line: ok('account', `${identity.arn} in ${identity.account}`), identity };
  } catch (err) {
    if (err instanceof CallFailed) return { line: { status: err.status, check: 'account', message: err.message } };
    throw err;
  }
}

/** The region is enabled for the account and each configured AZ is an available Availability Zone of it. */
export function checkZones(t: PreflightTarget, env: PreflightEnvironment): Promise<CheckLine[]> {
  return guarded('region', async () => {
    let zones;
    try {
      zones = await env.caller.call('ec2:DescribeAvailabilityZones', () => env.clients.ec2.send(new DescribeAvailabilityZonesCommand({ AllAvailabilityZones: false })), ['AuthFailure', 'OptInRequired']);
    } catch (err) {
      const name = errorName(err);
      if (name === 'AuthFailure' || name === 'OptInRequired') {
        return [fail('region', `${t.config.region} is not enabled for account ${t.config.accountId} (enable it: aws account enable-region --region-name ${t.config.region}, or pick another aws:region)`)];
      }
      throw err;
    }
    const available = new Map((zones.AvailabilityZones ?? []).filter((z) => z.ZoneType === undefined || z.ZoneType === 'availability-zone').map((z) => [z.ZoneName ?? '', z.State ?? '']));
    const lines: CheckLine[] = [];
    t.config.network.availabilityZones.forEach((az, i) => {
      const state = available.get(az);
      if (state === undefined) lines.push(fail('region', `platform:network.availabilityZones[${i}]: ${az} is not an Availability Zone of ${t.config.region} for this account (available: ${[...available.keys()].sort().join(', ') || 'none'})`));
      else if (state !== 'available') lines.push(fail('region', `platform:network.availabilityZones[${i}]: ${az} is ${state} (pick an available zone)`));
    });
    return lines.length > 0 ? lines : [ok('region', `${t.config.region}: ${t.config.network.availabilityZones.join(', ')} available`)];
  });
}

/** The service-linked roles a first deploy needs: present, or created on first use by whom. */
export const SERVICE_LINKED_ROLES = [
  { service: 'eks.amazonaws.com', roleName: 'AWSServiceRoleForAmazonEKS', createdBy: 'EKS, when pulumi up creates the cluster (the deployer needs iam:CreateServiceLinkedRole)' },
  { service: 'eks-nodegroup.amazonaws.com', roleName: 'AWSServiceRoleForAmazonEKSNodegroup', createdBy: 'EKS, when pulumi up creates the system node group (the deployer needs iam:CreateServiceLinkedRole)' },
  { service: 'autoscaling.amazonaws.com', roleName: 'AWSServiceRoleForAutoScaling', createdBy: 'EC2 Auto Scaling, when EKS creates the node group\'s Auto Scaling group (the EBS key policy does not name it, so its absence is no problem)' },
] as const;

export async function checkServiceLinkedRoles(t: PreflightTarget, env: PreflightEnvironment): Promise<CheckLine[]> {
  const roles: { service: string; roleName: string; createdBy: string }[] = [...SERVICE_LINKED_ROLES];
  if (t.config.addons.karpenter && t.config.karpenter.allowSpot) {
    roles.push({ ...SPOT_SERVICE_LINKED_ROLE, createdBy: 'EC2 on Karpenter\'s first spot launch (its role may create exactly this one)' });
  }
  const lines: CheckLine[] = [];
  for (const role of roles) {
    const check = `service-linked role ${role.roleName}`;
    lines.push(
      ...(await guarded(check, async () => {
        try {
          await env.caller.call('iam:GetRole', () => env.clients.iam.send(new GetRoleCommand({ RoleName: role.roleName })), ['NoSuchEntity', 'NoSuchEntityException']);
          return [ok(check, 'present')];
        } catch (err) {
          if (!/^NoSuchEntity/.test(errorName(err))) throw err;
          return [ok(check, `absent; created by ${role.createdBy}`)];
        }
      })),
    );
  }
  return lines;
}

/** Every pinned EKS add-on version is offered for the stack's Kubernetes version in its region. */
export async function checkAddonVersions(t: PreflightTarget, env: PreflightEnvironment): Promise<CheckLine[]> {
  const pins = ADDON_VERSIONS[t.config.kubernetesVersion];
  const lines: CheckLine[] = [];
  for (const addon of ADDON_NAMES) {
    const check = `addon ${addon}`;
    lines.push(
      ...(await guarded(check, async () => {
        const offered: string[] = [];
        let nextToken: string | undefined;
        do {
          const page = await env.caller.call('eks:DescribeAddonVersions', () =>
            env.clients.eks.send(new DescribeAddonVersionsCommand({ addonName: addon, kubernetesVersion: t.config.kubernetesVersion, ...(nextToken ? { nextToken } : {}) })),
          );
          for (const a of page.addons ?? []) for (const v of a.addonVersions ?? []) if (v.addonVersion) offered.push(v.addonVersion);
          nextToken = page.nextToken;
        } while (nextToken);
        const pinned = pins[addon];
        if (offered.includes(pinned)) return [ok(check, `${pinned} offered for Kubernetes ${t.config.kubernetesVersion}`)];
        const newest = offered.slice(0, 3).join(', ') || 'none';
        return [fail(check, `${pinned} is not offered for Kubernetes ${t.config.kubernetesVersion} in ${t.config.region} (offered, newest first: ${newest}); re-pin ADDON_VERSIONS in model/versions.ts`)];
      })),
    );
  }
  return lines;
}

/** An IAM role or user ARN: its account, kind and name (the last path segment). */
export function parsePrincipal(arn: string): { account: string; kind: 'role' | 'user'; name: string } | undefined {
  const m = /^arn:aws[\w-]*:iam::(\d{12}):(role|user)\/(?:.*\/)?([^/]+)$/.exec(arn);
  return m ? { account: m[1], kind: m[2] as 'role' | 'user', name: m[3] } : undefined;
}

/** The admin and tenant principals exist (an access entry for a missing principal fails at create). */
export async function checkPrincipals(t: PreflightTarget, env: PreflightEnvironment): Promise<CheckLine[]> {
  const listed = [
    ...t.config.adminPrincipals.map((arn, i) => ({ arn, key: `platform:adminPrincipals[${i}]` })),
    ...t.config.tenants.flatMap((tenant, i) => tenant.principals.map((arn, j) => ({ arn, key: `platform:tenants[${i}].principals[${j}]` }))),
  ];
  const lines: CheckLine[] = [];
  for (const { arn, key } of listed) {
    const check = `principal ${arn}`;
    const p = parsePrincipal(arn)!;
    if (p.account !== t.config.accountId) {
      lines.push(warn(check, `${key} is in account ${p.account}: not verifiable from ${t.config.accountId} (make sure it exists there)`));
      continue;
    }
    lines.push(
      ...(await guarded(check, async () => {
        try {
          if (p.kind === 'role') await env.caller.call('iam:GetRole', () => env.clients.iam.send(new GetRoleCommand({ RoleName: p.name })), ['NoSuchEntity', 'NoSuchEntityException']);
          else await env.caller.call('iam:GetUser', () => env.clients.iam.send(new GetUserCommand({ UserName: p.name })), ['NoSuchEntity', 'NoSuchEntityException']);
          return [ok(check, 'exists')];
        } catch (err) {
          if (!/^NoSuchEntity/.test(errorName(err))) throw err;
          return [fail(check, `${key} does not exist (EKS refuses an access entry for it: create the ${p.kind} or fix ${key})`)];
        }
      })),
    );
  }
  return lines;
}

/** The identity applying the in-cluster half must be an admin principal (the cluster has no creator admin). */
export function checkDeployerIsAdmin(t: PreflightTarget, identity: CallerIdentity): CheckLine {
  const check = 'cluster access';
  if (!appliesInCluster(t)) return ok(check, `not needed: this stack applies AWS resources only (the in-cluster stack ${t.stack}-cluster needs an admin principal)`);
  const assumed = t.config.aws.assumeRoles?.[0]?.roleArn;
  const effective = assumed ? parsePrincipal(assumed) : callerPrincipal(identity.arn);
  const admins = t.config.adminPrincipals.map(parsePrincipal).filter((p) => p !== undefined);
  if (effective && admins.some((a) => a.kind === effective.kind && a.name === effective.name && a.account === effective.account)) {
    return ok(check, `${effective.kind} ${effective.name} is one of platform:adminPrincipals`);
  }
  return fail(check, `the in-cluster half would be applied as ${assumed ?? identity.arn}, which is not in platform:adminPrincipals (the cluster grants its creator nothing): assume one of ${t.config.adminPrincipals.join(', ')}`);
}

/** The IAM principal behind a caller ARN (an assumed-role session maps to its role). */
export function callerPrincipal(arn: string): { account: string; kind: 'role' | 'user'; name: string } | undefined {
  const assumed = /^arn:aws[\w-]*:sts::(\d{12}):assumed-role\/([^/]+)\/.+$/.exec(arn);
  if (assumed) return { account: assumed[1], kind: 'role', name: assumed[2] };
  return parsePrincipal(arn);
}

/** Secrets the stack reads but does not create (Argo CD's OIDC client secret), and leftovers that would block a create. */
export async function checkSecrets(t: PreflightTarget, env: PreflightEnvironment): Promise<CheckLine[]> {
  const { config } = t;
  const lines: CheckLine[] = [];
  const describe = (name: string) =>
    env.caller
      .call('secretsmanager:DescribeSecret', () => env.clients.secrets.send(new DescribeSecretCommand({ SecretId: name })), ['ResourceNotFoundException'])
      .catch((err) => {
        if (errorName(err) === 'ResourceNotFoundException') return undefined;
        throw err;
      });
  const keyAlias = kmsAliasName(config.clusterName, 'secrets');

  if (config.addons.argocd && config.argocd.sso && config.addons.externalSecrets) {
    const name = platformSecretName(config.clusterName, 'argocdOidc');
    const check = `secret ${name}`;
    lines.push(
      ...(await guarded(check, async () => {
        const secret = await describe(name);
        const create =
          `create it once the AWS stack has created ${keyAlias}: aws secretsmanager create-secret --region ${config.region} --name ${name} --kms-key-id ${keyAlias} ` +
          `--secret-string file://argocd-oidc.json, where the file holds {"clientSecret": "<the secret of OIDC client ${config.argocd.sso!.clientId} at ${config.argocd.sso!.issuer}>"}; then delete the file`;
        if (!secret) {
          return appliesInCluster(t)
            ? [fail(check, `missing: Argo CD's SSO cannot log anyone in without it; ${create}`)]
            : [warn(check, `missing: needed before the in-cluster stack runs; ${create}`)];
        }
        if (secret.DeletedDate) return [fail(check, `scheduled for deletion: restore it (aws secretsmanager restore-secret --secret-id ${name}) or create it anew after the deletion completes`)];
        const key = secret.KmsKeyId;
        // An alias other than the platform's or the AWS managed key (a key ARN cannot be told apart without kms:DescribeKey).
        if (key && /(^|:)alias\//.test(key) && !key.endsWith(keyAlias) && !key.endsWith('alias/aws/secretsmanager')) {
          return [warn(check, `encrypted with ${key}: External Secrets may decrypt only ${keyAlias} (or the AWS managed key); re-encrypt it with ${keyAlias}`)];
        }
        return [ok(check, 'exists')];
      })),
    );
  }
  if (config.addons.monitoring && config.addons.externalSecrets) {
    const name = platformSecretName(config.clusterName, 'grafanaAdmin');
    const check = `secret ${name}`;
    lines.push(
      ...(await guarded(check, async () => {
        const secret = await describe(name);
        if (!secret) return [ok(check, 'absent; pulumi up creates it (generated password, encrypted with the platform key)')];
        if (secret.DeletedDate) {
          return [fail(check, `scheduled for deletion from an earlier stack: pulumi up cannot create it; restore it (aws secretsmanager restore-secret --secret-id ${name}) and import it, or delete it for good (aws secretsmanager delete-secret --secret-id ${name} --force-delete-without-recovery)`)];
        }
        const managed = (secret.Tags ?? []).some((tag) => tag.Key === 'platform:cluster' && tag.Value === config.clusterName);
        // The resource infra/secrets.ts creates: `platform-secrets-grafana-admin` under the PlatformSecrets component.
        const importCommand = `pulumi import aws:secretsmanager/secret:Secret platform-secrets-grafana-admin ${secret.ARN ?? name} --parent secrets=urn:pulumi:${t.stack}::${PROJECT}::platform:secrets:PlatformSecrets::platform-secrets`;
        return managed ? [ok(check, 'exists (created by this stack)')] : [fail(check, `exists but was not created by this stack: pulumi up cannot create it; delete it, or import it (${importCommand})`)];
      })),
    );
  }
  return lines;
}

/** Whether `ip` lies in one of `cidrs`. */
export function inAnyCidr(ip: string, cidrs: readonly string[]): string | undefined {
  const host = parseCidr(`${ip}/32`);
  return host ? cidrs.find((c) => { const range = parseCidr(c); return range !== undefined && overlaps(host, range); }) : undefined;
}

/** The deployer can reach the API endpoint where and when the in-cluster half runs. */
export async function checkEndpointReach(t: PreflightTarget, env: PreflightEnvironment): Promise<CheckLine[]> {
  const check = 'api endpoint';
  const { config } = t;
  const { publicAccess, publicAccessCidrs, privateAccessCidrs } = config.endpoint;
  const lines: CheckLine[] = [];
  const tgw = config.network.transitGatewayId;
  if (tgw) lines.push(...(await checkTransitGateway(t, env, tgw)));
  if (!appliesInCluster(t)) {
    lines.push(ok(check, `not needed here: the in-cluster stack ${t.stack}-cluster applies the Kubernetes side; run platform preflight --stack ${t.stack}-cluster where it runs`));
    return lines;
  }
  const cluster = await guarded(check, async () => {
    try {
      const found = await env.caller.call('eks:DescribeCluster', () => env.clients.eks.send(new DescribeClusterCommand({ name: config.clusterName })), ['ResourceNotFoundException']);
      return [ok(check, found.cluster?.endpoint ?? '')];
    } catch (err) {
      if (errorName(err) === 'ResourceNotFoundException') return [];
      throw err;
    }
  });
  if (cluster.length > 0 && cluster[0].status !== 'ok') return [...lines, ...cluster];
  const endpoint = cluster[0]?.message;
  const path = publicAccess ? `the public endpoint admits platform:endpoint.publicAccessCidrs (${publicAccessCidrs.join(', ')})` : `the private endpoint admits platform:endpoint.privateAccessCidrs (${privateAccessCidrs.join(', ')})`;
  if (endpoint) {
    const host = new URL(endpoint).hostname;
    const reached = await env.probeTcp(host, 443, 5000);
    lines.push(reached ? ok(check, `${host}:443 reachable from here`) : fail(check, `${host}:443 not reachable from here; ${path}: run from one of those networks${publicAccess ? '' : ' (VPN or CI runner behind the transit gateway)'}`));
    return lines;
  }
  // The cluster does not exist yet: judge from where this machine is.
  if (publicAccess) {
    const ip = await env.egressIp();
    if (!ip) lines.push(warn(check, `cluster not created yet and this machine's public IP is unknown; ${path}`));
    else {
      const match = inAnyCidr(ip, publicAccessCidrs);
      lines.push(match ? ok(check, `cluster not created yet; this machine's public IP ${ip} is in ${match}`) : fail(check, `cluster not created yet; this machine's public IP ${ip} is not in platform:endpoint.publicAccessCidrs (${publicAccessCidrs.join(', ')}): add it or run from an allowed network`));
    }
    return lines;
  }
  const local = env.localAddresses().map((a) => [a, inAnyCidr(a, privateAccessCidrs)] as const).find(([, m]) => m);
  lines.push(
    local
      ? ok(check, `cluster not created yet; this machine (${local[0]}) is in ${local[1]}`)
      : warn(check, `cluster not created yet; no address of this machine is in platform:endpoint.privateAccessCidrs (${privateAccessCidrs.join(', ')}): run from the deployer network (a NAT in between would hide it)`),
  );
  return lines;
}

async function checkTransitGateway(t: PreflightTarget, env: PreflightEnvironment, id: string): Promise<CheckLine[]> {
  const check = `transit gateway ${id}`;
  return guarded(check, async () => {
    let found;
    try {
      found = await env.caller.call('ec2:DescribeTransitGateways', () => env.clients.ec2.send(new DescribeTransitGatewaysCommand({ TransitGatewayIds: [id] })), ['InvalidTransitGatewayID.NotFound', 'InvalidTransitGatewayID.Malformed']);
    } catch (err) {
      if (!/^InvalidTransitGatewayID/.test(errorName(err))) throw err;
      found = { TransitGateways: [] };
    }
    const tgw = found.TransitGateways?.[0];
    if (!tgw) return [fail(check, `platform:network.transitGatewayId: not visible in account ${t.config.accountId} (its owner shares it through AWS RAM; accept the share)`)];
    if (tgw.State !== 'available') return [fail(check, `is ${tgw.State}: wait until it is available`)];
    const shared = tgw.OwnerId !== undefined && tgw.OwnerId !== t.config.accountId;
    if (shared && tgw.Options?.AutoAcceptSharedAttachments !== 'enable') {
      return [warn(check, `owned by ${tgw.OwnerId}, which accepts attachments by hand: pulumi up waits until the owner accepts this VPC's attachment`)];
    }
    return [ok(check, `available${shared ? `, shared by ${tgw.OwnerId}` : ''}`)];
  });
}

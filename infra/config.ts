/**
 * The stack configuration: read once from `Pulumi.<stack>.yaml` (or the Pulumi runtime), validated
 * into a typed, deeply frozen object. Every other module reads that object, never raw config.
 *
 * Rules: unknown keys are refused at every level (a typo must not fall back to a default), values
 * are type- and range-checked, and cross-field rules keep prod hardened. Every error is one line:
 * `<source>: <key>: <what is wrong> (<what is accepted>)`.
 */
import * as fs from 'node:fs';
import { parse as parseYamlText, YAMLParseError } from 'yaml';
import { z } from 'zod';
import { UserError } from '../lib/errors';
import { yamlErrorMessage } from '../lib/yaml';
import { formatCidr, isNetworkAddress, networkOf, overlaps, parseCidr } from '../lib/cidr';
import { SUPPORTED_KUBERNETES_VERSIONS } from './versions';
import { DEFAULT_SSL_POLICY, ingressConfigIssues, INGRESS_NAMESPACES, TLS12_SSL_POLICY } from './ingress-model';

/** The Pulumi project name; stack config keys live in its namespace (`platform:<key>`). */
export const PROJECT = 'platform';

/**
 * A registry `host[:port][/path]` (host may start with `*.`), as distribution/reference v0.6.0 regexp.go
 * spells domains and path components; the host has a dot or a port, or is localhost, because the runtime
 * reads a single name before the first `/` as a Docker Hub organisation (normalize.go splitDockerDomain).
 */
const REGISTRY = /^(?=(?:\*\.)?(?:localhost(?::[0-9]+)?(?:\/|$)|[^/]*[.:]))(\*\.)?(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])(?:\.(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]))*(?::[0-9]+)?(?:\/[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*)*$/;

export const CONTROL_PLANE_LOG_TYPES = ['api', 'audit', 'authenticator', 'controllerManager', 'scheduler'] as const;

/** Retention periods CloudWatch Logs accepts, in days. */
export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

/** Namespaces the platform itself owns; tenants may not take these names. */
export const RESERVED_NAMESPACES = [
  'default', 'kube-system', 'kube-public', 'kube-node-lease', 'gatekeeper-system', 'argocd', 'monitoring',
  'external-secrets', 'karpenter', INGRESS_NAMESPACES.loadBalancerController, INGRESS_NAMESPACES.externalDns,
] as const;

// ---------------------------------------------------------------------------------------------
// Scalar schemas. Pulumi hands top-level values to the program as strings ("true", "3"), while a
// YAML file gives typed values; both forms are accepted for booleans and integers.

const flag = () =>
  z.union([z.boolean(), z.enum(['true', 'false']).transform((v) => v === 'true')], {
    error: 'expected true or false',
  });

const int = (min: number, max: number) =>
  z
    .union([z.number(), z.string().regex(/^-?\d+$/).transform(Number)], { error: `expected a whole number from ${min} to ${max}` })
    .refine((n) => Number.isInteger(n) && n >= min && n <= max, { error: `expected a whole number from ${min} to ${max}` });

const text = (what: string, pattern: RegExp) =>
  z.string({ error: `expected a string: ${what}` }).regex(pattern, { error: `expected ${what}` });

const cidr = (minPrefix: number, maxPrefix: number) =>
  z.string({ error: 'expected an IPv4 CIDR string like 10.0.0.0/16' }).superRefine((value, ctx) => {
    const parsed = parseCidr(value);
    if (!parsed) {
      ctx.addIssue({ code: 'custom', message: `invalid CIDR (expected an IPv4 CIDR a.b.c.d/n with prefix /${minPrefix} to /${maxPrefix})` });
      return;
    }
    if (parsed.prefix < minPrefix || parsed.prefix > maxPrefix) {
      ctx.addIssue({ code: 'custom', message: `prefix /${parsed.prefix} is out of range (accepted: /${minPrefix} to /${maxPrefix})` });
      return;
    }
    if (!isNetworkAddress(parsed)) {
      ctx.addIssue({ code: 'custom', message: `host bits are set (did you mean ${formatCidr(networkOf(parsed))}?)` });
    }
  });

const retentionDays = () =>
  z.union([z.literal(LOG_RETENTION_DAYS), z.string().regex(/^\d+$/).transform(Number).pipe(z.literal(LOG_RETENTION_DAYS))], {
    error: `expected one of ${LOG_RETENTION_DAYS.join(', ')}`,
  });

const DNS_LABEL = /^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$/;
const DNS_NAME = /^(?=.{1,253}$)([a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?\.)+[a-z]([-a-z0-9]{0,61}[a-z0-9])?$/;
const domainName = () => text('a lowercase DNS name like apps.example.com (no wildcard, no trailing dot)', DNS_NAME);
const IAM_PRINCIPAL_ARN = /^arn:aws(-cn|-us-gov)?:iam::\d{12}:(role|user)\/[\w+=,.@/-]{1,512}$/;
const QUANTITY = /^\d+(\.\d+)?(m|k|Ki|Mi|Gi|Ti|M|G|T)?$/;
const GIT_URL = /^(https:\/\/[^\s]+|ssh:\/\/[^\s]+|git@[\w.-]+:[^\s]+)$/;

// ---------------------------------------------------------------------------------------------
// Structured keys.

const networkSchema = z.strictObject({
  /** VPC range; carved into one public and one private subnet per AZ. */
  vpcCidr: cidr(16, 20),
  availabilityZones: z
    .array(text('an availability zone name like eu-west-1a', /^[a-z]{2}(-[a-z]+)+-\d[a-z]$/), { error: 'expected a list of availability zone names' })
    .min(2, { error: 'expected 2 to 6 availability zones (EKS needs subnets in at least 2)' })
    .max(6, { error: 'expected 2 to 6 availability zones' })
    .refine((azs) => new Set(azs).size === azs.length, { error: 'availability zones must be distinct' }),
  /** `perAz`: one NAT gateway per AZ (no cross-AZ dependency); `single`: one shared NAT (cheaper). */
  natGateways: z.enum(['perAz', 'single'], { error: 'expected perAz or single' }).default('perAz'),
  flowLogRetentionDays: retentionDays().default(90),
  /**
   * A transit gateway (shared with this account, attachments accepted) that connects the deployer
   * networks: the stack attaches the VPC's private subnets to it and routes `endpoint.privateAccessCidrs`
   * outside the VPC through it. The transit gateway's own route tables belong to its owner.
   */
  transitGatewayId: text('a transit gateway id like tgw-0123456789abcdef0', /^tgw-[0-9a-f]{8,17}$/).optional(),
});

const endpointSchema = z.strictObject({
  /** Public API endpoint; when on, only `publicAccessCidrs` may reach it. The private endpoint is always on. */
  publicAccess: flag().default(false),
  publicAccessCidrs: z.array(cidr(0, 32), { error: 'expected a list of IPv4 CIDRs' }).default([]),
  /**
   * Networks that reach the private endpoint on 443 (VPN pools, a transit gateway's networks, a CI
   * runner VPC): one ingress rule each on the cluster security group. Whoever applies the in-cluster
   * half through the private endpoint runs from one of them.
   */
  privateAccessCidrs: z.array(cidr(8, 32), { error: 'expected a list of IPv4 CIDRs' }).default([]),
});

const loggingSchema = z.strictObject({
  controlPlaneLogTypes: z
    .array(z.enum(CONTROL_PLANE_LOG_TYPES, { error: `expected log types from ${CONTROL_PLANE_LOG_TYPES.join(', ')}` }))
    .refine((t) => new Set(t).size === t.length, { error: 'log types must not repeat' })
    .default([...CONTROL_PLANE_LOG_TYPES]),
  retentionDays: retentionDays().default(365),
});

const encryptionSchema = z.strictObject({
  /** Envelope-encrypt Kubernetes Secrets with a customer-managed KMS key (CIS EKS 5.3.1). */
  secrets: flag().default(true),
});

const nodeGroupSchema = z
  .strictObject({
    instanceTypes: z
      .array(text('an EC2 instance type like m6i.large', /^[a-z][a-z0-9-]*\.[a-z0-9]+$/))
      .min(1, { error: 'expected at least one instance type' }),
    minSize: int(1, 100),
    desiredSize: int(1, 100),
    maxSize: int(1, 100),
    diskSizeGiB: int(20, 1000).default(50),
  })
  .superRefine((g, ctx) => {
    if (g.minSize > g.maxSize) {
      ctx.addIssue({ code: 'custom', path: ['minSize'], input: g.minSize, message: `must not exceed maxSize (${g.maxSize})` });
    } else if (g.desiredSize < g.minSize || g.desiredSize > g.maxSize) {
      ctx.addIssue({ code: 'custom', path: ['desiredSize'], input: g.desiredSize, message: `must lie between minSize (${g.minSize}) and maxSize (${g.maxSize})` });
    }
  });

const tenantSchema = z.strictObject({
  name: text('a DNS label (lowercase letters, digits, -; at most 63 characters)', DNS_LABEL),
  /** The identity-provider group mapped to the tenant's Kubernetes group. */
  teamGroup: text('a group name (letters, digits, . _ : @ -)', /^[\w.:@-]{1,128}$/),
  quota: z
    .strictObject({
      cpu: text('a CPU quantity like 4 or 500m', QUANTITY),
      memory: text('a memory quantity like 8Gi', QUANTITY),
      pods: int(1, 10000),
    })
    .default({ cpu: '4', memory: '8Gi', pods: 50 }),
  /** Git repositories the tenant's Argo CD project may deploy from. */
  repositories: z.array(text('a git URL (https://, ssh:// or git@host:path)', GIT_URL)).default([]),
  /** Let the team read Secrets in its namespace. */
  allowSecretsRead: flag().default(false),
  /**
   * IAM roles (or users) of the team: each gets an EKS access entry that maps it to the Kubernetes
   * group `teamGroup`, which the tenant's RoleBinding binds. No access policy is associated: the
   * team's rights are the namespace Role only.
   */
  principals: z
    .array(text('an IAM role or user ARN like arn:aws:iam::123456789012:role/team-payments', IAM_PRINCIPAL_ARN), { error: 'expected a list of IAM role or user ARNs' })
    .default([]),
  /** Host names the tenant may expose through the platform's load balancers. @default none (no ingress) */
  ingress: z
    .strictObject({
      /** Each domain (strictly under a platform domain) and any name one label under it: what its ACM certificate covers. */
      domains: z.array(domainName()).min(1, { error: 'expected at least one domain (the host names the tenant may claim)' }),
      /** Whether the tenant may also have an internet-facing load balancer (its internal one always exists). */
      internetFacing: flag().default(false),
      /**
       * Deploy the platform's sample web service (`sample-web`, charts/tenants/sample-web.ts) into the
       * tenant's namespace, on its internal load balancer at sample-web.<first domain>: a live check of
       * the ingress path (class, certificate, DNS, target health). Inert while addons.ingress is off,
       * like the tenant's other ingress keys (no IngressClass exists then).
       */
      sampleWeb: flag().default(false),
    })
    .optional(),
});

const addonsSchema = z.strictObject({
  gatekeeper: flag().default(true),
  argocd: flag().default(true),
  monitoring: flag().default(true),
  externalSecrets: flag().default(true),
  karpenter: flag().default(true),
  /** AWS Load Balancer Controller, external-dns and the ACM certificates; off by default: it needs platform:ingress. */
  ingress: flag().default(false),
});

// Ingress: the platform domains (each a public Route 53 hosted zone that external-dns writes to and
// ACM validates in), the TLS policy of every HTTPS listener, and how DNS records follow Ingresses.
const ingressSchema = z.strictObject({
  domains: z
    .array(
      z.strictObject({
        name: domainName(),
        /** The public hosted zone of `name` (it already exists and is delegated; the stack only writes records). */
        hostedZoneId: text('a Route 53 hosted zone id like Z0123456789ABCDEFGHIJ', /^Z[A-Z0-9]{1,31}$/),
      }),
    )
    .min(1, { error: 'expected at least one platform domain with its hosted zone' }),
  /** The ELB security policy of every HTTPS listener: TLS 1.2 or newer only. */
  sslPolicy: text(`an ELB security policy allowing TLS 1.2 or newer only, like ${DEFAULT_SSL_POLICY}`, TLS12_SSL_POLICY).default(DEFAULT_SSL_POLICY),
  /** `sync`: records follow Ingresses, deletions included (only records this cluster owns); `upsert-only`: never deletes. */
  dnsPolicy: z.enum(['sync', 'upsert-only'], { error: 'expected sync or upsert-only' }).default('sync'),
  /** Who may reach internal load balancers. @default the VPC range */
  internalAllowedCidrs: z.array(cidr(0, 32), { error: 'expected a list of IPv4 CIDRs' }).min(1, { error: 'expected at least one CIDR (leave the key out for the VPC range)' }).optional(),
  /** Subscribed (by email, confirmation needed) to certificate expiry notifications. */
  alertEmails: z.array(text('an email address', /^[^\s@]+@[^\s@]+\.[^\s@]+$/)).default([]),
});

const gatekeeperSchema = z.strictObject({
  enforcementAction: z.enum(['deny', 'warn', 'dryrun'], { error: 'expected deny, warn or dryrun' }).default('deny'),
  replicas: int(1, 5).default(3),
  auditIntervalSeconds: int(10, 86400).default(60),
});

const argocdSchema = z.strictObject({
  ha: flag().default(false),
  /** The built-in `admin` user; off means SSO only. */
  adminEnabled: flag().default(false),
  sso: z
    .strictObject({
      issuer: text('an https:// OIDC issuer URL', /^https:\/\/[^\s]+$/),
      clientId: text('an OIDC client id', /^[\w.:@-]{1,256}$/),
      adminGroup: text('a group name', /^[\w.:@-]{1,128}$/),
    })
    .optional(),
});

const monitoringSchema = z.strictObject({
  retention: text('a duration like 15d, 36h or 2w', /^\d+[hdw]$/).default('15d'),
  storageGiB: int(10, 16384).default(50),
  prometheusReplicas: int(1, 5).default(1),
});

const karpenterSchema = z.strictObject({
  /** Upper bound of vCPUs all Karpenter nodes together may have. */
  cpuLimit: int(4, 100000).default(100),
  memoryLimitGiB: int(8, 400000).default(400),
  allowSpot: flag().default(true),
});

const deliverySchema = z
  .strictObject({
    /** `pulumi`: Pulumi applies every object; `gitops`: Pulumi installs Argo CD, which syncs the rest from git. */
    mode: z.enum(['pulumi', 'gitops'], { error: 'expected pulumi or gitops' }).default('pulumi'),
    /**
     * Which stack applies the in-cluster half (namespaces, Helm releases, charts): `same` (this one,
     * in the same `pulumi up`), or `separate`: a second stack of this project (`Pulumi.<stack>-cluster.yaml`,
     * `platform:awsStack: <stack>`) that reads this stack's outputs through a StackReference and runs
     * from a network that reaches the API endpoint. This stack then needs AWS credentials only.
     */
    inClusterStack: z.enum(['same', 'separate'], { error: 'expected same or separate' }).default('same'),
    repoURL: text('a git URL (https://, ssh:// or git@host:path)', GIT_URL).optional(),
    revision: text('a branch, tag or commit', /^[\w./-]{1,255}$/).default('main'),
    path: text('a relative path inside the repository', /^[\w.-]+(\/[\w.-]+)*$/).optional(),
  })
  .superRefine((d, ctx) => {
    if (d.mode === 'gitops' && !d.repoURL) {
      ctx.addIssue({ code: 'custom', path: ['repoURL'], input: undefined, message: 'is required when mode is gitops (the repository Argo CD syncs from)' });
    }
  });

const ROLE_ARN = /^arn:aws(-cn|-us-gov)?:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/;

/**
 * The AWS provider settings of a stack file (`aws:<key>`) that the program forwards to its explicit
 * AWS provider and to `aws eks get-token`. An explicit provider does not read `aws:` config by
 * itself, so a key it would silently ignore is refused instead (see AWS_CONFIG_KEYS).
 */
const awsSchema = z.strictObject({
  /** Named profile of the AWS CLI/SDK config files. */
  profile: text('a profile name from ~/.aws/config', /^[\w+=,.@-]{1,128}$/).optional(),
  /** A role the deployer assumes first (one: `aws eks get-token --role-arn` assumes one role). */
  assumeRoles: z
    .array(
      z.strictObject({
        roleArn: text('an IAM role ARN like arn:aws:iam::123456789012:role/deployer', ROLE_ARN),
        sessionName: text('a session name (2-64 letters, digits, + = , . @ -)', /^[\w+=,.@-]{2,64}$/).optional(),
        externalId: text('an external id (2-1224 characters)', /^[\w+=,.@:/-]{2,1224}$/).optional(),
      }),
      { error: 'expected a list of {roleArn, sessionName, externalId}' },
    )
    .max(1, { error: 'expected at most one role (aws eks get-token assumes a single role; chain roles in a profile instead)' })
    .optional(),
  /** When set, must be exactly [platform:accountId]; the program sets it either way. */
  allowedAccountIds: z.array(text('a 12-digit AWS account id', /^\d{12}$/), { error: 'expected a list of account ids' }).optional(),
  sharedConfigFiles: z.array(z.string({ error: 'expected a file path' }).min(1), { error: 'expected a list of file paths' }).optional(),
  sharedCredentialsFiles: z.array(z.string({ error: 'expected a file path' }).min(1), { error: 'expected a list of file paths' }).optional(),
});

/** `aws:` keys a stack file may set (region is validated with the project keys). */
export const AWS_CONFIG_KEYS = ['region', ...Object.keys(awsSchema.shape)] as const;
/** `aws:` keys that would put static credentials in the stack file. */
const AWS_STATIC_CREDENTIAL_KEYS = ['accessKey', 'secretKey', 'token'];

const stackSchema = z
  .strictObject({
    environment: z.enum(['dev', 'prod'], { error: 'expected dev or prod' }),
    region: text('an AWS region like eu-west-1', /^[a-z]{2}(-[a-z]+)+-\d$/),
    accountId: text('a 12-digit AWS account id', /^\d{12}$/),
    clusterName: text('a name of 3-40 lowercase letters, digits or -, starting with a letter', /^[a-z][a-z0-9-]{2,39}$/),
    aws: awsSchema.default({}),
    kubernetesVersion: z.enum(SUPPORTED_KUBERNETES_VERSIONS, {
      error: `expected one of ${SUPPORTED_KUBERNETES_VERSIONS.join(', ')} (quote it in YAML: "${SUPPORTED_KUBERNETES_VERSIONS[0]}")`,
    }),
    network: networkSchema,
    endpoint: endpointSchema.default({ publicAccess: false, publicAccessCidrs: [], privateAccessCidrs: [] }),
    logging: loggingSchema.default({ controlPlaneLogTypes: [...CONTROL_PLANE_LOG_TYPES], retentionDays: 365 }),
    encryption: encryptionSchema.default({ secrets: true }),
    systemNodeGroup: nodeGroupSchema,
    adminPrincipals: z
      .array(text('an IAM role or user ARN like arn:aws:iam::123456789012:role/platform-admin', IAM_PRINCIPAL_ARN))
      .min(1, { error: 'expected at least one IAM principal ARN (the cluster grants no implicit creator admin)' }),
    tenants: z.array(tenantSchema).default([]),
    addons: addonsSchema.default({ gatekeeper: true, argocd: true, monitoring: true, externalSecrets: true, karpenter: true, ingress: false }),
    ingress: ingressSchema.optional(),
    gatekeeper: gatekeeperSchema.default({ enforcementAction: 'deny', replicas: 3, auditIntervalSeconds: 60 }),
    /**
     * Registries workloads may pull from (allowed-registries): `host[:port][/path]`, host exact or
     * `*.`-prefixed. @default the account's ECR in the stack's region (charts/gatekeeper/registries.ts);
     * the add-ons' own registries are always added, scoped to their images.
     */
    registries: z
      .array(text('a registry like 123456789012.dkr.ecr.eu-west-1.amazonaws.com, *.example.com or registry.example.com:5000/team (a host with a dot or a port, or localhost)', REGISTRY))
      .min(1, { error: 'expected at least one registry (leave the key out for the account\'s own ECR)' })
      .optional(),
    argocd: argocdSchema.default({ ha: false, adminEnabled: false }),
    monitoring: monitoringSchema.default({ retention: '15d', storageGiB: 50, prometheusReplicas: 1 }),
    karpenter: karpenterSchema.default({ cpuLimit: 100, memoryLimitGiB: 400, allowSpot: true }),
    delivery: deliverySchema.default({ mode: 'pulumi', inClusterStack: 'same', revision: 'main' }),
    tags: z
      .record(
        text('a tag key', /^[\w.:/=+@ -]{1,128}$/),
        z.string({ error: 'expected a text tag value (quote numbers and booleans in YAML, e.g. "1234")' }).max(256, { error: 'expected a tag value of at most 256 characters' }),
      )
      .default({}),
  })
  .superRefine((c, ctx) => {
    const fail = (path: (string | number)[], input: unknown, message: string) =>
      ctx.addIssue({ code: 'custom', path, input, message });

    if (!c.region || !c.network?.availabilityZones) return;
    c.network.availabilityZones.forEach((az, i) => {
      if (!az.startsWith(c.region)) fail(['network', 'availabilityZones', i], az, `is not in region ${c.region}`);
    });

    const allowed = c.aws.allowedAccountIds;
    if (allowed && (allowed.length !== 1 || allowed[0] !== c.accountId)) {
      fail(['aws', 'allowedAccountIds'], allowed, `must be [${c.accountId}] (platform:accountId) or left out: the program allows only that account`);
    }

    const { publicAccess, publicAccessCidrs } = c.endpoint;
    if (publicAccess && publicAccessCidrs.length === 0) {
      fail(['endpoint', 'publicAccessCidrs'], publicAccessCidrs, 'must list the networks allowed to reach the public endpoint (EKS would otherwise open it to 0.0.0.0/0)');
    }
    if (!publicAccess && publicAccessCidrs.length > 0) {
      fail(['endpoint', 'publicAccessCidrs'], publicAccessCidrs, 'is set but publicAccess is false (remove it, or turn publicAccess on)');
    }

    const vpc = parseCidr(c.network.vpcCidr);

    // The deployer's way to the API endpoint (the in-cluster half is applied through it).
    const { privateAccessCidrs } = c.endpoint;
    if (!publicAccess && privateAccessCidrs.length === 0) {
      fail(['endpoint', 'privateAccessCidrs'], privateAccessCidrs, 'must list the networks the in-cluster half is applied from when the endpoint is private only (VPN, transit gateway or CI runner ranges), or open an allowlisted public endpoint for the bootstrap (see docs/operations.md)');
    }
    const outsideVpc = privateAccessCidrs.filter((range) => {
      const parsed = parseCidr(range);
      return vpc && parsed && !(parsed.prefix >= vpc.prefix && overlaps(parsed, vpc));
    });
    if (!c.network.transitGatewayId) {
      const i = privateAccessCidrs.findIndex((r) => outsideVpc.includes(r));
      if (i >= 0) {
        fail(['endpoint', 'privateAccessCidrs', i], privateAccessCidrs[i], `is outside the VPC ${c.network.vpcCidr} and nothing routes there (set platform:network.transitGatewayId to route it through your transit gateway)`);
      }
    }
    if (!publicAccess && c.delivery.inClusterStack === 'same' && !c.network.transitGatewayId && privateAccessCidrs.length > 0) {
      fail(['delivery', 'inClusterStack'], 'same', 'must be separate when the endpoint is private only and no transit gateway connects the deployer (the run that creates the VPC could not reach its endpoint; run the in-cluster stack from inside the VPC afterwards)');
    }

    const tenantNames = new Set<string>();
    c.tenants.forEach((t, i) => {
      if ((RESERVED_NAMESPACES as readonly string[]).includes(t.name)) {
        fail(['tenants', i, 'name'], t.name, `is reserved for the platform (reserved: ${RESERVED_NAMESPACES.join(', ')})`);
      }
      if (tenantNames.has(t.name)) fail(['tenants', i, 'name'], t.name, 'is used by another tenant (tenant names must be unique)');
      tenantNames.add(t.name);
      if (t.teamGroup.startsWith('system:')) {
        fail(['tenants', i, 'teamGroup'], t.teamGroup, 'must not start with system: (reserved by Kubernetes; EKS access entries refuse such groups)');
      }
    });
    // EKS keeps one access entry per IAM principal: a principal listed twice would fail at create.
    const principalOwner = new Map<string, string>();
    c.adminPrincipals.forEach((arn) => principalOwner.set(arn, 'platform:adminPrincipals'));
    c.tenants.forEach((t, i) =>
      t.principals.forEach((arn, j) => {
        const owner = principalOwner.get(arn);
        if (owner) fail(['tenants', i, 'principals', j], arn, `is already mapped by ${owner} (EKS allows one access entry per principal)`);
        else principalOwner.set(arn, `platform:tenants[${i}].principals`);
      }),
    );

    if (c.addons.monitoring && !c.addons.externalSecrets) {
      fail(['addons', 'externalSecrets'], false, 'must be true when monitoring is on (Grafana\'s admin password reaches the cluster from Secrets Manager through External Secrets)');
    }

    for (const issue of ingressConfigIssues(c)) fail(issue.path, issue.input, issue.message);

    if (c.environment === 'prod') {
      if (publicAccess) {
        publicAccessCidrs.forEach((range, i) => {
          const parsed = parseCidr(range);
          if (parsed && parsed.prefix === 0) {
            fail(['endpoint', 'publicAccessCidrs', i], range, 'opens the prod API endpoint to the whole internet (prod accepts only the private endpoint or a narrow allowlist)');
          }
        });
      }
      if (!c.encryption.secrets) {
        fail(['encryption', 'secrets'], false, 'must be true in prod (Secrets envelope encryption, CIS EKS 5.3.1)');
      }
      const missing = CONTROL_PLANE_LOG_TYPES.filter((t) => !c.logging.controlPlaneLogTypes.includes(t));
      if (missing.length > 0) {
        fail(['logging', 'controlPlaneLogTypes'], c.logging.controlPlaneLogTypes, `must include all five log types in prod (missing: ${missing.join(', ')}; CIS EKS 2.1.1)`);
      }
      if (c.argocd.adminEnabled) fail(['argocd', 'adminEnabled'], true, 'must be false in prod (use SSO)');
      if (c.gatekeeper.enforcementAction !== 'deny') {
        fail(['gatekeeper', 'enforcementAction'], c.gatekeeper.enforcementAction, 'must be deny in prod (warn and dryrun are for dev)');
      }
    }
    if (vpc && publicAccess) {
      publicAccessCidrs.forEach((range, i) => {
        const parsed = parseCidr(range);
        if (parsed && parsed.prefix > 0 && overlaps(parsed, vpc)) {
          fail(['endpoint', 'publicAccessCidrs', i], range, `overlaps the VPC range ${c.network.vpcCidr} (list public networks; in-VPC clients use the private endpoint)`);
        }
      });
    }
  });

/** The validated configuration every module reads. */
export type PlatformConfig = DeepReadonly<z.output<typeof stackSchema>>;
export type TenantConfig = PlatformConfig['tenants'][number];

type DeepReadonly<T> = T extends (infer U)[]
  ? readonly DeepReadonly<U>[]
  : T extends object
    ? { readonly [K in keyof T]: DeepReadonly<T[K]> }
    : T;

// ---------------------------------------------------------------------------------------------
// Turning raw stack config into PlatformConfig.

/** Keys outside the project namespace that a stack file may carry. */
const PROVIDER_NAMESPACES = ['aws', 'kubernetes'] as const;

/**
 * Validates raw stack config: a map of `namespace:key` (or bare `key`, meaning `platform:key`)
 * to values as written in `Pulumi.<stack>.yaml` or as the Pulumi runtime reports them.
 * Throws a UserError whose message is one line naming `source`, the key, the value and what is accepted.
 */
export function parseStackConfig(raw: Readonly<Record<string, unknown>>, source: string): PlatformConfig {
  const project: Record<string, unknown> = {};
  /** Top-level values YAML typed as numbers or booleans, as written (the runtime hands them over as text). */
  const typed = new Map<string, unknown>();
  for (const [fullKey, value] of Object.entries(raw)) {
    if (fullKey !== fullKey.trim()) {
      throw new UserError(`${source}: ${quoteKey(fullKey)}: key has leading or trailing spaces (write it as ${quoteKey(fullKey.trim())})`);
    }
    const colon = fullKey.indexOf(':');
    const namespace = colon < 0 ? PROJECT : fullKey.slice(0, colon);
    const key = colon < 0 ? fullKey : fullKey.slice(colon + 1);
    if (namespace === PROJECT || fullKey === 'aws:region') {
      const shown = namespace === PROJECT ? `${PROJECT}:${key}` : fullKey;
      checkPlainValue(value, shown, source);
      if (typeof value === 'number' || typeof value === 'boolean') {
        // Pulumi passes a top-level `1.33` or `111122223333` to the program as the text "1.33" (config.Value).
        typed.set(namespace === PROJECT ? key : 'region', value);
      }
    }
    const asText = (v: unknown): unknown => (typeof v === 'number' || typeof v === 'boolean' ? String(v) : v);
    if (namespace === PROJECT) {
      if (key === 'region') throw new UserError(`${source}: ${PROJECT}:region: unknown key (set the region as aws:region)`);
      if (key === 'aws') throw new UserError(`${source}: ${PROJECT}:aws: unknown key (set AWS provider settings as aws:<key>, e.g. aws:profile)`);
      project[key] = decodeRuntimeValue(asText(value));
    } else if (fullKey === 'aws:region') {
      project.region = asText(value);
    } else if (namespace === 'aws') {
      if (AWS_STATIC_CREDENTIAL_KEYS.includes(key)) {
        throw new UserError(`${source}: ${fullKey}: static credentials are not read from stack config (use aws:profile, aws:assumeRoles or credentials from the environment)`);
      }
      if (!(AWS_CONFIG_KEYS as readonly string[]).includes(key)) {
        throw new UserError(`${source}: ${quoteKey(fullKey)}: unknown key (accepted: ${AWS_CONFIG_KEYS.map((k) => `aws:${k}`).join(', ')}; the program builds its own AWS provider and forwards only these)`);
      }
      checkPlainValue(value, fullKey, source);
      project.aws = { ...(project.aws as object | undefined), [key]: decodeRuntimeValue(value) };
    } else if (!(PROVIDER_NAMESPACES as readonly string[]).includes(namespace)) {
      throw new UserError(`${source}: ${fullKey}: unknown config namespace '${namespace}' (accepted: ${PROJECT}:<key>, ${PROVIDER_NAMESPACES.map((n) => `${n}:<key>`).join(', ')})`);
    }
  }
  if (!('aws:region' in raw)) {
    throw new UserError(`${source}: aws:region: missing (expected an AWS region like eu-west-1)`);
  }
  const result = stackSchema.safeParse(project, { reportInput: true });
  if (!result.success) {
    // A typo shows up both as an unknown key and as the missing key it was meant to be: name the typo.
    const issues = [...result.error.issues].sort((a, b) => rank(a) - rank(b));
    throw new UserError(`${source}: ${describeIssue(issues[0], project, typed)}`);
  }
  return deepFreeze(result.data) as PlatformConfig;
}

/** The in-cluster stack's file (`Pulumi.<stack>-cluster.yaml`): the AWS stack it belongs to, and who runs it. */
export interface ClusterStackConfig {
  /** The AWS stack: a stack name of this project (`prod`) or `<organization>/<project>/<stack>`. */
  readonly awsStack: string;
  /** AWS settings for `aws eks get-token` on the machine this stack runs from. */
  readonly aws: PlatformConfig['aws'];
}

const STACK_REFERENCE = /^([\w.-]{1,100}|[\w.-]{1,100}\/[\w.-]{1,100}\/[\w.-]{1,100})$/;

/** Whether raw stack config is an in-cluster stack's (it names its AWS stack). */
export function isClusterStackConfig(raw: Readonly<Record<string, unknown>>): boolean {
  return `${PROJECT}:awsStack` in raw || 'awsStack' in raw;
}

/**
 * Validates an in-cluster stack's file: `platform:awsStack` and the `aws:` settings get-token needs;
 * every other platform setting lives in the AWS stack's file, and is refused here, naming where it belongs.
 */
export function parseClusterStackConfig(raw: Readonly<Record<string, unknown>>, source: string): ClusterStackConfig {
  let awsStack: unknown;
  const awsRaw: Record<string, unknown> = {};
  for (const [fullKey, value] of Object.entries(raw)) {
    const colon = fullKey.indexOf(':');
    const namespace = colon < 0 ? PROJECT : fullKey.slice(0, colon);
    const key = colon < 0 ? fullKey : fullKey.slice(colon + 1);
    if (namespace === PROJECT && key === 'awsStack') awsStack = value;
    else if (namespace === PROJECT) {
      throw new UserError(`${source}: ${quoteKey(`${PROJECT}:${key}`)}: not read by an in-cluster stack (set it in the AWS stack's file; this stack takes the AWS stack's validated config from its outputs)`);
    } else if (namespace === 'aws' && (key === 'profile' || key === 'assumeRoles')) {
      checkPlainValue(value, fullKey, source);
      awsRaw[key] = decodeRuntimeValue(value);
    } else if (namespace !== 'kubernetes') {
      throw new UserError(`${source}: ${quoteKey(fullKey)}: unknown key for an in-cluster stack (accepted: ${PROJECT}:awsStack, aws:profile, aws:assumeRoles)`);
    }
  }
  if (typeof awsStack !== 'string' || !STACK_REFERENCE.test(awsStack)) {
    throw new UserError(`${source}: ${PROJECT}:awsStack: expected the AWS stack's name (prod) or <organization>/<project>/<stack> (got ${formatValue(awsStack)})`);
  }
  const aws = awsSchema.safeParse(awsRaw, { reportInput: true });
  if (!aws.success) throw new UserError(`${source}: ${describeIssue({ ...aws.error.issues[0], path: ['aws', ...aws.error.issues[0].path] } as z.core.$ZodIssue, { aws: awsRaw })}`);
  return deepFreeze({ awsStack, aws: aws.data }) as ClusterStackConfig;
}

/**
 * Reads and validates a stack config file (`Pulumi.<stack>.yaml` format: a top-level `config:` map).
 * Missing, empty, unreadable or malformed files are UserErrors naming the file.
 */
export function readStackConfigFile(file: string): PlatformConfig {
  return parseStackConfig(readStackConfigFileRaw(file), file);
}

/** The `config:` map of a stack file, unvalidated (what the Pulumi CLI would hand the program). */
export function readStackConfigFileRaw(file: string): Record<string, unknown> {
  let textContent: string;
  try {
    textContent = fs.readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new UserError(`${file}: no such file (expected a stack config like Pulumi.dev.yaml)`);
    if (code === 'EISDIR') throw new UserError(`${file}: is a directory (expected a stack config file like Pulumi.dev.yaml)`);
    throw new UserError(`${file}: cannot read (${code ?? 'error'})`);
  }
  const doc = parseConfigYaml(textContent, file);
  if (doc === null || doc === undefined) throw new UserError(`${file}: file is empty (expected a top-level 'config:' map)`);
  if (typeof doc !== 'object' || Array.isArray(doc)) {
    throw new UserError(`${file}: top level is ${describeType(doc)} (expected a map with a 'config:' key)`);
  }
  const allowedTop = ['config', 'encryptionsalt', 'secretsprovider', 'encryptedkey', 'environment'];
  for (const key of Object.keys(doc)) {
    if (!allowedTop.includes(key)) {
      throw new UserError(`${file}: ${key}: unknown top-level key (accepted: ${allowedTop.join(', ')})`);
    }
  }
  const config = (doc as Record<string, unknown>).config;
  if (config === undefined || config === null) throw new UserError(`${file}: config: missing (expected a map of ${PROJECT}:<key> settings)`);
  if (typeof config !== 'object' || Array.isArray(config)) {
    throw new UserError(`${file}: config: is ${describeType(config)} (expected a map of ${PROJECT}:<key> settings)`);
  }
  return config as Record<string, unknown>;
}

/**
 * YAML as Pulumi reads stack files (Go yaml.v3): merge keys (`<<: *anchor`) are honoured; duplicate
 * keys are refused, naming the key.
 */
function parseConfigYaml(textContent: string, file: string): unknown {
  try {
    return parseYamlText(textContent, { prettyErrors: true, uniqueKeys: true, merge: true, maxAliasCount: 100 });
  } catch (err) {
    if (!(err instanceof YAMLParseError)) throw err;
    let message = yamlErrorMessage(err, file);
    if (err.code === 'DUPLICATE_KEY') {
      const key = /^[ \t]*("(?:[^"\\\n]|\\.)*"|'[^'\n]*'|[^\n]+?)[ \t]*:(?:[ \t]|\r?\n|$)/.exec(textContent.slice(err.pos[0]))?.[1];
      if (key) message += ` (duplicate key ${clip(key.replace(/^["']|["']$/g, ''))}; keep one)`;
    }
    throw new UserError(message);
  }
}

/**
 * Refuses what a plain setting cannot be: an encrypted Pulumi secret (`secure:`) anywhere in the
 * value, or a nested key with leading or trailing spaces. Names the key, never echoes a secret.
 */
function checkPlainValue(value: unknown, key: string, source: string): void {
  if (isSecureValue(value)) {
    throw new UserError(`${source}: ${key}: is an encrypted secret (secure:), but secrets are not accepted for this key (it holds no credential: write the plain value)`);
  }
  if (Array.isArray(value)) value.forEach((v, i) => checkPlainValue(v, `${key}[${i}]`, source));
  else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (k !== k.trim()) throw new UserError(`${source}: ${key}.${quoteKey(k)}: key has leading or trailing spaces (write it as ${quoteKey(k.trim())})`);
      checkPlainValue(v, `${key}.${quoteKey(k)}`, source);
    }
  }
}

/** A Pulumi secret as a stack file holds it: `{secure: <ciphertext>}`. */
function isSecureValue(value: unknown): boolean {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length === 1 && typeof (value as { secure?: unknown }).secure === 'string';
}

/** A key as messages show it: quoted when it has spaces or unusual characters, cut when very long. */
function quoteKey(key: string): string {
  return /^[\w.:/@-]+$/.test(key) ? clip(key) : clip(JSON.stringify(key));
}

function clip(text: string): string {
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/**
 * Reads the running stack's config from the Pulumi runtime (what `pulumi up -s <stack>` passes in).
 * Same validation as for files.
 */
export function loadStackConfigFromRuntime(allConfig: Readonly<Record<string, string>>, stack: string): PlatformConfig {
  return parseStackConfig(allConfig, `Pulumi.${stack}.yaml`);
}

/** The runtime passes structured values as JSON text; YAML files give them as values already. */
function decodeRuntimeValue(value: unknown): unknown {
  if (typeof value === 'string' && /^\s*[[{]/.test(value)) {
    try {
      return JSON.parse(value);
    } catch {
      return value;
    }
  }
  return value;
}

function rank(issue: z.core.$ZodIssue): number {
  return issue.code === 'unrecognized_keys' ? 0 : 1;
}

function describeIssue(issue: z.core.$ZodIssue, root: Record<string, unknown>, typed: ReadonlyMap<string, unknown> = new Map()): string {
  const key = formatKey(issue.path);
  if (issue.code === 'unrecognized_keys') {
    const parentShape = shapeAt(issue.path);
    const unknown = issue.keys[0];
    // The region is the AWS provider's setting (aws:region), not a key of this project.
    const names = parentShape ? Object.keys(parentShape).filter((n) => issue.path.length > 0 || (n !== 'region' && n !== 'aws')) : [];
    const guess = closest(unknown, names);
    const hint = guess ? `did you mean ${guess}? ` : '';
    const accepted = names.length > 0 ? ` (${hint}accepted: ${names.join(', ')})` : '';
    const full = issue.path.length === 0 ? `${PROJECT}:${quoteKey(unknown)}` : `${key}.${quoteKey(unknown)}`;
    return `${full}: unknown key${accepted}`;
  }
  const message = plainMessage(issue);
  const present = hasPath(root, issue.path);
  if (!present && issue.code === 'invalid_type') {
    return `${key}: missing (${message.replace(/^expected a string: /, 'expected ')})`;
  }
  const top = issue.path.length === 1 ? String(issue.path[0]) : undefined;
  const written = top !== undefined && typed.has(top);
  const input = written ? typed.get(top) : 'input' in issue ? issue.input : valueAt(root, issue.path);
  return `${key}: ${message} (got ${formatValue(input)}${hint(issue, input, written, message)})`;
}

/** Zod's own wording ("Invalid input: expected array, received string") in this file's terms. */
function plainMessage(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_type' && /^Invalid input/.test(issue.message)) {
    const names: Record<string, string> = { array: 'a list', object: 'a map', record: 'a map', string: 'a string', number: 'a number', boolean: 'true or false' };
    return `expected ${names[issue.expected] ?? issue.expected}`;
  }
  if ((issue.code === 'too_big' || issue.code === 'too_small') && /^Too (big|small)/.test(issue.message)) {
    const bound = issue.code === 'too_big' ? 'at most' : 'at least';
    const unit = issue.origin === 'string' ? ' characters' : issue.origin === 'array' ? ' entries' : '';
    return `expected ${bound} ${String(issue.code === 'too_big' ? issue.maximum : issue.minimum)}${unit}`;
  }
  return issue.message;
}

/** What likely went wrong, for mistakes YAML makes easy. Empty when there is nothing to add. */
function hint(issue: z.core.$ZodIssue, input: unknown, written: boolean, message: string): string {
  if (typeof input === 'string' && issue.code === 'invalid_type' && issue.expected === 'array' && input.includes(',')) {
    return `; write a YAML list: [${input.split(',').map((p) => p.trim()).filter(Boolean).join(', ')}]`;
  }
  if (written && typeof input === 'number' && !/quote/.test(message)) return '; YAML read the unquoted value as a number: quote it';
  if (typeof input === 'string' && issue.path[0] === 'region' && issue.path.length === 1 && input !== input.toLowerCase() && /^[a-z]{2}(-[a-z]+)+-\d$/.test(input.toLowerCase())) {
    return `; region names are lowercase: did you mean ${input.toLowerCase()}?`;
  }
  if (typeof input === 'string' && input.length > 80) return `, ${input.length} characters`;
  return '';
}

/** The accepted name nearest to a typo, when it is near enough to be the likely intent. */
function closest(typo: string, names: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(typo.length / 3)) + 1;
  for (const name of names) {
    const d = editDistance(typo.toLowerCase(), name.toLowerCase());
    if (d < bestDistance) {
      best = name;
      bestDistance = d;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = row;
  }
  return prev[b.length];
}

function formatKey(path: readonly PropertyKey[]): string {
  if (path.length === 0) return `${PROJECT}:`;
  // The region comes from the AWS provider's key.
  if (path[0] === 'aws' && path.length === 1) return 'aws:';
  const aws = path[0] === 'aws';
  let out = path[0] === 'region' ? 'aws:region' : aws ? `aws:${quoteKey(String(path[1]))}` : `${PROJECT}:${quoteKey(String(path[0]))}`;
  for (const part of path.slice(aws ? 2 : 1)) out += typeof part === 'number' ? `[${part}]` : `.${quoteKey(String(part))}`;
  return out;
}

function shapeAt(path: readonly PropertyKey[]): Record<string, unknown> | undefined {
  let schema: unknown = stackSchema;
  for (const part of path) {
    schema = unwrap(schema);
    if (typeof part === 'number') {
      schema = (schema as z.ZodArray<z.ZodType>)?.element;
    } else {
      schema = (schema as z.ZodObject)?.shape?.[String(part)];
    }
  }
  schema = unwrap(schema);
  return (schema as z.ZodObject | undefined)?.shape;
}

function unwrap(schema: unknown): unknown {
  let s = schema as { def?: { type?: string; innerType?: unknown; in?: unknown; schema?: unknown } } | undefined;
  for (let i = 0; i < 8 && s?.def; i++) {
    const t = s.def.type;
    if (t === 'default' || t === 'optional' || t === 'nullable' || t === 'prefault') s = s.def.innerType as typeof s;
    else if (t === 'pipe') s = s.def.in as typeof s;
    else break;
  }
  return s;
}

function hasPath(root: unknown, path: readonly PropertyKey[]): boolean {
  let node: unknown = root;
  for (const part of path) {
    if (node === null || typeof node !== 'object' || !(part in (node as object))) return false;
    node = (node as Record<PropertyKey, unknown>)[part];
  }
  return node !== undefined;
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let node: unknown = root;
  for (const part of path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<PropertyKey, unknown>)[part];
  }
  return node;
}

function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a map';
  return `a ${typeof value} (${formatValue(value)})`;
}

/** Renders a bad value for an error message: short, one line, secrets never echoed in full. */
function formatValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (typeof value === 'object' && value !== null && 'secure' in value) return 'an encrypted secret';
  const json = JSON.stringify(value) ?? String(value);
  return json.length > 80 ? `${json.slice(0, 77)}...` : json;
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

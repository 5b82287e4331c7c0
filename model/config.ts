/**
 * The stack configuration schema: what `Pulumi.<stack>.yaml` may hold and what the validated,
 * typed config every module reads looks like. Rules: unknown keys are refused at every level (a typo
 * must not fall back to a default), values are type- and range-checked, and cross-field rules keep
 * prod hardened.
 *
 * Reading a stack file or the Pulumi runtime's config into this schema, and turning its issues into
 * one-line errors, is lib/config/ (load.ts, explain.ts): this module is data and rules only, so
 * every layer may import it.
 */
import { z } from 'zod';
import { formatCidr, isNetworkAddress, networkOf, overlaps, parseCidr } from './cidr';
import { DEFAULT_SSL_POLICY, ingressConfigIssues, TLS12_SSL_POLICY } from './ingress';
import { CONTROL_PLANE_LOG_TYPES, LOG_RETENTION_DAYS } from './logging';
import { MAX_CLUSTER_NAME_LENGTH } from './names';
import { RESERVED_NAMESPACES } from './namespaces';
import { SUPPORTED_KUBERNETES_VERSIONS } from './versions';

/** The Pulumi project name; stack config keys live in its namespace (`platform:<key>`). */
export const PROJECT = 'platform';

const DOMAIN_COMPONENT = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const PATH_COMPONENT = '[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*';
/**
 * A registry `host[:port][/path]`, host possibly `*.`-prefixed: the registry grammar of
 * distribution/reference v0.6.0 regexp.go (domainAndPort, path-component), with a host the runtime reads
 * as a registry: a dot or a port, or localhost (normalize.go splitDockerDomain takes any other single
 * name before the first `/` for a Docker Hub organisation). `platform:registries` entries are validated
 * with it here, and charts/gatekeeper/registries.ts parses them into the constraint's entries.
 */
export const REGISTRY_PATTERN = new RegExp(`^(?=(?:\\*\\.)?(?:localhost(?::[0-9]+)?(?:/|$)|[^/]*[.:]))(\\*\\.)?${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*(?::[0-9]+)?(?:/${PATH_COMPONENT})*$`);

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
export const awsSchema = z.strictObject({
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

export const stackSchema = z
  .strictObject({
    environment: z.enum(['dev', 'prod'], { error: 'expected dev or prod' }),
    region: text('an AWS region like eu-west-1', /^[a-z]{2}(-[a-z]+)+-\d$/),
    accountId: text('a 12-digit AWS account id', /^\d{12}$/),
    // At most MAX_CLUSTER_NAME_LENGTH (32): the names built from it must fit AWS's limits (model/names.ts).
    clusterName: text(`a name of 3-${MAX_CLUSTER_NAME_LENGTH} lowercase letters, digits or -, starting with a letter`, new RegExp(`^[a-z][a-z0-9-]{2,${MAX_CLUSTER_NAME_LENGTH - 1}}$`)),
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
      .array(text('a registry like 123456789012.dkr.ecr.eu-west-1.amazonaws.com, *.example.com or registry.example.com:5000/team (a host with a dot or a port, or localhost)', REGISTRY_PATTERN))
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

/** The in-cluster stack's file (`Pulumi.<stack>-cluster.yaml`): the AWS stack it belongs to, and who runs it. */
export interface ClusterStackConfig {
  /** The AWS stack: a stack name of this project (`prod`) or `<organization>/<project>/<stack>`. */
  readonly awsStack: string;
  /** AWS settings for `aws eks get-token` on the machine this stack runs from. */
  readonly aws: PlatformConfig['aws'];
}

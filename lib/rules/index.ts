/**
 * Posture rules over Pulumi resource inputs: one definition, used by `platform plan` (over the
 * resources the program registers under mocks), by the CrossGuard pack (infra/policy/) and by
 * `platform audit` (over `pulumi preview --json` new states). Pure functions: no Pulumi import.
 *
 * Props are the inputs as the program passes them: policy documents arrive as JSON strings, some
 * AWS booleans as the strings "true"/"false" (launch template EBS settings), both are accepted.
 *
 * Blocking: a finding blocks when its rule is `mandatory`, whatever its severity (as CrossGuard does;
 * see isBlocking). Environment-specific rules apply the stricter prod rule when the environment is not known.
 */
import { CONTROL_PLANE_LOG_TYPES } from '../../model/logging';
import { policyDocumentProblems, type DocumentKind } from './least-privilege';
import { compareSeverity, type Severity } from '../severity';
import { asArray, asObject, isTrue } from '../untyped';
import { TYPES } from '../resource-types';


export interface ResourceView {
  readonly type: string;
  readonly name: string;
  readonly urn?: string;
  readonly props: Record<string, unknown>;
}

export interface RuleContext {
  readonly environment?: 'dev' | 'prod';
}

export interface ResourceRule {
  readonly id: string;
  readonly description: string;
  readonly control: string;
  readonly severity: Severity;
  readonly enforcement: 'mandatory' | 'advisory';
  readonly resourceTypes: readonly string[];
  /** Violation messages; [] when the resource passes. */
  check(resource: ResourceView, ctx: RuleContext): string[];
}

export interface Finding {
  readonly id: string;
  readonly severity: Severity;
  /** `<type>::<name>` of the resource, or a stack-level subject. */
  readonly resource: string;
  readonly control: string;
  readonly message: string;
  readonly blocking: boolean;
}

// ---------------------------------------------------------------------------------------------
// Reading props.

/** Whether an EKS cluster's public endpoint is on: EKS turns it on when the flag is left out. */
function publicEndpointOn(cluster: ResourceView): boolean {
  const pub = asObject(cluster.props.vpcConfig)?.endpointPublicAccess;
  return !(pub === false || pub === 'false');
}
function nonEmptyString(value: unknown): boolean {
  return typeof value === 'string' && value.trim().length > 0;
}
function isProdOrUnknown(ctx: RuleContext): boolean {
  return ctx.environment !== 'dev';
}

/** The whole-internet ranges: a public endpoint open to these is not allowlisted. */
function isAnywhere(cidr: unknown): boolean {
  return typeof cidr === 'string' && /\/0$/.test(cidr.trim());
}

function documentRule(value: unknown, kind: DocumentKind, label: string): string[] {
  if (value === undefined || value === null || value === '') return [];
  return policyDocumentProblems(value, kind).map((p) => `${label}: ${p}`);
}

// ---------------------------------------------------------------------------------------------
// The rules.

export const RESOURCE_RULES: readonly ResourceRule[] = [
  {
    id: 'kms-key-rotation',
    description: 'Customer-managed KMS keys rotate their key material yearly',
    control: 'CIS AWS 3.6',
    severity: 'high',
    enforcement: 'mandatory',
    resourceTypes: [TYPES.kmsKey],
    check: (r) => (isTrue(r.props.enableKeyRotation) ? [] : ['enableKeyRotation is not true (turn on automatic key rotation)']),
  },
  {
    id: 'eks-secrets-encryption',
    description: 'Kubernetes Secrets are envelope-encrypted with a customer-managed KMS key',
    control: 'CIS EKS 5.3.1',
    severity: 'critical',
    enforcement: 'mandatory',
    resourceTypes: [TYPES.cluster],
    check: (r) => {
      const configs = asArray(r.props.encryptionConfig ?? undefined).concat(asObject(r.props.encryptionConfig) ? [r.props.encryptionConfig] : []);
      const secrets = configs.map(asObject).find((c) => asArray(c?.resources).includes('secrets'));
      if (!secrets) return ['encryptionConfig does not cover resources ["secrets"] (envelope-encrypt Secrets with a KMS key)'];
      return nonEmptyString(asObject(secrets.provider)?.keyArn) ? [] : ['encryptionConfig.provider.keyArn is not set (name the customer-managed KMS key)'];
    },
  },
  {
    id: 'eks-control-plane-logging',
    description: 'All five control-plane log types go to CloudWatch Logs',
    control: 'CIS EKS 2.1.1',
    severity: 'high',
    enforcement: 'mandatory',
    resourceTypes: [TYPES.cluster],
    check: (r) => {
      const enabled = asArray(r.props.enabledClusterLogTypes);
      const missing = CONTROL_PLANE_LOG_TYPES.filter((t) => !enabled.includes(t));
      return missing.length === 0 ? [] : [`enabledClusterLogTypes is missing ${missing.join(', ')} (enable all of ${CONTROL_PLANE_LOG_TYPES.join(', ')})`];
    },
  },
  {
    id: 'eks-private-endpoint',
    description: 'The private API endpoint is on, so nodes and in-VPC clients never leave the VPC',
    control: 'CIS EKS 5.4.2',
    severity: 'high',
    enforcement: 'mandatory',
    resourceTypes: [TYPES.cluster],
    check: (r) => (isTrue(asObject(r.props.vpcConfig)?.endpointPrivateAccess) ? [] : ['vpcConfig.endpointPrivateAccess is not true (turn on the private endpoint)']),
  },
  {
    id: 'eks-public-endpoint-prod',
    description: 'Production clusters have no public API endpoint',
    control: 'CIS EKS 5.4.2',
    severity: 'high',
    enforcement: 'mandatory',
    resourceTypes: [TYPES.cluster],
    check: (r, ctx) => {
      if (!isProdOrUnknown(ctx)) return [];
      return publicEndpointOn(r) ? ['vpcConfig.endpointPublicAccess is not false in prod (use the private endpoint only)'] : [];
    },
  },
  {
    id: 'eks-public-endpoint-allowlist',
    description: 'A public API endpoint, when on, is reachable only from an allowlist, never 0.0.0.0/0',
    control: 'CIS EKS 5.4.1',
    severity: 'high',
    enforcement: 'mandatory',
    resourceTypes: [TYPES.cluster],
    check: (r) => {
      if (!publicEndpointOn(r)) return [];
      const cidrs = asArray(asObject(r.props.vpcConfig)?.publicAccessCidrs);
      if (cidrs.length === 0) return ['public endpoint without publicAccessCidrs is open to 0.0.0.0/0 (list the allowed networks)'];
      const open = cidrs.filter(isAnywhere);
      return open.length === 0 ? [] : [`publicAccessCidrs contains ${open.join(', ')} (list narrow networks only)`];
    },
  },
  {
    id: 'eks-public-endpoint',
    description: 'The API endpoint is not reachable from the internet',
    control: 'CIS EKS 5.4.2',
    severity: 'medium',
    enforcement: 'advisory',
    resourceTypes: [TYPES.cluster],
    check: (r) => {
      if (!publicEndpointOn(r)) return [];
      const cidrs = asArray(asObject(r.props.vpcConfig)?.publicAccessCidrs).map(String);
      return [`public API endpoint is on${cidrs.length ? ` (allowlisted: ${cidrs.join(', ')})` : ''}`];
    },
  },
  {
    id: 'eks-no-creator-admin',
    description: 'Cluster access goes through access entries (API mode), with no implicit cluster-admin for the creator',
    control: 'CIS EKS 4.1.1',
    severity: 'high',
    enforcement: 'mandatory',
    resourceTypes: [TYPES.cluster],
    check: (r) => {
      const access = asObject(r.props.accessConfig);
      const problems: string[] = [];
      const mode = access?.authenticationMode;
      if (mode !== 'API' && mode !== 'API_AND_CONFIG_MAP') problems.push(`accessConfig.authenticationMode is ${JSON.stringify(mode ?? 'CONFIG_MAP')} (use API with access entries)`);
      if (access?.bootstrapClusterCreatorAdminPermissions !== false) problems.push('accessConfig.bootstrapClusterCreatorAdminPermissions is not false (grant admins through access entries)');
      return problems;
    },
  },
  {
    id: 'nodes-private',
    description: 'Nodes get no public IP address and no SSH remote access',
    control: 'CIS EKS 5.4.3',
    severity: 'high',
    enforcement: 'mandatory',
    resourceTypes: [TYPES.nodeGroup, TYPES.launchTemplate],
    check: (r) => {
      if (r.type === TYPES.nodeGroup) {
        return r.props.remoteAccess ? ['remoteAccess is set (no SSH to nodes; use SSM Session Manager)'] : [];
      }
      const publicNics = asArray(r.props.networkInterfaces).filter((n) => isTrue(asObject(n)?.associatePublicIpAddress));
      return publicNics.length ? ['networkInterfaces associate a public IP address (nodes stay in private subnets)'] : [];
    },
  },
  {
    id: 'imdsv2-hop-limit',
    description: 'Instance metadata requires IMDSv2 tokens with a hop limit of 1, so pods cannot reach node credentials',
    control: 'CIS AWS 5.6',
    severity: 'high',
    enforcement: 'mandatory',
    resourceTypes: [TYPES.launchTemplate],
    check: (r) => {
      const md = asObject(r.props.metadataOptions);
      const problems: string[] = [];
      if (md?.httpTokens !== 'required') problems.push(`metadataOptions.httpTokens is ${JSON.stringify(md?.httpTokens ?? 'optional')} (set required: IMDSv2 only)`);
      const hops = md?.httpPutResponseHopLimit;
      if (hops !== 1 && hops !== '1') problems.push(`metadataOptions.httpPutResponseHopLimit is ${JSON.stringify(hops ?? 'unset')} (set 1 so pods cannot reach the node's metadata)`);
      return problems;
    },
  },
  {
    id: 'ebs-encrypted',
    description: 'EBS volumes are encrypted (with the platform EBS key)',
    control: 'CIS AWS 2.2.1',
    severity: 'high',
    enforcement: 'mandatory',
    resourceTypes: [TYPES.launchTemplate, TYPES.ebsVolume],
    check: (r) => {
      if (r.type === TYPES.ebsVolume) return isTrue(r.props.encrypted) ? [] : ['encrypted is not true'];
      const mappings = asArray(r.props.blockDeviceMappings).map(asObject);
      if (mappings.length === 0) return ['blockDeviceMappings is empty (declare the root volume, encrypted)'];
      return mappings.flatMap((m, i) => {
        const ebs = asObject(m?.ebs);
        const device = String(m?.deviceName ?? `#${i}`);
        if (!ebs) return [];
        const problems: string[] = [];
        if (!isTrue(ebs.encrypted)) problems.push(`blockDeviceMappings ${device}: ebs.encrypted is not true`);
        if (!nonEmptyString(ebs.kmsKeyId)) problems.push(`blockDeviceMappings ${device}: ebs.kmsKeyId is not set (use the customer-managed EBS key)`);
        return problems;
      });
    },
  },
  {
    id: 'iam-least-privilege',
    description: 'Policy documents grant no "*" action, "*" resource only where AWS has no narrower resource and a Condition limits it, security group rule changes only under a Condition, and DNS record changes only on named hosted zones',
    control: 'CIS AWS 1.16',
    severity: 'high',
    enforcement: 'mandatory',
    resourceTypes: [TYPES.role, TYPES.policy, TYPES.rolePolicy, TYPES.kmsKey, TYPES.queuePolicy, TYPES.topicPolicy],
    check: (r) => {
      switch (r.type) {
        case TYPES.role:
          return [
            ...documentRule(r.props.assumeRolePolicy, 'trust', 'assumeRolePolicy'),
            ...asArray(r.props.inlinePolicies).flatMap((p, i) => documentRule(asObject(p)?.policy, 'identity', `inlinePolicies[${String(asObject(p)?.name ?? i)}]`)),
          ];
        case TYPES.kmsKey:
        case TYPES.queuePolicy:
        case TYPES.topicPolicy:
          return documentRule(r.props.policy, 'resource', 'policy');
        default:
          return documentRule(r.props.policy, 'identity', 'policy');
      }
    },
  },
  {
    id: 'sns-topic-encrypted',
    description: 'SNS topics are encrypted at rest with a KMS key',
    control: 'AWS FSBP SNS.1',
    severity: 'medium',
    enforcement: 'mandatory',
    resourceTypes: [TYPES.snsTopic],
    check: (r) => (nonEmptyString(r.props.kmsMasterKeyId) ? [] : ['kmsMasterKeyId is not set (encrypt the topic with a customer-managed key that lets its publishers use it)']),
  },
  {
    id: 'eks-addon-pinned',
    description: 'EKS managed add-ons run a pinned version',
    control: 'EKS BP: pinned add-ons',
    severity: 'medium',
    enforcement: 'mandatory',
    resourceTypes: [TYPES.addon],
    check: (r) => (nonEmptyString(r.props.addonVersion) ? [] : [`addonVersion is not set for ${String(r.props.addonName ?? r.name)} (pin an eksbuild version)`]),
  },
  {
    id: 'vpc-cni-network-policy',
    description: 'The VPC CNI enforces Kubernetes NetworkPolicies',
    control: 'CIS EKS 5.4.4',
    severity: 'high',
    enforcement: 'mandatory',
    resourceTypes: [TYPES.addon],
    check: (r) => {
      if (r.props.addonName !== 'vpc-cni') return [];
      let values: Record<string, unknown> | undefined;
      try {
        values = asObject(typeof r.props.configurationValues === 'string' ? JSON.parse(r.props.configurationValues) : r.props.configurationValues);
      } catch {
        return ['configurationValues is not valid JSON'];
      }
      return isTrue(values?.enableNetworkPolicy) ? [] : ['configurationValues.enableNetworkPolicy is not "true" (NetworkPolicies would not be enforced)'];
    },
  },
  {
    id: 'sqs-encrypted',
    description: 'SQS queues are encrypted at rest',
    control: 'AWS FSBP SQS.1',
    severity: 'medium',
    enforcement: 'mandatory',
    resourceTypes: [TYPES.queue],
    check: (r) => (isTrue(r.props.sqsManagedSseEnabled) || nonEmptyString(r.props.kmsMasterKeyId) ? [] : ['neither sqsManagedSseEnabled nor kmsMasterKeyId is set (turn on server-side encryption)']),
  },
  {
    id: 'log-group-encrypted-retained',
    description: 'Log groups are encrypted with a customer-managed key and keep logs for a set period',
    control: 'AWS FSBP CloudWatch.16',
    severity: 'medium',
    enforcement: 'mandatory',
    resourceTypes: [TYPES.logGroup],
    check: (r) => {
      const problems: string[] = [];
      if (!nonEmptyString(r.props.kmsKeyId)) problems.push('kmsKeyId is not set (encrypt with the logs KMS key)');
      const days = Number(r.props.retentionInDays ?? 0);
      if (!(days > 0)) problems.push('retentionInDays is not set (logs would be kept forever, or not at all by policy)');
      return problems;
    },
  },
];

/**
 * A mandatory rule's violation blocks, whatever its severity: that is what CrossGuard does with a
 * `mandatory` policy in `pulumi preview`, and plan and audit must agree with it. Severity ranks
 * findings in reports; enforcement decides.
 */
export function isBlocking(rule: Pick<ResourceRule, 'severity' | 'enforcement'>): boolean {
  return rule.enforcement === 'mandatory';
}

/** `<type>::<name>`: how a finding names its resource. */
export function resourceLabel(r: Pick<ResourceView, 'type' | 'name'>): string {
  return `${r.type}::${r.name}`;
}

/** Most severe first, then by rule id and resource: a stable order for output. */
export function compareFindings(a: Finding, b: Finding): number {
  return (
    compareSeverity(a.severity, b.severity) ||
    (a.id < b.id ? -1 : a.id > b.id ? 1 : 0) ||
    (a.resource < b.resource ? -1 : a.resource > b.resource ? 1 : 0) ||
    (a.message < b.message ? -1 : a.message > b.message ? 1 : 0)
  );
}

/** Every rule over every resource of its types; findings in a stable order. */
export function evaluateResources(resources: readonly ResourceView[], ctx: RuleContext): Finding[] {
  const findings: Finding[] = [];
  for (const resource of resources) {
    for (const rule of RESOURCE_RULES) {
      if (!rule.resourceTypes.includes(resource.type)) continue;
      for (const message of rule.check(resource, ctx)) {
        findings.push({ id: rule.id, severity: rule.severity, resource: resourceLabel(resource), control: rule.control, message, blocking: isBlocking(rule) });
      }
    }
  }
  return findings.sort(compareFindings);
}

export { policyDocumentProblems, type DocumentKind } from './least-privilege';

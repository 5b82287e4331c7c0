/**
 * Change rules: what a preview makes worse, judged on old vs new inputs of one resource. The state
 * rules (lib/rules) say whether the resulting resource is acceptable; these say what got weaker.
 */
import { parseCidr, overlaps } from '../../model/cidr';
import { isWildcardAction, type RuleContext, type Severity } from '../rules';
import { PROTECT_PATH, type ResourceChange } from './changes';
import { diffStatements, hasCondition, isAllow, listOf, principalsOf, readStatements, type Statement } from './policy-document';
import { SECRET, UNKNOWN } from './preview';
import { joinPath } from './values';

export interface ChangeFinding {
  readonly id: string;
  readonly severity: Severity;
  readonly control: string;
  readonly message: string;
  /** Property path the finding is about, when there is one. */
  readonly path?: string;
}

export interface DiffRule {
  readonly id: string;
  readonly description: string;
  /** Resource type tokens, or a predicate over the type. */
  readonly appliesTo: (type: string) => boolean;
  check(change: ResourceChange, ctx: RuleContext): ChangeFinding[];
}

type Props = Readonly<Record<string, unknown>>;

function obj(v: unknown): Record<string, unknown> | undefined {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}
function arr(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}
function isTrue(v: unknown): boolean {
  return v === true || v === 'true';
}
function known(v: unknown): boolean {
  return v !== UNKNOWN && v !== SECRET;
}
function oneOf(...types: string[]): (type: string) => boolean {
  return (t) => types.includes(t);
}
/** Old and new props of an update or replace; for a create (when allowed) old is empty. */
function sides(c: ResourceChange, onCreate = false): [Props, Props] | undefined {
  if (c.after === undefined) return undefined;
  if (c.before === undefined) return onCreate && (c.op === 'create' || c.op === 'import') ? [{}, c.after] : undefined;
  return [c.before, c.after];
}

const RANK: Record<Severity, number> = { low: 0, medium: 1, high: 2, critical: 3 };
export function severityAtLeast(s: Severity, min: Severity): boolean {
  return RANK[s] >= RANK[min];
}

// -----------------------------------------------------------------------------------------------
// Policy documents.

const T = {
  role: 'aws:iam/role:Role',
  rolePolicy: 'aws:iam/rolePolicy:RolePolicy',
  policy: 'aws:iam/policy:Policy',
  userPolicy: 'aws:iam/userPolicy:UserPolicy',
  groupPolicy: 'aws:iam/groupPolicy:GroupPolicy',
  attachment: 'aws:iam/rolePolicyAttachment:RolePolicyAttachment',
  kmsKey: 'aws:kms/key:Key',
  cluster: 'aws:eks/cluster:Cluster',
  nodeGroup: 'aws:eks/nodeGroup:NodeGroup',
  launchTemplate: 'aws:ec2/launchTemplate:LaunchTemplate',
  volume: 'aws:ebs/volume:Volume',
  logGroup: 'aws:cloudwatch/logGroup:LogGroup',
  sg: 'aws:ec2/securityGroup:SecurityGroup',
  sgRule: 'aws:ec2/securityGroupRule:SecurityGroupRule',
  ingressRule: 'aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule',
  queue: 'aws:sqs/queue:Queue',
  namespace: 'kubernetes:core/v1:Namespace',
} as const;

const ADMIN_POLICY = /^arn:aws[a-z-]*:iam::aws:policy\/(AdministratorAccess|IAMFullAccess|PowerUserAccess)$/;

/** The identity/resource policy documents of a resource: [path, value] pairs. */
function policyDocuments(props: Props, type: string): [string, unknown][] {
  if (type === T.role) return arr(props.inlinePolicies).map((p, i) => [`inlinePolicies[${i}].policy`, obj(p)?.policy] as [string, unknown]);
  return [['policy', props.policy]];
}

function grants(s: Statement): { actions: string[]; resources: string[] } {
  return { actions: listOf(s.Action), resources: listOf(s.Resource) };
}

const iamWildcard: DiffRule = {
  id: 'iam-wildcard-added',
  description: 'A policy statement gains a wildcard action, NotAction, or Resource "*" without a Condition',
  appliesTo: oneOf(T.role, T.rolePolicy, T.policy, T.userPolicy, T.groupPolicy, T.kmsKey, T.attachment),
  check(c) {
    const s = sides(c, true);
    if (!s) return [];
    const [before, after] = s;
    const out: ChangeFinding[] = [];
    if (c.type === T.attachment || c.type === T.role) {
      const key = c.type === T.attachment ? 'policyArn' : 'managedPolicyArns';
      const was = listOf(before[key]);
      for (const arn of listOf(after[key])) {
        if (ADMIN_POLICY.test(arn) && !was.includes(arn)) {
          out.push({ id: 'iam-admin-policy-attached', severity: 'critical', control: 'CIS AWS 1.16', path: key, message: `attaches ${arn} (administrative privileges)` });
        }
      }
      if (c.type === T.attachment) return out;
    }
    const resourcePolicy = c.type === T.kmsKey;
    const oldDocs = new Map(policyDocuments(before, c.type));
    for (const [path, value] of policyDocuments(after, c.type)) {
      const newStatements = readStatements(value);
      if (!newStatements) continue;
      const oldStatements = readStatements(oldDocs.get(path)) ?? [];
      for (const change of diffStatements(oldStatements, newStatements)) {
        if (change.status === 'unchanged' || change.status === 'removed' || !change.after || !isAllow(change.after)) continue;
        const prev = change.before && isAllow(change.before) ? grants(change.before) : { actions: [], resources: [] };
        const now = grants(change.after);
        const where = `${path} statement ${change.label}`;
        const newWild = now.actions.filter((a) => isWildcardAction(a) && !prev.actions.includes(a));
        const everything = now.actions.includes('*') && (resourcePolicy || now.resources.includes('*'));
        if (newWild.length) {
          out.push({
            id: 'iam-wildcard-added',
            severity: everything && !hasCondition(change.after) ? 'critical' : 'high',
            control: 'CIS AWS 1.16',
            path,
            message: `${where} now allows ${newWild.map((a) => JSON.stringify(a)).join(', ')}${now.resources.length ? ` on ${now.resources.map((r) => JSON.stringify(r)).join(', ')}` : ''}`,
          });
        }
        if (change.after.NotAction !== undefined && (!change.before || change.before.NotAction === undefined)) {
          out.push({ id: 'iam-wildcard-added', severity: 'high', control: 'CIS AWS 1.16', path, message: `${where} now uses Allow with NotAction (grants every other action)` });
        }
        if (!resourcePolicy && now.resources.includes('*') && !prev.resources.includes('*') && !hasCondition(change.after)) {
          out.push({ id: 'iam-wildcard-added', severity: 'high', control: 'CIS AWS 1.16', path, message: `${where} now applies to Resource "*" without a Condition` });
        }
        if (resourcePolicy) {
          const before = new Set(change.before && isAllow(change.before) ? principalsOf(change.before) : []);
          const added = principalsOf(change.after).filter((p) => !before.has(p));
          if (added.length && c.op !== 'create' && c.op !== 'import') {
            const anyone = added.includes('*') && !hasCondition(change.after);
            out.push({ id: 'kms-key-policy-widened', severity: anyone ? 'critical' : 'high', control: 'CIS AWS 1.16', path, message: `${where} grants key use to ${added.join(', ')}` });
          }
        }
      }
    }
    return out;
  },
};

const trustWidened: DiffRule = {
  id: 'iam-trust-widened',
  description: 'A role trust policy lets new principals assume the role, or loses a Condition',
  appliesTo: oneOf(T.role),
  check(c) {
    const s = sides(c);
    if (!s) return [];
    const oldStatements = readStatements(s[0].assumeRolePolicy);
    const newStatements = readStatements(s[1].assumeRolePolicy);
    if (!oldStatements || !newStatements) return [];
    const oldPrincipals = new Set(oldStatements.filter(isAllow).flatMap(principalsOf));
    const out: ChangeFinding[] = [];
    for (const change of diffStatements(oldStatements, newStatements)) {
      if (!change.after || !isAllow(change.after) || change.status === 'unchanged') continue;
      const where = `assumeRolePolicy statement ${change.label}`;
      const added = principalsOf(change.after).filter((p) => !oldPrincipals.has(p));
      if (added.length) {
        const anyone = added.includes('*') && !hasCondition(change.after);
        out.push({ id: 'iam-trust-widened', severity: anyone ? 'critical' : 'high', control: 'CIS EKS 5.2.1', path: 'assumeRolePolicy', message: `${where} lets ${added.join(', ')} assume the role${anyone ? ' (anyone)' : ''}` });
      }
      if (change.before && isAllow(change.before)) {
        const was = conditionKeys(change.before);
        const now = new Set(conditionKeys(change.after));
        const lost = was.filter((k) => !now.has(k));
        if (lost.length) {
          out.push({ id: 'iam-trust-widened', severity: 'high', control: 'CIS EKS 5.2.1', path: 'assumeRolePolicy', message: `${where} no longer requires ${lost.join(', ')}` });
        }
      }
    }
    return out;
  },
};

/** `<operator> <key>=<values>` for each condition entry, so narrowing and removal both show. */
function conditionKeys(s: Statement): string[] {
  const cond = obj(s.Condition);
  if (!cond) return [];
  return Object.entries(cond).flatMap(([op, entries]) => Object.entries(obj(entries) ?? {}).map(([k, v]) => `${op} ${k}=${JSON.stringify(v)}`));
}

// -----------------------------------------------------------------------------------------------
// KMS, encryption, logging.

const kmsRotation: DiffRule = {
  id: 'kms-rotation-disabled',
  description: 'Automatic key rotation is turned off',
  appliesTo: oneOf(T.kmsKey),
  check(c) {
    const s = sides(c);
    if (!s || !isTrue(s[0].enableKeyRotation) || isTrue(s[1].enableKeyRotation) || !known(s[1].enableKeyRotation)) return [];
    return [{ id: 'kms-rotation-disabled', severity: 'high', control: 'CIS AWS 3.6', path: 'enableKeyRotation', message: `key rotation turned off (enableKeyRotation: true -> ${JSON.stringify(s[1].enableKeyRotation ?? null)})` }];
  },
};

function hasSecretsEncryption(props: Props): boolean {
  const configs = [...arr(props.encryptionConfig), ...(obj(props.encryptionConfig) ? [props.encryptionConfig] : [])];
  return configs.some((cfg) => arr(obj(cfg)?.resources).includes('secrets'));
}

const clusterRules: DiffRule = {
  id: 'eks-cluster-weakened',
  description: 'Cluster endpoint made public or allowlist widened; secrets encryption or control-plane logging removed',
  appliesTo: oneOf(T.cluster),
  check(c, ctx) {
    const s = sides(c);
    if (!s) return [];
    const [before, after] = s;
    const out: ChangeFinding[] = [];
    const ov = obj(before.vpcConfig) ?? {};
    const nv = obj(after.vpcConfig) ?? {};
    // EKS turns the public endpoint on when the flag is left out.
    const publicBefore = ov.endpointPublicAccess !== false && ov.endpointPublicAccess !== 'false';
    const publicAfter = nv.endpointPublicAccess !== false && nv.endpointPublicAccess !== 'false' && known(nv.endpointPublicAccess);
    if (!publicBefore && publicAfter) {
      out.push({ id: 'eks-endpoint-made-public', severity: ctx.environment === 'dev' ? 'high' : 'critical', control: 'CIS EKS 5.4.2', path: 'vpcConfig.endpointPublicAccess', message: 'the API endpoint becomes reachable from the internet (endpointPublicAccess turned on)' });
    }
    if (publicAfter) {
      const oldCidrs = publicBefore ? (arr(ov.publicAccessCidrs).length ? arr(ov.publicAccessCidrs).map(String) : ['0.0.0.0/0']) : [];
      const newCidrs = arr(nv.publicAccessCidrs).length ? arr(nv.publicAccessCidrs).map(String) : ['0.0.0.0/0'];
      const widened = newCidrs.filter((n) => known(n) && !oldCidrs.some((o) => cidrContains(o, n)));
      if (widened.length && publicBefore) {
        out.push({ id: 'eks-endpoint-allowlist-widened', severity: widened.some(isWorld) ? 'critical' : 'high', control: 'CIS EKS 5.4.1', path: 'vpcConfig.publicAccessCidrs', message: `the public endpoint allowlist now admits ${widened.join(', ')}` });
      } else if (widened.some(isWorld)) {
        out.push({ id: 'eks-endpoint-allowlist-widened', severity: 'critical', control: 'CIS EKS 5.4.1', path: 'vpcConfig.publicAccessCidrs', message: 'the public endpoint is open to 0.0.0.0/0 (no allowlist)' });
      }
    }
    if (hasSecretsEncryption(before) && !hasSecretsEncryption(after)) {
      out.push({ id: 'eks-secrets-encryption-removed', severity: 'critical', control: 'CIS EKS 5.3.1', path: 'encryptionConfig', message: 'envelope encryption of Kubernetes Secrets with KMS is removed' });
    }
    const logsNow = new Set(arr(after.enabledClusterLogTypes).map(String));
    const lost = arr(before.enabledClusterLogTypes).map(String).filter((t) => !logsNow.has(t));
    if (lost.length) {
      out.push({ id: 'eks-logging-reduced', severity: lost.includes('audit') ? 'high' : 'medium', control: 'CIS EKS 2.1.1', path: 'enabledClusterLogTypes', message: `control-plane logging turned off for ${lost.join(', ')}` });
    }
    return out;
  },
};

const ENCRYPTION_CONTROL: Record<string, string> = {
  [T.launchTemplate]: 'CIS AWS 2.2.1',
  [T.volume]: 'CIS AWS 2.2.1',
  [T.logGroup]: 'AWS FSBP CloudWatch.16',
  [T.queue]: 'AWS FSBP SQS.1',
};

const encryptionRemoved: DiffRule = {
  id: 'encryption-removed',
  description: 'Encryption at rest turned off, or its customer-managed key removed; log retention shortened',
  appliesTo: oneOf(T.launchTemplate, T.volume, T.logGroup, T.queue),
  check(c) {
    const s = sides(c);
    if (!s) return [];
    const [before, after] = s;
    const control = ENCRYPTION_CONTROL[c.type];
    const out: ChangeFinding[] = [];
    const visit = (o: unknown, n: unknown, path: string): void => {
      const oo = obj(o);
      const no = obj(n);
      if (Array.isArray(o) && Array.isArray(n)) {
        o.forEach((e, i) => visit(e, n[i], joinPath(path, i)));
        return;
      }
      if (!oo) return;
      for (const [k, v] of Object.entries(oo)) {
        const p = joinPath(path, k);
        const nv = no?.[k];
        if (k === 'encrypted' && isTrue(v) && !isTrue(nv) && known(nv)) out.push({ id: 'encryption-removed', severity: 'high', control, path: p, message: `${p} turned off` });
        else if (/^(kmsKeyId|kmsMasterKeyId)$/.test(k) && typeof v === 'string' && v !== '' && (nv === undefined || nv === '' || nv === null)) {
          out.push({ id: 'encryption-removed', severity: 'high', control, path: p, message: `${p} removed (no longer encrypted with the customer-managed key)` });
        } else if (k === 'sqsManagedSseEnabled' && isTrue(v) && !isTrue(nv) && !after.kmsMasterKeyId) {
          out.push({ id: 'encryption-removed', severity: 'medium', control, path: p, message: `${p} turned off` });
        } else visit(v, nv, p);
      }
    };
    visit(before, after, '');
    if (c.type === T.logGroup) {
      const was = Number(before.retentionInDays ?? 0);
      const now = Number(after.retentionInDays ?? 0);
      if (was > 0 && now > 0 && now < was) out.push({ id: 'log-retention-reduced', severity: 'medium', control, path: 'retentionInDays', message: `log retention shortened from ${was} to ${now} days` });
    }
    if (c.type === T.launchTemplate) {
      const om = obj(before.metadataOptions) ?? {};
      const nm = obj(after.metadataOptions) ?? {};
      if (om.httpTokens === 'required' && nm.httpTokens !== 'required' && known(nm.httpTokens)) {
        out.push({ id: 'imdsv2-relaxed', severity: 'high', control: 'CIS AWS 5.6', path: 'metadataOptions.httpTokens', message: `IMDSv1 allowed again (httpTokens: "required" -> ${JSON.stringify(nm.httpTokens ?? 'optional')})` });
      }
      const oh = Number(om.httpPutResponseHopLimit ?? 1);
      const nh = Number(nm.httpPutResponseHopLimit ?? 1);
      if (nh > oh) out.push({ id: 'imdsv2-relaxed', severity: 'high', control: 'CIS AWS 5.6', path: 'metadataOptions.httpPutResponseHopLimit', message: `metadata hop limit raised from ${oh} to ${nh} (pods can reach node credentials)` });
    }
    return out;
  },
};

// -----------------------------------------------------------------------------------------------
// Networks.

function isWorld(cidr: string): boolean {
  return cidr.trim() === '0.0.0.0/0' || cidr.trim() === '::/0';
}

/** True when `outer` covers `inner` (IPv4); other forms only when equal. */
function cidrContains(outer: string, inner: string): boolean {
  if (outer === inner) return true;
  const o = parseCidr(outer);
  const i = parseCidr(inner);
  return !!o && !!i && o.prefix <= i.prefix && overlaps(o, i);
}

interface Ingress {
  readonly path: string;
  readonly ports: string;
  readonly cidrs: readonly string[];
  readonly risky: boolean;
}

const ADMIN_PORTS = [22, 3389];

function portsOf(protocol: unknown, from: unknown, to: unknown): { label: string; risky: boolean } {
  const proto = String(protocol ?? '-1');
  if (proto === '-1' || proto === 'all') return { label: 'all traffic', risky: true };
  const lo = Number(from ?? 0);
  const hi = Number(to ?? lo);
  return { label: `${proto} ${lo === hi ? lo : `${lo}-${hi}`}`, risky: ADMIN_PORTS.some((p) => p >= lo && p <= hi) || (lo <= 0 && hi >= 65535) };
}

function ingressOf(props: Props, type: string): Ingress[] {
  if (type === T.ingressRule) {
    const ports = portsOf(props.ipProtocol, props.fromPort, props.toPort);
    return [{ path: '', ports: ports.label, risky: ports.risky, cidrs: [props.cidrIpv4, props.cidrIpv6].filter((x): x is string => typeof x === 'string') }];
  }
  if (type === T.sgRule) {
    if (props.type !== 'ingress') return [];
    const ports = portsOf(props.protocol, props.fromPort, props.toPort);
    return [{ path: '', ports: ports.label, risky: ports.risky, cidrs: [...listOf(props.cidrBlocks), ...listOf(props.ipv6CidrBlocks)] }];
  }
  return arr(props.ingress).map((r, i) => {
    const rule = obj(r) ?? {};
    const ports = portsOf(rule.protocol, rule.fromPort, rule.toPort);
    return { path: `ingress[${i}]`, ports: ports.label, risky: ports.risky, cidrs: [...listOf(rule.cidrBlocks), ...listOf(rule.ipv6CidrBlocks)] };
  });
}

const sgOpened: DiffRule = {
  id: 'sg-open-to-world',
  description: 'Ingress opened to 0.0.0.0/0 or ::/0, or an ingress CIDR widened',
  appliesTo: oneOf(T.sg, T.sgRule, T.ingressRule),
  check(c) {
    const s = sides(c, true);
    if (!s) return [];
    const before = ingressOf(s[0], c.type);
    const out: ChangeFinding[] = [];
    for (const rule of ingressOf(s[1], c.type)) {
      const oldCidrs = before.filter((b) => b.ports === rule.ports).flatMap((b) => b.cidrs);
      for (const cidr of rule.cidrs) {
        if (!known(cidr) || oldCidrs.some((o) => cidrContains(o, cidr))) continue;
        const path = rule.path || (cidr.includes(':') ? (c.type === T.ingressRule ? 'cidrIpv6' : 'ipv6CidrBlocks') : c.type === T.ingressRule ? 'cidrIpv4' : 'cidrBlocks');
        if (isWorld(cidr)) {
          out.push({ id: 'sg-open-to-world', severity: rule.risky ? 'critical' : 'high', control: cidr.includes(':') ? 'CIS AWS 5.3' : 'CIS AWS 5.2', path, message: `ingress ${rule.ports} opened to ${cidr}` });
        } else if (oldCidrs.length && oldCidrs.some((o) => cidrContains(cidr, o))) {
          out.push({ id: 'sg-ingress-widened', severity: 'medium', control: 'AWS FSBP EC2.18', path, message: `ingress ${rule.ports} widened from ${oldCidrs.join(', ')} to ${cidr}` });
        }
      }
    }
    return out;
  },
};

// -----------------------------------------------------------------------------------------------
// Stateful resources.

interface Stateful {
  readonly replace: Severity;
  readonly delete: Severity;
  readonly control: string;
  readonly what: string;
}

const STATEFUL: Readonly<Record<string, Stateful>> = {
  [T.cluster]: { replace: 'critical', delete: 'critical', control: 'AWS WA REL09', what: 'every workload, Secret and in-cluster object goes with the old cluster' },
  [T.kmsKey]: { replace: 'critical', delete: 'critical', control: 'AWS FSBP KMS.3', what: 'data encrypted under the key becomes unreadable once the key is gone' },
  [T.nodeGroup]: { replace: 'medium', delete: 'high', control: 'AWS WA REL09', what: 'its nodes are drained and terminated' },
  [T.volume]: { replace: 'high', delete: 'high', control: 'AWS WA REL09', what: 'the data on the volume is lost' },
  [T.logGroup]: { replace: 'high', delete: 'high', control: 'AWS FSBP CloudWatch.16', what: 'the logs kept in it are lost' },
  'aws:sqs/queue:Queue': { replace: 'medium', delete: 'medium', control: 'AWS WA REL09', what: 'messages waiting in the queue are lost' },
  'aws:secretsmanager/secret:Secret': { replace: 'high', delete: 'high', control: 'AWS WA REL09', what: 'the secret value and its versions are lost' },
  'aws:s3/bucket:Bucket': { replace: 'high', delete: 'high', control: 'AWS WA REL09', what: 'the objects in the bucket are lost' },
  'aws:s3/bucketV2:BucketV2': { replace: 'high', delete: 'high', control: 'AWS WA REL09', what: 'the objects in the bucket are lost' },
  'aws:rds/instance:Instance': { replace: 'critical', delete: 'critical', control: 'AWS WA REL09', what: 'the database is lost unless restored from a snapshot' },
  'aws:rds/cluster:Cluster': { replace: 'critical', delete: 'critical', control: 'AWS WA REL09', what: 'the database is lost unless restored from a snapshot' },
  'aws:dynamodb/table:Table': { replace: 'critical', delete: 'critical', control: 'AWS WA REL09', what: 'the table data is lost' },
  'aws:efs/fileSystem:FileSystem': { replace: 'critical', delete: 'critical', control: 'AWS WA REL09', what: 'the file system data is lost' },
  'kubernetes:core/v1:PersistentVolumeClaim': { replace: 'high', delete: 'high', control: 'AWS WA REL09', what: 'the volume bound to the claim may be deleted with it' },
  [T.namespace]: { replace: 'high', delete: 'high', control: 'AWS WA REL09', what: 'every object in the namespace is deleted with it' },
};

const statefulChange: DiffRule = {
  id: 'stateful-resource-replaced',
  description: 'A stateful resource (cluster, node group, KMS key, volume, log group, ...) is replaced or deleted',
  appliesTo: (t) => t in STATEFUL,
  check(c) {
    const info = STATEFUL[c.type];
    if (c.op !== 'replace' && c.op !== 'delete') return [];
    const notes: string[] = [];
    if (c.op === 'replace' && c.replaceReasons.length) notes.push(`forced by ${c.replaceReasons.join(', ')}`);
    if (c.deleteBeforeReplace) notes.push('the old one is deleted before its replacement exists');
    if (c.protect) notes.push('the resource is protected: the update will fail until protect is lifted');
    const verb = c.op === 'replace' ? 'replaced' : 'deleted';
    const id = c.type === T.kmsKey && c.op === 'delete' ? 'kms-key-deleted' : `stateful-resource-${verb}`;
    const kind = c.type.split(':').pop() ?? c.type;
    if (c.retainOnDelete) {
      // retainOnDelete: Pulumi drops the old resource from the stack but leaves it (and its data) in place.
      const what = c.op === 'replace' ? `${kind} replaced: a new, empty one takes its place; the old one and its data are kept (retainOnDelete) but no longer managed` : `${kind} removed from the stack only (retainOnDelete): it and its data are kept but no longer managed`;
      return [{ id, severity: c.op === 'replace' ? 'medium' : 'low', control: info.control, message: `${what}${notes.length ? ` (${notes.join('; ')})` : ''}` }];
    }
    return [{ id, severity: info[c.op === 'replace' ? 'replace' : 'delete'], control: info.control, message: `${kind} ${verb}: ${info.what}${notes.length ? ` (${notes.join('; ')})` : ''}` }];
  },
};

const protectLifted: DiffRule = {
  id: 'stateful-protection-removed',
  description: 'The protect option is lifted from a stateful resource: a later delete or replace goes through',
  appliesTo: (t) => t in STATEFUL,
  check(c) {
    const row = c.properties.find((p) => p.path === PROTECT_PATH);
    if (!row || row.before !== true || row.after !== false) return [];
    const info = STATEFUL[c.type];
    return [{ id: 'stateful-protection-removed', severity: 'medium', control: info.control, path: PROTECT_PATH, message: `protect lifted (true -> false): a later delete or replace is no longer stopped (${info.what})` }];
  },
};

// -----------------------------------------------------------------------------------------------
// Kubernetes.

const RBAC = 'kubernetes:rbac.authorization.k8s.io/v1:';
const ESCALATING_VERBS = ['escalate', 'bind', 'impersonate'];
const DANGEROUS_GROUPS = ['system:masters', 'system:authenticated', 'system:unauthenticated', 'system:anonymous'];

function grantsOf(props: Props): Set<string> {
  const out = new Set<string>();
  for (const r of arr(props.rules)) {
    const rule = obj(r) ?? {};
    const groups = listOf(rule.apiGroups).length ? listOf(rule.apiGroups) : [''];
    const resources = listOf(rule.resources).length ? listOf(rule.resources) : listOf(rule.nonResourceURLs);
    for (const g of groups) for (const res of resources) for (const v of listOf(rule.verbs)) out.add(`${g}|${res}|${v}`);
  }
  return out;
}

const rbacWidened: DiffRule = {
  id: 'k8s-rbac-widened',
  description: 'A Role or ClusterRole gains wildcards or escalating verbs; a binding gains cluster-admin or broad subjects',
  appliesTo: (t) => t.startsWith(RBAC),
  check(c) {
    const s = sides(c, true);
    if (!s) return [];
    const [before, after] = s;
    const out: ChangeFinding[] = [];
    if (/:(Cluster)?Role$/.test(c.type)) {
      const was = grantsOf(before);
      const added = [...grantsOf(after)].filter((g) => !was.has(g));
      const show = (gs: string[]): string => gs.map((g) => { const [grp, res, verb] = g.split('|'); return `${verb} ${grp ? `${grp}/` : ''}${res}`; }).join(', ');
      const wild = added.filter((g) => g.split('|').includes('*'));
      if (wild.length) out.push({ id: 'k8s-rbac-widened', severity: added.includes('*|*|*') ? 'critical' : 'high', control: 'CIS EKS 4.1.3', path: 'rules', message: `grants wildcards: ${show(wild)}` });
      const escalating = added.filter((g) => ESCALATING_VERBS.includes(g.split('|')[2]));
      if (escalating.length) out.push({ id: 'k8s-rbac-widened', severity: 'high', control: 'CIS EKS 4.1.8', path: 'rules', message: `grants escalating verbs: ${show(escalating)}` });
      const secrets = added.filter((g) => g.split('|')[0] === '' && g.split('|')[1] === 'secrets' && ['get', 'list', 'watch'].includes(g.split('|')[2]));
      if (secrets.length && c.op !== 'create') out.push({ id: 'k8s-rbac-widened', severity: 'medium', control: 'CIS EKS 4.1.2', path: 'rules', message: `grants read access to Secrets: ${show(secrets)}` });
      return out;
    }
    const roleRef = obj(after.roleRef) ?? {};
    const oldRef = obj(before.roleRef) ?? {};
    const subjects = (p: Props): string[] => arr(p.subjects).map((x) => { const o = obj(x) ?? {}; return `${String(o.kind)}:${o.namespace ? `${String(o.namespace)}/` : ''}${String(o.name)}`; });
    const oldSubjects = new Set(subjects(before));
    const newSubjects = subjects(after).filter((x) => !oldSubjects.has(x));
    if (roleRef.name === 'cluster-admin' && oldRef.name !== 'cluster-admin') {
      out.push({ id: 'k8s-rbac-widened', severity: 'critical', control: 'CIS EKS 4.1.1', path: 'roleRef', message: `binds cluster-admin to ${subjects(after).join(', ') || 'no subjects'}` });
    } else if (roleRef.name === 'cluster-admin' && newSubjects.length) {
      out.push({ id: 'k8s-rbac-widened', severity: 'critical', control: 'CIS EKS 4.1.1', path: 'subjects', message: `gives cluster-admin to ${newSubjects.join(', ')}` });
    }
    const broad = newSubjects.filter((x) => DANGEROUS_GROUPS.some((g) => x.endsWith(`:${g}`)));
    if (broad.length) out.push({ id: 'k8s-rbac-widened', severity: 'critical', control: 'CIS EKS 4.1.1', path: 'subjects', message: `binds ${String(roleRef.kind)} ${String(roleRef.name)} to ${broad.join(', ')}` });
    else if (newSubjects.length && c.op !== 'create' && roleRef.name !== 'cluster-admin') {
      out.push({ id: 'k8s-rbac-widened', severity: 'medium', control: 'CIS EKS 4.1.1', path: 'subjects', message: `adds ${newSubjects.join(', ')} to ${String(roleRef.kind)} ${String(roleRef.name)}` });
    }
    return out;
  },
};

const GATEKEEPER = 'kubernetes:constraints.gatekeeper.sh/';
const ENFORCEMENT_RANK: Record<string, number> = { deny: 2, warn: 1, dryrun: 0 };

const gatekeeperRelaxed: DiffRule = {
  id: 'gatekeeper-enforcement-relaxed',
  description: 'A Gatekeeper constraint stops denying (warn/dryrun), excludes more namespaces, or is deleted',
  appliesTo: (t) => t.startsWith(GATEKEEPER),
  check(c) {
    const kind = c.type.split(':').pop();
    if (c.op === 'delete') return [{ id: 'gatekeeper-constraint-deleted', severity: 'high', control: 'CIS EKS 4.2.1', message: `${kind} constraint removed: its policy is no longer enforced` }];
    const s = sides(c);
    if (!s) return [];
    const os = obj(s[0].spec) ?? {};
    const ns = obj(s[1].spec) ?? {};
    const was = String(os.enforcementAction ?? 'deny');
    const now = String(ns.enforcementAction ?? 'deny');
    const out: ChangeFinding[] = [];
    if ((ENFORCEMENT_RANK[now] ?? 0) < (ENFORCEMENT_RANK[was] ?? 0)) {
      out.push({ id: 'gatekeeper-enforcement-relaxed', severity: 'high', control: 'CIS EKS 4.2.1', path: 'spec.enforcementAction', message: `${kind} enforcement relaxed from ${was} to ${now} (violations are admitted)` });
    }
    const excluded = new Set(listOf(obj(os.match)?.excludedNamespaces));
    const more = listOf(obj(ns.match)?.excludedNamespaces).filter((n) => !excluded.has(n));
    if (more.length) out.push({ id: 'gatekeeper-enforcement-relaxed', severity: 'medium', control: 'CIS EKS 4.2.1', path: 'spec.match.excludedNamespaces', message: `${kind} no longer applies to namespaces ${more.join(', ')}` });
    return out;
  },
};

const PSA_LEVELS: Record<string, number> = { privileged: 0, baseline: 1, restricted: 2 };

const psaLowered: DiffRule = {
  id: 'psa-level-lowered',
  description: 'A namespace Pod Security label (enforce, audit, warn) is lowered or removed',
  appliesTo: oneOf(T.namespace),
  check(c) {
    const s = sides(c);
    if (!s) return [];
    const ol = obj(obj(s[0].metadata)?.labels) ?? {};
    const nl = obj(obj(s[1].metadata)?.labels) ?? {};
    const out: ChangeFinding[] = [];
    for (const mode of ['enforce', 'audit', 'warn']) {
      const key = `pod-security.kubernetes.io/${mode}`;
      const was = ol[key];
      if (typeof was !== 'string' || !(was in PSA_LEVELS)) continue;
      const now = typeof nl[key] === 'string' ? (nl[key] as string) : 'privileged';
      if ((PSA_LEVELS[now] ?? 0) < PSA_LEVELS[was]) {
        out.push({
          id: 'psa-level-lowered',
          severity: mode === 'enforce' ? 'high' : 'low',
          control: 'CIS EKS 4.2.1',
          path: `metadata.labels[${JSON.stringify(key)}]`,
          message: `Pod Security ${mode} level lowered from ${was} to ${nl[key] === undefined ? 'none (privileged)' : now}`,
        });
      }
    }
    return out;
  },
};

export const DIFF_RULES: readonly DiffRule[] = [iamWildcard, trustWidened, kmsRotation, clusterRules, encryptionRemoved, sgOpened, statefulChange, protectLifted, rbacWidened, gatekeeperRelaxed, psaLowered];

/** Every change rule over one resource change. */
export function checkChange(change: ResourceChange, ctx: RuleContext): ChangeFinding[] {
  if (change.op === 'read' || ((change.op === 'same' || change.op === 'refresh') && change.properties.length === 0)) return [];
  return DIFF_RULES.filter((r) => r.appliesTo(change.type)).flatMap((r) => r.check(change, ctx));
}

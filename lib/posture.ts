/**
 * Posture of a planned stack: the shared resource rules (lib/rules) over every recorded resource,
 * plus CIS checks that need the whole inventory (dedicated identities, node registry access,
 * private node subnets, flow logs, the default security group). Pure over recorded resources.
 *
 * A weakening a stack makes on purpose (dev's allowlisted public endpoint) stays a finding, with
 * the reason appended, never hidden.
 */
import type { PlatformConfig } from '../model/config';
import {
  compareFindings,
  evaluateResources,
  isBlocking,
  resourceLabel,
  type Finding,
  type ResourceView,
} from './rules';
import type { Severity } from './severity';
import { readStatements, type Statement } from './iam-document';
import { asList, asObject, fieldsOf, stringsOf } from './untyped';
import { TYPES } from './resource-types';

/** What posture needs of a recorded resource: its view plus the id the mocks gave it. */
export interface PlannedResource extends ResourceView {
  readonly id?: string;
}

export interface DeliberateWeakening {
  readonly ruleId: string;
  readonly environment: 'dev' | 'prod';
  readonly reason: string;
}

/** Findings a stack accepts on purpose; they are reported with this reason and never block. */
export const DELIBERATE_WEAKENINGS: readonly DeliberateWeakening[] = [
  {
    ruleId: 'eks-public-endpoint',
    environment: 'dev',
    reason: 'dev keeps the public API endpoint so engineers reach it without a VPN; it is allowlisted (endpoint.publicAccessCidrs) and the private endpoint stays on',
  },
  {
    ruleId: 'gatekeeper-enforcement',
    environment: 'dev',
    reason: 'dev runs the policy library in warn or dryrun mode (platform:gatekeeper.enforcementAction) so teams see violations without being blocked; prod config only accepts deny',
  },
  {
    ruleId: 'argocd-local-admin',
    environment: 'dev',
    reason: 'dev keeps Argo CD\'s local admin user (platform:argocd.adminEnabled) until SSO is set up; prod config refuses it',
  },
];

/** Policies that let a node role read images and nothing more (CIS EKS 5.1.3). */
export const ECR_READ_ONLY_POLICIES = ['arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryPullOnly', 'arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly'];
const ECR_WRITE_POLICIES = ['arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryFullAccess', 'arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryPowerUser', 'arn:aws:iam::aws:policy/AdministratorAccess'];
/** Add-on permissions that belong on the add-on's own role, never on the node role (CIS EKS 5.2.1). */
const ADDON_POLICIES_OFF_NODES = ['arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy', 'arn:aws:iam::aws:policy/service-role/AmazonEBSCSIDriverPolicy'];

interface StackCheck {
  readonly id: string;
  readonly control: string;
  readonly severity: Severity;
  readonly enforcement: 'mandatory' | 'advisory';
  run(inv: Inventory, config: PlatformConfig): { resource: string; message: string }[];
}

class Inventory {
  constructor(readonly resources: readonly PlannedResource[]) {}
  ofType(type: string): PlannedResource[] {
    return this.resources.filter((r) => r.type === type);
  }
  byId(type: string, id: unknown): PlannedResource | undefined {
    return this.resources.find((r) => r.type === type && r.id === id);
  }
  /** Roles by physical name (what attachments and policies reference). */
  roleNamed(name: unknown): PlannedResource | undefined {
    return this.ofType(TYPES.role).find((r) => r.props.name === name);
  }
  attachedPolicies(roleName: unknown): string[] {
    return this.ofType(TYPES.rolePolicyAttachment)
      .filter((a) => a.props.role === roleName)
      .map((a) => String(a.props.policyArn));
  }
  inlineStatements(roleName: unknown): Statement[] {
    return this.ofType(TYPES.rolePolicy)
      .filter((p) => p.props.role === roleName)
      .flatMap((p) => readStatements(p.props.policy) ?? []);
  }
}

function trustStatements(role: PlannedResource): Statement[] {
  return readStatements(role.props.assumeRolePolicy) ?? [];
}
function trustsService(role: PlannedResource, service: string): boolean {
  return trustStatements(role).some((s) => {
    return stringsOf(asObject(s.Principal)?.Service).includes(service);
  });
}
/** IRSA `:sub` values a role trusts (the ServiceAccounts that can assume it). */
function irsaSubjects(role: PlannedResource): string[] {
  return trustStatements(role).flatMap((s) =>
    Object.entries(fieldsOf(fieldsOf(s.Condition).StringEquals))
      .filter(([k]) => k.endsWith(':sub'))
      .flatMap(([, v]) => (Array.isArray(v) ? v : [v]).map(String)),
  );
}

const STACK_CHECKS: readonly StackCheck[] = [
  {
    id: 'dedicated-workload-identities',
    control: 'CIS EKS 5.2.1',
    severity: 'high',
    enforcement: 'mandatory',
    run(inv) {
      const out: { resource: string; message: string }[] = [];
      for (const role of inv.ofType(TYPES.role)) {
        const subjects = irsaSubjects(role);
        if (trustStatements(role).some((s) => stringsOf(s.Action).includes('sts:AssumeRoleWithWebIdentity')) && subjects.length !== 1) {
          out.push({ resource: resourceLabel(role), message: `IRSA trust names ${subjects.length} ServiceAccounts (${subjects.join(', ') || 'none'}); bind each role to exactly one` });
        }
        if (trustsService(role, 'ec2.amazonaws.com')) {
          for (const arn of inv.attachedPolicies(role.props.name).filter((a) => ADDON_POLICIES_OFF_NODES.includes(a))) {
            out.push({ resource: resourceLabel(role), message: `node role carries add-on policy ${arn} (give the add-on its own identity)` });
          }
        }
      }
      const byRole = new Map<string, string[]>();
      for (const a of inv.ofType(TYPES.podIdentityAssociation)) {
        const key = String(a.props.roleArn);
        byRole.set(key, [...(byRole.get(key) ?? []), `${String(a.props.namespace)}/${String(a.props.serviceAccount)}`]);
      }
      for (const a of inv.ofType(TYPES.addon)) {
        if (typeof a.props.serviceAccountRoleArn === 'string') {
          byRole.set(a.props.serviceAccountRoleArn, [...(byRole.get(a.props.serviceAccountRoleArn) ?? []), `add-on ${String(a.props.addonName)}`]);
        }
      }
      for (const [roleArn, users] of byRole) {
        if (users.length > 1) out.push({ resource: roleArn, message: `one role serves ${users.join(', ')} (give each its own role)` });
      }
      return out;
    },
  },
  {
    id: 'nodes-ecr-read-only',
    control: 'CIS EKS 5.1.3',
    severity: 'high',
    enforcement: 'mandatory',
    run(inv) {
      const out: { resource: string; message: string }[] = [];
      for (const role of inv.ofType(TYPES.role).filter((r) => trustsService(r, 'ec2.amazonaws.com'))) {
        const attached = inv.attachedPolicies(role.props.name);
        if (!attached.some((a) => ECR_READ_ONLY_POLICIES.includes(a))) {
          out.push({ resource: resourceLabel(role), message: 'node role has no ECR read-only policy (attach AmazonEC2ContainerRegistryPullOnly)' });
        }
        for (const arn of attached.filter((a) => ECR_WRITE_POLICIES.includes(a))) out.push({ resource: resourceLabel(role), message: `node role can write to ECR through ${arn}` });
        const writes = inv
          .inlineStatements(role.props.name)
          .filter((s) => s.Effect === 'Allow')
          .flatMap((s) => asList(s.Action).map(String))
          .filter((a) => /^ecr:(Put|Upload|Complete|Initiate|Delete|BatchDelete|Create|Set|Tag|\*)/i.test(a));
        if (writes.length) out.push({ resource: resourceLabel(role), message: `node role inline policy allows ECR writes: ${writes.join(', ')}` });
      }
      return out;
    },
  },
  {
    id: 'nodes-private-subnets',
    control: 'CIS EKS 5.4.3',
    severity: 'high',
    enforcement: 'mandatory',
    run(inv) {
      const out: { resource: string; message: string }[] = [];
      const publicRouteTables = new Set(
        inv
          .ofType(TYPES.routeTable)
          .filter((t) => asList(t.props.routes).some((r) => typeof (r as Record<string, unknown>)?.gatewayId === 'string' && String((r as Record<string, unknown>).gatewayId).startsWith('igw-')))
          .map((t) => t.id),
      );
      const publicSubnetIds = new Set(
        inv
          .ofType(TYPES.routeTableAssociation)
          .filter((a) => publicRouteTables.has(a.props.routeTableId as string))
          .map((a) => a.props.subnetId),
      );
      for (const group of inv.ofType(TYPES.nodeGroup)) {
        for (const subnetId of asList(group.props.subnetIds)) {
          const subnet = inv.byId(TYPES.subnet, subnetId);
          if (!subnet) out.push({ resource: resourceLabel(group), message: `subnet ${String(subnetId)} is not part of this stack (cannot prove it is private)` });
          else if (publicSubnetIds.has(subnetId) || subnet.props.mapPublicIpOnLaunch === true) {
            out.push({ resource: resourceLabel(group), message: `subnet ${subnet.name} routes to an internet gateway or assigns public IPs (use private subnets)` });
          }
        }
      }
      return out;
    },
  },
  {
    id: 'vpc-flow-logs',
    control: 'CIS AWS 3.7',
    severity: 'medium',
    enforcement: 'mandatory',
    run(inv) {
      const logged = new Set(inv.ofType(TYPES.flowLog).filter((f) => f.props.trafficType === 'ALL').map((f) => f.props.vpcId));
      return inv
        .ofType(TYPES.vpc)
        .filter((v) => !logged.has(v.id))
        .map((v) => ({ resource: resourceLabel(v), message: 'no flow log capturing ALL traffic' }));
    },
  },
  {
    id: 'default-security-group-closed',
    control: 'CIS AWS 5.4',
    severity: 'medium',
    enforcement: 'mandatory',
    run(inv) {
      const closed = new Set(
        inv
          .ofType(TYPES.defaultSecurityGroup)
          .filter((g) => asList(g.props.ingress).length === 0 && asList(g.props.egress).length === 0)
          .map((g) => g.props.vpcId),
      );
      return inv
        .ofType(TYPES.vpc)
        .filter((v) => !closed.has(v.id))
        .map((v) => ({ resource: resourceLabel(v), message: 'default security group keeps rules (manage it with no ingress and no egress)' }));
    },
  },
  {
    id: 'control-plane-log-group',
    control: 'CIS EKS 2.1.1',
    severity: 'medium',
    enforcement: 'mandatory',
    run(inv) {
      const groups = new Set(inv.ofType(TYPES.logGroup).map((g) => g.props.name));
      return inv
        .ofType(TYPES.cluster)
        .filter((c) => !groups.has(`/aws/eks/${String(c.props.name)}/cluster`))
        .map((c) => ({ resource: resourceLabel(c), message: `log group /aws/eks/${String(c.props.name)}/cluster is not managed here (EKS would create it unencrypted, kept forever)` }));
    },
  },
  {
    // The policy library enforces the restricted Pod Security Standard (CIS EKS 4.2.x) only when its
    // constraints deny; warn and dryrun report and admit.
    id: 'gatekeeper-enforcement',
    control: 'CIS EKS 4.2.1',
    severity: 'medium',
    enforcement: 'mandatory',
    run(inv) {
      const constraints = inv.resources.filter((r) => r.type.startsWith('kubernetes:constraints.gatekeeper.sh/'));
      const relaxed = constraints.filter((c) => ((c.props.spec as Record<string, unknown> | undefined)?.enforcementAction ?? 'deny') !== 'deny');
      if (relaxed.length === 0) return [];
      const actions = [...new Set(relaxed.map((c) => String((c.props.spec as Record<string, unknown>).enforcementAction)))].sort();
      return [{ resource: 'kubernetes:constraints.gatekeeper.sh/v1beta1::*', message: `${relaxed.length} of ${constraints.length} Gatekeeper constraints admit violations (enforcementAction ${actions.join(', ')}, not deny)` }];
    },
  },
  {
    // A local account with a static password bypasses the identity provider's MFA and offboarding.
    id: 'argocd-local-admin',
    control: 'CIS EKS 5.5.1',
    severity: 'medium',
    enforcement: 'mandatory',
    run(inv) {
      return inv
        .ofType(TYPES.helmRelease)
        .filter((r) => r.props.name === 'argocd')
        .filter((r) => {
          const cm = ((r.props.values as Record<string, unknown> | undefined)?.configs as Record<string, unknown> | undefined)?.cm as Record<string, unknown> | undefined;
          return cm?.['admin.enabled'] !== false;
        })
        .map((r) => ({ resource: resourceLabel(r), message: 'Argo CD\'s local admin user is enabled (set configs.cm.admin.enabled false; sign in through SSO)' }));
    },
  },
  {
    id: 'ecr-scan-on-push',
    control: 'CIS EKS 5.1.1',
    severity: 'medium',
    enforcement: 'mandatory',
    run(inv) {
      return inv
        .ofType(TYPES.ecrRepository)
        .filter((r) => (r.props.imageScanningConfiguration as Record<string, unknown> | undefined)?.scanOnPush !== true)
        .map((r) => ({ resource: resourceLabel(r), message: 'imageScanningConfiguration.scanOnPush is not true' }));
    },
  },
];

/** Rule ids of the stack-level checks, for documentation and tests. */
export const STACK_CHECK_IDS = STACK_CHECKS.map((c) => c.id);

/** Every finding for a planned stack, most severe first; weakenings accepted on purpose carry their reason. */
export function evaluatePosture(resources: readonly PlannedResource[], config: PlatformConfig): Finding[] {
  const ctx = { environment: config.environment };
  const inv = new Inventory(resources);
  const findings: Finding[] = [...evaluateResources(resources, ctx)];
  for (const check of STACK_CHECKS) {
    for (const { resource, message } of check.run(inv, config)) {
      findings.push({ id: check.id, severity: check.severity, resource, control: check.control, message, blocking: isBlocking(check) });
    }
  }
  return findings
    .map((f) => {
      const accepted = DELIBERATE_WEAKENINGS.find((w) => w.ruleId === f.id && w.environment === config.environment);
      return accepted ? { ...f, blocking: false, message: `${f.message}; accepted in ${accepted.environment}: ${accepted.reason}` } : f;
    })
    .sort(compareFindings);
}

/**
 * Change rules: what a preview makes worse, judged on old vs new inputs of one resource. The state
 * rules (lib/rules) say whether the resulting resource is acceptable; these say what got weaker.
 *
 * One rule per finding id, grouped by what they read: iam.ts (policy documents, trust, key rotation),
 * eks.ts (endpoint, Secrets encryption, logging), network.ts (security group ingress), storage.ts
 * (encryption at rest, log retention, instance metadata), stateful.ts (replace, delete, protect),
 * kubernetes.ts (RBAC, Gatekeeper, Pod Security). checkChange stamps each finding with its rule's id.
 */
import type { RuleContext } from '../../rules';
import type { ResourceChange } from '../changes';
import { EKS_RULES } from './eks';
import { IAM_RULES } from './iam';
import { KUBERNETES_RULES } from './kubernetes';
import { NETWORK_RULES } from './network';
import type { ChangeFinding, DiffRule } from './rule';
import { STATEFUL_RULES } from './stateful';
import { STORAGE_RULES } from './storage';

export type { ChangeFinding, ChangeIssue, DiffRule } from './rule';

export const DIFF_RULES: readonly DiffRule[] = [...IAM_RULES, ...EKS_RULES, ...STORAGE_RULES, ...NETWORK_RULES, ...STATEFUL_RULES, ...KUBERNETES_RULES];

/** Every change rule over one resource change, each finding under its rule's id. */
export function checkChange(change: ResourceChange, ctx: RuleContext): ChangeFinding[] {
  if (change.op === 'read' || ((change.op === 'same' || change.op === 'refresh') && change.properties.length === 0)) return [];
  return DIFF_RULES.filter((r) => r.appliesTo(change.type)).flatMap((r) => r.check(change, ctx).map((issue) => ({ id: r.id, ...issue })));
}

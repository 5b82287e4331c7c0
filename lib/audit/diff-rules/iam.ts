/** Change rules over IAM and KMS policy documents: what a preview grants that was not granted before. */
import { diffStatements, hasCondition, isAllow, isWildcardAction, principalsOf, readStatements, type Statement, type StatementChange } from '../../iam-document';
import { TYPES } from '../../resource-types';
import { asArray, asObject, fieldsOf, isTrue, stringsOf } from '../../untyped';
import type { ResourceChange } from '../changes';
import { comparing, known, oneOf, sides, type ChangeIssue, type DiffRule, type Props } from './rule';

const ADMIN_POLICY = /^arn:aws[a-z-]*:iam::aws:policy\/(AdministratorAccess|IAMFullAccess|PowerUserAccess)$/;

/** The identity/resource policy documents of a resource: [path, value] pairs. */
function policyDocuments(props: Props, type: string): [string, unknown][] {
  if (type === TYPES.role) return asArray(props.inlinePolicies).map((p, i) => [`inlinePolicies[${i}].policy`, asObject(p)?.policy] as [string, unknown]);
  return [['policy', props.policy]];
}

function grants(s: Statement): { actions: string[]; resources: string[] } {
  return { actions: stringsOf(s.Action), resources: stringsOf(s.Resource) };
}

interface AllowChange {
  readonly path: string;
  /** `<path> statement <Sid or #index>`, as messages name it. */
  readonly where: string;
  readonly change: StatementChange & { readonly after: Statement };
  /** What the statement granted before (nothing when it is new or was a Deny). */
  readonly prev: { actions: string[]; resources: string[] };
  readonly now: { actions: string[]; resources: string[] };
}

/** Every Allow statement a change adds or alters, in every policy document of the resource (creates included). */
function allowChanges(c: ResourceChange): AllowChange[] {
  const s = sides(c, true);
  if (!s) return [];
  const [before, after] = s;
  const oldDocs = new Map(policyDocuments(before, c.type));
  const out: AllowChange[] = [];
  for (const [path, value] of policyDocuments(after, c.type)) {
    const newStatements = readStatements(value);
    if (!newStatements) continue;
    const oldStatements = readStatements(oldDocs.get(path)) ?? [];
    for (const change of diffStatements(oldStatements, newStatements)) {
      if (change.status === 'unchanged' || change.status === 'removed' || !change.after || !isAllow(change.after)) continue;
      const prev = change.before && isAllow(change.before) ? grants(change.before) : { actions: [], resources: [] };
      out.push({ path, where: `${path} statement ${change.label}`, change: change as AllowChange['change'], prev, now: grants(change.after) });
    }
  }
  return out;
}

const adminPolicyAttached = comparing({
  id: 'iam-admin-policy-attached',
  description: 'An AWS administrative policy (AdministratorAccess, IAMFullAccess, PowerUserAccess) is attached',
  appliesTo: oneOf(TYPES.role, TYPES.rolePolicyAttachment),
  onCreate: true,
  compare(before, after, c) {
    const key = c.type === TYPES.rolePolicyAttachment ? 'policyArn' : 'managedPolicyArns';
    const was = stringsOf(before[key]);
    return stringsOf(after[key])
      .filter((arn) => ADMIN_POLICY.test(arn) && !was.includes(arn))
      .map((arn) => ({ severity: 'critical', control: 'CIS AWS 1.16', path: key, message: `attaches ${arn} (administrative privileges)` }));
  },
});

const wildcardAdded: DiffRule = {
  id: 'iam-wildcard-added',
  description: 'A policy statement gains a wildcard action, NotAction, or Resource "*" without a Condition',
  appliesTo: oneOf(TYPES.role, TYPES.rolePolicy, TYPES.policy, TYPES.userPolicy, TYPES.groupPolicy, TYPES.kmsKey),
  check(c) {
    // In a key policy, Resource "*" is the key itself.
    const resourcePolicy = c.type === TYPES.kmsKey;
    const out: ChangeIssue[] = [];
    for (const { path, where, change, prev, now } of allowChanges(c)) {
      const newWild = now.actions.filter((a) => isWildcardAction(a) && !prev.actions.includes(a));
      const everything = now.actions.includes('*') && (resourcePolicy || now.resources.includes('*'));
      if (newWild.length) {
        out.push({
          severity: everything && !hasCondition(change.after) ? 'critical' : 'high',
          control: 'CIS AWS 1.16',
          path,
          message: `${where} now allows ${newWild.map((a) => JSON.stringify(a)).join(', ')}${now.resources.length ? ` on ${now.resources.map((r) => JSON.stringify(r)).join(', ')}` : ''}`,
        });
      }
      if (change.after.NotAction !== undefined && (!change.before || change.before.NotAction === undefined)) {
        out.push({ severity: 'high', control: 'CIS AWS 1.16', path, message: `${where} now uses Allow with NotAction (grants every other action)` });
      }
      if (!resourcePolicy && now.resources.includes('*') && !prev.resources.includes('*') && !hasCondition(change.after)) {
        out.push({ severity: 'high', control: 'CIS AWS 1.16', path, message: `${where} now applies to Resource "*" without a Condition` });
      }
    }
    return out;
  },
};

const keyPolicyWidened: DiffRule = {
  id: 'kms-key-policy-widened',
  description: 'A KMS key policy lets new principals use the key (judged on updates: a new key has no one to widen from)',
  appliesTo: oneOf(TYPES.kmsKey),
  check(c) {
    if (c.op === 'create' || c.op === 'import') return [];
    const out: ChangeIssue[] = [];
    for (const { path, where, change } of allowChanges(c)) {
      const before = new Set(change.before && isAllow(change.before) ? principalsOf(change.before) : []);
      const added = principalsOf(change.after).filter((p) => !before.has(p));
      if (!added.length) continue;
      const anyone = added.includes('*') && !hasCondition(change.after);
      out.push({ severity: anyone ? 'critical' : 'high', control: 'CIS AWS 1.16', path, message: `${where} grants key use to ${added.join(', ')}` });
    }
    return out;
  },
};

/** `<operator> <key>=<values>` for each condition entry, so narrowing and removal both show. */
function conditionKeys(s: Statement): string[] {
  const cond = asObject(s.Condition);
  if (!cond) return [];
  return Object.entries(cond).flatMap(([op, entries]) => Object.entries(fieldsOf(entries)).map(([k, v]) => `${op} ${k}=${JSON.stringify(v)}`));
}

const trustWidened = comparing({
  id: 'iam-trust-widened',
  description: 'A role trust policy lets new principals assume the role, or loses a Condition',
  appliesTo: oneOf(TYPES.role),
  compare(before, after) {
    const oldStatements = readStatements(before.assumeRolePolicy);
    const newStatements = readStatements(after.assumeRolePolicy);
    if (!oldStatements || !newStatements) return [];
    const oldPrincipals = new Set(oldStatements.filter(isAllow).flatMap(principalsOf));
    const out: ChangeIssue[] = [];
    for (const change of diffStatements(oldStatements, newStatements)) {
      if (!change.after || !isAllow(change.after) || change.status === 'unchanged') continue;
      const where = `assumeRolePolicy statement ${change.label}`;
      const added = principalsOf(change.after).filter((p) => !oldPrincipals.has(p));
      if (added.length) {
        const anyone = added.includes('*') && !hasCondition(change.after);
        out.push({ severity: anyone ? 'critical' : 'high', control: 'CIS EKS 5.2.1', path: 'assumeRolePolicy', message: `${where} lets ${added.join(', ')} assume the role${anyone ? ' (anyone)' : ''}` });
      }
      if (change.before && isAllow(change.before)) {
        const now = new Set(conditionKeys(change.after));
        const lost = conditionKeys(change.before).filter((k) => !now.has(k));
        if (lost.length) out.push({ severity: 'high', control: 'CIS EKS 5.2.1', path: 'assumeRolePolicy', message: `${where} no longer requires ${lost.join(', ')}` });
      }
    }
    return out;
  },
});

const rotationDisabled = comparing({
  id: 'kms-rotation-disabled',
  description: 'Automatic key rotation is turned off',
  appliesTo: oneOf(TYPES.kmsKey),
  compare(before, after) {
    if (!isTrue(before.enableKeyRotation) || isTrue(after.enableKeyRotation) || !known(after.enableKeyRotation)) return [];
    return [{ severity: 'high', control: 'CIS AWS 3.6', path: 'enableKeyRotation', message: `key rotation turned off (enableKeyRotation: true -> ${JSON.stringify(after.enableKeyRotation ?? null)})` }];
  },
});

export const IAM_RULES: readonly DiffRule[] = [adminPolicyAttached, wildcardAdded, keyPolicyWidened, trustWidened, rotationDisabled];

/** Change rules over Kubernetes objects: RBAC grants, Gatekeeper enforcement, Pod Security levels. */
import { TYPES } from '../../resource-types';
import { asArray, asObject, fieldsOf, stringsOf } from '../../untyped';
import { comparing, oneOf, type ChangeIssue, type DiffRule, type Props } from './rule';

const RBAC = 'kubernetes:rbac.authorization.k8s.io/v1:';
const ESCALATING_VERBS = ['escalate', 'bind', 'impersonate'];
const DANGEROUS_GROUPS = ['system:masters', 'system:authenticated', 'system:unauthenticated', 'system:anonymous'];

function grantsOf(props: Props): Set<string> {
  const out = new Set<string>();
  for (const r of asArray(props.rules)) {
    const rule = fieldsOf(r);
    const groups = stringsOf(rule.apiGroups).length ? stringsOf(rule.apiGroups) : [''];
    const resources = stringsOf(rule.resources).length ? stringsOf(rule.resources) : stringsOf(rule.nonResourceURLs);
    for (const g of groups) for (const res of resources) for (const v of stringsOf(rule.verbs)) out.add(`${g}|${res}|${v}`);
  }
  return out;
}

const rbacWidened = comparing({
  id: 'k8s-rbac-widened',
  description: 'A Role or ClusterRole gains wildcards or escalating verbs; a binding gains cluster-admin or broad subjects',
  appliesTo: (t) => t.startsWith(RBAC),
  onCreate: true,
  compare(before, after, c) {
    const out: ChangeIssue[] = [];
    if (/:(Cluster)?Role$/.test(c.type)) {
      const was = grantsOf(before);
      const added = [...grantsOf(after)].filter((g) => !was.has(g));
      const show = (gs: string[]): string => gs.map((g) => { const [grp, res, verb] = g.split('|'); return `${verb} ${grp ? `${grp}/` : ''}${res}`; }).join(', ');
      const wild = added.filter((g) => g.split('|').includes('*'));
      if (wild.length) out.push({ severity: added.includes('*|*|*') ? 'critical' : 'high', control: 'CIS EKS 4.1.3', path: 'rules', message: `grants wildcards: ${show(wild)}` });
      const escalating = added.filter((g) => ESCALATING_VERBS.includes(g.split('|')[2]));
      if (escalating.length) out.push({ severity: 'high', control: 'CIS EKS 4.1.8', path: 'rules', message: `grants escalating verbs: ${show(escalating)}` });
      const secrets = added.filter((g) => g.split('|')[0] === '' && g.split('|')[1] === 'secrets' && ['get', 'list', 'watch'].includes(g.split('|')[2]));
      if (secrets.length && c.op !== 'create') out.push({ severity: 'medium', control: 'CIS EKS 4.1.2', path: 'rules', message: `grants read access to Secrets: ${show(secrets)}` });
      return out;
    }
    const roleRef = fieldsOf(after.roleRef);
    const oldRef = fieldsOf(before.roleRef);
    const subjects = (p: Props): string[] => asArray(p.subjects).map((x) => { const o = fieldsOf(x); return `${String(o.kind)}:${o.namespace ? `${String(o.namespace)}/` : ''}${String(o.name)}`; });
    const oldSubjects = new Set(subjects(before));
    const newSubjects = subjects(after).filter((x) => !oldSubjects.has(x));
    if (roleRef.name === 'cluster-admin' && oldRef.name !== 'cluster-admin') {
      out.push({ severity: 'critical', control: 'CIS EKS 4.1.1', path: 'roleRef', message: `binds cluster-admin to ${subjects(after).join(', ') || 'no subjects'}` });
    } else if (roleRef.name === 'cluster-admin' && newSubjects.length) {
      out.push({ severity: 'critical', control: 'CIS EKS 4.1.1', path: 'subjects', message: `gives cluster-admin to ${newSubjects.join(', ')}` });
    }
    const broad = newSubjects.filter((x) => DANGEROUS_GROUPS.some((g) => x.endsWith(`:${g}`)));
    if (broad.length) out.push({ severity: 'critical', control: 'CIS EKS 4.1.1', path: 'subjects', message: `binds ${String(roleRef.kind)} ${String(roleRef.name)} to ${broad.join(', ')}` });
    else if (newSubjects.length && c.op !== 'create' && roleRef.name !== 'cluster-admin') {
      out.push({ severity: 'medium', control: 'CIS EKS 4.1.1', path: 'subjects', message: `adds ${newSubjects.join(', ')} to ${String(roleRef.kind)} ${String(roleRef.name)}` });
    }
    return out;
  },
});

const GATEKEEPER = 'kubernetes:constraints.gatekeeper.sh/';
const ENFORCEMENT_RANK: Record<string, number> = { deny: 2, warn: 1, dryrun: 0 };

const gatekeeperRelaxed = comparing({
  id: 'gatekeeper-enforcement-relaxed',
  description: 'A Gatekeeper constraint stops denying (warn/dryrun) or excludes more namespaces',
  appliesTo: (t) => t.startsWith(GATEKEEPER),
  compare(before, after, c) {
    const kind = c.type.split(':').pop();
    const os = fieldsOf(before.spec);
    const ns = fieldsOf(after.spec);
    const was = String(os.enforcementAction ?? 'deny');
    const now = String(ns.enforcementAction ?? 'deny');
    const out: ChangeIssue[] = [];
    if ((ENFORCEMENT_RANK[now] ?? 0) < (ENFORCEMENT_RANK[was] ?? 0)) {
      out.push({ severity: 'high', control: 'CIS EKS 4.2.1', path: 'spec.enforcementAction', message: `${kind} enforcement relaxed from ${was} to ${now} (violations are admitted)` });
    }
    const excluded = new Set(stringsOf(asObject(os.match)?.excludedNamespaces));
    const more = stringsOf(asObject(ns.match)?.excludedNamespaces).filter((n) => !excluded.has(n));
    if (more.length) out.push({ severity: 'medium', control: 'CIS EKS 4.2.1', path: 'spec.match.excludedNamespaces', message: `${kind} no longer applies to namespaces ${more.join(', ')}` });
    return out;
  },
});

const constraintDeleted: DiffRule = {
  id: 'gatekeeper-constraint-deleted',
  description: 'A Gatekeeper constraint is deleted: its policy is no longer enforced',
  appliesTo: (t) => t.startsWith(GATEKEEPER),
  check: (c) => (c.op === 'delete' ? [{ severity: 'high', control: 'CIS EKS 4.2.1', message: `${c.type.split(':').pop()} constraint removed: its policy is no longer enforced` }] : []),
};

const PSA_LEVELS: Record<string, number> = { privileged: 0, baseline: 1, restricted: 2 };

const psaLowered = comparing({
  id: 'psa-level-lowered',
  description: 'A namespace Pod Security label (enforce, audit, warn) is lowered or removed',
  appliesTo: oneOf(TYPES.namespace),
  compare(before, after) {
    const ol = fieldsOf(asObject(before.metadata)?.labels);
    const nl = fieldsOf(asObject(after.metadata)?.labels);
    const out: ChangeIssue[] = [];
    for (const mode of ['enforce', 'audit', 'warn']) {
      const key = `pod-security.kubernetes.io/${mode}`;
      const was = ol[key];
      if (typeof was !== 'string' || !(was in PSA_LEVELS)) continue;
      const now = typeof nl[key] === 'string' ? (nl[key] as string) : 'privileged';
      if ((PSA_LEVELS[now] ?? 0) < PSA_LEVELS[was]) {
        out.push({
          severity: mode === 'enforce' ? 'high' : 'low',
          control: 'CIS EKS 4.2.1',
          path: `metadata.labels[${JSON.stringify(key)}]`,
          message: `Pod Security ${mode} level lowered from ${was} to ${nl[key] === undefined ? 'none (privileged)' : now}`,
        });
      }
    }
    return out;
  },
});

export const KUBERNETES_RULES: readonly DiffRule[] = [rbacWidened, gatekeeperRelaxed, constraintDeleted, psaLowered];

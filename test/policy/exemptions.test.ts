/**
 * Exemptions by workload, not namespace: the constraints a stack deploys skip only the upstream
 * objects named in charts/gatekeeper/exemptions.ts, each for one constraint, and `platform check`
 * says how many objects each one skipped. Upstream facts (ClusterRole names and rules) are those of
 * the pinned charts, cited per fixture.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { stringify } from 'yaml';
import { parseStackConfig } from '../../lib/config/load';
import { stackConstraints } from '../../charts/gatekeeper/chart';
import { UPSTREAM_EXEMPTIONS } from '../../charts/gatekeeper/exemptions';
import { HELM_RELEASES } from '../../charts/releases';
import { POLICY_EXEMPT_NAMESPACES } from '../../charts/namespaces';
import { ARGOCD_CHART, GATEKEEPER_CHART, KUBE_PROMETHEUS_STACK_CHART } from '../../charts/versions';
import { checkManifests } from '../../lib/policy/check';
import { readExemptions } from '../../lib/policy/exemptions';
import { loadPolicyLibrary, POLICY_LIBRARY_DIR } from '../../lib/policy/library';
import { runSuite } from '../../lib/policy/verify';
import { platform } from '../helpers/cli';
import { userErrorMessage } from '../helpers/errors';
import { stackConfig } from '../helpers/pulumi';

type Obj = Record<string, unknown>;
const config = (stack: 'dev' | 'prod') => parseStackConfig(stackConfig(stack), `Pulumi.${stack}.yaml`);
const constraintsOf = (stack: 'dev' | 'prod') => stackConstraints(config(stack), loadPolicyLibrary()) as { metadata: { name: string }; spec: { match?: { excludedNamespaces?: string[] }; parameters?: { exemptions?: unknown } } }[];

/** argo-cd-10.1.1 charts/argo-cd/templates/argocd-application-controller/clusterrole.yaml (default rules: controller.clusterRoleRules.enabled false). */
const controllerRole = (rules: Obj[]): Obj => ({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'argocd-application-controller', labels: { 'app.kubernetes.io/name': 'argocd-application-controller' } }, rules });
const CONTROLLER_RULES_10_1_1 = [
  { apiGroups: ['*'], resources: ['*'], verbs: ['*'] },
  { nonResourceURLs: ['*'], verbs: ['*'] },
];
/** A chart bump that changes the role (an extra rule), as an upgrade would apply it. */
const CONTROLLER_RULES_BUMPED = [...CONTROLLER_RULES_10_1_1, { apiGroups: ['argoproj.io'], resources: ['*'], verbs: ['*'] }];
const tenantRole: Obj = { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'team-payments-admin' }, rules: [{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }] };

describe('exemptions by workload', () => {
  it('GIVEN every upstream exemption THEN it was read at the pinned chart version (a bump must re-read the objects)', () => {
    const pinned: Record<string, string> = { gatekeeper: `v${GATEKEEPER_CHART.version}`, argocd: `argo-cd-${ARGOCD_CHART.version}`, monitoring: `kube-prometheus-stack-${KUBE_PROMETHEUS_STACK_CHART.version}` };
    for (const e of UPSTREAM_EXEMPTIONS) expect([e.constraint, e.addon, e.readAt]).toEqual([e.constraint, e.addon, pinned[e.addon]]);
  });

  it('GIVEN the ClusterRole names THEN they are the charts\' fullnames for our release names (argo-cd nameOverride "argocd", kube-prometheus-stack\'s own name)', () => {
    expect(HELM_RELEASES.map((r) => r.name)).toEqual(expect.arrayContaining(['argocd', 'kube-prometheus-stack', 'gatekeeper']));
    const names = UPSTREAM_EXEMPTIONS.filter((e) => e.constraint === 'no-wildcard-rbac').flatMap((e) => e.entry.names ?? []);
    expect(names.sort()).toEqual(['argocd-application-controller', 'argocd-server', 'gatekeeper-manager-role', 'kube-prometheus-stack-operator']);
  });

  it.each(['dev', 'prod'] as const)('GIVEN %s THEN no constraint excludes a namespace beyond the control plane\'s and gatekeeper-system, and every exemption names workloads and a reason', (stack) => {
    for (const c of constraintsOf(stack)) {
      expect([c.metadata.name, [...(c.spec.match?.excludedNamespaces ?? [])].sort()]).toEqual([c.metadata.name, [...POLICY_EXEMPT_NAMESPACES].sort()]);
      const exemptions = readExemptions(c.spec.parameters, c.metadata.name);
      for (const e of exemptions) expect((e.names?.length ?? 0) + Object.keys(e.labels ?? {}).length).toBeGreaterThan(0);
    }
    // redis-ha (required-labels) only where Argo CD runs highly available: prod.
    const expected = ['host-namespaces', 'host-ports', 'no-wildcard-rbac', 'read-only-root-filesystem', ...(stack === 'prod' ? ['required-labels'] : []), 'volume-types'];
    expect(constraintsOf(stack).filter((c) => c.spec.parameters?.exemptions !== undefined).map((c) => c.metadata.name).sort()).toEqual(expected);
  });

  it('GIVEN an exemption of a whole namespace (no names, no labels) or without a reason THEN it is bad input naming the entry', () => {
    expect(userErrorMessage(() => readExemptions({ exemptions: [{ namespace: 'monitoring', reason: 'all of it' }] }, 'c'))).toBe('c: spec.parameters.exemptions[0]: names or labels are required (an exemption names workloads, never a whole namespace)');
    expect(userErrorMessage(() => readExemptions({ exemptions: [{ namespace: 'monitoring', names: ['x'] }] }, 'c'))).toBe('c: spec.parameters.exemptions[0]: reason is required (say why the workload needs what the policy forbids)');
  });
});

describe('a chart bump changes an upstream ClusterRole in prod', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'exemptions-'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('GIVEN the UPDATE AdmissionReview of argocd-application-controller with new rules WHEN verified against the prod constraint THEN it is admitted; a tenant role with the same rules is denied', () => {
    const constraint = constraintsOf('prod').find((c) => c.metadata.name === 'no-wildcard-rbac');
    fs.copyFileSync(path.join(POLICY_LIBRARY_DIR, 'no-wildcard-rbac', 'template.yaml'), path.join(dir, 'template.yaml'));
    fs.writeFileSync(path.join(dir, 'constraint.yaml'), stringify(constraint));
    const review = (object: Obj, oldObject: Obj): Obj => ({
      apiVersion: 'admission.k8s.io/v1',
      kind: 'AdmissionReview',
      request: { uid: 'upgrade', kind: { group: 'rbac.authorization.k8s.io', version: 'v1', kind: 'ClusterRole' }, operation: 'UPDATE', name: (object.metadata as Obj).name, object, oldObject, userInfo: { username: 'system:serviceaccount:kube-system:pulumi' } },
    });
    fs.writeFileSync(path.join(dir, 'upgrade.yaml'), stringify(review(controllerRole(CONTROLLER_RULES_BUMPED), controllerRole(CONTROLLER_RULES_10_1_1))));
    fs.writeFileSync(path.join(dir, 'tenant.yaml'), stringify(review(tenantRole, { ...tenantRole, rules: [] })));
    const cases = [
      { name: 'argocd-upgrade', object: 'upgrade.yaml', assertions: [{ violations: 'no' }] },
      { name: 'tenant-wildcard', object: 'tenant.yaml', assertions: [{ violations: 1, message: 'team-payments-admin' }] },
    ];
    fs.writeFileSync(path.join(dir, 'suite.yaml'), stringify({ kind: 'Suite', apiVersion: 'test.gatekeeper.sh/v1alpha1', metadata: { name: 'upgrade' }, tests: [{ name: 'prod-no-wildcard-rbac', template: 'template.yaml', constraint: 'constraint.yaml', cases }] }));
    expect(runSuite(path.join(dir, 'suite.yaml')).map((c) => [c.case, c.status, c.detail])).toEqual([
      ['argocd-upgrade', 'ok', undefined],
      ['tenant-wildcard', 'ok', undefined],
    ]);
  });

  it('GIVEN the upstream ClusterRoles and a tenant one WHEN checked with --stack prod THEN only the tenant role is denied and the exemption reports what it skipped; the library alone denies both', () => {
    const file = path.join(dir, 'roles.yaml');
    /** gatekeeper v3.23.0 charts/gatekeeper/templates/gatekeeper-manager-role-clusterrole.yaml (its "*" rule). */
    const gatekeeperRole = { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'gatekeeper-manager-role' }, rules: [{ apiGroups: ['*'], resources: ['*'], verbs: ['get', 'list', 'watch'] }] };
    fs.writeFileSync(file, [controllerRole(CONTROLLER_RULES_BUMPED), gatekeeperRole, tenantRole].map((o) => stringify(o)).join('---\n'));
    const r = platform(['check', '--stack', 'prod', file]);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe(`${file}: ClusterRole/-/team-payments-admin: no-wildcard-rbac: ClusterRole team-payments-admin must not grant "*" verbs or resources (1 rule(s))\n`);
    expect(r.stderr).toContain('platform: exemption no-wildcard-rbac: (cluster) ClusterRole name=argocd-application-controller,argocd-server: skipped 1 object(s) (Argo CD syncs');
    expect(r.stderr).toContain('platform: exemption no-wildcard-rbac: (cluster) ClusterRole name=gatekeeper-manager-role: skipped 1 object(s) (Gatekeeper audits');
    expect(checkManifests([file]).violations.map((v) => v.name)).toEqual(['argocd-application-controller', 'gatekeeper-manager-role', 'team-payments-admin']);
  });
});

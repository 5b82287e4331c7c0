import { UserError } from '../../lib/errors';
import { PolicySet } from '../../lib/policy/policy-set';

type Obj = Record<string, unknown>;

function template(source: Obj, kind = 'TestPolicy'): Obj {
  return {
    apiVersion: 'templates.gatekeeper.sh/v1',
    kind: 'ConstraintTemplate',
    metadata: { name: kind.toLowerCase() },
    spec: { crd: { spec: { names: { kind } } }, targets: [{ target: 'admission.k8s.gatekeeper.sh', code: [{ engine: 'K8sNativeValidation', source }] }] },
  };
}

function constraint(spec: Obj = {}, name = 'test', kind = 'TestPolicy'): Obj {
  return { apiVersion: 'constraints.gatekeeper.sh/v1beta1', kind, metadata: { name }, spec };
}

function policies(source: Obj, spec: Obj = {}): PolicySet {
  return new PolicySet([{ object: template(source), where: 'template.yaml' }], [{ object: constraint(spec), where: 'constraint.yaml' }]);
}

const pod = (name: string, namespace = 'apps', labels: Obj = {}): Obj => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace, labels }, spec: { containers: [{ name: 'c', image: 'x:1' }] } });
const denyAll = { validations: [{ expression: 'false', message: 'denied' }] };
const messages = (set: PolicySet, object: Obj, extra: Obj = {}): string[] => set.review({ object, ...extra }).map((v) => v.message);

describe('constraint match', () => {
  it('GIVEN match.kinds WHEN objects of other kinds or groups are reviewed THEN only matching kinds are evaluated', () => {
    const set = policies(denyAll, { match: { kinds: [{ apiGroups: ['apps'], kinds: ['Deployment'] }] } });
    expect(messages(set, pod('p'))).toEqual([]);
    expect(messages(set, { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd', namespace: 'apps' } })).toEqual(['denied']);
    expect(messages(set, { apiVersion: 'example.com/v1', kind: 'Deployment', metadata: { name: 'd', namespace: 'apps' } })).toEqual([]);
  });

  it('GIVEN namespaces and excludedNamespaces with globs WHEN reviewing THEN only included, non-excluded namespaces match', () => {
    const set = policies(denyAll, { match: { namespaces: ['team-*', 'apps'], excludedNamespaces: ['team-system', '*-sandbox'] } });
    expect(messages(set, pod('p', 'team-a'))).toEqual(['denied']);
    expect(messages(set, pod('p', 'apps'))).toEqual(['denied']);
    expect(messages(set, pod('p', 'team-system'))).toEqual([]);
    expect(messages(set, pod('p', 'team-sandbox'))).toEqual([]);
    expect(messages(set, pod('p', 'other'))).toEqual([]);
  });

  it('GIVEN a namespace criterion WHEN a cluster-scoped object or a Namespace is reviewed THEN Gatekeeper semantics apply', () => {
    const set = policies(denyAll, { match: { excludedNamespaces: ['kube-system'] } });
    expect(messages(set, { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'r' } })).toEqual(['denied']);
    expect(messages(set, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'kube-system' } })).toEqual([]);
  });

  it('GIVEN labelSelector, namespaceSelector, scope and name WHEN reviewing THEN each filters', () => {
    const bySelector = policies(denyAll, { match: { labelSelector: { matchLabels: { tier: 'web' }, matchExpressions: [{ key: 'legacy', operator: 'DoesNotExist' }] } } });
    expect(messages(bySelector, pod('p', 'apps', { tier: 'web' }))).toEqual(['denied']);
    expect(messages(bySelector, pod('p', 'apps', { tier: 'web', legacy: 'true' }))).toEqual([]);
    const byNamespace = policies(denyAll, { match: { namespaceSelector: { matchExpressions: [{ key: 'env', operator: 'In', values: ['prod'] }] } } });
    const prodNs = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'apps', labels: { env: 'prod' } } };
    expect(messages(byNamespace, pod('p'), { namespaceObject: prodNs })).toEqual(['denied']);
    expect(messages(byNamespace, pod('p'), { namespaceObject: null })).toEqual([]);
    const clusterOnly = policies(denyAll, { match: { scope: 'Cluster' } });
    expect(messages(clusterOnly, pod('p'))).toEqual([]);
    const byName = policies(denyAll, { match: { name: 'web-*' } });
    expect([messages(byName, pod('web-1')), messages(byName, pod('api'))]).toEqual([['denied'], []]);
  });
});

describe('evaluation', () => {
  it('GIVEN spec.parameters WHEN validating THEN variables.params holds them, and is null without parameters', () => {
    const source = { validations: [{ expression: 'has(variables.params.max) && size(object.spec.containers) <= variables.params.max', messageExpression: '"too many containers, max " + string(variables.params.max)', message: 'no max' }] };
    expect(messages(policies(source, { parameters: { max: 0 } }), pod('p'))).toEqual(['too many containers, max 0']);
    expect(messages(policies(source, { parameters: { max: 1 } }), pod('p'))).toEqual([]);
    expect(messages(policies(source), pod('p'))).toEqual(['no max']);
  });

  it('GIVEN variables WHEN one is unused and errors THEN nothing fails; used variables see earlier ones', () => {
    const source = {
      variables: [
        { name: 'broken', expression: 'object.no.such.field' },
        { name: 'names', expression: 'object.spec.containers.map(c, c.name)' },
        { name: 'count', expression: 'size(variables.names)' },
      ],
      validations: [{ expression: 'variables.count == 1' }],
    };
    expect(messages(policies(source), pod('p'))).toEqual([]);
  });

  it('GIVEN a validation that errors WHEN evaluating THEN it is a violation naming the expression and error', () => {
    expect(messages(policies({ validations: [{ expression: 'object.spec.nope == 1' }] }), pod('p'))).toEqual(["expression 'object.spec.nope == 1' resulted in error: no such key: nope"]);
  });

  it('GIVEN messageExpression WHEN it errors, is empty or absent THEN message, then "failed expression" are used', () => {
    const v = (extra: Obj): Obj => ({ validations: [{ expression: 'false', ...extra }] });
    expect(messages(policies(v({ messageExpression: 'object.nope', message: 'static' })), pod('p'))).toEqual(['static']);
    expect(messages(policies(v({ messageExpression: '""', message: 'static' })), pod('p'))).toEqual(['static']);
    expect(messages(policies(v({ messageExpression: '"pod " + object.metadata.name' })), pod('p'))).toEqual(['pod p']);
    expect(messages(policies(v({})), pod('p'))).toEqual(['failed expression: false']);
  });

  it('GIVEN a DELETE review WHEN the template reads variables.anyObject THEN it is the old object; request.operation is bound', () => {
    const source = { validations: [{ expression: 'false', messageExpression: 'request.operation + " " + variables.anyObject.metadata.name' }] };
    expect(messages(policies(source), pod('ignored'), { object: null, oldObject: pod('old'), operation: 'DELETE' })).toEqual(['DELETE old']);
  });

  it('GIVEN enforcementAction WHEN violations are reported THEN they carry it', () => {
    const set = policies(denyAll, { enforcementAction: 'warn' });
    expect(set.review({ object: pod('p') }).map((v) => [v.constraint, v.enforcementAction])).toEqual([['test', 'warn']]);
  });

  // Gatekeeper's source field is matchCondition (v3.23.0 pkg/drivers/k8scel/schema/schema.go: `json:"matchCondition,omitempty"`).
  it('GIVEN matchCondition WHEN a condition is false THEN the validations are skipped', () => {
    const source = { matchCondition: [{ name: 'only-web', expression: 'object.metadata.name.startsWith("web")' }], ...denyAll };
    expect([messages(policies(source), pod('web-1')), messages(policies(source), pod('api'))]).toEqual([['denied'], []]);
  });

  it('GIVEN matchConditions (a field Gatekeeper drops) WHEN compiled THEN it is refused, naming the field Gatekeeper reads', () => {
    const source = { matchConditions: [{ name: 'only-web', expression: 'object.metadata.name.startsWith("web")' }], ...denyAll };
    expect(() => policies(source)).toThrow('K8sNativeValidation source.matchConditions is not a Gatekeeper field (Gatekeeper reads source.matchCondition and would ignore it)');
  });
});

describe('evaluation shared across templates and lazily bound globals', () => {
  it('GIVEN two templates defining the same review-only variable, one also reading params through another variable WHEN reviewed THEN each sees its own params', () => {
    const names = { name: 'names', expression: 'object.spec.containers.map(c, c.name)' };
    const first = template({ variables: [names, { name: 'limit', expression: 'variables.params.max' }], validations: [{ expression: 'size(variables.names) <= variables.limit', messageExpression: '"A: " + variables.names.join(",")' }] }, 'PolicyA');
    const second = template({ variables: [names, { name: 'limit', expression: 'variables.params.max' }], validations: [{ expression: 'size(variables.names) <= variables.limit', messageExpression: '"B: " + variables.names.join(",")' }] }, 'PolicyB');
    const set = new PolicySet(
      [
        { object: first, where: 'a' },
        { object: second, where: 'b' },
      ],
      [
        { object: constraint({ parameters: { max: 0 } }, 'a', 'PolicyA'), where: 'a' },
        { object: constraint({ parameters: { max: 5 } }, 'b', 'PolicyB'), where: 'b' },
      ],
    );
    expect(messages(set, pod('p'))).toEqual(['A: c']);
  });

  it('GIVEN a template reading namespaceObject and request WHEN reviewed with and without a namespace THEN both are bound', () => {
    const source = { validations: [{ expression: 'false', messageExpression: 'request.kind.kind + " in " + (namespaceObject == null ? "unknown" : namespaceObject.metadata.labels.env)' }] };
    const ns = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'apps', labels: { env: 'prod' } } };
    expect(messages(policies(source), pod('p'), { namespaceObject: ns })).toEqual(['Pod in prod']);
    expect(messages(policies(source), pod('p'))).toEqual(['Pod in unknown']);
  });

  it('GIVEN a malformed match criterion WHEN building the policy set THEN a UserError names the constraint and the field', () => {
    expect(() => policies(denyAll, { match: { excludedNamespaces: 'kube-system' } })).toThrow('constraint.yaml: constraint test: spec.match.excludedNamespaces must be a list of strings (got "kube-system")');
    expect(() => policies(denyAll, { match: { kinds: [{ kinds: 'Pod' }] } })).toThrow('constraint.yaml: constraint test: spec.match.kinds[0].kinds must be a list of strings (got "Pod")');
    expect(() => policies(denyAll, { match: { labelSelector: { matchExpressions: [{ key: 'a', operator: 'Has' }] } } })).toThrow(
      'constraint.yaml: constraint test: spec.match.labelSelector.matchExpressions[0] needs a string key and an operator In, NotIn, Exists or DoesNotExist (got {"key":"a","operator":"Has"})',
    );
  });
});

describe('errors', () => {
  it('GIVEN an expression that does not compile WHEN building the policy set THEN the error names template and expression', () => {
    const build = (): PolicySet => policies({ validations: [{ expression: 'object.metadata.name.frob()' }] });
    expect(build).toThrow(UserError);
    expect(build).toThrow('template testpolicy: validations[0].expression "object.metadata.name.frob()" does not compile: undeclared reference to \'frob\'');
    expect(() => policies({ variables: [{ name: 'x', expression: 'variables.nope' }], validations: [] })).toThrow('variable "x" "variables.nope" does not compile: undefined field \'variables.nope\'');
  });

  it('GIVEN a constraint whose kind no template defines WHEN building THEN it is a UserError naming the constraint', () => {
    expect(() => new PolicySet([], [{ object: constraint({}, 'orphan', 'Missing'), where: 'c.yaml' }])).toThrow('c.yaml: constraint orphan has kind "Missing", which no ConstraintTemplate defines');
  });

  it('GIVEN a template without K8sNativeValidation code WHEN building THEN it is reported as skipped and never evaluated', () => {
    const rego = { ...template({}), spec: { crd: { spec: { names: { kind: 'TestPolicy' } } }, targets: [{ target: 'admission.k8s.gatekeeper.sh', rego: 'package x' }] } };
    const set = new PolicySet([{ object: rego, where: 't' }], [{ object: constraint(), where: 'c' }]);
    expect([set.skippedTemplates, set.constraintCount, set.review({ object: pod('p') })]).toEqual([['testpolicy'], 0, []]);
  });
});

describe('variables that depend on the constraint alone', () => {
  // `prefix` reads params only (computed once per constraint); `hit` reads the object too.
  const source = {
    variables: [
      { name: 'prefix', expression: 'variables.params.prefix + "-"' },
      { name: 'hit', expression: 'object.metadata.name.startsWith(variables.prefix)' },
    ],
    validations: [{ expression: '!variables.hit', messageExpression: '"starts with " + variables.prefix + ": " + object.metadata.name' }],
  };

  it('GIVEN two constraints of one template with different parameters WHEN many objects are reviewed THEN each keeps its own value and object-dependent variables follow each object', () => {
    const set = new PolicySet(
      [{ object: template(source), where: 't' }],
      [
        { object: constraint({ parameters: { prefix: 'web' } }, 'a'), where: 'a' },
        { object: constraint({ parameters: { prefix: 'api' } }, 'b'), where: 'b' },
      ],
    );
    const seen = ['web-1', 'api-1', 'db-1', 'web-2', 'api-2'].map((n) => set.review({ object: pod(n) }).map((v) => `${v.constraint}: ${v.message}`));
    expect(seen).toEqual([['a: starts with web-: web-1'], ['b: starts with api-: api-1'], [], ['a: starts with web-: web-2'], ['b: starts with api-: api-2']]);
  });
});

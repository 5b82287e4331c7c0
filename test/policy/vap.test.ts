import * as fs from 'node:fs';
import * as path from 'node:path';
import { CelCompiler, CelErr, fromCel, toCel, type Frame } from '../../lib/cel';
import { policySources } from '../../lib/policy/check';
import { loadPolicyLibrary, POLICY_LIBRARY_DIR } from '../../lib/policy/library';
import { PolicySet } from '../../lib/policy/policy-set';
import { pluralResource, UNTRANSLATED_ANNOTATION, validatingAdmissionPolicies, vapFiles } from '../../lib/policy/vap';
import { parseYamlDocuments } from '../../lib/yaml';

type Obj = Record<string, unknown>;

const library = loadPolicyLibrary();
const sources = policySources([]);
const result = validatingAdmissionPolicies(sources.templates, sources.constraints);
const nameOf = (o: Obj): string => (o.metadata as { name: string }).name;

/** Evaluates a ValidatingAdmissionPolicy's variables and validations the way the API server does, with our CEL. */
function evaluateVap(policy: Obj, object: Obj, params: Obj): string[] {
  const spec = policy.spec as { variables: { name: string; expression: string }[]; validations: { expression: string; message?: string; messageExpression?: string }[] };
  const compiler = new CelCompiler({ globals: ['object', 'oldObject', 'request', 'params', 'namespaceObject'], variables: spec.variables.map((v) => v.name) });
  const variables = spec.variables.map((v) => compiler.compile(v.expression));
  const validations = spec.validations.map((v) => ({ ...v, program: compiler.compile(v.expression), messageProgram: v.messageExpression === undefined ? undefined : compiler.compile(v.messageExpression) }));
  const memo: unknown[] = [];
  const slots: unknown[] = new Array(compiler.slotCount);
  [slots[0], slots[1], slots[2], slots[3], slots[4]] = [toCel(object), null, toCel({ operation: 'CREATE' }), toCel(params), null];
  const frame: Frame = { slots, variable: (i) => (memo[i] ??= variables[i](frame)) };
  const out: string[] = [];
  for (const v of validations) {
    const ok = v.program(frame);
    if (ok === true) continue;
    if (ok instanceof CelErr) {
      out.push(`error: ${ok.message}`);
      continue;
    }
    const m = v.messageProgram?.(frame);
    out.push(typeof m === 'string' && m !== '' ? m : (v.message ?? ''));
  }
  return out;
}

function sampleObjects(policyDir: string): Obj[] {
  const out: Obj[] = [];
  const samples = path.join(policyDir, 'samples');
  for (const sample of fs.readdirSync(samples).sort()) {
    for (const file of fs.readdirSync(path.join(samples, sample)).sort()) {
      if (!file.startsWith('example_')) continue;
      const full = path.join(samples, sample, file);
      for (const doc of parseYamlDocuments(fs.readFileSync(full, 'utf8'), full) as Obj[]) {
        out.push(doc.kind === 'AdmissionReview' ? ((doc.request as Obj).object as Obj) : doc);
      }
    }
  }
  return out;
}

describe('ValidatingAdmissionPolicy emission', () => {
  it('GIVEN the library WHEN translated THEN one policy and one binding per constraint, sorted, the binding naming the constraint as its parameter', () => {
    // unique-ingress-hosts reads other Ingresses (Rego): no ValidatingAdmissionPolicy can, so it has none.
    expect(result.pairs.map((p) => p.constraint)).toEqual(library.constraints.map(nameOf).filter((n) => n !== 'unique-ingress-hosts'));
    expect([result.skippedTemplates, result.unboundTemplates]).toEqual([['platformuniqueingresshosts'], []]);
    for (const p of result.pairs) {
      const constraint = library.constraints.find((c) => nameOf(c) === p.constraint) as Obj;
      expect(p.policy.spec).toMatchObject({ failurePolicy: 'Fail', paramKind: { apiVersion: 'constraints.gatekeeper.sh/v1beta1', kind: constraint.kind } });
      expect(p.binding).toEqual({
        apiVersion: 'admissionregistration.k8s.io/v1',
        kind: 'ValidatingAdmissionPolicyBinding',
        metadata: { name: p.constraint },
        spec: { policyName: p.constraint, paramRef: { name: p.constraint, parameterNotFoundAction: 'Deny' }, validationActions: ['Deny'] },
      });
    }
  });

  it('GIVEN run-as-non-root WHEN translated THEN kinds become resource rules, excluded namespaces a NotIn selector, and the template CEL is carried over after anyObject and params', () => {
    const pair = result.pairs.find((p) => p.constraint === 'run-as-non-root');
    const template = library.templates.find((t) => nameOf(t) === 'platformrunasnonroot') as Obj;
    const source = (((template.spec as Obj).targets as Obj[])[0].code as Obj[])[0].source as { variables: Obj[]; validations: Obj[] };
    const spec = pair?.policy.spec as Obj;
    const rule = (apiGroups: string[], resources: string[]): Obj => ({ apiGroups, apiVersions: ['*'], operations: ['CREATE', 'UPDATE'], resources });
    expect(spec.matchConstraints).toEqual({
      resourceRules: [rule([''], ['pods', 'replicationcontrollers']), rule(['apps'], ['deployments', 'statefulsets', 'daemonsets', 'replicasets']), rule(['batch'], ['jobs', 'cronjobs'])],
      namespaceSelector: {
        matchExpressions: [
          { key: 'kubernetes.io/metadata.name', operator: 'NotIn', values: ['kube-system', 'kube-public', 'kube-node-lease', 'gatekeeper-system'] },
        ],
      },
    });
    expect((spec.variables as Obj[]).map((v) => v.name)).toEqual(['anyObject', 'params', ...source.variables.map((v) => v.name)]);
    expect(spec.validations).toEqual(source.validations);
    expect((pair?.policy.metadata as Obj).annotations).toEqual({ 'platform.eks-blueprint.io/constraint-template': 'platformrunasnonroot' });
  });

  it('GIVEN every library policy WHEN its VAP is evaluated on the policy samples with the deployed constraint as params THEN it reports what the offline engine reports', () => {
    let compared = 0;
    for (const pair of result.pairs) {
      const constraint = library.constraints.find((c) => nameOf(c) === pair.constraint) as Obj;
      const template = library.templates.find((t) => nameOf(t) === pair.template) as Obj;
      // The engine without match criteria: the round trip compares the CEL, matching is tested above.
      const unmatched = { ...constraint, spec: { ...(constraint.spec as Obj), match: undefined } };
      const engine = new PolicySet([{ object: template, where: 't' }], [{ object: unmatched, where: 'c' }]);
      for (const object of sampleObjects(path.join(POLICY_LIBRARY_DIR, pair.constraint))) {
        const expected = engine.review({ object }).map((v) => v.message);
        expect([pair.constraint, nameOf(object), evaluateVap(pair.policy, object, constraint)]).toEqual([pair.constraint, nameOf(object), expected]);
        compared += expected.length;
      }
    }
    // Violations were found and compared, not only clean objects.
    expect(compared).toBeGreaterThan(result.pairs.length);
  });

  it('GIVEN warn and dryrun constraints with globs, selectors, scope and name WHEN translated THEN actions map, exact forms carry over and globs are named in an annotation', () => {
    const template = library.templates.find((t) => nameOf(t) === 'platformrunasnonroot') as Obj;
    const constraint = (name: string, spec: Obj): Obj => ({ apiVersion: 'constraints.gatekeeper.sh/v1beta1', kind: 'PlatformRunAsNonRoot', metadata: { name }, spec });
    const r = validatingAdmissionPolicies(
      [{ object: template, where: 't' }],
      [
        {
          object: constraint('warn-web', {
            enforcementAction: 'warn',
            match: {
              kinds: [{ apiGroups: ['*'], kinds: ['Pod', 'Ingress', 'NetworkPolicy'] }],
              scope: 'Namespaced',
              name: 'web',
              excludedNamespaces: ['kube-system', 'team-*'],
              namespaceSelector: { matchLabels: { env: 'prod' } },
              labelSelector: { matchExpressions: [{ key: 'tier', operator: 'Exists' }] },
            },
          }),
          where: 'c1',
        },
        { object: constraint('audit-only', { enforcementAction: 'dryrun', match: { namespaces: ['apps', 'web-*'], name: 'api-*' } }), where: 'c2' },
      ],
    );
    const [audit, warn] = r.pairs;
    expect([audit.constraint, (audit.binding.spec as Obj).validationActions, warn.constraint, (warn.binding.spec as Obj).validationActions]).toEqual(['audit-only', ['Audit'], 'warn-web', ['Warn']]);
    expect((warn.policy.spec as Obj).matchConstraints).toEqual({
      resourceRules: [{ apiGroups: ['*'], apiVersions: ['*'], operations: ['CREATE', 'UPDATE'], resources: ['pods', 'ingresses', 'networkpolicies'], resourceNames: ['web'], scope: 'Namespaced' }],
      namespaceSelector: { matchLabels: { env: 'prod' }, matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'NotIn', values: ['kube-system'] }] },
      objectSelector: { matchExpressions: [{ key: 'tier', operator: 'Exists' }] },
    });
    expect((warn.policy.metadata as { annotations: Obj }).annotations[UNTRANSLATED_ANNOTATION]).toBe('match.excludedNamespaces globs ["team-*"] (those namespaces are not excluded)');
    // Globs in an include list or a name cannot narrow the policy: it applies everywhere and says so.
    expect((audit.policy.spec as Obj).matchConstraints).toEqual({ resourceRules: [{ apiGroups: ['*'], apiVersions: ['*'], operations: ['CREATE', 'UPDATE'], resources: ['*'] }] });
    expect(audit.untranslated).toEqual(['match.name glob "api-*" (policy applies to every name)', 'match.namespaces with globs ["web-*"] (policy applies in every namespace)']);
  });

  it('GIVEN kinds WHEN turned into resources THEN regular plurals and the irregular table apply', () => {
    expect(['Pod', 'Ingress', 'NetworkPolicy', 'Gateway', 'Endpoints', 'ClusterRoleBinding', 'PodSecurityPolicy', 'Mesh', 'IngressClass', 'IngressClassParams', '*'].map(pluralResource)).toEqual([
      'pods',
      'ingresses',
      'networkpolicies',
      'gateways',
      'endpoints',
      'clusterrolebindings',
      'podsecuritypolicies',
      'meshes',
      'ingressclasses',
      // names.plural of the controller's CRD (crds/crds.yaml at v3.5.0), not the English rule's "ingressclassparamses".
      'ingressclassparams',
      '*',
    ]);
  });

  it('GIVEN the emitted files WHEN parsed back THEN each holds its policy then its binding, byte-identical on a second run', () => {
    const files = vapFiles(result);
    expect([...files.keys()]).toEqual(result.pairs.map((p) => `${p.constraint}.yaml`));
    for (const p of result.pairs) {
      const file = `${p.constraint}.yaml`;
      expect(fromCel(toCel(parseYamlDocuments(files.get(file) as string, file)))).toEqual([p.policy, p.binding]);
    }
    expect(vapFiles(validatingAdmissionPolicies(sources.templates, sources.constraints))).toEqual(files);
  });

  it('GIVEN two constraints of different kinds with one name WHEN translated THEN a UserError names both', () => {
    const [a, b] = library.constraints;
    const clash = { ...b, metadata: { name: nameOf(a) } };
    expect(() => validatingAdmissionPolicies(sources.templates, [{ object: a, where: 'a.yaml' }, { object: clash, where: 'b.yaml' }])).toThrow(
      `b.yaml: constraints ${String(a.kind)}/${nameOf(a)} and ${String(b.kind)}/${nameOf(a)} would give two ValidatingAdmissionPolicies named ${nameOf(a)}; rename one`,
    );
  });
});

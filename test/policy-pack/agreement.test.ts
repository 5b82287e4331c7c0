/**
 * `platform plan` (evaluateResources over the program's resources under mocks) and the CrossGuard
 * pack (each policy's validateResource over the same resources) reach the same verdicts.
 */
import type { ResourceValidationArgs } from '@pulumi/policy';
import { platformPolicies } from '../../infra/policy/policies';
import { evaluateResources, resourceLabel } from '../../lib/rules';
import { runStack } from '../helpers/pulumi';

describe('CrossGuard pack and platform plan agree', () => {
  it('GIVEN the prod stack under mocks WHEN both evaluate every resource THEN the findings are the same', async () => {
    const run = await runStack('prod');
    const resources = run.resources.map((r) => ({ type: r.type, name: r.name, urn: r.urn, props: r.props as Record<string, unknown> }));
    const plan = evaluateResources(resources, { environment: 'prod' }).map((f) => `${f.id} ${f.resource}: ${f.message}`).sort();
    const pack: string[] = [];
    for (const policy of platformPolicies()) {
      for (const r of resources) {
        const args = { ...r, getConfig: () => ({}) } as unknown as ResourceValidationArgs;
        const validations = policy.validateResource;
        for (const v of Array.isArray(validations) ? validations : validations ? [validations] : []) void v(args, (message: string) => pack.push(`${policy.name} ${resourceLabel(r)}: ${message}`));
      }
    }
    expect(pack.sort()).toEqual(plan);
    expect(resources.length).toBeGreaterThan(80);
  });
});

/**
 * The least-privilege judgement of a policy document (rule `iam-least-privilege`): the statements that
 * grant too much, one message each. Reading the document and the facts about actions are
 * lib/iam-document.ts. Pure functions: no Pulumi.
 */
import { actionCovers, hasCondition, isWildcardAction, readStatements, SECURITY_GROUP_WRITE_ACTIONS } from '../iam-document';
import { asObject, stringsOf } from '../untyped';

/** How a document is used decides what `Resource: "*"` means in it. */
export type DocumentKind =
  /** An identity policy: `Resource: "*"` is every resource, allowed only when a Condition narrows it. */
  | 'identity'
  /** A trust (assume-role) policy: no resources; the principal must not be everyone without a Condition. */
  | 'trust'
  /** A resource policy (KMS key, SQS queue): `Resource: "*"` means the resource itself. */
  | 'resource';

const HOSTED_ZONE_ARN = /^arn:aws(-[a-z]+)*:route53:::hostedzone\/[A-Z0-9]+$/;

/**
 * What is wrong with a policy document, one message per problem, naming the statement.
 * Deny statements never grant anything and are not judged.
 */
export function policyDocumentProblems(value: unknown, kind: DocumentKind): string[] {
  const statements = readStatements(value);
  if (!statements) return ['is not a readable policy document (expected JSON with a Statement list)'];
  const problems: string[] = [];
  statements.forEach((s, i) => {
    if (s.Effect !== 'Allow') return;
    const where = `statement ${s.Sid ? `${String(s.Sid)} ` : ''}#${i}`;
    if (s.NotAction !== undefined) problems.push(`${where}: Allow with NotAction grants everything else (list the actions)`);
    for (const action of stringsOf(s.Action)) {
      if (isWildcardAction(action)) problems.push(`${where}: Action ${JSON.stringify(action)} grants a whole service (list the actions)`);
    }
    if (kind === 'identity') {
      if (s.NotResource !== undefined) problems.push(`${where}: Allow with NotResource applies to everything else (list the resources)`);
      const unconditionedStar = stringsOf(s.Resource).includes('*') && !hasCondition(s);
      if (unconditionedStar) {
        problems.push(`${where}: Resource "*" without a Condition (name the resources, or narrow with a Condition where AWS has no resource-level permission)`);
      }
      // Narrower promises, judged only where the checks above have not already refused the statement.
      const actions = stringsOf(s.Action);
      if (!unconditionedStar && !actions.some(isWildcardAction)) {
        const grants = (wanted: readonly string[]) => wanted.filter((a) => actions.some((p) => actionCovers(p, a)));
        const sgWrites = grants(SECURITY_GROUP_WRITE_ACTIONS);
        if (sgWrites.length > 0 && !hasCondition(s)) {
          problems.push(`${where}: ${sgWrites.join(', ')} without a Condition applies to every security group (limit it with ec2:Vpc or a resource tag)`);
        }
        const zones = stringsOf(s.Resource).filter((r) => !HOSTED_ZONE_ARN.test(r));
        if (grants(['route53:ChangeResourceRecordSets']).length > 0 && zones.length > 0) {
          problems.push(`${where}: route53:ChangeResourceRecordSets on ${zones.join(', ')} (name the hosted zones: arn:aws:route53:::hostedzone/<id>)`);
        }
      }
    }
    if (kind !== 'identity') {
      const principal = s.Principal;
      const everyone = principal === '*' || stringsOf(asObject(principal)?.AWS).includes('*');
      if (everyone && !hasCondition(s)) problems.push(`${where}: Principal "*" without a Condition lets anyone in`);
    }
  });
  return problems;
}

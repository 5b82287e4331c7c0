/**
 * Reading IAM, KMS and resource policy documents as Pulumi passes them (JSON text, or an already
 * parsed object) and finding the statements that grant too much. Pure functions: no Pulumi.
 */

export interface PolicyStatement {
  readonly Sid?: string;
  readonly Effect: 'Allow' | 'Deny';
  readonly Principal?: '*' | Readonly<Record<string, string | readonly string[]>>;
  readonly Action?: string | readonly string[];
  readonly NotAction?: string | readonly string[];
  readonly Resource?: string | readonly string[];
  readonly NotResource?: string | readonly string[];
  readonly Condition?: Readonly<Record<string, Readonly<Record<string, string | boolean | readonly string[]>>>>;
}

export interface PolicyDocument {
  readonly Version: '2012-10-17';
  readonly Statement: readonly PolicyStatement[];
}

/** How a document is used decides what `Resource: "*"` means in it. */
export type DocumentKind =
  /** An identity policy: `Resource: "*"` is every resource, allowed only when a Condition narrows it. */
  | 'identity'
  /** A trust (assume-role) policy: no resources; the principal must not be everyone without a Condition. */
  | 'trust'
  /** A resource policy (KMS key, SQS queue): `Resource: "*"` means the resource itself. */
  | 'resource';

/** Parses a policy document given as JSON text or object; undefined when it is not one. */
export function readPolicyDocument(value: unknown): { statements: PolicyStatement[] } | undefined {
  let doc: unknown = value;
  if (typeof value === 'string') {
    try {
      doc = JSON.parse(value);
    } catch {
      return undefined;
    }
  }
  if (!doc || typeof doc !== 'object') return undefined;
  const statement = (doc as { Statement?: unknown }).Statement;
  if (Array.isArray(statement)) return { statements: statement as PolicyStatement[] };
  if (statement && typeof statement === 'object') return { statements: [statement as PolicyStatement] };
  return undefined;
}

function list(value: string | readonly string[] | undefined): readonly string[] {
  if (value === undefined) return [];
  return typeof value === 'string' ? [value] : value;
}

function hasCondition(s: PolicyStatement): boolean {
  return !!s.Condition && Object.keys(s.Condition).length > 0;
}

/** Whether an IAM action pattern (`ec2:Authorize*`, `route53:*`) covers `action`; IAM matches case-insensitively. */
export function actionCovers(pattern: string, action: string): boolean {
  const re = new RegExp(`^${pattern.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`, 'i');
  return re.test(action);
}

/** Security group rule changes and deletion: without a Condition they can open or remove any group of the account. */
export const SECURITY_GROUP_WRITE_ACTIONS = [
  'ec2:AuthorizeSecurityGroupEgress', 'ec2:AuthorizeSecurityGroupIngress', 'ec2:DeleteSecurityGroup', 'ec2:ModifySecurityGroupRules',
  'ec2:RevokeSecurityGroupEgress', 'ec2:RevokeSecurityGroupIngress',
] as const;

const HOSTED_ZONE_ARN = /^arn:aws(-[a-z]+)*:route53:::hostedzone\/[A-Z0-9]+$/;

/** An action that grants a whole service or everything: `*`, `s3:*`. Prefixes like `kms:Describe*` are fine. */
export function isWildcardAction(action: string): boolean {
  return action === '*' || /^[a-z0-9-]+:\*$/i.test(action);
}

/**
 * What is wrong with a policy document, one message per problem, naming the statement.
 * Deny statements never grant anything and are not judged.
 */
export function policyDocumentProblems(value: unknown, kind: DocumentKind): string[] {
  const doc = readPolicyDocument(value);
  if (!doc) return ['is not a readable policy document (expected JSON with a Statement list)'];
  const problems: string[] = [];
  doc.statements.forEach((s, i) => {
    if (s.Effect !== 'Allow') return;
    const where = `statement ${s.Sid ? `${s.Sid} ` : ''}#${i}`;
    if (s.NotAction !== undefined) problems.push(`${where}: Allow with NotAction grants everything else (list the actions)`);
    for (const action of list(s.Action)) {
      if (isWildcardAction(action)) problems.push(`${where}: Action ${JSON.stringify(action)} grants a whole service (list the actions)`);
    }
    if (kind === 'identity') {
      if (s.NotResource !== undefined) problems.push(`${where}: Allow with NotResource applies to everything else (list the resources)`);
      const unconditionedStar = list(s.Resource).includes('*') && !hasCondition(s);
      if (unconditionedStar) {
        problems.push(`${where}: Resource "*" without a Condition (name the resources, or narrow with a Condition where AWS has no resource-level permission)`);
      }
      // Narrower promises, judged only where the checks above have not already refused the statement.
      const actions = list(s.Action);
      if (!unconditionedStar && !actions.some(isWildcardAction)) {
        const grants = (wanted: readonly string[]) => wanted.filter((a) => actions.some((p) => actionCovers(p, a)));
        const sgWrites = grants(SECURITY_GROUP_WRITE_ACTIONS);
        if (sgWrites.length > 0 && !hasCondition(s)) {
          problems.push(`${where}: ${sgWrites.join(', ')} without a Condition applies to every security group (limit it with ec2:Vpc or a resource tag)`);
        }
        const zones = list(s.Resource).filter((r) => !HOSTED_ZONE_ARN.test(r));
        if (grants(['route53:ChangeResourceRecordSets']).length > 0 && zones.length > 0) {
          problems.push(`${where}: route53:ChangeResourceRecordSets on ${zones.join(', ')} (name the hosted zones: arn:aws:route53:::hostedzone/<id>)`);
        }
      }
    }
    if (kind !== 'identity') {
      const principal = s.Principal;
      const everyone = principal === '*' || (principal && typeof principal === 'object' && list(principal.AWS).includes('*'));
      if (everyone && !hasCondition(s)) problems.push(`${where}: Principal "*" without a Condition lets anyone in`);
    }
  });
  return problems;
}

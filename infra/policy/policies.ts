/**
 * The CrossGuard adapter: each shared posture rule (lib/rules) as a `@pulumi/policy` resource
 * validation policy. Kept apart from index.ts so tests can check the conversion without starting a
 * policy pack (constructing a PolicyPack starts its gRPC server). Only types come from
 * @pulumi/policy here.
 */
import type { PolicyComplianceFramework, ReportViolation, ResourceValidationArgs, ResourceValidationPolicy } from '@pulumi/policy';
import { RESOURCE_RULES, type ResourceRule, type RuleContext } from '../../lib/rules';

/** Per-policy config: `environment: dev|prod`; the stack name decides when it is not set. */
export interface PlatformPolicyConfig {
  readonly environment?: 'dev' | 'prod';
}

const FRAMEWORKS: readonly { prefix: string; name: string; version: string; specification: string }[] = [
  { prefix: 'CIS EKS ', name: 'CIS Amazon EKS Benchmark', version: '1.7.0', specification: 'https://www.cisecurity.org/benchmark/kubernetes' },
  { prefix: 'CIS AWS ', name: 'CIS AWS Foundations Benchmark', version: '3.0.0', specification: 'https://www.cisecurity.org/benchmark/amazon_web_services' },
  { prefix: 'AWS FSBP ', name: 'AWS Foundational Security Best Practices', version: '1.0.0', specification: 'https://docs.aws.amazon.com/securityhub/latest/userguide/fsbp-standard.html' },
];

/** The compliance framework a control label names (`CIS EKS 5.4.2` -> CIS Amazon EKS Benchmark, 5.4.2). */
export function frameworkOf(control: string): PolicyComplianceFramework | undefined {
  const f = FRAMEWORKS.find((x) => control.startsWith(x.prefix));
  return f ? { name: f.name, version: f.version, reference: control.slice(f.prefix.length), specification: f.specification } : undefined;
}

/** Stack of a URN (`urn:pulumi:<stack>::...`). */
function stackOf(urn: string): string | undefined {
  return /^urn:pulumi:([^:]+)::/.exec(urn)?.[1];
}

/** The rule context for one resource: policy config first, else a stack named dev or prod. */
export function contextFor(args: Pick<ResourceValidationArgs, 'urn'> & { getConfig?: () => PlatformPolicyConfig }): RuleContext {
  const configured = args.getConfig?.().environment;
  if (configured === 'dev' || configured === 'prod') return { environment: configured };
  const stack = stackOf(args.urn);
  return stack === 'dev' || stack === 'prod' ? { environment: stack } : {};
}

/** One rule as a CrossGuard policy: same id, severity, enforcement and check function. */
export function toPolicy(rule: ResourceRule): ResourceValidationPolicy {
  const framework = frameworkOf(rule.control);
  return {
    name: rule.id,
    description: `${rule.description} (${rule.control})`,
    enforcementLevel: rule.enforcement,
    severity: rule.severity,
    ...(framework ? { framework } : {}),
    tags: [rule.control],
    configSchema: { properties: { environment: { type: 'string', enum: ['dev', 'prod'] } } },
    validateResource: (args: ResourceValidationArgs, reportViolation: ReportViolation) => {
      if (!rule.resourceTypes.includes(args.type)) return;
      const ctx = contextFor({ urn: args.urn, getConfig: () => args.getConfig<PlatformPolicyConfig>() });
      for (const message of rule.check({ type: args.type, name: args.name, urn: args.urn, props: args.props }, ctx)) reportViolation(message);
    },
  };
}

export function platformPolicies(): ResourceValidationPolicy[] {
  return RESOURCE_RULES.map(toPolicy);
}

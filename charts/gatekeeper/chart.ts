import { ApiObject, Chart } from 'cdk8s';
import type { Construct } from 'constructs';
import type { PlatformConfig } from '../../model/config';
import { POLICY_EXEMPT_NAMESPACES } from '../namespaces';

export interface PolicyLibraryObjects {
  readonly templates: readonly Record<string, unknown>[];
  readonly constraints: readonly Record<string, unknown>[];
}

export interface GatekeeperPolicyChartProps {
  readonly config: PlatformConfig;
  readonly library: PolicyLibraryObjects;
}

/** The ConstraintTemplates of the policy library. Applied before the constraints (their CRDs come from these). */
export class GatekeeperTemplatesChart extends Chart {
  constructor(scope: Construct, id: string, { library }: GatekeeperPolicyChartProps) {
    super(scope, id);
    for (const template of library.templates) {
      const name = (template.metadata as { name: string }).name;
      new ApiObject(this, name, structuredClone(template) as never);
    }
  }
}

/**
 * The library's constraints with the stack's enforcement action (`deny` in prod, config decides in
 * dev) and the platform's exempt system namespaces added to each constraint's own exclusions.
 */
export class GatekeeperConstraintsChart extends Chart {
  constructor(scope: Construct, id: string, { config, library }: GatekeeperPolicyChartProps) {
    super(scope, id);
    for (const constraint of library.constraints) {
      const copy = structuredClone(constraint) as { kind: string; metadata: { name: string }; spec?: { enforcementAction?: string; match?: { excludedNamespaces?: string[] } } };
      const spec = (copy.spec ??= {});
      spec.enforcementAction = config.gatekeeper.enforcementAction;
      const match = (spec.match ??= {});
      match.excludedNamespaces = [...new Set([...(match.excludedNamespaces ?? []), ...POLICY_EXEMPT_NAMESPACES])].sort();
      new ApiObject(this, `${copy.kind}-${copy.metadata.name}`, copy as never);
    }
  }
}

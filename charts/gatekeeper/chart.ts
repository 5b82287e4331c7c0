import { ApiObject, App, Chart } from 'cdk8s';
import type { Construct } from 'constructs';
import type { PlatformConfig } from '../../model/config';
import { POLICY_EXEMPT_NAMESPACES } from '../namespaces';
import { ingressPolicyNamespaces } from '../../model/ingress';
import { stackRegistries } from './registries';
import { exemptionsFor } from './exemptions';
import { gatekeeperSyncConfig } from './sync';

export interface PolicyLibraryObjects {
  readonly templates: readonly Record<string, unknown>[];
  readonly constraints: readonly Record<string, unknown>[];
}

export interface GatekeeperPolicyChartProps {
  readonly config: PlatformConfig;
  readonly library: PolicyLibraryObjects;
}

/** Library constraints whose templates take the Pod Security version (`parameters.version`). */
const POD_SECURITY_VERSIONED = new Set(['run-as-non-root', 'selinux', 'sysctls']);

/** Library constraints whose templates take the tenants' ingress settings (`parameters.namespaces`, model/ingress.ts). */
export const INGRESS_POLICIES = new Set(['tenant-hosts', 'ingress-scheme', 'ingress-tls', 'ingress-classes']);

/**
 * The ConstraintTemplates of the policy library, and the sync Config that Gatekeeper needs for the
 * templates reading other objects (charts/gatekeeper/sync.ts). Applied before the constraints (their
 * CRDs come from these).
 */
export class GatekeeperTemplatesChart extends Chart {
  constructor(scope: Construct, id: string, { library }: GatekeeperPolicyChartProps) {
    super(scope, id);
    for (const template of library.templates) {
      const name = (template.metadata as { name: string }).name;
      new ApiObject(this, name, structuredClone(template) as never);
    }
    const sync = gatekeeperSyncConfig(library.templates);
    if (sync) new ApiObject(this, 'sync-config', sync as never);
  }
}

/**
 * The library's constraints with the stack's enforcement action (`deny` in prod, config decides in
 * dev), the platform's exempt system namespaces added to each constraint's own exclusions, the
 * stack's registries (`platform:registries` plus the add-ons', charts/gatekeeper/registries.ts) as
 * allowed-registries' parameters, the tenants' domains and IngressClasses as the ingress policies'
 * (model/ingress.ts ingressPolicyNamespaces), and the upstream objects of the enabled add-ons that a constraint
 * must not block as its `exemptions` (charts/gatekeeper/exemptions.ts).
 */
export class GatekeeperConstraintsChart extends Chart {
  constructor(scope: Construct, id: string, { config, library }: GatekeeperPolicyChartProps) {
    super(scope, id);
    for (const constraint of library.constraints) {
      const copy = structuredClone(constraint) as { kind: string; metadata: { name: string }; spec?: { enforcementAction?: string; match?: { excludedNamespaces?: string[] }; parameters?: Record<string, unknown> } };
      const spec = (copy.spec ??= {});
      if (copy.kind === 'PlatformAllowedRegistries') spec.parameters = { ...spec.parameters, registries: stackRegistries(config) };
      // The hosts, classes and schemes each tenant namespace may use follow the stack's tenants.
      if (INGRESS_POLICIES.has(copy.metadata.name)) spec.parameters = { ...spec.parameters, namespaces: ingressPolicyNamespaces(config) };
      // Pod Security rules that change with the Kubernetes version (safe sysctls, user-namespace relaxations) follow the cluster's.
      if (POD_SECURITY_VERSIONED.has(copy.metadata.name)) spec.parameters = { ...spec.parameters, version: config.kubernetesVersion };
      const exemptions = exemptionsFor(config, copy.metadata.name);
      if (exemptions.length > 0) spec.parameters = { ...spec.parameters, exemptions: structuredClone(exemptions) as unknown[] };
      spec.enforcementAction = config.gatekeeper.enforcementAction;
      const match = (spec.match ??= {});
      match.excludedNamespaces = [...new Set([...(match.excludedNamespaces ?? []), ...POLICY_EXEMPT_NAMESPACES])].sort();
      new ApiObject(this, `${copy.kind}-${copy.metadata.name}`, copy as never);
    }
  }
}

/** The constraints the gatekeeper chart deploys for a stack, as plain objects (what `platform check --stack` evaluates). */
export function stackConstraints(config: PlatformConfig, library: PolicyLibraryObjects): Record<string, unknown>[] {
  const chart = new GatekeeperConstraintsChart(new App(), 'gatekeeper-constraints', { config, library });
  return chart.toJson() as Record<string, unknown>[];
}

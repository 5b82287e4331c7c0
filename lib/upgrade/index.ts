/**
 * `platform upgrade`: readiness of a stack for the next Kubernetes minor (readiness.ts), the object
 * scan it runs over the stack's objects and given manifests (objects.ts), what rolling a chart pin takes
 * beyond `pulumi up` (chart-steps.ts), and its output (render.ts).
 */
export { checkTarget, KUBELET_SKEW, upgradeReadiness } from './readiness';
export { objectName, replacementOn, resolveReplacement, scanObjects } from './objects';
export { renderJson, renderMarkdown, renderText } from './render';
export { chartRollStep, CRD_RUNBOOK } from './chart-steps';
export type { ChartPinInput, UpgradeInput, UpgradeItem, UpgradeItemKind, UpgradeReport } from './types';

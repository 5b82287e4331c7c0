/** The platform's alerts: each names its runbook in docs/runbooks/<runbook>.md. */
import type { PlatformConfig } from '../../infra/config';

/** Where runbook_url points; the path after it is docs/runbooks/<runbook>.md in this repository. */
export const RUNBOOK_BASE_URL = 'https://github.com/example-org/eks-platform-blueprint/blob/main/docs/runbooks';

export interface PlatformAlert {
  readonly alert: string;
  /** File name (without .md) under docs/runbooks/. */
  readonly runbook: string;
  readonly expr: string;
  readonly for: string;
  readonly severity: 'warning' | 'critical';
  readonly summary: string;
  readonly description: string;
  /** The add-on whose metrics the alert reads (the alert exists only when it is enabled). */
  readonly addon?: keyof PlatformConfig['addons'];
}

export const PLATFORM_ALERTS: readonly PlatformAlert[] = [
  {
    alert: 'NodeNotReady',
    runbook: 'node-not-ready',
    expr: 'kube_node_status_condition{condition="Ready",status="true"} == 0',
    for: '10m',
    severity: 'critical',
    summary: 'Node {{ $labels.node }} has not been Ready for 10 minutes',
    description: 'Pods on the node are not running or are being evicted; capacity is reduced.',
  },
  {
    alert: 'PodCrashLooping',
    runbook: 'pod-crash-looping',
    expr: 'max_over_time(kube_pod_container_status_waiting_reason{reason="CrashLoopBackOff"}[5m]) >= 1',
    for: '15m',
    severity: 'warning',
    summary: 'Container {{ $labels.namespace }}/{{ $labels.pod }}/{{ $labels.container }} is crash-looping',
    description: 'The container has been restarting in CrashLoopBackOff for 15 minutes.',
  },
  {
    alert: 'PersistentVolumeFillingUp',
    runbook: 'persistent-volume-filling-up',
    expr: 'kubelet_volume_stats_available_bytes / kubelet_volume_stats_capacity_bytes < 0.10 and kubelet_volume_stats_used_bytes > 0',
    for: '15m',
    severity: 'warning',
    summary: 'PVC {{ $labels.namespace }}/{{ $labels.persistentvolumeclaim }} has less than 10% space left',
    description: 'The volume will fill up; writes will then fail.',
  },
  {
    alert: 'GatekeeperViolations',
    runbook: 'gatekeeper-violations',
    expr: 'sum by (enforcement_action) (gatekeeper_violations) > 0',
    for: '30m',
    severity: 'warning',
    summary: 'Gatekeeper audit found {{ $value }} violations ({{ $labels.enforcement_action }})',
    description: 'Objects in the cluster break platform policies; in deny mode new ones are rejected, existing ones stay.',
    addon: 'gatekeeper',
  },
  {
    alert: 'GatekeeperWebhookErrors',
    runbook: 'gatekeeper-webhook-errors',
    expr: 'sum(rate(gatekeeper_validation_request_count{admission_status="error"}[5m])) > 0',
    for: '10m',
    severity: 'critical',
    summary: 'Gatekeeper admission webhook is returning errors',
    description: 'With failurePolicy Fail (prod) affected API requests are rejected; with Ignore (dev) they pass unchecked.',
    addon: 'gatekeeper',
  },
  {
    alert: 'KarpenterProvisioningFailures',
    runbook: 'karpenter-provisioning-failures',
    expr: 'sum by (error) (increase(karpenter_cloudprovider_errors_total{method="Create"}[15m])) > 0',
    for: '15m',
    severity: 'warning',
    summary: 'Karpenter fails to launch nodes ({{ $labels.error }})',
    description: 'Pending pods may not get capacity: EC2 launches are failing.',
    addon: 'karpenter',
  },
  {
    alert: 'ArgoCdAppOutOfSync',
    runbook: 'argocd-app-out-of-sync',
    expr: 'argocd_app_info{sync_status!="Synced"} == 1',
    for: '30m',
    severity: 'warning',
    summary: 'Argo CD application {{ $labels.name }} has been {{ $labels.sync_status }} for 30 minutes',
    description: 'The cluster does not match git for this application.',
    addon: 'argocd',
  },
];

export function runbookUrl(alert: PlatformAlert): string {
  return `${RUNBOOK_BASE_URL}/${alert.runbook}.md`;
}

/** The platform's alerts: each names its runbook in docs/runbooks/<runbook>.md. */
import type { PlatformConfig } from '../../model/config';

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
  // Ingress (issue #16). Metric names as the pinned releases define them: awslbc_* in
  // pkg/metrics/lbc/instruments.go and aws_api_call_* in pkg/metrics/aws/instruments.go of the load balancer
  // controller v3.5.0; external_dns_* in docs/monitoring/metrics.md of external-dns v0.21.0; x509_* in the
  // default rules of the x509-certificate-exporter chart v4.2.0 (chart/templates/prometheusrule.yaml).
  {
    alert: 'AwsLoadBalancerControllerReconcileErrors',
    runbook: 'load-balancer-controller-errors',
    expr: 'sum by (controller, error_category) (increase(awslbc_controller_reconcile_errors_total[15m])) > 0',
    for: '15m',
    severity: 'warning',
    summary: 'The AWS Load Balancer Controller keeps failing to reconcile ({{ $labels.controller }}: {{ $labels.error_category }})',
    description: 'Ingresses or Services are not turned into load balancers, listeners or target registrations: a certificate not found, a group conflict or an AWS error.',
    addon: 'ingress',
  },
  {
    alert: 'AwsLoadBalancerControllerAccessDenied',
    runbook: 'load-balancer-controller-errors',
    expr: 'sum by (service, operation) (increase(aws_api_call_permission_errors_total{namespace="aws-load-balancer-controller"}[15m])) > 0',
    for: '5m',
    severity: 'critical',
    summary: 'AWS denied the load balancer controller {{ $labels.service }} {{ $labels.operation }}',
    description: 'Its IAM policy (infra/ingress-policies.ts) or its Pod Identity association does not allow a call it makes; the affected load balancers stop changing.',
    addon: 'ingress',
  },
  {
    alert: 'ExternalDnsSyncStale',
    runbook: 'dns-record-not-created',
    expr: 'time() - external_dns_controller_last_sync_timestamp_seconds > 900',
    for: '10m',
    severity: 'warning',
    summary: 'external-dns has not synced with Route 53 for more than 15 minutes',
    description: 'New Ingress hosts get no DNS records and deleted ones keep theirs until it syncs again.',
    addon: 'ingress',
  },
  {
    alert: 'ExternalDnsRecordOwnedElsewhere',
    runbook: 'dns-record-not-created',
    expr: 'sum by (domain, foreign_owner) (external_dns_registry_skipped_records_owner_mismatch_per_sync) > 0',
    for: '30m',
    severity: 'warning',
    summary: 'external-dns skips records in {{ $labels.domain }} owned by {{ $labels.foreign_owner }}',
    description: 'A host name this cluster wants is already owned by another external-dns owner id (another cluster) or by a record written by hand.',
    addon: 'ingress',
  },
  {
    alert: 'TLSSecretExpiring',
    runbook: 'tls-secret-expiring',
    expr: '(x509_cert_not_after - time()) < 21 * 86400',
    for: '15m',
    severity: 'warning',
    summary: 'Certificate in Secret {{ $labels.secret_namespace }}/{{ $labels.secret_name }} expires in less than 21 days',
    description: 'A TLS Secret a platform component serves or trusts is close to expiry; webhooks and clients fail once it expires.',
    addon: 'monitoring',
  },
  {
    alert: 'TLSSecretWatchDown',
    runbook: 'tls-secret-expiring',
    expr: 'x509_source_up == 0 or absent(x509_source_up)',
    for: '15m',
    severity: 'warning',
    summary: 'Certificate expiry of the platform\'s TLS Secrets is not being watched',
    description: 'The x509-certificate-exporter is down or cannot read Secrets: TLSSecretExpiring cannot fire.',
    addon: 'monitoring',
  },
];

export function runbookUrl(alert: PlatformAlert): string {
  return `${RUNBOOK_BASE_URL}/${alert.runbook}.md`;
}

/**
 * Values for the upstream external-dns chart 1.21.1 (kubernetes-sigs/external-dns tag
 * external-dns-helm-chart-1.21.1, `charts/external-dns/`). Its defaults already meet the restricted
 * Pod Security Standard (values.yaml: pod runAsNonRoot, fsGroup 65534, RuntimeDefault seccomp; container
 * non-privileged, no privilege escalation, read-only root filesystem, UID/GID 65532, all capabilities
 * dropped); they are left as they are and checked by test/charts/pod-security.test.ts.
 *
 * One replica, as the chart renders it (`replicas: 1` in templates/deployment.yaml, Recreate strategy):
 * external-dns has no leader election, and two writers would race on the same records. A pod restart
 * only delays record changes by a sync interval; records already written keep serving.
 */
import type { PlatformConfig } from '../../model/config';
import { WORKLOAD_IDENTITIES } from '../../model/identities';
import type { AwsInputs } from '../inputs';
import { systemNodes } from '../placement';
import { EXTERNAL_DNS_CHART } from '../versions';

export const EXTERNAL_DNS_RELEASE = 'external-dns';

export function externalDnsValues(config: PlatformConfig, inputs: AwsInputs): Record<string, unknown> {
  const ingress = config.ingress;
  const domains = ingress?.domains ?? [];
  return {
    image: { tag: EXTERNAL_DNS_CHART.appVersion },
    serviceAccount: { create: false, name: WORKLOAD_IDENTITIES['external-dns'].serviceAccount },
    provider: { name: 'aws' },
    // Route 53 is global, but the AWS SDK still needs a region, and IMDS is out of reach (hop limit 1).
    env: [{ name: 'AWS_REGION', value: inputs.region }],
    sources: ['ingress', 'service'],
    // `sync` removes the records of deleted Ingresses, and only those whose TXT ownership record names
    // this cluster: no stale name keeps pointing at a load balancer that is gone.
    policy: ingress?.dnsPolicy ?? 'sync',
    registry: 'txt',
    txtOwnerId: inputs.clusterName,
    // Only the platform zones, by name and by id: a zone of the same name elsewhere in the account is never touched.
    domainFilters: domains.map((d) => d.name),
    extraArgs: { 'zone-id-filter': domains.map((d) => d.hostedZoneId) },
    interval: '1m',
    resources: { requests: { cpu: '50m', memory: '64Mi' }, limits: { memory: '128Mi' } },
    // Helm waits for the Deployment: on the system nodes, like every pod a release waits for (charts/placement.ts).
    ...systemNodes(),
  };
}

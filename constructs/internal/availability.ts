/** PodDisruptionBudget and HorizontalPodAutoscaler for replicated workloads. */
import { ApiObject } from 'cdk8s';
import type { Construct } from 'constructs';
import type { AvailabilityProps } from '../availability-props';
import type { PropChecker } from './validation';
import { zoneSpread, type ResolvedPod } from './pod-template';

export interface ResolvedAvailability {
  /** Replica count to write (undefined when an autoscaler owns it). */
  readonly replicas?: number;
  /** The lowest number of replicas that will run. */
  readonly minReplicas: number;
}

export function checkAvailability(check: PropChecker, props: AvailabilityProps): ResolvedAvailability {
  if (props.replicas !== undefined) check.intRange('replicas', props.replicas, 1, 1000);
  if (props.maxUnavailable !== undefined) check.intRange('maxUnavailable', props.maxUnavailable, 1, 1000);
  const hpa = props.autoscaling;
  if (hpa) {
    check.intRange('autoscaling.minReplicas', hpa.minReplicas, 1, 1000);
    check.intRange('autoscaling.maxReplicas', hpa.maxReplicas, 1, 1000);
    if (hpa.maxReplicas < hpa.minReplicas) check.fail(`autoscaling.maxReplicas must be >= autoscaling.minReplicas (got ${hpa.maxReplicas} < ${hpa.minReplicas})`);
    if (hpa.targetCpuUtilization !== undefined) check.intRange('autoscaling.targetCpuUtilization', hpa.targetCpuUtilization, 1, 100);
    return { minReplicas: hpa.minReplicas };
  }
  const replicas = props.replicas ?? 2;
  return { replicas, minReplicas: replicas };
}

/** Replicated pods spread across zones, so losing one zone never takes every replica (default ScheduleAnyway). */
export function spreadAcrossZones(pod: ResolvedPod, props: AvailabilityProps, resolved: ResolvedAvailability): void {
  if (resolved.minReplicas > 1) {
    (pod.template.spec as { topologySpreadConstraints?: unknown }).topologySpreadConstraints = zoneSpread(pod.selector, props.zoneSpread ?? 'ScheduleAnyway');
  }
}

export function addAvailability(
  scope: Construct,
  target: { kind: 'Deployment' | 'StatefulSet'; name: string; namespace: string; selector: Record<string, string>; labels: Record<string, string> },
  props: AvailabilityProps,
  resolved: ResolvedAvailability,
): { pdb?: ApiObject; hpa?: ApiObject } {
  const out: { pdb?: ApiObject; hpa?: ApiObject } = {};
  const metadata = { name: target.name, namespace: target.namespace, labels: target.labels };
  if (resolved.minReplicas > 1 && !(props.disablePodDisruptionBudget ?? false)) {
    out.pdb = new ApiObject(scope, 'pdb', {
      apiVersion: 'policy/v1',
      kind: 'PodDisruptionBudget',
      metadata,
      spec: { maxUnavailable: props.maxUnavailable ?? 1, selector: { matchLabels: target.selector } },
    });
  }
  if (props.autoscaling) {
    out.hpa = new ApiObject(scope, 'hpa', {
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata,
      spec: {
        scaleTargetRef: { apiVersion: 'apps/v1', kind: target.kind, name: target.name },
        minReplicas: props.autoscaling.minReplicas,
        maxReplicas: props.autoscaling.maxReplicas,
        metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: props.autoscaling.targetCpuUtilization ?? 70 } } }],
      },
    });
  }
  return out;
}

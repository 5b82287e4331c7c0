/** PodDisruptionBudget, HorizontalPodAutoscaler and zone spread for replicated workloads. */
import { ApiObject } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import type { AvailabilityProps } from '../availability-props';
import type { PodHardening, PodPlan } from './pod-hardening';
import type { PropChecker } from './validation';

export interface ResolvedAvailability {
  /** Replica count to write (undefined when an autoscaler owns it). */
  readonly replicas?: number;
  /** The lowest number of replicas that will run. */
  readonly minReplicas: number;
}

export function checkAvailability(check: PropChecker, props: AvailabilityProps): ResolvedAvailability {
  if (props.replicas !== undefined) check.intRange('replicas', props.replicas, 1, 1000);
  if (props.maxUnavailable !== undefined) check.intRange('maxUnavailable', props.maxUnavailable, 1, 1000);
  if (props.zoneSpread !== undefined && props.zoneSpread !== 'DoNotSchedule' && props.zoneSpread !== 'ScheduleAnyway') {
    check.fail(`zoneSpread must be DoNotSchedule or ScheduleAnyway (got ${JSON.stringify(props.zoneSpread)})`);
  }
  const hpa = props.autoscaling;
  if (hpa) {
    if (props.replicas !== undefined) check.fail(`replicas must not be set with autoscaling (got ${props.replicas}; the autoscaler owns the count: set autoscaling.minReplicas)`);
    check.intRange('autoscaling.minReplicas', hpa.minReplicas, 1, 1000);
    check.intRange('autoscaling.maxReplicas', hpa.maxReplicas, 1, 1000);
    if (hpa.maxReplicas < hpa.minReplicas) check.fail(`autoscaling.maxReplicas must be >= autoscaling.minReplicas (got ${hpa.maxReplicas} < ${hpa.minReplicas})`);
    if (hpa.targetCpuUtilization !== undefined) check.intRange('autoscaling.targetCpuUtilization', hpa.targetCpuUtilization, 1, 100);
    return { minReplicas: hpa.minReplicas };
  }
  const replicas = props.replicas ?? 2;
  return { replicas, minReplicas: replicas };
}

/**
 * Replicated pods spread across zones, so losing one zone never takes every replica, and softly
 * across nodes (default ScheduleAnyway: capacity over balance).
 */
export function spreadAcrossZones(hardening: PodHardening, props: AvailabilityProps, resolved: ResolvedAvailability): void {
  if (resolved.minReplicas <= 1) return;
  const labelSelector = { matchLabels: { ...hardening.plan.selector } };
  hardening.topologySpreadConstraints = [
    { maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: props.zoneSpread ?? 'ScheduleAnyway', labelSelector },
    { maxSkew: 1, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'ScheduleAnyway', labelSelector },
  ];
}

/** Adds the PodDisruptionBudget (more than one replica) and the autoscaler (when asked) to a workload. */
export function addAvailability(
  workload: kplus.Deployment | kplus.StatefulSet,
  plan: PodPlan,
  props: AvailabilityProps,
  resolved: ResolvedAvailability,
): { pdb?: ApiObject; hpa?: kplus.HorizontalPodAutoscaler } {
  const out: { pdb?: ApiObject; hpa?: kplus.HorizontalPodAutoscaler } = {};
  const metadata = { name: plan.name, namespace: plan.namespace, labels: { ...plan.labels } };
  if (resolved.minReplicas > 1 && !(props.disablePodDisruptionBudget ?? false)) {
    out.pdb = new ApiObject(workload, 'pdb', {
      apiVersion: 'policy/v1',
      kind: 'PodDisruptionBudget',
      metadata,
      spec: { maxUnavailable: props.maxUnavailable ?? 1, selector: { matchLabels: { ...plan.selector } } },
    });
  }
  if (props.autoscaling) {
    out.hpa = new kplus.HorizontalPodAutoscaler(workload, 'hpa', {
      metadata,
      target: workload,
      minReplicas: props.autoscaling.minReplicas,
      maxReplicas: props.autoscaling.maxReplicas,
      metrics: [kplus.Metric.resourceCpu(kplus.MetricTarget.averageUtilization(props.autoscaling.targetCpuUtilization ?? 70))],
    });
  }
  return out;
}

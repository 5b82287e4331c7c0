/** Availability props shared by replicated workloads (Deployment, StatefulSet). */

export interface AutoscalingProps {
  readonly minReplicas: number;
  readonly maxReplicas: number;
  /** Average CPU utilization (percent of requests) the autoscaler aims for. @default 70 */
  readonly targetCpuUtilization?: number;
}

export interface AvailabilityProps {
  /** Fixed replica count; leave it out with `autoscaling` (the autoscaler owns the count). @default 2 */
  readonly replicas?: number;
  /** Adds a cdk8s-plus HorizontalPodAutoscaler (autoscaling/v2) on average CPU utilization. @default none */
  readonly autoscaling?: AutoscalingProps;
  /**
   * Loosening: skip the PodDisruptionBudget that is created when more than one replica runs.
   * @default false
   */
  readonly disablePodDisruptionBudget?: boolean;
  /** Pods a voluntary disruption may take down at once. @default 1 */
  readonly maxUnavailable?: number;
  /**
   * What the zone spread does when it cannot be met: `ScheduleAnyway` keeps scheduling (favours
   * availability of capacity), `DoNotSchedule` waits (favours zone balance).
   * @default ScheduleAnyway
   */
  readonly zoneSpread?: 'DoNotSchedule' | 'ScheduleAnyway';
}

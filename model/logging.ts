/**
 * Facts about AWS logging the config schema and the posture rules both rely on. Free of the schema
 * library, so the rules (and the CrossGuard pack that runs them) load without it.
 */

/** The control-plane log types EKS offers (`enabledClusterLogTypes`); CIS EKS 2.1.1 wants all five. */
export const CONTROL_PLANE_LOG_TYPES = ['api', 'audit', 'authenticator', 'controllerManager', 'scheduler'] as const;

/** Retention periods CloudWatch Logs accepts, in days. */
export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

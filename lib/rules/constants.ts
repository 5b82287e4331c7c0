/** The control-plane log types EKS offers (kept here so the rules load without the config schema). */
export const CONTROL_PLANE_LOG_TYPES = ['api', 'audit', 'authenticator', 'controllerManager', 'scheduler'] as const;

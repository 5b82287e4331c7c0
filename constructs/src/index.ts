/**
 * The hardened construct library on cdk8s-plus-28: the one public entry point.
 *
 *   import { HardenedDeployment, TenantNamespace } from '@eks-platform-blueprint/constructs';
 *
 * Every construct validates its props before creating anything and throws a ConstructError whose
 * message names the construct, the prop, the bad value and the fix. Zero-config calls are the
 * hardened ones; loosening is an explicit, named prop.
 */
export { HardenedDeployment, type HardenedDeploymentProps } from './hardened-deployment';
export { HardenedStatefulSet, type HardenedStatefulSetProps, type StatefulStorageProps } from './hardened-stateful-set';
export { HardenedDaemonSet, type HardenedDaemonSetProps } from './hardened-daemon-set';
export { HardenedJob, type HardenedJobProps, type JobBehaviourProps } from './hardened-job';
export { HardenedCronJob, type HardenedCronJobProps } from './hardened-cron-job';
export type { HardenedContainerProps, HardenedPodProps } from './pod-props';
export type { AvailabilityProps, AutoscalingProps } from './availability-props';
export type { HardenedServiceOptions } from './internal/service';
export { ExternalSecret, PLATFORM_SECRET_STORE, type ExternalSecretProps, type SecretStoreRef } from './external-secret';
export { ServiceMonitor, type ServiceMonitorProps } from './service-monitor';
export { HardenedWebService, WEB_SERVICE_LISTEN_PORTS, type HardenedWebServiceProps, type WebServiceMetricsProps, type WebServicePath } from './hardened-web-service';
export { READINESS_GATE_INJECT_LABEL, type TenantIngress, type TenantLoadBalancer, type LoadBalancerScheme } from './tenant-ingress';
export { TenantNamespace, TENANT_LABEL, type TenantNamespaceProps, type TenantWebServiceProps, type TenantQuotaProps, type ContainerDefaultsProps, type TenantArgoCdProps } from './tenant-namespace';
export { DefaultDenyNetworkPolicy, type DefaultDenyNetworkPolicyProps } from './default-deny-network-policy';
export { AllowNetworkPolicy, type AllowNetworkPolicyProps } from './allow-network-policy';
export {
  NetworkPeers,
  NetworkPorts,
  NAMESPACE_NAME_LABEL,
  type LabelSelectorSpec,
  type LabelSelectorRequirementSpec,
  type NetworkPolicyPeerSpec,
  type NetworkPolicyPortSpec,
} from './network-peers';
export { WorkloadServiceAccount, type WorkloadServiceAccountProps, type IrsaIdentity, type PodIdentity } from './workload-service-account';
export { resourceRef, type ResourceRef } from './resource-ref';
export { NAME_LABEL } from './internal/labels';
export { ConstructError, imageProblem, parseQuantity } from './internal/validation';

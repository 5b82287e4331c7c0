/**
 * Physical names the infrastructure gives to things other layers must know before they exist, and
 * the tags, labels and devices both sides refer to: the charts render ServiceAccounts and Karpenter
 * classes against these names, `platform synth` derives its offline placeholders from them, and
 * `platform preflight` looks them up in the account, so every side agrees by construction.
 */

/** IAM role of one platform component: `<cluster>-<component>` (IAM role names: at most 64 characters). */
export function roleName(clusterName: string, component: string): string {
  const name = `${clusterName}-${component}`;
  if (name.length > 64) throw new RangeError(`IAM role name ${name} is longer than 64 characters`);
  return name;
}

export function roleArn(accountId: string, clusterName: string, component: string, partition = 'aws'): string {
  return `arn:${partition}:iam::${accountId}:role/${roleName(clusterName, component)}`;
}

/** Role component of Karpenter's nodes (a node role, not a workload identity). */
export const KARPENTER_NODE_ROLE_COMPONENT = 'karpenter-node';

/** The role Karpenter's nodes get through their instance profile. */
export function karpenterNodeRoleName(clusterName: string): string {
  return roleName(clusterName, KARPENTER_NODE_ROLE_COMPONENT);
}

/**
 * EventBridge rule names are 1 to 64 characters of `[.-_A-Za-z0-9]` (Amazon EventBridge API Reference,
 * events-2015-10-07, PutRule / ListRules `Name`).
 */
export const EVENT_RULE_NAME_MAX = 64;

/** The longest rule name the platform gives, after `<cluster>`: Karpenter's instance state-change rule. */
const LONGEST_EVENT_RULE_SUFFIX = '-karpenter-instance-state-change';

/**
 * The longest cluster name the stack config accepts: every physical name built from it must fit its AWS
 * limit, and the EventBridge rules are the tightest (64 - 32 = 32; IAM role names, 64, come next:
 * `<cluster>-karpenter-controller`).
 */
export const MAX_CLUSTER_NAME_LENGTH = EVENT_RULE_NAME_MAX - LONGEST_EVENT_RULE_SUFFIX.length;

/** An EventBridge rule of the platform: `<cluster>-<purpose>`. */
export function eventRuleName(clusterName: string, purpose: string): string {
  const name = `${clusterName}-${purpose}`;
  if (name.length > EVENT_RULE_NAME_MAX) throw new RangeError(`EventBridge rule name ${name} is longer than ${EVENT_RULE_NAME_MAX} characters`);
  return name;
}

/** SQS queue receiving EC2 interruption events for Karpenter. */
export function interruptionQueueName(clusterName: string): string {
  return `${clusterName}-karpenter-interruption`;
}

/** Prefix of the AWS Secrets Manager secrets the cluster may read (`<cluster>/...`). */
export function secretsPrefix(clusterName: string): string {
  return `${clusterName}/`;
}

/**
 * Secrets Manager entries the cluster reads, by name under `secretsPrefix` (External Secrets'
 * `remoteRef.key` is `<prefix><name>`). The stack creates `grafanaAdmin`; `argocdOidc` comes from the
 * identity provider and is created by the platform team (`platform preflight` checks it).
 */
export const PLATFORM_SECRETS = { grafanaAdmin: 'monitoring/grafana-admin', argocdOidc: 'argocd/oidc' } as const;

/** Full Secrets Manager name of one of PLATFORM_SECRETS. */
export function platformSecretName(clusterName: string, secret: keyof typeof PLATFORM_SECRETS): string {
  return `${secretsPrefix(clusterName)}${PLATFORM_SECRETS[secret]}`;
}

/** Alias of a platform KMS key, e.g. `alias/<cluster>/ebs`. */
export function kmsAliasName(clusterName: string, purpose: 'secrets' | 'ebs' | 'logs'): string {
  return `alias/${clusterName}/${purpose}`;
}

/** The tag Karpenter's EC2NodeClasses select subnets and security groups by; its value is the cluster name. */
export const KARPENTER_DISCOVERY_TAG = 'karpenter.sh/discovery';

/**
 * The system managed node group's label and taint: only critical add-ons (those tolerating the
 * taint, e.g. CoreDNS, Karpenter, Gatekeeper) run there; everything else runs on Karpenter's nodes.
 */
export const SYSTEM_NODE_LABELS = { 'platform.io/node-pool': 'system' } as const;
export const SYSTEM_NODE_TAINT = { key: 'CriticalAddonsOnly', value: 'true', effect: 'NO_SCHEDULE' } as const;

/** Kubernetes form of SYSTEM_NODE_TAINT's toleration, for pods that belong on the system nodes. */
export const SYSTEM_NODE_TOLERATION = { key: SYSTEM_NODE_TAINT.key, operator: 'Exists', effect: 'NoSchedule' } as const;

/**
 * The root device of the EKS-optimised Amazon Linux 2023 AMIs: the system nodes' launch template and
 * Karpenter's EC2NodeClass both map their encrypted root volume to it.
 */
export const ROOT_DEVICE_NAME = '/dev/xvda';

/** The EC2 Spot service-linked role: EC2 creates it with the caller's credentials on the first spot request. */
export const SPOT_SERVICE_LINKED_ROLE = { service: 'spot.amazonaws.com', roleName: 'AWSServiceRoleForEC2Spot' } as const;

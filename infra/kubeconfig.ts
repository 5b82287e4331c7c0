/**
 * A kubeconfig for the cluster that authenticates through `aws eks get-token` (exec plugin):
 * short-lived tokens from the caller's own AWS credentials, never a static token in the file.
 */

export interface KubeconfigInput {
  readonly clusterName: string;
  readonly endpoint: string;
  readonly certificateAuthorityData: string;
  readonly region: string;
  /** The stack's `aws:profile`, so the token is minted with the same credentials as the AWS provider's. @default none */
  readonly profile?: string;
  /** The stack's `aws:assumeRoles[0].roleArn`: get-token assumes it, as the AWS provider does. @default none */
  readonly roleArn?: string;
}

export function buildKubeconfig(k: KubeconfigInput): Record<string, unknown> {
  const context = k.clusterName;
  return {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: context, cluster: { server: k.endpoint, 'certificate-authority-data': k.certificateAuthorityData } }],
    contexts: [{ name: context, context: { cluster: context, user: context } }],
    'current-context': context,
    users: [
      {
        name: context,
        user: {
          exec: {
            apiVersion: 'client.authentication.k8s.io/v1beta1',
            command: 'aws',
            args: [
              'eks', 'get-token', '--cluster-name', k.clusterName, '--region', k.region,
              ...(k.roleArn ? ['--role-arn', k.roleArn] : []),
              ...(k.profile ? ['--profile', k.profile] : []),
              '--output', 'json',
            ],
            interactiveMode: 'Never',
          },
        },
      },
    ],
  };
}

/**
 * The in-cluster stack of an environment whose AWS stack sets `delivery.inClusterStack: separate`
 * (`Pulumi.<stack>-cluster.yaml`, `platform:awsStack: <stack>`). It reads the AWS stack's `inCluster`
 * output through a StackReference (the validated config, the cluster's endpoint and CA, role ARNs,
 * queue and key) and applies the in-cluster half, nothing else: it needs only the API endpoint (from
 * a deployer network) and an admin principal's credentials for `aws eks get-token`.
 */
import * as pulumi from '@pulumi/pulumi';
import { UserError } from '../lib/errors';
import { parseClusterStackConfig, parseStackConfig } from '../lib/config/load';
import { deployerIdentity, deployInCluster, kubeconfigFor, type PublishedInCluster } from './main';

/** `<organization>/<project>/<stack>` for a bare stack name of this project. */
export function qualifiedStackName(awsStack: string, organization: string, project: string): string {
  return awsStack.includes('/') ? awsStack : `${organization}/${project}/${awsStack}`;
}

export async function clusterStackProgram(raw: Readonly<Record<string, unknown>>, stack: string): Promise<Record<string, unknown>> {
  const own = parseClusterStackConfig(raw, `Pulumi.${stack}.yaml`);
  const awsStack = qualifiedStackName(own.awsStack, pulumi.getOrganization(), pulumi.getProject());
  const reference = new pulumi.StackReference('aws-stack', { name: awsStack });
  const published = (await reference.getOutputValue('inCluster')) as PublishedInCluster | undefined;
  if (!published) {
    throw new UserError(`Pulumi.${stack}.yaml: platform:awsStack: stack ${awsStack} has no inCluster output (run pulumi up there first, with platform:delivery.inClusterStack: separate)`);
  }
  const config = parseStackConfig(published.platformConfig, `stack ${awsStack} (its published platform config)`);
  // The deployer of this stack authenticates as itself: its own profile or role, not the AWS stack's.
  const identity = deployerIdentity({ ...config, aws: own.aws });
  const kubeconfig = kubeconfigFor(config.region, published, identity);
  deployInCluster(config, published.stack, kubeconfig, published.aws, []);
  return { awsStack, clusterName: published.clusterName, endpoint: published.endpoint, kubeconfig };
}

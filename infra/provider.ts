/**
 * The one AWS provider every AWS resource of the stack is created with. Explicit, so that
 * `allowedAccountIds` pins it to `platform:accountId`: credentials for any other account (a
 * wrong profile, a stale session) fail before anything is created or changed. An explicit
 * provider reads no `aws:` stack config by itself, so the settings the config schema (model/config.ts) accepts are
 * forwarded here (and to `aws eks get-token`, see kubeconfig.ts).
 */
import { Provider } from '@pulumi/aws/provider';
import type * as pulumi from '@pulumi/pulumi';
import type { PlatformConfig } from '../model/config';

export function createAwsProvider(config: PlatformConfig, opts?: pulumi.CustomResourceOptions): Provider {
  const { profile, assumeRoles, sharedConfigFiles, sharedCredentialsFiles } = config.aws;
  return new Provider(
    'aws',
    {
      region: config.region,
      allowedAccountIds: [config.accountId],
      ...(profile ? { profile } : {}),
      ...(assumeRoles ? { assumeRoles: assumeRoles.map((r) => ({ ...r })) } : {}),
      ...(sharedConfigFiles ? { sharedConfigFiles: [...sharedConfigFiles] } : {}),
      ...(sharedCredentialsFiles ? { sharedCredentialsFiles: [...sharedCredentialsFiles] } : {}),
    },
    opts,
  );
}

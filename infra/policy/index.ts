// The `platform` CrossGuard policy pack: `pulumi preview --policy-pack infra/policy`.
// Every policy is a shared rule from lib/rules (see ./policies.ts), so CrossGuard, `platform plan`
// and `platform audit` reach the same verdicts. Never import this file from a test: constructing a
// PolicyPack starts its gRPC server.
import { PolicyPack } from '@pulumi/policy';
import { platformPolicies } from './policies';

new PolicyPack('platform', {
  description: 'What the EKS platform blueprint promises: KMS rotation, secrets encryption, all control-plane logs, private nodes, IMDSv2, least-privilege IAM, private prod endpoint, pinned add-ons.',
  policies: platformPolicies(),
});

import * as pulumi from '@pulumi/pulumi';
import { placeholderInputs } from '../../charts';
import { parseStackConfig } from '../../lib/config/load';
import { outputSwapper } from '../../infra/platform';
import { stackConfig } from '../helpers/pulumi';

const config = parseStackConfig(stackConfig('prod'), 'Pulumi.prod.yaml');
const placeholders = placeholderInputs(config);
const realKey = 'arn:aws:kms:eu-west-1:444455556666:key/1234abcd-12ab-34cd-56ef-1234567890ab';

function resolved(value: unknown): Promise<unknown> {
  return new Promise((resolve) => (pulumi.output(value) as pulumi.Output<unknown>).apply(resolve));
}

describe('outputSwapper (AWS outputs in place of synth placeholders)', () => {
  const swap = outputSwapper(placeholders, {
    ebsKmsKeyArn: pulumi.output(realKey),
    karpenterNodeRoleName: pulumi.output('platform-prod-karpenter-node'),
  });

  it('GIVEN a value that is exactly a placeholder THEN it becomes that output', async () => {
    const swapped = swap(placeholders.ebsKmsKeyArn);
    expect(pulumi.Output.isInstance(swapped)).toBe(true);
    await expect(resolved(swapped)).resolves.toBe(realKey);
  });

  it('GIVEN a placeholder inside a longer string THEN the string is rebuilt around the output', async () => {
    const swapped = swap(`kms=${placeholders.ebsKmsKeyArn};role=${placeholders.karpenterNodeRoleName}`);
    await expect(resolved(swapped)).resolves.toBe(`kms=${realKey};role=platform-prod-karpenter-node`);
  });

  it('GIVEN nested objects and lists THEN every placeholder is swapped and everything else is kept as is', async () => {
    const input = { spec: { role: placeholders.karpenterNodeRoleName, devices: [{ ebs: { kmsKeyID: placeholders.ebsKmsKeyArn, encrypted: true, size: 50 } }], name: 'general' } };
    await expect(resolved(swap(input))).resolves.toEqual({
      spec: { role: 'platform-prod-karpenter-node', devices: [{ ebs: { kmsKeyID: realKey, encrypted: true, size: 50 } }], name: 'general' },
    });
  });

  it('GIVEN a value without placeholders, or a placeholder with no output given THEN it is returned unchanged', () => {
    expect(swap('platform-prod')).toBe('platform-prod');
    expect(swap(placeholders.externalSecretsRoleArn)).toBe(placeholders.externalSecretsRoleArn);
    expect(swap(42)).toBe(42);
    expect(swap(null)).toBeNull();
  });
});

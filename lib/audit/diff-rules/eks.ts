/** Change rules over the EKS control plane: endpoint exposure, Secrets encryption, control-plane logs. */
import { TYPES } from '../../resource-types';
import { asArray, asObject, fieldsOf } from '../../untyped';
import { cidrContains, isWorld } from './network';
import { comparing, known, oneOf, type DiffRule, type Props } from './rule';

/** Whether the public endpoint is on: EKS turns it on when the flag is left out. */
function publicEndpoint(vpcConfig: Props, judgeUnknown: boolean): boolean {
  const flag = vpcConfig.endpointPublicAccess;
  return flag !== false && flag !== 'false' && (!judgeUnknown || known(flag));
}

/** The public endpoint's allowlist: none means 0.0.0.0/0 (what EKS applies). */
function allowlist(vpcConfig: Props): string[] {
  const cidrs = asArray(vpcConfig.publicAccessCidrs).map(String);
  return cidrs.length ? cidrs : ['0.0.0.0/0'];
}

const madePublic = comparing({
  id: 'eks-endpoint-made-public',
  description: 'The API endpoint becomes reachable from the internet',
  appliesTo: oneOf(TYPES.cluster),
  compare(before, after, _c, ctx) {
    if (publicEndpoint(fieldsOf(before.vpcConfig), false) || !publicEndpoint(fieldsOf(after.vpcConfig), true)) return [];
    return [{ severity: ctx.environment === 'dev' ? 'high' : 'critical', control: 'CIS EKS 5.4.2', path: 'vpcConfig.endpointPublicAccess', message: 'the API endpoint becomes reachable from the internet (endpointPublicAccess turned on)' }];
  },
});

const allowlistWidened = comparing({
  id: 'eks-endpoint-allowlist-widened',
  description: 'The public endpoint admits networks it did not admit before, or everyone',
  appliesTo: oneOf(TYPES.cluster),
  compare(before, after) {
    const ov = fieldsOf(before.vpcConfig);
    const nv = fieldsOf(after.vpcConfig);
    if (!publicEndpoint(nv, true)) return [];
    const publicBefore = publicEndpoint(ov, false);
    const oldCidrs = publicBefore ? allowlist(ov) : [];
    const widened = allowlist(nv).filter((n) => known(n) && !oldCidrs.some((o) => cidrContains(o, n)));
    if (widened.length && publicBefore) {
      return [{ severity: widened.some(isWorld) ? 'critical' : 'high', control: 'CIS EKS 5.4.1', path: 'vpcConfig.publicAccessCidrs', message: `the public endpoint allowlist now admits ${widened.join(', ')}` }];
    }
    if (widened.some(isWorld)) return [{ severity: 'critical', control: 'CIS EKS 5.4.1', path: 'vpcConfig.publicAccessCidrs', message: 'the public endpoint is open to 0.0.0.0/0 (no allowlist)' }];
    return [];
  },
});

function hasSecretsEncryption(props: Props): boolean {
  const configs = [...asArray(props.encryptionConfig), ...(asObject(props.encryptionConfig) ? [props.encryptionConfig] : [])];
  return configs.some((cfg) => asArray(asObject(cfg)?.resources).includes('secrets'));
}

const secretsEncryptionRemoved = comparing({
  id: 'eks-secrets-encryption-removed',
  description: 'Envelope encryption of Kubernetes Secrets is removed',
  appliesTo: oneOf(TYPES.cluster),
  compare(before, after) {
    if (!hasSecretsEncryption(before) || hasSecretsEncryption(after)) return [];
    return [{ severity: 'critical', control: 'CIS EKS 5.3.1', path: 'encryptionConfig', message: 'envelope encryption of Kubernetes Secrets with KMS is removed' }];
  },
});

const loggingReduced = comparing({
  id: 'eks-logging-reduced',
  description: 'Control-plane log types are turned off',
  appliesTo: oneOf(TYPES.cluster),
  compare(before, after) {
    const logsNow = new Set(asArray(after.enabledClusterLogTypes).map(String));
    const lost = asArray(before.enabledClusterLogTypes).map(String).filter((t) => !logsNow.has(t));
    if (!lost.length) return [];
    return [{ severity: lost.includes('audit') ? 'high' : 'medium', control: 'CIS EKS 2.1.1', path: 'enabledClusterLogTypes', message: `control-plane logging turned off for ${lost.join(', ')}` }];
  },
});

export const EKS_RULES: readonly DiffRule[] = [madePublic, allowlistWidened, secretsEncryptionRemoved, loggingReduced];

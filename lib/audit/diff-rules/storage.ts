/** Change rules over data at rest and on nodes: encryption, log retention, instance metadata. */
import { TYPES } from '../../resource-types';
import { asObject, fieldsOf, isTrue } from '../../untyped';
import { joinPath } from '../values';
import { comparing, known, oneOf, type ChangeIssue, type DiffRule } from './rule';

const ENCRYPTION_CONTROL: Record<string, string> = {
  [TYPES.launchTemplate]: 'CIS AWS 2.2.1',
  [TYPES.ebsVolume]: 'CIS AWS 2.2.1',
  [TYPES.logGroup]: 'AWS FSBP CloudWatch.16',
  [TYPES.queue]: 'AWS FSBP SQS.1',
};

const encryptionRemoved = comparing({
  id: 'encryption-removed',
  description: 'Encryption at rest turned off, or its customer-managed key removed',
  appliesTo: oneOf(TYPES.launchTemplate, TYPES.ebsVolume, TYPES.logGroup, TYPES.queue),
  compare(before, after, c) {
    const control = ENCRYPTION_CONTROL[c.type];
    const out: ChangeIssue[] = [];
    // Walks old and new side by side: encryption settings sit at any depth (blockDeviceMappingbefore.ebs.encrypted).
    const visit = (o: unknown, n: unknown, path: string): void => {
      const oo = asObject(o);
      const no = asObject(n);
      if (Array.isArray(o) && Array.isArray(n)) {
        o.forEach((e, i) => visit(e, n[i], joinPath(path, i)));
        return;
      }
      if (!oo) return;
      for (const [k, v] of Object.entries(oo)) {
        const p = joinPath(path, k);
        const nv = no?.[k];
        if (k === 'encrypted' && isTrue(v) && !isTrue(nv) && known(nv)) out.push({ severity: 'high', control, path: p, message: `${p} turned off` });
        else if (/^(kmsKeyId|kmsMasterKeyId)$/.test(k) && typeof v === 'string' && v !== '' && (nv === undefined || nv === '' || nv === null)) {
          out.push({ severity: 'high', control, path: p, message: `${p} removed (no longer encrypted with the customer-managed key)` });
        } else if (k === 'sqsManagedSseEnabled' && isTrue(v) && !isTrue(nv) && !after.kmsMasterKeyId) {
          out.push({ severity: 'medium', control, path: p, message: `${p} turned off` });
        } else visit(v, nv, p);
      }
    };
    visit(before, after, '');
    return out;
  },
});

const retentionReduced = comparing({
  id: 'log-retention-reduced',
  description: 'A log group keeps its logs for a shorter time',
  appliesTo: oneOf(TYPES.logGroup),
  compare(before, after) {
    const was = Number(before.retentionInDays ?? 0);
    const now = Number(after.retentionInDays ?? 0);
    if (!(was > 0 && now > 0 && now < was)) return [];
    return [{ severity: 'medium', control: ENCRYPTION_CONTROL[TYPES.logGroup], path: 'retentionInDays', message: `log retention shortened from ${was} to ${now} days` }];
  },
});

const imdsRelaxed = comparing({
  id: 'imdsv2-relaxed',
  description: 'Instance metadata accepts IMDSv1 again, or its hop limit lets pods reach node credentials',
  appliesTo: oneOf(TYPES.launchTemplate),
  compare(before, after) {
    const om = fieldsOf(before.metadataOptions);
    const nm = fieldsOf(after.metadataOptions);
    const out: ChangeIssue[] = [];
    if (om.httpTokens === 'required' && nm.httpTokens !== 'required' && known(nm.httpTokens)) {
      out.push({ severity: 'high', control: 'CIS AWS 5.6', path: 'metadataOptions.httpTokens', message: `IMDSv1 allowed again (httpTokens: "required" -> ${JSON.stringify(nm.httpTokens ?? 'optional')})` });
    }
    const oh = Number(om.httpPutResponseHopLimit ?? 1);
    const nh = Number(nm.httpPutResponseHopLimit ?? 1);
    if (nh > oh) out.push({ severity: 'high', control: 'CIS AWS 5.6', path: 'metadataOptions.httpPutResponseHopLimit', message: `metadata hop limit raised from ${oh} to ${nh} (pods can reach node credentials)` });
    return out;
  },
});

export const STORAGE_RULES: readonly DiffRule[] = [encryptionRemoved, retentionReduced, imdsRelaxed];

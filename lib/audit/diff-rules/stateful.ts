/** Change rules over stateful resources: replaced, deleted, or no longer protected. */
import { TYPES } from '../../resource-types';
import type { Severity } from '../../severity';
import { PROTECT_PATH, type ResourceChange } from '../changes';
import type { ChangeIssue, DiffRule } from './rule';

interface Stateful {
  readonly replace: Severity;
  readonly delete: Severity;
  readonly control: string;
  readonly what: string;
}

const STATEFUL: Readonly<Record<string, Stateful>> = {
  [TYPES.cluster]: { replace: 'critical', delete: 'critical', control: 'AWS WA REL09', what: 'every workload, Secret and in-cluster object goes with the old cluster' },
  [TYPES.kmsKey]: { replace: 'critical', delete: 'critical', control: 'AWS FSBP KMS.3', what: 'data encrypted under the key becomes unreadable once the key is gone' },
  [TYPES.nodeGroup]: { replace: 'medium', delete: 'high', control: 'AWS WA REL09', what: 'its nodes are drained and terminated' },
  [TYPES.ebsVolume]: { replace: 'high', delete: 'high', control: 'AWS WA REL09', what: 'the data on the volume is lost' },
  [TYPES.logGroup]: { replace: 'high', delete: 'high', control: 'AWS FSBP CloudWatch.16', what: 'the logs kept in it are lost' },
  [TYPES.queue]: { replace: 'medium', delete: 'medium', control: 'AWS WA REL09', what: 'messages waiting in the queue are lost' },
  [TYPES.secret]: { replace: 'high', delete: 'high', control: 'AWS WA REL09', what: 'the secret value and its versions are lost' },
  [TYPES.s3Bucket]: { replace: 'high', delete: 'high', control: 'AWS WA REL09', what: 'the objects in the bucket are lost' },
  [TYPES.s3BucketV2]: { replace: 'high', delete: 'high', control: 'AWS WA REL09', what: 'the objects in the bucket are lost' },
  [TYPES.rdsInstance]: { replace: 'critical', delete: 'critical', control: 'AWS WA REL09', what: 'the database is lost unless restored from a snapshot' },
  [TYPES.rdsCluster]: { replace: 'critical', delete: 'critical', control: 'AWS WA REL09', what: 'the database is lost unless restored from a snapshot' },
  [TYPES.dynamodbTable]: { replace: 'critical', delete: 'critical', control: 'AWS WA REL09', what: 'the table data is lost' },
  [TYPES.efsFileSystem]: { replace: 'critical', delete: 'critical', control: 'AWS WA REL09', what: 'the file system data is lost' },
  [TYPES.persistentVolumeClaim]: { replace: 'high', delete: 'high', control: 'AWS WA REL09', what: 'the volume bound to the claim may be deleted with it' },
  [TYPES.namespace]: { replace: 'high', delete: 'high', control: 'AWS WA REL09', what: 'every object in the namespace is deleted with it' },
};

const isStateful = (type: string): boolean => type in STATEFUL;

/** The finding for a replace or delete of a stateful resource (`c.op` is one of them). */
function lossOf(c: ResourceChange): ChangeIssue {
  const info = STATEFUL[c.type];
  const notes: string[] = [];
  if (c.op === 'replace' && c.replaceReasons.length) notes.push(`forced by ${c.replaceReasons.join(', ')}`);
  if (c.deleteBeforeReplace) notes.push('the old one is deleted before its replacement exists');
  if (c.protect) notes.push('the resource is protected: the update will fail until protect is lifted');
  const suffix = notes.length ? ` (${notes.join('; ')})` : '';
  const kind = c.type.split(':').pop() ?? c.type;
  if (c.retainOnDelete) {
    // retainOnDelete: Pulumi drops the old resource from the stack but leaves it (and its data) in place.
    const what = c.op === 'replace' ? `${kind} replaced: a new, empty one takes its place; the old one and its data are kept (retainOnDelete) but no longer managed` : `${kind} removed from the stack only (retainOnDelete): it and its data are kept but no longer managed`;
    return { severity: c.op === 'replace' ? 'medium' : 'low', control: info.control, message: `${what}${suffix}` };
  }
  const verb = c.op === 'replace' ? 'replaced' : 'deleted';
  return { severity: info[c.op === 'replace' ? 'replace' : 'delete'], control: info.control, message: `${kind} ${verb}: ${info.what}${suffix}` };
}

const replaced: DiffRule = {
  id: 'stateful-resource-replaced',
  description: 'A stateful resource (cluster, node group, KMS key, volume, log group, ...) is replaced',
  appliesTo: isStateful,
  check: (c) => (c.op === 'replace' ? [lossOf(c)] : []),
};

const deleted: DiffRule = {
  id: 'stateful-resource-deleted',
  description: 'A stateful resource other than a KMS key is deleted',
  appliesTo: (t) => isStateful(t) && t !== TYPES.kmsKey,
  check: (c) => (c.op === 'delete' ? [lossOf(c)] : []),
};

const keyDeleted: DiffRule = {
  id: 'kms-key-deleted',
  description: 'A KMS key is scheduled for deletion: what it encrypted becomes unreadable',
  appliesTo: (t) => t === TYPES.kmsKey,
  check: (c) => (c.op === 'delete' ? [lossOf(c)] : []),
};

const protectLifted: DiffRule = {
  id: 'stateful-protection-removed',
  description: 'The protect option is lifted from a stateful resource: a later delete or replace goes through',
  appliesTo: isStateful,
  check(c) {
    const row = c.properties.find((p) => p.path === PROTECT_PATH);
    if (!row || row.before !== true || row.after !== false) return [];
    const info = STATEFUL[c.type];
    return [{ severity: 'medium', control: info.control, path: PROTECT_PATH, message: `protect lifted (true -> false): a later delete or replace is no longer stopped (${info.what})` }];
  },
};

export const STATEFUL_RULES: readonly DiffRule[] = [replaced, deleted, keyDeleted, protectLifted];

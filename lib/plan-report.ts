/**
 * What `platform plan` prints: the inventory (counts per type, key properties read back from the
 * recorded resources, so the report shows what the program did, not what the config asked) and
 * the findings. Pure: recorded resources in, lines out.
 */
import type { Finding } from './rules';
import type { PlannedResource } from './posture';
import { asArray, fieldsOf } from './untyped';
import { TYPES } from './resource-types';

function props(r: PlannedResource | undefined): Record<string, unknown> {
  return r?.props ?? {};
}

export function typeCounts(resources: readonly PlannedResource[]): [string, number][] {
  const counts = new Map<string, number>();
  for (const r of resources) counts.set(r.type, (counts.get(r.type) ?? 0) + 1);
  return [...counts].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/** Key properties, one `label: value` per line. */
export function keyProperties(resources: readonly PlannedResource[]): [string, string][] {
  const of = (type: string) => resources.filter((r) => r.type === type);
  const out: [string, string][] = [];
  for (const c of of(TYPES.cluster)) {
    const vpc = fieldsOf(props(c).vpcConfig);
    const access = fieldsOf(props(c).accessConfig);
    const enc = asArray(fieldsOf(props(c).encryptionConfig).resources);
    out.push(['cluster', `${String(props(c).name)}, Kubernetes ${String(props(c).version)}, authentication ${String(access.authenticationMode ?? 'CONFIG_MAP')}`]);
    out.push([
      'endpoint',
      `private ${vpc.endpointPrivateAccess === true ? 'on' : 'off'}, public ${vpc.endpointPublicAccess === true ? `on (${asArray(vpc.publicAccessCidrs).join(', ') || '0.0.0.0/0'})` : 'off'}`,
    ]);
    out.push(['secrets encryption', enc.includes('secrets') ? 'KMS envelope encryption of secrets' : 'OFF']);
    out.push(['control-plane logs', asArray(props(c).enabledClusterLogTypes).join(', ') || 'none']);
  }
  const subnets = of(TYPES.subnet);
  const azs = [...new Set(subnets.map((s) => String(props(s).availabilityZone)))].sort();
  const vpc = of(TYPES.vpc)[0];
  if (vpc) out.push(['network', `${String(props(vpc).cidrBlock)}, ${subnets.length} subnets over ${azs.length} AZs (${azs.join(', ')}), ${of(TYPES.natGateway).length} NAT gateway(s)`]);
  for (const g of of(TYPES.nodeGroup)) {
    const s = fieldsOf(props(g).scalingConfig);
    out.push([`node group ${String(props(g).nodeGroupName ?? g.name)}`, `${asArray(props(g).instanceTypes).join('/')}, min ${String(s.minSize)} / desired ${String(s.desiredSize)} / max ${String(s.maxSize)}, ${asArray(props(g).subnetIds).length} subnets`]);
  }
  for (const t of of(TYPES.launchTemplate)) {
    const md = fieldsOf(props(t).metadataOptions);
    const root = fieldsOf(fieldsOf(asArray(props(t).blockDeviceMappings)[0]).ebs);
    out.push([`launch template ${t.name}`, `IMDS tokens ${String(md.httpTokens)}, hop limit ${String(md.httpPutResponseHopLimit)}, root ${String(root.volumeSize)} GiB ${String(root.volumeType)} encrypted=${String(root.encrypted)}`]);
  }
  const addons = of(TYPES.addon).map((a) => `${String(props(a).addonName)} ${String(props(a).addonVersion ?? 'UNPINNED')}`);
  if (addons.length) out.push(['add-ons', addons.sort().join(', ')]);
  const keys = of(TYPES.kmsKey);
  if (keys.length) out.push(['KMS keys', `${keys.length}, rotation ${keys.every((k) => props(k).enableKeyRotation === true) ? 'on for all' : 'OFF for some'}`]);
  for (const q of of(TYPES.queue)) out.push([`queue`, `${String(props(q).name)} (SSE ${props(q).sqsManagedSseEnabled === true ? 'on' : 'off'})`]);
  const identities = [
    ...of(TYPES.podIdentityAssociation).map((p) => `${String(props(p).namespace)}/${String(props(p).serviceAccount)} (Pod Identity)`),
    ...of(TYPES.role).flatMap((r) => {
      const m = /"[^"]+:sub":"system:serviceaccount:([^:"]+):([^"]+)"/.exec(String(props(r).assumeRolePolicy ?? ''));
      return m ? [`${m[1]}/${m[2]} (IRSA)`] : [];
    }),
  ].sort();
  if (identities.length) out.push(['workload identities', identities.join(', ')]);
  const releases = of(TYPES.helmRelease).map((r) => `${String(props(r).name ?? r.name)} ${String(props(r).version ?? 'UNPINNED')}`);
  if (releases.length) out.push(['helm releases', releases.sort().join(', ')]);
  const validated = new Set(of(TYPES.certificateValidation).map((v) => v.name));
  const certificates = of(TYPES.certificate).map(
    (c) => `${[props(c).domainName, ...asArray(props(c).subjectAlternativeNames)].map(String).join(' + ')} (${String(props(c).validationMethod ?? 'no validation')}${validated.has(c.name) ? ', awaited' : ''})`,
  );
  if (certificates.length) out.push(['certificates', certificates.sort().join('; ')]);
  return out;
}

export function formatFinding(f: Finding): string {
  return `${f.severity.toUpperCase()}${f.blocking ? ' (blocking)' : ''} ${f.id} ${f.control} ${f.resource}: ${f.message}`;
}

export function formatPlan(header: string, resources: readonly PlannedResource[], findings: readonly Finding[]): string {
  const lines = [header, '', 'inventory:'];
  for (const [type, n] of typeCounts(resources)) lines.push(`  ${String(n).padStart(4)}  ${type}`);
  lines.push('', 'key properties:');
  const props = keyProperties(resources);
  const width = Math.max(...props.map(([k]) => k.length));
  for (const [k, v] of props) lines.push(`  ${k.padEnd(width)}  ${v}`);
  const blocking = findings.filter((f) => f.blocking).length;
  lines.push('', `findings: ${findings.length} (${blocking} blocking)`);
  for (const f of findings) lines.push(`  ${formatFinding(f)}`);
  return `${lines.join('\n')}\n`;
}

/** Change rules over network exposure: security group ingress and CIDR containment. */
import { overlaps, parseCidr } from '../../../model/cidr';
import { TYPES } from '../../resource-types';
import { asArray, fieldsOf, stringsOf } from '../../untyped';
import type { ResourceChange } from '../changes';
import { known, oneOf, sides, type DiffRule, type Props } from './rule';

/** The whole-internet ranges. */
export function isWorld(cidr: string): boolean {
  return cidr.trim() === '0.0.0.0/0' || cidr.trim() === '::/0';
}

/** True when `outer` covers `inner` (IPv4); other forms only when equal. */
export function cidrContains(outer: string, inner: string): boolean {
  if (outer === inner) return true;
  const o = parseCidr(outer);
  const i = parseCidr(inner);
  return !!o && !!i && o.prefix <= i.prefix && overlaps(o, i);
}

interface Ingress {
  readonly path: string;
  readonly ports: string;
  readonly cidrs: readonly string[];
  readonly risky: boolean;
}

const ADMIN_PORTS = [22, 3389];

function portsOf(protocol: unknown, from: unknown, to: unknown): { label: string; risky: boolean } {
  const proto = String(protocol ?? '-1');
  if (proto === '-1' || proto === 'all') return { label: 'all traffic', risky: true };
  const lo = Number(from ?? 0);
  const hi = Number(to ?? lo);
  return { label: `${proto} ${lo === hi ? lo : `${lo}-${hi}`}`, risky: ADMIN_PORTS.some((p) => p >= lo && p <= hi) || (lo <= 0 && hi >= 65535) };
}

function ingressOf(props: Props, type: string): Ingress[] {
  if (type === TYPES.securityGroupIngressRule) {
    const ports = portsOf(props.ipProtocol, props.fromPort, props.toPort);
    return [{ path: '', ports: ports.label, risky: ports.risky, cidrs: [props.cidrIpv4, props.cidrIpv6].filter((x): x is string => typeof x === 'string') }];
  }
  if (type === TYPES.securityGroupRule) {
    if (props.type !== 'ingress') return [];
    const ports = portsOf(props.protocol, props.fromPort, props.toPort);
    return [{ path: '', ports: ports.label, risky: ports.risky, cidrs: [...stringsOf(props.cidrBlocks), ...stringsOf(props.ipv6CidrBlocks)] }];
  }
  return asArray(props.ingress).map((r, i) => {
    const rule = fieldsOf(r);
    const ports = portsOf(rule.protocol, rule.fromPort, rule.toPort);
    return { path: `ingress[${i}]`, ports: ports.label, risky: ports.risky, cidrs: [...stringsOf(rule.cidrBlocks), ...stringsOf(rule.ipv6CidrBlocks)] };
  });
}

interface NewSource {
  readonly rule: Ingress;
  readonly cidr: string;
  /** The ranges the same ports admitted before. */
  readonly oldCidrs: readonly string[];
  readonly path: string;
}

/** Every ingress range a change admits that no range of the same ports admitted before (creates included). */
function newSources(c: ResourceChange): NewSource[] {
  const s = sides(c, true);
  if (!s) return [];
  const before = ingressOf(s[0], c.type);
  const out: NewSource[] = [];
  for (const rule of ingressOf(s[1], c.type)) {
    const oldCidrs = before.filter((b) => b.ports === rule.ports).flatMap((b) => b.cidrs);
    for (const cidr of rule.cidrs) {
      if (!known(cidr) || oldCidrs.some((o) => cidrContains(o, cidr))) continue;
      const path = rule.path || (cidr.includes(':') ? (c.type === TYPES.securityGroupIngressRule ? 'cidrIpv6' : 'ipv6CidrBlocks') : c.type === TYPES.securityGroupIngressRule ? 'cidrIpv4' : 'cidrBlocks');
      out.push({ rule, cidr, oldCidrs, path });
    }
  }
  return out;
}

const SECURITY_GROUP_TYPES = [TYPES.securityGroup, TYPES.securityGroupRule, TYPES.securityGroupIngressRule];

const openToWorld: DiffRule = {
  id: 'sg-open-to-world',
  description: 'Ingress opened to 0.0.0.0/0 or ::/0',
  appliesTo: oneOf(...SECURITY_GROUP_TYPES),
  check: (c) =>
    newSources(c)
      .filter(({ cidr }) => isWorld(cidr))
      .map(({ rule, cidr, path }) => ({ severity: rule.risky ? 'critical' : 'high', control: cidr.includes(':') ? 'CIS AWS 5.3' : 'CIS AWS 5.2', path, message: `ingress ${rule.ports} opened to ${cidr}` })),
};

const ingressWidened: DiffRule = {
  id: 'sg-ingress-widened',
  description: 'An ingress range widened to one that covers what it admitted before',
  appliesTo: oneOf(...SECURITY_GROUP_TYPES),
  check: (c) =>
    newSources(c)
      .filter(({ cidr, oldCidrs }) => !isWorld(cidr) && oldCidrs.length > 0 && oldCidrs.some((o) => cidrContains(cidr, o)))
      .map(({ rule, cidr, oldCidrs, path }) => ({ severity: 'medium', control: 'AWS FSBP EC2.18', path, message: `ingress ${rule.ports} widened from ${oldCidrs.join(', ')} to ${cidr}` })),
};

export const NETWORK_RULES: readonly DiffRule[] = [openToWorld, ingressWidened];

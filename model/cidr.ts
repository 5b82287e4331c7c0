/** IPv4 CIDR parsing and arithmetic, enough for subnet planning and allowlist checks. */

export interface Ipv4Cidr {
  /** Network address as an unsigned 32-bit integer. */
  readonly base: number;
  readonly prefix: number;
}

const CIDR_PATTERN = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;

/** Parses `a.b.c.d/n`; returns undefined when the text is not a valid IPv4 CIDR. Host bits may be set. */
export function parseCidr(text: string): Ipv4Cidr | undefined {
  const m = CIDR_PATTERN.exec(text);
  if (!m) return undefined;
  const octets = m.slice(1, 5).map(Number);
  const prefix = Number(m[5]);
  if (octets.some((o) => o > 255) || prefix > 32) return undefined;
  const base = ((octets[0] << 24) | (octets[1] << 16) | (octets[2] << 8) | octets[3]) >>> 0;
  return { base, prefix };
}

function mask(prefix: number): number {
  return prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
}

/** True when no bits are set beyond the prefix (10.0.0.0/16, not 10.0.1.0/16). */
export function isNetworkAddress(cidr: Ipv4Cidr): boolean {
  return (cidr.base & ~mask(cidr.prefix)) >>> 0 === 0;
}

export function formatCidr(cidr: Ipv4Cidr): string {
  const b = cidr.base;
  return `${b >>> 24}.${(b >>> 16) & 255}.${(b >>> 8) & 255}.${b & 255}/${cidr.prefix}`;
}

/** The CIDR with host bits cleared: the value the user most likely meant. */
export function networkOf(cidr: Ipv4Cidr): Ipv4Cidr {
  return { base: (cidr.base & mask(cidr.prefix)) >>> 0, prefix: cidr.prefix };
}

/** The `index`-th block of size `/newPrefix` inside `cidr`. */
export function subnetOf(cidr: Ipv4Cidr, newPrefix: number, index: number): Ipv4Cidr {
  if (newPrefix < cidr.prefix || newPrefix > 32) {
    throw new RangeError(`cannot carve /${newPrefix} blocks out of ${formatCidr(cidr)}`);
  }
  const count = 2 ** (newPrefix - cidr.prefix);
  if (index < 0 || index >= count) {
    throw new RangeError(`${formatCidr(cidr)} holds ${count} /${newPrefix} blocks; index ${index} is out of range`);
  }
  return { base: (cidr.base + index * 2 ** (32 - newPrefix)) >>> 0, prefix: newPrefix };
}

/** True when the two ranges share any address. */
export function overlaps(a: Ipv4Cidr, b: Ipv4Cidr): boolean {
  const p = Math.min(a.prefix, b.prefix);
  return (a.base & mask(p)) >>> 0 === (b.base & mask(p)) >>> 0;
}

/** Number of addresses in the range. */
export function size(cidr: Ipv4Cidr): number {
  return 2 ** (32 - cidr.prefix);
}

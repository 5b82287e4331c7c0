import { formatCidr, isNetworkAddress, overlaps, parseCidr, size, subnetOf } from '../../model/cidr';

const cidr = (text: string) => {
  const parsed = parseCidr(text);
  if (!parsed) throw new Error(`not a CIDR: ${text}`);
  return parsed;
};

describe('IPv4 CIDR helpers', () => {
  it.each(['10.0.0.0/33', '256.0.0.0/8', '10.0.0/8', '10.0.0.0', 'ten/8', '10.0.0.0/-1', ' 10.0.0.0/8'])('rejects %p', (text) => {
    expect(parseCidr(text)).toBeUndefined();
  });

  it('parses and formats round-trip', () => {
    expect(formatCidr(cidr('10.20.0.0/16'))).toBe('10.20.0.0/16');
    expect(formatCidr(cidr('0.0.0.0/0'))).toBe('0.0.0.0/0');
    expect(formatCidr(cidr('255.255.255.255/32'))).toBe('255.255.255.255/32');
  });

  it('knows network addresses from addresses with host bits', () => {
    expect(isNetworkAddress(cidr('10.20.0.0/16'))).toBe(true);
    expect(isNetworkAddress(cidr('10.20.1.0/16'))).toBe(false);
    expect(isNetworkAddress(cidr('0.0.0.0/0'))).toBe(true);
  });

  it('carves subnets in order and refuses out-of-range indexes', () => {
    const vpc = cidr('10.40.0.0/16');
    expect(formatCidr(subnetOf(vpc, 19, 0))).toBe('10.40.0.0/19');
    expect(formatCidr(subnetOf(vpc, 19, 3))).toBe('10.40.96.0/19');
    expect(formatCidr(subnetOf(vpc, 20, 15))).toBe('10.40.240.0/20');
    expect(() => subnetOf(vpc, 19, 8)).toThrow(/holds 8 \/19 blocks; index 8 is out of range/);
    expect(() => subnetOf(vpc, 15, 0)).toThrow(/cannot carve \/15 blocks/);
    expect(size(subnetOf(vpc, 19, 1))).toBe(8192);
  });

  it('detects overlap in both directions', () => {
    expect(overlaps(cidr('10.20.0.0/16'), cidr('10.20.5.0/24'))).toBe(true);
    expect(overlaps(cidr('10.20.5.0/24'), cidr('10.20.0.0/16'))).toBe(true);
    expect(overlaps(cidr('10.20.0.0/16'), cidr('10.21.0.0/16'))).toBe(false);
    expect(overlaps(cidr('0.0.0.0/0'), cidr('192.0.2.0/24'))).toBe(true);
  });
});

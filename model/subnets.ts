/**
 * Subnet planning: pure arithmetic over the VPC range, tested without Pulumi.
 *
 * The VPC is cut into 2^k equal blocks (the smallest k with 2^k > number of AZs). Each AZ gets one
 * block as its private subnet (nodes and pods live there: with prefix delegation pods take /28s
 * from it, so it gets the space). The last block is cut again into one public subnet per AZ
 * (load balancers and NAT gateways only).
 */
import { formatCidr, parseCidr, subnetOf } from './cidr';

export interface SubnetPlan {
  readonly availabilityZone: string;
  readonly privateCidr: string;
  readonly publicCidr: string;
}

export function planSubnets(vpcCidr: string, availabilityZones: readonly string[]): SubnetPlan[] {
  const vpc = parseCidr(vpcCidr);
  if (!vpc) throw new RangeError(`invalid VPC CIDR ${vpcCidr}`);
  if (availabilityZones.length === 0) throw new RangeError('at least one availability zone is needed');
  const bits = Math.ceil(Math.log2(availabilityZones.length + 1));
  const blockPrefix = vpc.prefix + bits;
  const publicPrefix = blockPrefix + bits;
  if (publicPrefix > 28) throw new RangeError(`${vpcCidr} is too small for ${availabilityZones.length} availability zones`);
  const publicBlock = subnetOf(vpc, blockPrefix, 2 ** bits - 1);
  return availabilityZones.map((az, i) => ({
    availabilityZone: az,
    privateCidr: formatCidr(subnetOf(vpc, blockPrefix, i)),
    publicCidr: formatCidr(subnetOf(publicBlock, publicPrefix, i)),
  }));
}

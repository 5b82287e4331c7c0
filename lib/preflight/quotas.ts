/**
 * Quotas a first `pulumi up` would exceed: the Region's VPCs, internet gateways and Elastic IPs, and
 * NAT gateways per Availability Zone, each from Service Quotas (the account's applied value, else
 * the AWS default) against current usage. Quota names and defaults: Amazon VPC user guide, "Amazon
 * VPC quotas" (NAT gateways count while pending, available or deleting); codes as Service Quotas
 * lists them (`aws service-quotas list-service-quotas --service-code vpc` / `ec2`).
 */
import { DescribeAddressesCommand, DescribeInternetGatewaysCommand, DescribeNatGatewaysCommand, DescribeSubnetsCommand, DescribeVpcsCommand } from '@aws-sdk/client-ec2';
import { GetAWSDefaultServiceQuotaCommand, GetServiceQuotaCommand } from '@aws-sdk/client-service-quotas';
import { errorName } from './aws';
import { guarded } from './checks';
import type { CheckLine, PreflightEnvironment, PreflightTarget } from './types';

export const QUOTAS = {
  vpcs: { serviceCode: 'vpc', quotaCode: 'L-F678F1CE', name: 'VPCs per Region' },
  internetGateways: { serviceCode: 'vpc', quotaCode: 'L-A4707A72', name: 'Internet gateways per Region' },
  elasticIps: { serviceCode: 'ec2', quotaCode: 'L-0263D0A3', name: 'EC2-VPC Elastic IPs' },
  natGatewaysPerAz: { serviceCode: 'vpc', quotaCode: 'L-FE5A380F', name: 'NAT gateways per Availability Zone' },
} as const;

type QuotaKey = keyof typeof QUOTAS;

async function quotaValue(env: PreflightEnvironment, key: QuotaKey): Promise<number | undefined> {
  const q = QUOTAS[key];
  try {
    const applied = await env.caller.call('servicequotas:GetServiceQuota', () => env.clients.quotas.send(new GetServiceQuotaCommand({ ServiceCode: q.serviceCode, QuotaCode: q.quotaCode })), ['NoSuchResourceException']);
    return applied.Quota?.Value;
  } catch (err) {
    if (errorName(err) !== 'NoSuchResourceException') throw err;
    const standard = await env.caller.call('servicequotas:GetAWSDefaultServiceQuota', () => env.clients.quotas.send(new GetAWSDefaultServiceQuotaCommand({ ServiceCode: q.serviceCode, QuotaCode: q.quotaCode })));
    return standard.Quota?.Value;
  }
}

function judge(key: QuotaKey, region: string, used: number, needed: number, limit: number | undefined, where = ''): CheckLine {
  const q = QUOTAS[key];
  const check = `quota ${q.name}${where ? ` (${where})` : ''}`;
  if (limit === undefined) return { status: 'WARN', check, message: `not checked: Service Quotas gave no value for ${q.quotaCode}` };
  if (used + needed <= limit) return { status: 'ok', check, message: `${used} used + ${needed} needed <= ${limit}` };
  return {
    status: 'FAIL',
    check,
    message: `${used} used + ${needed} needed > ${limit}: free some, or request more: aws service-quotas request-service-quota-increase --region ${region} --service-code ${q.serviceCode} --quota-code ${q.quotaCode} --desired-value ${used + needed}`,
  };
}

export async function checkQuotas(t: PreflightTarget, env: PreflightEnvironment): Promise<CheckLine[]> {
  const { config } = t;
  const { ec2 } = env.clients;
  const call = env.caller.call.bind(env.caller);
  return guarded('quotas', async () => {
    const vpcs = (await call('ec2:DescribeVpcs', () => ec2.send(new DescribeVpcsCommand({})))).Vpcs ?? [];
    // A VPC tagged for this cluster means the stack exists: its gateways are counted in the usage already.
    const existing = vpcs.some((v) => (v.Tags ?? []).some((tag) => tag.Key === 'platform:cluster' && tag.Value === config.clusterName));
    if (existing) return [{ status: 'ok', check: 'quotas', message: `the stack's VPC exists already: a pulumi up adds no VPC, gateway or address` }];
    const azs = config.network.availabilityZones;
    const natAzs = config.network.natGateways === 'perAz' ? azs : azs.slice(0, 1);

    const igws = (await call('ec2:DescribeInternetGateways', () => ec2.send(new DescribeInternetGatewaysCommand({})))).InternetGateways ?? [];
    const addresses = (await call('ec2:DescribeAddresses', () => ec2.send(new DescribeAddressesCommand({ Filters: [{ Name: 'domain', Values: ['vpc'] }] })))).Addresses ?? [];
    const nats = (await call('ec2:DescribeNatGateways', () => ec2.send(new DescribeNatGatewaysCommand({ Filter: [{ Name: 'state', Values: ['pending', 'available', 'deleting'] }] })))).NatGateways ?? [];
    const subnetIds = [...new Set(nats.map((n) => n.SubnetId).filter((id): id is string => Boolean(id)))];
    const subnets = subnetIds.length > 0 ? ((await call('ec2:DescribeSubnets', () => ec2.send(new DescribeSubnetsCommand({ SubnetIds: subnetIds })))).Subnets ?? []) : [];
    const azOfSubnet = new Map(subnets.map((s) => [s.SubnetId, s.AvailabilityZone]));

    const lines = [
      judge('vpcs', config.region, vpcs.length, 1, await quotaValue(env, 'vpcs')),
      judge('internetGateways', config.region, igws.length, 1, await quotaValue(env, 'internetGateways')),
      judge('elasticIps', config.region, addresses.length, natAzs.length, await quotaValue(env, 'elasticIps')),
    ];
    const natLimit = await quotaValue(env, 'natGatewaysPerAz');
    for (const az of natAzs) lines.push(judge('natGatewaysPerAz', config.region, nats.filter((n) => azOfSubnet.get(n.SubnetId) === az).length, 1, natLimit, az));
    return lines;
  });
}

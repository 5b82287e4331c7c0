/**
 * The VPC: one private and one public subnet per AZ, an internet gateway for the public subnets,
 * NAT per AZ (`perAz`, no cross-AZ dependency) or one shared NAT (`single`, cheaper, dev), VPC flow
 * logs into an encrypted, retained log group (CIS AWS 3.7), and a default security group with no
 * rules (CIS AWS 5.4). Subnets carry the discovery tags the AWS Load Balancer Controller and
 * Karpenter look for.
 */
import * as cloudwatch from '@pulumi/aws/cloudwatch';
import * as ec2 from '@pulumi/aws/ec2';
import * as ec2transitgateway from '@pulumi/aws/ec2transitgateway';
import * as iam from '@pulumi/aws/iam';
import * as pulumi from '@pulumi/pulumi';
import type { PlatformConfig } from '../model/config';
import { KARPENTER_DISCOVERY_TAG, roleName } from '../model/names';
import { flowLogsPolicy, serviceTrustPolicy, type Account } from './policy-documents';
import { formatCidr, overlaps, parseCidr } from '../model/cidr';
import { planSubnets } from '../model/subnets';
import { withName } from '../model/tags';
import { childOptions } from './component';

export interface NetworkArgs {
  readonly config: PlatformConfig;
  readonly account: Account;
  readonly logsKeyArn: pulumi.Input<string>;
}

export class Network extends pulumi.ComponentResource {
  readonly vpcId: pulumi.Output<string>;
  readonly privateSubnetIds: pulumi.Output<string>[];
  readonly publicSubnetIds: pulumi.Output<string>[];
  readonly natGatewayCount: number;
  /** The transit gateway attachment, when `network.transitGatewayId` is set. */
  readonly transitGatewayAttachment?: ec2transitgateway.VpcAttachment;

  constructor(name: string, args: NetworkArgs, opts?: pulumi.ComponentResourceOptions) {
    super('platform:network:Network', name, {}, opts);
    const { config, account } = args;
    const cluster = config.clusterName;
    const child = childOptions(this, name === 'network');
    const clusterTag = `kubernetes.io/cluster/${cluster}`;

    const vpc = new ec2.Vpc(`${name}-vpc`, { cidrBlock: config.network.vpcCidr, enableDnsHostnames: true, enableDnsSupport: true, tags: withName(config, cluster) }, child('vpc'));
    this.vpcId = vpc.id;

    // Adopts the VPC's default security group and removes its rules (no ingress, no egress).
    new ec2.DefaultSecurityGroup(`${name}-default-security-group`, { vpcId: vpc.id, ingress: [], egress: [], tags: withName(config, `${cluster}-default-deny`) }, child('default-security-group'));

    const igw = new ec2.InternetGateway(`${name}-internet-gateway`, { vpcId: vpc.id, tags: withName(config, cluster) }, child('internet-gateway'));
    const publicRoutes = new ec2.RouteTable(`${name}-public-routes`, { vpcId: vpc.id, routes: [{ cidrBlock: '0.0.0.0/0', gatewayId: igw.id }], tags: withName(config, `${cluster}-public`) }, child('public-routes'));

    const plan = planSubnets(config.network.vpcCidr, config.network.availabilityZones);
    const publicSubnets = plan.map(
      (p, i) =>
        new ec2.Subnet(
          `${name}-public-${i}`,
          {
            vpcId: vpc.id,
            cidrBlock: p.publicCidr,
            availabilityZone: p.availabilityZone,
            // Load balancers get their addresses from the ELB service; nothing here needs an auto-assigned public IP.
            mapPublicIpOnLaunch: false,
            tags: withName(config, `${cluster}-public-${p.availabilityZone}`, { 'kubernetes.io/role/elb': '1', [clusterTag]: 'shared', 'platform:subnet-tier': 'public' }),
          },
          child(`public-${i}`),
        ),
    );
    publicSubnets.forEach((s, i) => new ec2.RouteTableAssociation(`${name}-public-${i}`, { subnetId: s.id, routeTableId: publicRoutes.id }, child(`public-${i}`)));

    const natCount = config.network.natGateways === 'perAz' ? plan.length : 1;
    this.natGatewayCount = natCount;
    const nats = Array.from({ length: natCount }, (_, i) => {
      const eip = new ec2.Eip(`${name}-nat-${i}`, { domain: 'vpc', tags: withName(config, `${cluster}-nat-${plan[i].availabilityZone}`) }, child(`nat-${i}`));
      return new ec2.NatGateway(
        `${name}-nat-${i}`,
        { allocationId: eip.id, subnetId: publicSubnets[i].id, connectivityType: 'public', tags: withName(config, `${cluster}-nat-${plan[i].availabilityZone}`) },
        child(`nat-${i}`, { dependsOn: [igw] }),
      );
    });

    const privateSubnets = plan.map(
      (p, i) =>
        new ec2.Subnet(
          `${name}-private-${i}`,
          {
            vpcId: vpc.id,
            cidrBlock: p.privateCidr,
            availabilityZone: p.availabilityZone,
            mapPublicIpOnLaunch: false,
            tags: withName(config, `${cluster}-private-${p.availabilityZone}`, {
              'kubernetes.io/role/internal-elb': '1',
              [clusterTag]: 'shared',
              [KARPENTER_DISCOVERY_TAG]: cluster,
              'platform:subnet-tier': 'private',
            }),
          },
          child(`private-${i}`),
        ),
    );

    // Deployer networks outside the VPC reach the private endpoint through the transit gateway;
    // the answers go back the same way (the private route tables route those ranges to it).
    const tgwId = config.network.transitGatewayId;
    const viaTransitGateway = tgwId ? deployerRangesOutside(config.endpoint.privateAccessCidrs, config.network.vpcCidr) : [];
    const attachment = tgwId
      ? new ec2transitgateway.VpcAttachment(
          `${name}-transit-gateway`,
          { transitGatewayId: tgwId, vpcId: vpc.id, subnetIds: privateSubnets.map((s) => s.id), dnsSupport: 'enable', tags: withName(config, `${cluster}-transit-gateway`) },
          child('transit-gateway'),
        )
      : undefined;
    this.transitGatewayAttachment = attachment;

    privateSubnets.forEach((subnet, i) => {
      const p = plan[i];
      const routes = new ec2.RouteTable(
        `${name}-private-${i}`,
        {
          vpcId: vpc.id,
          routes: [
            { cidrBlock: '0.0.0.0/0', natGatewayId: nats[Math.min(i, natCount - 1)].id },
            ...viaTransitGateway.map((cidrBlock) => ({ cidrBlock, transitGatewayId: tgwId })),
          ],
          tags: withName(config, `${cluster}-private-${p.availabilityZone}`),
        },
        // A route to a transit gateway needs the VPC's attachment to it first.
        child(`private-${i}`, { dependsOn: attachment ? [attachment] : [] }),
      );
      new ec2.RouteTableAssociation(`${name}-private-${i}`, { subnetId: subnet.id, routeTableId: routes.id }, child(`private-${i}`));
    });
    this.privateSubnetIds = privateSubnets.map((s) => s.id);
    this.publicSubnetIds = publicSubnets.map((s) => s.id);

    const flowLogGroup = new cloudwatch.LogGroup(
      `${name}-flow-logs`,
      { name: `/aws/vpc/${cluster}/flow-logs`, retentionInDays: config.network.flowLogRetentionDays, kmsKeyId: args.logsKeyArn, tags: withName(config, `${cluster}-flow-logs`) },
      child('flow-logs'),
    );
    const flowLogRole = new iam.Role(
      `${name}-flow-logs`,
      {
        name: roleName(cluster, 'vpc-flow-logs'),
        description: `VPC flow logs of ${cluster} into their log group`,
        assumeRolePolicy: JSON.stringify(
          serviceTrustPolicy('vpc-flow-logs.amazonaws.com', ['sts:AssumeRole'], {
            StringEquals: { 'aws:SourceAccount': account.accountId },
            ArnLike: { 'aws:SourceArn': `arn:${account.partition}:ec2:${account.region}:${account.accountId}:vpc-flow-log/*` },
          }),
        ),
        tags: withName(config, roleName(cluster, 'vpc-flow-logs')),
      },
      child('flow-logs'),
    );
    const flowLogPolicy = new iam.RolePolicy(
      `${name}-flow-logs`,
      { role: flowLogRole.name, name: 'write-flow-logs', policy: flowLogGroup.arn.apply((arn) => JSON.stringify(flowLogsPolicy(arn))) },
      child('flow-logs'),
    );
    // The role's policy first: a flow log created before it cannot deliver and reports an access error.
    new ec2.FlowLog(
      `${name}-vpc`,
      { vpcId: vpc.id, trafficType: 'ALL', logDestinationType: 'cloud-watch-logs', logDestination: flowLogGroup.arn, iamRoleArn: flowLogRole.arn, maxAggregationInterval: 60, tags: withName(config, `${cluster}-flow-logs`) },
      child('vpc', { dependsOn: [flowLogPolicy] }),
    );

    this.registerOutputs({ vpcId: this.vpcId, privateSubnetIds: this.privateSubnetIds, publicSubnetIds: this.publicSubnetIds });
  }
}

/** The deployer ranges that lie outside the VPC (those need a route), in config order. */
export function deployerRangesOutside(privateAccessCidrs: readonly string[], vpcCidr: string): string[] {
  const vpc = parseCidr(vpcCidr);
  return privateAccessCidrs.filter((range) => {
    const parsed = parseCidr(range);
    return !(vpc && parsed && parsed.prefix >= vpc.prefix && overlaps(parsed, vpc));
  }).map((range) => formatCidr(parseCidr(range)!));
}

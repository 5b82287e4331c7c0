/**
 * The VPC: one private and one public subnet per AZ, an internet gateway for the public subnets,
 * NAT per AZ (`perAz`, no cross-AZ dependency) or one shared NAT (`single`, cheaper, dev), VPC flow
 * logs into an encrypted, retained log group (CIS AWS 3.7), and a default security group with no
 * rules (CIS AWS 5.4). Subnets carry the discovery tags the AWS Load Balancer Controller and
 * Karpenter look for.
 */
import * as cloudwatch from '@pulumi/aws/cloudwatch';
import * as ec2 from '@pulumi/aws/ec2';
import * as iam from '@pulumi/aws/iam';
import * as pulumi from '@pulumi/pulumi';
import type { PlatformConfig } from './config';
import { KARPENTER_DISCOVERY_TAG, roleName } from './names';
import { flowLogsPolicy, serviceTrustPolicy, type Account } from './policy-documents';
import { planSubnets } from './subnets';
import { withName } from './tags';

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

  constructor(args: NetworkArgs, opts?: pulumi.ComponentResourceOptions) {
    super('platform:network:Network', 'network', {}, opts);
    const { config, account } = args;
    const cluster = config.clusterName;
    const parent = { parent: this };
    const clusterTag = `kubernetes.io/cluster/${cluster}`;

    const vpc = new ec2.Vpc('vpc', { cidrBlock: config.network.vpcCidr, enableDnsHostnames: true, enableDnsSupport: true, tags: withName(config, cluster) }, parent);
    this.vpcId = vpc.id;

    // Adopts the VPC's default security group and removes its rules (no ingress, no egress).
    new ec2.DefaultSecurityGroup('default-security-group', { vpcId: vpc.id, ingress: [], egress: [], tags: withName(config, `${cluster}-default-deny`) }, parent);

    const igw = new ec2.InternetGateway('internet-gateway', { vpcId: vpc.id, tags: withName(config, cluster) }, parent);
    const publicRoutes = new ec2.RouteTable('public-routes', { vpcId: vpc.id, routes: [{ cidrBlock: '0.0.0.0/0', gatewayId: igw.id }], tags: withName(config, `${cluster}-public`) }, parent);

    const plan = planSubnets(config.network.vpcCidr, config.network.availabilityZones);
    const publicSubnets = plan.map(
      (p, i) =>
        new ec2.Subnet(
          `public-${i}`,
          {
            vpcId: vpc.id,
            cidrBlock: p.publicCidr,
            availabilityZone: p.availabilityZone,
            // Load balancers get their addresses from the ELB service; nothing here needs an auto-assigned public IP.
            mapPublicIpOnLaunch: false,
            tags: withName(config, `${cluster}-public-${p.availabilityZone}`, { 'kubernetes.io/role/elb': '1', [clusterTag]: 'shared', 'platform:subnet-tier': 'public' }),
          },
          parent,
        ),
    );
    publicSubnets.forEach((s, i) => new ec2.RouteTableAssociation(`public-${i}`, { subnetId: s.id, routeTableId: publicRoutes.id }, parent));

    const natCount = config.network.natGateways === 'perAz' ? plan.length : 1;
    this.natGatewayCount = natCount;
    const nats = Array.from({ length: natCount }, (_, i) => {
      const eip = new ec2.Eip(`nat-${i}`, { domain: 'vpc', tags: withName(config, `${cluster}-nat-${plan[i].availabilityZone}`) }, parent);
      return new ec2.NatGateway(
        `nat-${i}`,
        { allocationId: eip.id, subnetId: publicSubnets[i].id, connectivityType: 'public', tags: withName(config, `${cluster}-nat-${plan[i].availabilityZone}`) },
        { parent: this, dependsOn: [igw] },
      );
    });

    const privateSubnets = plan.map((p, i) => {
      const subnet = new ec2.Subnet(
        `private-${i}`,
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
        parent,
      );
      const routes = new ec2.RouteTable(
        `private-${i}`,
        { vpcId: vpc.id, routes: [{ cidrBlock: '0.0.0.0/0', natGatewayId: nats[Math.min(i, natCount - 1)].id }], tags: withName(config, `${cluster}-private-${p.availabilityZone}`) },
        parent,
      );
      new ec2.RouteTableAssociation(`private-${i}`, { subnetId: subnet.id, routeTableId: routes.id }, parent);
      return subnet;
    });
    this.privateSubnetIds = privateSubnets.map((s) => s.id);
    this.publicSubnetIds = publicSubnets.map((s) => s.id);

    const flowLogGroup = new cloudwatch.LogGroup(
      'flow-logs',
      { name: `/aws/vpc/${cluster}/flow-logs`, retentionInDays: config.network.flowLogRetentionDays, kmsKeyId: args.logsKeyArn, tags: withName(config, `${cluster}-flow-logs`) },
      parent,
    );
    const flowLogRole = new iam.Role(
      'flow-logs',
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
      parent,
    );
    const flowLogPolicy = new iam.RolePolicy('flow-logs', { role: flowLogRole.name, name: 'write-flow-logs', policy: flowLogGroup.arn.apply((arn) => JSON.stringify(flowLogsPolicy(arn))) }, parent);
    // The role's policy first: a flow log created before it cannot deliver and reports an access error.
    new ec2.FlowLog(
      'vpc',
      { vpcId: vpc.id, trafficType: 'ALL', logDestinationType: 'cloud-watch-logs', logDestination: flowLogGroup.arn, iamRoleArn: flowLogRole.arn, maxAggregationInterval: 60, tags: withName(config, `${cluster}-flow-logs`) },
      { parent: this, dependsOn: [flowLogPolicy] },
    );

    this.registerOutputs({ vpcId: this.vpcId, privateSubnetIds: this.privateSubnetIds, publicSubnetIds: this.publicSubnetIds });
  }
}

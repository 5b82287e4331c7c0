/**
 * Pulumi resource type tokens the plan, the posture rules, the audit and the mocks recognise, by
 * name: one table, so a token is spelled once (`TYPES.cluster`, never `'aws:eks/cluster:Cluster'`
 * again). Tokens are `<package>:<module>/<lowerCamelName>:<Name>` as the providers publish them.
 */
export const TYPES = {
  // EKS
  cluster: 'aws:eks/cluster:Cluster',
  nodeGroup: 'aws:eks/nodeGroup:NodeGroup',
  addon: 'aws:eks/addon:Addon',
  accessEntry: 'aws:eks/accessEntry:AccessEntry',
  podIdentityAssociation: 'aws:eks/podIdentityAssociation:PodIdentityAssociation',
  // IAM
  role: 'aws:iam/role:Role',
  policy: 'aws:iam/policy:Policy',
  rolePolicy: 'aws:iam/rolePolicy:RolePolicy',
  rolePolicyAttachment: 'aws:iam/rolePolicyAttachment:RolePolicyAttachment',
  userPolicy: 'aws:iam/userPolicy:UserPolicy',
  groupPolicy: 'aws:iam/groupPolicy:GroupPolicy',
  instanceProfile: 'aws:iam/instanceProfile:InstanceProfile',
  openIdConnectProvider: 'aws:iam/openIdConnectProvider:OpenIdConnectProvider',
  // KMS, secrets
  kmsKey: 'aws:kms/key:Key',
  kmsAlias: 'aws:kms/alias:Alias',
  secret: 'aws:secretsmanager/secret:Secret',
  randomPassword: 'random:index/randomPassword:RandomPassword',
  // Network
  vpc: 'aws:ec2/vpc:Vpc',
  subnet: 'aws:ec2/subnet:Subnet',
  internetGateway: 'aws:ec2/internetGateway:InternetGateway',
  natGateway: 'aws:ec2/natGateway:NatGateway',
  eip: 'aws:ec2/eip:Eip',
  routeTable: 'aws:ec2/routeTable:RouteTable',
  routeTableAssociation: 'aws:ec2/routeTableAssociation:RouteTableAssociation',
  securityGroup: 'aws:ec2/securityGroup:SecurityGroup',
  securityGroupRule: 'aws:ec2/securityGroupRule:SecurityGroupRule',
  securityGroupIngressRule: 'aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule',
  defaultSecurityGroup: 'aws:ec2/defaultSecurityGroup:DefaultSecurityGroup',
  flowLog: 'aws:ec2/flowLog:FlowLog',
  vpcEndpoint: 'aws:ec2/vpcEndpoint:VpcEndpoint',
  launchTemplate: 'aws:ec2/launchTemplate:LaunchTemplate',
  // Storage, logs, messaging
  ebsVolume: 'aws:ebs/volume:Volume',
  logGroup: 'aws:cloudwatch/logGroup:LogGroup',
  eventRule: 'aws:cloudwatch/eventRule:EventRule',
  queue: 'aws:sqs/queue:Queue',
  queuePolicy: 'aws:sqs/queuePolicy:QueuePolicy',
  snsTopic: 'aws:sns/topic:Topic',
  topicPolicy: 'aws:sns/topicPolicy:TopicPolicy',
  ecrRepository: 'aws:ecr/repository:Repository',
  s3Bucket: 'aws:s3/bucket:Bucket',
  s3BucketV2: 'aws:s3/bucketV2:BucketV2',
  rdsInstance: 'aws:rds/instance:Instance',
  rdsCluster: 'aws:rds/cluster:Cluster',
  dynamodbTable: 'aws:dynamodb/table:Table',
  efsFileSystem: 'aws:efs/fileSystem:FileSystem',
  // DNS, certificates
  certificate: 'aws:acm/certificate:Certificate',
  certificateValidation: 'aws:acm/certificateValidation:CertificateValidation',
  route53Record: 'aws:route53/record:Record',
  // Kubernetes
  helmRelease: 'kubernetes:helm.sh/v3:Release',
  argoApplication: 'kubernetes:argoproj.io/v1alpha1:Application',
  namespace: 'kubernetes:core/v1:Namespace',
  persistentVolumeClaim: 'kubernetes:core/v1:PersistentVolumeClaim',
  kubernetesSecret: 'kubernetes:core/v1:Secret',
  // Pulumi
  stack: 'pulumi:pulumi:Stack',
  stackReference: 'pulumi:pulumi:StackReference',
} as const;

export type ResourceType = (typeof TYPES)[keyof typeof TYPES];

/**
 * Pulumi mocks that behave like AWS enough for the program to run offline, and record every
 * resource the program registers: type, name, URN, inputs, parent, dependencies and provider.
 * `platform plan` and the tests both run the real program through these.
 *
 * Outputs are realistic and deterministic: ids and ARNs are derived from a hash of the resource's
 * type and name, never random, so two runs give the same inventory. A resource renamed with an alias
 * is the same resource to the engine (same id, same auto-generated physical name): the mocks derive
 * its values from the name it had first (formerName), as a real stack keeps them.
 */
import { createHash } from 'node:crypto';
import type * as pulumi from '@pulumi/pulumi';
import { TYPES } from './resource-types';

export interface RecordedResource {
  readonly type: string;
  readonly name: string;
  readonly urn: string;
  readonly id: string;
  /** The inputs the program passed, as the provider would receive them. */
  readonly props: Record<string, unknown>;
  /** URN of the parent resource (the stack for top-level resources). */
  parent?: string;
  /** URNs this resource depends on: explicit `dependsOn` plus resources its inputs came from. */
  dependencies: string[];
  /** Explicit provider reference (`<urn>::<id>`), when one was passed. */
  provider?: string;
  /** URNs the resource may have had before, from its `aliases` option (as the engine resolves them). */
  aliases?: string[];
}

export interface MockAccount {
  readonly accountId: string;
  readonly region: string;
  readonly partition?: string;
  readonly availabilityZones?: readonly string[];
  /** Outputs of other stacks by qualified name (`<org>/<project>/<stack>`), for StackReferences. */
  readonly stackOutputs?: Readonly<Record<string, Record<string, unknown>>>;
}

/** Values no real resource would have: they show up in an inventory as clearly mock-made. */
function shortHash(...parts: string[]): string {
  return createHash('sha256').update(parts.join('\0')).digest('hex');
}

export class RecordingMocks implements pulumi.runtime.Mocks {
  readonly resources: RecordedResource[] = [];
  /** Invokes the program made, for tests that want to prove it makes none it should not. */
  readonly calls: { token: string; inputs: Record<string, unknown> }[] = [];
  private readonly partition: string;
  /** Former names of renamed resources, by `<type>\0<name>` (see formerName). */
  private readonly formerNames = new Map<string, string>();

  constructor(private readonly account: MockAccount) {
    this.partition = account.partition ?? 'aws';
  }

  /** Records that `type`/`name` was called `was` before (an alias): its values derive from `was`. */
  formerName(type: string, name: string, was: string): void {
    this.formerNames.set(`${type}\0${name}`, was);
  }

  newResource(args: pulumi.runtime.MockResourceArgs): pulumi.runtime.MockResourceResult {
    if (args.type === TYPES.stackReference) {
      const name = String(args.inputs.name ?? args.name);
      return { id: name, state: { name, outputs: this.account.stackOutputs?.[name] ?? {}, secretOutputNames: [] } };
    }
    const name = this.formerNames.get(`${args.type}\0${args.name}`) ?? args.name;
    const id = this.idFor(args.type, name, args.inputs);
    const state = { ...args.inputs, ...this.outputsFor(args.type, name, id, args.inputs) };
    return { id, state };
  }

  call(args: pulumi.runtime.MockCallArgs): pulumi.runtime.MockCallResult {
    this.calls.push({ token: args.token, inputs: args.inputs });
    const { accountId, region } = this.account;
    switch (args.token) {
      case 'aws:index/getCallerIdentity:getCallerIdentity':
        return { accountId, arn: `arn:${this.partition}:iam::${accountId}:role/deployer`, userId: 'AROAEXAMPLEDEPLOYER', id: accountId };
      case 'aws:index/getRegion:getRegion':
        return { name: region, region, id: region, description: region };
      case 'aws:index/getPartition:getPartition':
        return { partition: this.partition, dnsSuffix: 'amazonaws.com', id: this.partition };
      case 'aws:index/getAvailabilityZones:getAvailabilityZones': {
        const names = this.account.availabilityZones ?? ['a', 'b', 'c'].map((s) => `${region}${s}`);
        return { names, zoneIds: names.map((_, i) => `${region.replace(/-/g, '')}-az${i + 1}`), id: region };
      }
      default:
        // An invoke nobody mocked would return made-up data and prove nothing: fail loudly instead.
        throw new Error(`no mock for invoke ${args.token}`);
    }
  }

  private idFor(type: string, name: string, inputs: Record<string, unknown>): string {
    const h = shortHash(type, name);
    const prefixes: Record<string, string> = {
      [TYPES.vpc]: 'vpc',
      [TYPES.subnet]: 'subnet',
      [TYPES.internetGateway]: 'igw',
      [TYPES.natGateway]: 'nat',
      [TYPES.eip]: 'eipalloc',
      [TYPES.routeTable]: 'rtb',
      [TYPES.securityGroup]: 'sg',
      [TYPES.launchTemplate]: 'lt',
      [TYPES.flowLog]: 'fl',
      [TYPES.vpcEndpoint]: 'vpce',
    };
    const prefix = prefixes[type];
    if (prefix) return `${prefix}-${h.slice(0, 17)}`;
    if (type === TYPES.kmsKey) return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
    if (typeof inputs.name === 'string') return inputs.name;
    return `${name}-${h.slice(0, 8)}`;
  }

  /** Provider-computed outputs the program may dereference. */
  private outputsFor(type: string, name: string, id: string, inputs: Record<string, unknown>): Record<string, unknown> {
    const { accountId, region } = this.account;
    const p = this.partition;
    const physicalName = typeof inputs.name === 'string' ? inputs.name : `${name}-${shortHash(type, name).slice(0, 7)}`;
    const arn = (service: string, resource: string, withRegion = true) =>
      `arn:${p}:${service}:${withRegion ? region : ''}:${accountId}:${resource}`;
    switch (type) {
      case TYPES.cluster: {
        const h = shortHash(type, name).slice(0, 32).toUpperCase();
        return {
          name: physicalName,
          arn: arn('eks', `cluster/${physicalName}`),
          endpoint: `https://${h}.gr7.${region}.eks.amazonaws.com`,
          certificateAuthority: { data: Buffer.from(`mock certificate authority for ${physicalName}`).toString('base64') },
          identities: [{ oidcs: [{ issuer: `https://oidc.eks.${region}.amazonaws.com/id/${h}` }] }],
          status: 'ACTIVE',
          platformVersion: 'eks.1',
          vpcConfig: { ...(inputs.vpcConfig as object), clusterSecurityGroupId: `sg-${shortHash('cluster-sg', name).slice(0, 17)}`, vpcId: 'vpc-mock' },
        };
      }
      case TYPES.openIdConnectProvider: {
        const host = String(inputs.url ?? '').replace(/^https:\/\//, '');
        return { arn: `arn:${p}:iam::${accountId}:oidc-provider/${host}` };
      }
      case TYPES.role:
        return { name: physicalName, arn: `arn:${p}:iam::${accountId}:role/${physicalName}`, uniqueId: `AROA${shortHash(type, name).slice(0, 17).toUpperCase()}` };
      case TYPES.policy:
        return { name: physicalName, arn: `arn:${p}:iam::${accountId}:policy/${physicalName}`, policyId: `ANPA${shortHash(type, name).slice(0, 17).toUpperCase()}` };
      case TYPES.instanceProfile:
        return { name: physicalName, arn: `arn:${p}:iam::${accountId}:instance-profile/${physicalName}` };
      case TYPES.kmsKey:
        return { keyId: id, arn: arn('kms', `key/${id}`) };
      case TYPES.kmsAlias:
        return { arn: arn('kms', String(inputs.name ?? `alias/${name}`)) };
      case TYPES.logGroup:
        return { name: physicalName, arn: arn('logs', `log-group:${physicalName}`) };
      case TYPES.queue:
        return {
          name: physicalName,
          arn: arn('sqs', physicalName),
          url: `https://sqs.${region}.amazonaws.com/${accountId}/${physicalName}`,
        };
      case TYPES.eventRule:
        return { name: physicalName, arn: arn('events', `rule/${physicalName}`) };
      case TYPES.secret:
        // Secrets Manager appends a dash and six random characters to the name.
        return { arn: arn('secretsmanager', `secret:${physicalName}-${shortHash(type, name).slice(0, 6)}`) };
      case TYPES.randomPassword:
        // A made-up stand-in (never a real password): the program must treat it as a secret.
        return { result: `mock-password-${shortHash(type, name).slice(0, 24)}`, bcryptHash: `mock-bcrypt-${shortHash('bcrypt', name).slice(0, 24)}` };
      case TYPES.nodeGroup:
        return { arn: arn('eks', `nodegroup/${String(inputs.clusterName ?? 'cluster')}/${physicalName}/${shortHash(type, name).slice(0, 8)}`), status: 'ACTIVE' };
      case TYPES.addon:
        return { arn: arn('eks', `addon/${String(inputs.clusterName ?? 'cluster')}/${String(inputs.addonName ?? name)}/${shortHash(type, name).slice(0, 8)}`) };
      case TYPES.launchTemplate:
        return { arn: arn('ec2', `launch-template/${id}`), latestVersion: 1, defaultVersion: 1 };
      case TYPES.vpc:
        return { arn: arn('ec2', `vpc/${id}`), defaultSecurityGroupId: `sg-${shortHash('default-sg', name).slice(0, 17)}`, mainRouteTableId: `rtb-${shortHash('main-rtb', name).slice(0, 17)}` };
      case TYPES.subnet:
        return { arn: arn('ec2', `subnet/${id}`) };
      case TYPES.securityGroup:
        return { arn: arn('ec2', `security-group/${id}`) };
      case TYPES.eip:
        return { publicIp: `198.51.100.${parseInt(shortHash(type, name).slice(0, 2), 16) % 250}`, allocationId: id };
      case TYPES.certificate: {
        // ACM asks for one CNAME per name, the same for a name and its wildcard (`_<hash>.<name>.`).
        const h = shortHash(type, name);
        const names = [inputs.domainName, ...((inputs.subjectAlternativeNames as unknown[] | undefined) ?? [])].map(String);
        const record = (n: string) => {
          const base = n.replace(/^\*\./, '');
          const token = shortHash('acm-validation', base).slice(0, 32);
          return { resourceRecordName: `_${token}.${base}.`, resourceRecordType: 'CNAME', resourceRecordValue: `_${shortHash('acm-answer', base).slice(0, 32)}.mhbtsbpdnt.acm-validations.aws.` };
        };
        return {
          arn: arn('acm', `certificate/${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`),
          domainValidationOptions: names.map((n) => ({ domainName: n, ...record(n) })),
          status: 'PENDING_VALIDATION',
        };
      }
      case TYPES.route53Record:
        return { fqdn: String(inputs.name ?? name).replace(/\.$/, '') };
      case TYPES.snsTopic:
        return { name: physicalName, arn: arn('sns', physicalName) };
      default:
        if (type.startsWith('aws:')) {
          const service = type.split(':')[1].split('/')[0];
          return { arn: arn(service, `${name}/${id}`) };
        }
        return {};
    }
  }
}

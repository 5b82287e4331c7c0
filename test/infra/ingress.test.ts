/* eslint-disable @typescript-eslint/no-explicit-any -- Helm values and policy documents are untyped JSON queried field by field */
/**
 * The AWS side of tenant ingress in the prod stack under mocks: roles through Pod Identity, the
 * controller's policy bound to the real VPC, DNS-validated certificates per domain, the expiry rule
 * and its encrypted topic, and the releases wired to them.
 */
import type { ProgramRun } from '../../lib/run-program';
import { readStatements } from '../../lib/iam-document';
import { RUNBOOK_BASE_URL } from '../../charts';
import { ofType, runStack, single } from '../helpers/pulumi';
import { helmRelease, missingDependencies, objectName, objectsOfKind } from '../helpers/wiring';

let run: ProgramRun;
beforeAll(async () => {
  run = await runStack('prod');
});

const ACCOUNT = '444455556666';
const ZONE = 'Z0PROD1EXAMPLE3456789';
const DOMAINS = ['checkout.example.com', 'example.com', 'payments.example.com', 'search.example.com'];

describe('prod: ingress identities', () => {
  it('GIVEN the controller role WHEN reading its policy THEN it is bound to the VPC the stack created and to the cluster tag', () => {
    const policy = ofType(run, 'aws:iam/rolePolicy:RolePolicy').find((p) => p.props.role === 'platform-prod-lb-controller')!;
    const statements = readStatements(policy.props.policy)!;
    const vpc = single(run, 'aws:ec2/vpc:Vpc');
    expect(statements.find((s) => s.Sid === 'ManageSecurityGroupRulesInClusterVpc')!.Condition).toEqual({ ArnEquals: { 'ec2:Vpc': `arn:aws:ec2:eu-west-1:${ACCOUNT}:vpc/${vpc.id}` } });
    expect(statements.find((s) => s.Sid === 'DeleteOwnSecurityGroups')!.Condition).toEqual({ StringEquals: { 'aws:ResourceTag/elbv2.k8s.aws/cluster': 'platform-prod' } });
    expect(policy.dependencies).toContain(vpc.urn);
  });

  it('GIVEN external-dns WHEN reading its policy THEN it changes records in the prod zone only', () => {
    const policy = ofType(run, 'aws:iam/rolePolicy:RolePolicy').find((p) => p.props.role === 'platform-prod-external-dns')!;
    const change = readStatements(policy.props.policy)!.find((s) => s.Sid === 'ChangeRecordsInPlatformZones')!;
    expect(change.Resource).toEqual([`arn:aws:route53:::hostedzone/${ZONE}`]);
  });

  it('GIVEN both roles WHEN reading their trust THEN only EKS Pod Identity for this cluster may assume them', () => {
    for (const name of ['platform-prod-lb-controller', 'platform-prod-external-dns']) {
      const role = ofType(run, 'aws:iam/role:Role').find((r) => r.props.name === name)!;
      const [trust] = readStatements(role.props.assumeRolePolicy)!;
      expect(trust.Principal).toEqual({ Service: 'pods.eks.amazonaws.com' });
      expect(trust.Condition).toEqual({ StringEquals: { 'aws:SourceAccount': ACCOUNT }, ArnEquals: { 'aws:SourceArn': `arn:aws:eks:eu-west-1:${ACCOUNT}:cluster/platform-prod` } });
    }
  });
});

describe('prod: certificates', () => {
  it('GIVEN the platform domain and three tenant domains THEN each has a DNS-validated certificate for it and its wildcard', () => {
    const certificates = ofType(run, 'aws:acm/certificate:Certificate');
    expect(certificates.map((c) => [c.props.domainName, c.props.subjectAlternativeNames, c.props.validationMethod])).toEqual(
      DOMAINS.map((d) => [d, [`*.${d}`], 'DNS']),
    );
    expect(certificates.find((c) => c.props.domainName === 'checkout.example.com')!.props.tags).toMatchObject({ 'platform:tenant': 'checkout', 'platform:domain': 'checkout.example.com' });
  });

  it('GIVEN each certificate THEN its validation CNAME goes into the prod zone, and the stack waits for issuance on exactly that record', () => {
    for (const domain of DOMAINS) {
      const certificate = single(run, 'aws:acm/certificate:Certificate', `ingress-certificate-${domain}`);
      const record = single(run, 'aws:route53/record:Record', `ingress-certificate-validation-${domain}`);
      const validation = single(run, 'aws:acm/certificateValidation:CertificateValidation', `ingress-certificate-${domain}`);
      expect(record.props).toMatchObject({ zoneId: ZONE, type: 'CNAME', ttl: 300 });
      expect(String(record.props.name)).toMatch(new RegExp(`^_[0-9a-f]{32}\\.${domain.replace(/\./g, '\\.')}\\.$`));
      expect(record.dependencies).toContain(certificate.urn);
      expect(validation.props.certificateArn).toMatch(/^arn:aws:acm:eu-west-1:444455556666:certificate\//);
      expect(validation.props.validationRecordFqdns).toEqual([String(record.props.name).replace(/\.$/, '')]);
    }
  });

  it('GIVEN the certificates THEN one EventBridge rule forwards their ACM expiry events, with the runbook, to an encrypted topic', () => {
    const rule = single(run, 'aws:cloudwatch/eventRule:EventRule', 'ingress-certificate-expiry');
    const pattern = JSON.parse(String(rule.props.eventPattern));
    const arns = ofType(run, 'aws:acm/certificateValidation:CertificateValidation').map((v) => v.props.certificateArn).sort();
    expect(pattern).toEqual({ source: ['aws.acm'], 'detail-type': ['ACM Certificate Approaching Expiration', 'ACM Certificate Expired'], resources: arns });
    const target = single(run, 'aws:cloudwatch/eventTarget:EventTarget', 'ingress-certificate-expiry');
    const topic = single(run, 'aws:sns/topic:Topic', 'ingress-alerts');
    expect(target.props.arn).toBe(`arn:aws:sns:eu-west-1:${ACCOUNT}:platform-prod-platform-alerts`);
    expect((target.props.inputTransformer as any).inputTemplate).toContain(`${RUNBOOK_BASE_URL}/acm-certificate-expiring.md`);
    const key = single(run, 'aws:kms/key:Key', 'ingress-alerts-key');
    expect(topic.props.kmsMasterKeyId).toBe(`arn:aws:kms:eu-west-1:${ACCOUNT}:key/${key.id}`);
    expect(key.props.enableKeyRotation).toBe(true);
    expect(single(run, 'aws:sns/topicSubscription:TopicSubscription').props).toMatchObject({ protocol: 'email', endpoint: 'platform-oncall@example.com' });
    const topicPolicy = readStatements(single(run, 'aws:sns/topicPolicy:TopicPolicy').props.policy)![0];
    expect(topicPolicy.Condition).toEqual({ ArnEquals: { 'aws:SourceArn': `arn:aws:events:eu-west-1:${ACCOUNT}:rule/platform-prod-certificate-expiry` } });
  });

  it('GIVEN the outputs THEN they name every certificate and the alerts topic', () => {
    expect(Object.keys(run.outputs.certificateArns as object).sort()).toEqual(DOMAINS);
    expect(run.outputs.alertsTopicArn).toBe(`arn:aws:sns:eu-west-1:${ACCOUNT}:platform-prod-platform-alerts`);
  });
});

describe('prod: in-cluster wiring', () => {
  it('GIVEN the ingress releases THEN they install after their namespaces and ServiceAccounts, with the pinned charts', () => {
    const controller = helmRelease(run, 'aws-load-balancer-controller');
    const externalDns = helmRelease(run, 'external-dns');
    expect(controller.props).toMatchObject({ chart: 'aws-load-balancer-controller', version: '3.5.0', namespace: 'aws-load-balancer-controller', repositoryOpts: { repo: 'https://aws.github.io/eks-charts' } });
    expect(externalDns.props).toMatchObject({ chart: 'external-dns', version: '1.21.1', namespace: 'external-dns' });
    const serviceAccounts = objectsOfKind(run, 'ServiceAccount').filter((s) => ['aws-load-balancer-controller/aws-load-balancer-controller', 'external-dns/external-dns'].includes(objectName(s)));
    expect(serviceAccounts).toHaveLength(2);
    for (const r of [controller, externalDns]) expect(missingDependencies(r, serviceAccounts)).toEqual([]);
  });

  it('GIVEN the IngressClassParams THEN they wait for the controller release that brings their CRD', () => {
    const controller = helmRelease(run, 'aws-load-balancer-controller');
    const params = objectsOfKind(run, 'IngressClassParams');
    expect(params.map(objectName).sort()).toEqual(['alb-internal-checkout', 'alb-internal-payments', 'alb-internal-search', 'alb-internet-facing-checkout']);
    for (const p of params) expect(p.dependencies).toContain(controller.urn);
  });

  it('GIVEN the sample web service THEN its Ingress waits for the controller (its webhook fails closed) and for the tenant\'s IngressClass', () => {
    const controller = helmRelease(run, 'aws-load-balancer-controller');
    const ingresses = objectsOfKind(run, 'Ingress');
    expect(ingresses.map(objectName)).toEqual(['search/sample-web']);
    const classes = objectsOfKind(run, 'IngressClass');
    expect(classes.map(objectName)).toContain('alb-internal-search');
    expect(missingDependencies(ingresses[0], [controller, ...classes])).toEqual([]);
  });
});

/**
 * The AWS side of tenant ingress: the AWS Load Balancer Controller's and external-dns' roles (EKS
 * Pod Identity), one DNS-validated ACM certificate per platform domain, and notification before any
 * of them expires.
 *
 * Certificates. The controller attaches certificates by host: it lists the ISSUED ACM certificates of
 * its region and picks every one with a name matching an Ingress' TLS host (kubernetes-sigs/
 * aws-load-balancer-controller v3.5.0, docs/guide/ingress/cert_discovery.md, pkg/certs/cert_discovery.go),
 * so no Ingress names an ARN. One certificate per platform domain and one per tenant domain, each for
 * `<domain>` and `*.<domain>` (model/ingress.ts ingressCertificates: a tenant change never replaces a
 * certificate in use); the stack writes each one's validation CNAME into the platform domain's hosted
 * zone and waits for issuance. ACM renews DNS-validated certificates itself while those records stay.
 *
 * Expiry. ACM publishes "ACM Certificate Approaching Expiration" to EventBridge daily from 45 days
 * before expiry, and "ACM Certificate Expired" (AWS Certificate Manager user guide, "Amazon
 * EventBridge support for ACM"). ACM starts renewing 60 days before expiry, so for these certificates
 * any such event means renewal is stuck. A rule for this stack's certificates forwards them, with the
 * runbook link, to a KMS-encrypted SNS topic (EventBridge cannot publish to a topic encrypted with the
 * AWS-managed SNS key, hence a customer-managed key that allows it).
 */
import * as acm from '@pulumi/aws/acm';
import * as cloudwatch from '@pulumi/aws/cloudwatch';
import * as kms from '@pulumi/aws/kms';
import * as route53 from '@pulumi/aws/route53';
import * as sns from '@pulumi/aws/sns';
import * as pulumi from '@pulumi/pulumi';
import { RUNBOOK_BASE_URL } from '../charts';
import { createWorkloadRole, type ClusterIdentityContext, type WorkloadRole } from './identity';
import { certificateNames, ingressCertificates } from '../model/ingress';
import { alertsKeyPolicy, alertsTopicPolicy, externalDnsPolicy, loadBalancerControllerPolicy } from './ingress-policies';
import { eventRuleName } from '../model/names';
import { withName } from '../model/tags';
import { childOptions } from './component';

/** The ACM events that mean a certificate is not being renewed in time. */
export const CERTIFICATE_EXPIRY_EVENTS = ['ACM Certificate Approaching Expiration', 'ACM Certificate Expired'] as const;
export const CERTIFICATE_EXPIRY_RUNBOOK = 'acm-certificate-expiring';

/** How long ACM validation CNAMEs are cached. */
export const VALIDATION_RECORD_TTL = 300;

export interface IngressArgs {
  /** The cluster and its config (the add-ons' roles bind to it). */
  readonly identity: ClusterIdentityContext;
  /** The cluster's VPC: the controller may change security group rules there only. */
  readonly vpcId: pulumi.Input<string>;
}

export class Ingress extends pulumi.ComponentResource {
  readonly controller: WorkloadRole;
  readonly externalDns: WorkloadRole;
  /** Certificate ARN per domain (platform domains and tenant domains). */
  readonly certificateArns: Readonly<Record<string, pulumi.Output<string>>>;
  /** Resolve once every certificate is issued. */
  readonly certificatesIssued: pulumi.Resource[];
  readonly alertsTopicArn: pulumi.Output<string>;

  constructor(name: string, args: IngressArgs, opts?: pulumi.ComponentResourceOptions) {
    super('platform:ingress:Ingress', name, {}, opts);
    const { config, account } = args.identity;
    const ingress = config.ingress;
    if (!ingress) throw new Error('Ingress needs platform:ingress (config validation requires it with addons.ingress)');
    const cluster = config.clusterName;
    const child = childOptions(this, name === 'ingress');

    this.controller = createWorkloadRole(
      `${name}-lb-controller`,
      args.identity,
      {
        component: 'lb-controller',
        inlinePolicies: { 'load-balancer-controller': pulumi.output(args.vpcId).apply((vpcId) => loadBalancerControllerPolicy({ account, clusterName: cluster, vpcId })) },
      },
      child,
      'lb-controller',
    );
    this.externalDns = createWorkloadRole(
      `${name}-external-dns`,
      args.identity,
      {
        component: 'external-dns',
        inlinePolicies: { 'platform-zones': externalDnsPolicy(account.partition, ingress.domains.map((d) => d.hostedZoneId)) },
      },
      child,
      'external-dns',
    );

    const certificateArns: Record<string, pulumi.Output<string>> = {};
    this.certificatesIssued = [];
    for (const { domain, hostedZoneId, tenant } of ingressCertificates(config)) {
      const names = certificateNames(domain);
      const certificate = new acm.Certificate(
        `${name}-certificate-${domain}`,
        {
          domainName: names[0],
          subjectAlternativeNames: names.slice(1),
          validationMethod: 'DNS',
          keyAlgorithm: 'RSA_2048',
          options: { certificateTransparencyLoggingPreference: 'ENABLED' },
          tags: withName(config, domain, { 'platform:domain': domain, ...(tenant ? { 'platform:tenant': tenant } : {}) }),
        },
        child(`certificate-${domain}`),
      );
      // ACM asks for one CNAME for `<domain>` and `*.<domain>` alike: one record proves both.
      const option = certificate.domainValidationOptions.apply((options) => {
        const found = options.find((o) => o.domainName === domain);
        if (!found) throw new Error(`ACM returned no DNS validation option for ${domain}`);
        return found;
      });
      const record = new route53.Record(
        `${name}-certificate-validation-${domain}`,
        { zoneId: hostedZoneId, name: option.resourceRecordName, type: option.resourceRecordType, records: [option.resourceRecordValue], ttl: VALIDATION_RECORD_TTL },
        child(`certificate-validation-${domain}`),
      );
      const validation = new acm.CertificateValidation(
        `${name}-certificate-${domain}`,
        { certificateArn: certificate.arn, validationRecordFqdns: [record.fqdn] },
        child(`certificate-${domain}`),
      );
      certificateArns[domain] = validation.certificateArn;
      this.certificatesIssued.push(validation);
    }
    this.certificateArns = certificateArns;

    const alertsKey = new kms.Key(
      `${name}-alerts-key`,
      {
        description: `Platform alert notifications of ${cluster} (SNS)`,
        enableKeyRotation: true,
        deletionWindowInDays: 30,
        policy: JSON.stringify(alertsKeyPolicy(account)),
        tags: withName(config, `${cluster}-alerts`),
      },
      child('alerts-key'),
    );
    new kms.Alias(`${name}-alerts-key`, { name: `alias/${cluster}/alerts`, targetKeyId: alertsKey.keyId }, child('alerts-key'));
    const topic = new sns.Topic(`${name}-alerts`, { name: `${cluster}-platform-alerts`, kmsMasterKeyId: alertsKey.arn, tags: withName(config, `${cluster}-platform-alerts`) }, child('alerts'));
    this.alertsTopicArn = topic.arn;
    const ruleName = eventRuleName(cluster, 'certificate-expiry');
    const rule = new cloudwatch.EventRule(
      `${name}-certificate-expiry`,
      {
        name: ruleName,
        description: `ACM certificates of ${cluster} close to expiry or expired (renewal is failing)`,
        eventPattern: pulumi
          .all(Object.values(certificateArns))
          .apply((arns) => JSON.stringify({ source: ['aws.acm'], 'detail-type': [...CERTIFICATE_EXPIRY_EVENTS], resources: [...arns].sort() })),
        tags: withName(config, ruleName),
      },
      child('certificate-expiry'),
    );
    new sns.TopicPolicy(
      `${name}-alerts`,
      { arn: topic.arn, policy: pulumi.all([topic.arn, rule.arn]).apply(([topicArn, ruleArn]) => JSON.stringify(alertsTopicPolicy(topicArn, ruleArn))) },
      child('alerts'),
    );
    new cloudwatch.EventTarget(
      `${name}-certificate-expiry`,
      {
        rule: rule.name,
        targetId: 'PlatformAlertsTopic',
        arn: topic.arn,
        inputTransformer: {
          inputPaths: { event: '$.detail-type', certificate: '$.resources[0]', name: '$.detail.CommonName', days: '$.detail.DaysToExpiry' },
          inputTemplate: `"${cluster}: <event>: <name> (<certificate>), <days> days left. Runbook: ${RUNBOOK_BASE_URL}/${CERTIFICATE_EXPIRY_RUNBOOK}.md"`,
        },
      },
      child('certificate-expiry'),
    );
    ingress.alertEmails.forEach(
      (email, i) => new sns.TopicSubscription(`${name}-alerts-email-${i}`, { topic: topic.arn, protocol: 'email', endpoint: email }, child(`alerts-email-${i}`)),
    );

    this.registerOutputs({ certificateArns: this.certificateArns, alertsTopicArn: this.alertsTopicArn, controllerRoleArn: this.controller.roleArn, externalDnsRoleArn: this.externalDns.roleArn });
  }
}

/**
 * Every values key the platform sets exists in its pinned chart: each release's values against the keys
 * recorded in its chart's model (test/charts/upstream, read off the chart's values.yaml and templates at
 * the pinned tag), so a misspelled or invented key fails here instead of being ignored by Helm.
 */
import * as path from 'node:path';
import { type PlatformConfig } from '../../model/config';
import { readStackConfigFile } from '../../lib/config/load';
import { REPO_ROOT } from '../../lib/stack';
import { HELM_RELEASES, placeholderInputs } from '../../charts';
import { CHART_MODELS } from './upstream';
import { leafPaths, unknownKeys } from './upstream/values-keys';
import { LOAD_BALANCER_CONTROLLER_VALUES_KEYS } from './upstream/aws-load-balancer-controller';
import { EXTERNAL_DNS_VALUES_KEYS } from './upstream/external-dns';
import { KARPENTER_VALUES_KEYS } from './upstream/karpenter';
import { X509_EXPORTER_VALUES_KEYS } from './upstream/x509-certificate-exporter';

const configs: Record<'dev' | 'prod', PlatformConfig> = {
  dev: readStackConfigFile(path.join(REPO_ROOT, 'Pulumi.dev.yaml')),
  prod: readStackConfigFile(path.join(REPO_ROOT, 'Pulumi.prod.yaml')),
};

function valuesOf(stack: 'dev' | 'prod', release: string): Record<string, unknown> {
  const r = HELM_RELEASES.find((x) => x.name === release);
  if (!r) throw new Error(`no release ${release}`);
  return r.values(configs[stack], placeholderInputs(configs[stack]));
}

describe('values keys exist in the pinned charts', () => {
  test('GIVEN the Helm releases THEN each has a chart model, read at its pinned version, with recorded keys', () => {
    expect(Object.keys(CHART_MODELS).sort()).toEqual(HELM_RELEASES.map((r) => r.name).sort());
    for (const r of HELM_RELEASES) {
      const model = CHART_MODELS[r.name];
      expect({ release: r.name, version: model.version, cited: model.valuesKeys.source.startsWith(model.readAt) }).toEqual({ release: r.name, version: r.pin.version, cited: true });
    }
  });

  test.each(HELM_RELEASES.flatMap((r) => (['dev', 'prod'] as const).map((stack) => [stack, r.name] as const)))(
    'GIVEN the %s stack WHEN the %s values are built THEN every key path is one of the chart\'s',
    (stack, release) => {
      const values = valuesOf(stack, release);
      expect(leafPaths(values).length).toBeGreaterThan(5);
      expect(unknownKeys(values, CHART_MODELS[release].valuesKeys)).toEqual([]);
    },
  );

  test('GIVEN a misspelled or invented key WHEN checked THEN it is reported, also under a known map', () => {
    const values = { ...valuesOf('prod', 'aws-load-balancer-controller'), securtyContext: { runAsNonRoot: true }, serviceAccount: { create: false, nmae: 'x' } };
    expect(unknownKeys(values, LOAD_BALANCER_CONTROLLER_VALUES_KEYS)).toEqual(['serviceAccount.nmae', 'securtyContext.runAsNonRoot']);
    // Keys below a verbatim subtree pass: the chart renders them as written.
    expect(unknownKeys({ securityContext: { seccompProfile: { type: 'RuntimeDefault' } } }, LOAD_BALANCER_CONTROLLER_VALUES_KEYS)).toEqual([]);
    // Charts recorded only as far as the platform sets them catch a typo the same way.
    expect(unknownKeys({ ...valuesOf('prod', 'karpenter'), controler: { resources: {} } }, KARPENTER_VALUES_KEYS)).toEqual(['controler.resources']);
  });

  test('GIVEN the charts recorded whole THEN they hold the keys the values rely on (a wrong recording would pass everything)', () => {
    expect(LOAD_BALANCER_CONTROLLER_VALUES_KEYS.keys).toEqual(expect.arrayContaining(['clusterName', 'region', 'vpcTags', 'defaultSSLPolicy', 'disableIngressClassAnnotation', 'enableWafv2', 'ingressClassParams.create']));
    expect(LOAD_BALANCER_CONTROLLER_VALUES_KEYS.keys).not.toContain('vpcId.value');
    expect(EXTERNAL_DNS_VALUES_KEYS.keys).toEqual(expect.arrayContaining(['txtOwnerId', 'domainFilters', 'policy', 'registry', 'provider.name', 'extraArgs']));
    expect(X509_EXPORTER_VALUES_KEYS.keys).toEqual(expect.arrayContaining(['secretsExporter.includeNamespaces', 'prometheusRules.create', 'prometheusServiceMonitor.create']));
    // Every key of each values.yaml, maps and leaves: 169, 159 and 287.
    expect(LOAD_BALANCER_CONTROLLER_VALUES_KEYS.keys).toHaveLength(169);
    expect(EXTERNAL_DNS_VALUES_KEYS.keys).toHaveLength(159);
    expect(X509_EXPORTER_VALUES_KEYS.keys).toHaveLength(287);
  });
});

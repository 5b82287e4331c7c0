import * as path from 'node:path';
import { App, Chart, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { ConstructError, ExternalSecret, HardenedDeployment, PLATFORM_SECRET_STORE, ServiceMonitor, type ExternalSecretProps } from '@eks-platform-blueprint/constructs';
import { readStackConfigFile } from '../../lib/config/load';
import { REPO_ROOT } from '../../lib/stack';
import { placeholderInputs } from '../../charts';
import { ExternalSecretsChart } from '../../charts/external-secrets/chart';
import { container, find, synth, testApp } from './fixtures';

describe('ExternalSecret', () => {
  test('GIVEN only a remote key WHEN synthesized THEN the whole entry is extracted through the platform ClusterSecretStore into a Secret of the same name', () => {
    const [es] = synth((c) => new ExternalSecret(c, 'db', { remoteKey: 'prod/payments/db' }));
    expect(es).toEqual({
      apiVersion: 'external-secrets.io/v1',
      kind: 'ExternalSecret',
      metadata: { name: 'db', namespace: 'payments' },
      spec: {
        refreshInterval: '1h',
        secretStoreRef: { kind: 'ClusterSecretStore', name: 'aws-secrets-manager' },
        target: { name: 'db', creationPolicy: 'Owner' },
        dataFrom: [{ extract: { key: 'prod/payments/db' } }],
      },
    });
  });

  test('GIVEN keys and a team SecretStore WHEN synthesized THEN only those properties land in the Secret, in key order', () => {
    const [es] = synth((c) => new ExternalSecret(c, 'db', { remoteKey: 'prod/payments/db', keys: { DB_USER: 'username', DB_PASSWORD: 'password' }, store: { kind: 'SecretStore', name: 'payments-secrets' }, refreshInterval: '15m' }));
    expect(es.spec).toEqual({
      refreshInterval: '15m',
      secretStoreRef: { kind: 'SecretStore', name: 'payments-secrets' },
      target: { name: 'db', creationPolicy: 'Owner' },
      data: [
        { secretKey: 'DB_PASSWORD', remoteRef: { key: 'prod/payments/db', property: 'password' } },
        { secretKey: 'DB_USER', remoteRef: { key: 'prod/payments/db', property: 'username' } },
      ],
    });
  });

  test('GIVEN the platform stack WHEN its External Secrets chart is synthesized THEN the default store is the ClusterSecretStore that chart creates', () => {
    const config = readStackConfigFile(path.join(REPO_ROOT, 'Pulumi.prod.yaml'));
    const chart = new ExternalSecretsChart(new App(), 'external-secrets', { config, inputs: placeholderInputs(config) });
    const stores = (Testing.synth(chart) as { kind: string; metadata: { name: string } }[]).filter((o) => o.kind === 'ClusterSecretStore');
    expect(stores).toHaveLength(1);
    const [es] = synth((c) => new ExternalSecret(c, 'db', { remoteKey: 'prod/payments/db' }));
    expect(es.spec.secretStoreRef).toEqual({ kind: 'ClusterSecretStore', name: stores[0].metadata.name });
    expect(PLATFORM_SECRET_STORE).toBe(stores[0].metadata.name);
  });

  test.each<[Partial<ExternalSecretProps>, string]>([
    [{ remoteKey: '' }, 'ExternalSecret payments/db: remoteKey must name a Secrets Manager entry, e.g. prod/payments/db (got "")'],
    [{ keys: {} }, 'keys must map at least one Secret key to a property (leave it out to copy every property)'],
    [{ keys: { 'DB PASSWORD': 'password' } }, 'keys has an invalid Secret key "DB PASSWORD" (letters, digits, -, _ and .)'],
    [{ refreshInterval: 'hourly' }, 'refreshInterval must be a Go duration like 1h or 15m (got "hourly")'],
    [{ store: { name: 'Bad_Store' } }, 'store.name must be a DNS subdomain'],
  ])('GIVEN %j WHEN constructed THEN a ConstructError names the prop and value', (override, message) => {
    const chart = new Chart(testApp(), 'test', { namespace: 'payments' });
    expect(() => new ExternalSecret(chart, 'db', { remoteKey: 'prod/payments/db', ...override })).toThrow(ConstructError);
    expect(() => new ExternalSecret(new Chart(testApp(), 'test', { namespace: 'payments' }), 'db', { remoteKey: 'prod/payments/db', ...override })).toThrow(message);
  });

  test('GIVEN listed keys WHEN an env value asks for another THEN the error names the keys the Secret holds', () => {
    const chart = new Chart(testApp(), 'test', { namespace: 'payments' });
    const db = new ExternalSecret(chart, 'db', { remoteKey: 'prod/payments/db', keys: { DB_PASSWORD: 'password' } });
    expect(() => db.envValue('DB_USER')).toThrow('ExternalSecret payments/db: envValue("DB_USER"): the Secret holds only DB_PASSWORD (add the key to keys)');
    expect(db.secret.name).toBe('db');
  });
});

describe('ServiceMonitor', () => {
  test('GIVEN the Service of a hardened workload WHEN synthesized THEN Prometheus scrapes its named metrics port in the app namespace', () => {
    const objects = synth((c) => {
      const api = new HardenedDeployment(c, 'api', { replicas: 1, containers: [{ ...container, ports: [{ name: 'http', number: 8080 }, { name: 'metrics', number: 9090 }] }] });
      new ServiceMonitor(c, 'api-metrics', { service: api.exposeViaService() });
    });
    expect(find(objects, 'ServiceMonitor')).toEqual({
      apiVersion: 'monitoring.coreos.com/v1',
      kind: 'ServiceMonitor',
      metadata: { name: 'api-metrics', namespace: 'payments' },
      spec: { selector: { matchLabels: { 'app.kubernetes.io/name': 'api' } }, endpoints: [{ port: 'metrics', path: '/metrics', interval: '30s', scheme: 'http' }] },
    });
  });

  test('GIVEN a plain kplus.Service without labels WHEN monitored THEN the Service gets the name label the monitor selects', () => {
    const objects = synth((c) => {
      const service = new kplus.Service(c, 'svc', { metadata: { name: 'legacy' }, ports: [{ name: 'prom', port: 9102 }] });
      new ServiceMonitor(c, 'legacy', { service, port: 'prom', path: '/stats/prometheus', interval: '1m' });
    });
    expect(find(objects, 'Service').metadata.labels).toEqual({ 'app.kubernetes.io/name': 'legacy' });
    expect(find(objects, 'ServiceMonitor').spec).toEqual({ selector: { matchLabels: { 'app.kubernetes.io/name': 'legacy' } }, endpoints: [{ port: 'prom', path: '/stats/prometheus', interval: '1m', scheme: 'http' }] });
  });

  test('GIVEN a port the Service does not name, or a bad interval WHEN constructed THEN a ConstructError names it', () => {
    const chart = new Chart(testApp(), 'test', { namespace: 'payments' });
    const service = new kplus.Service(chart, 'svc', { metadata: { name: 'api' }, ports: [{ name: 'http', port: 8080 }] });
    expect(() => new ServiceMonitor(chart, 'm1', { service, port: 'metrics' })).toThrow('ServiceMonitor payments/m1: port must name a port of Service api (got "metrics"; its named ports: http)');
    expect(() => new ServiceMonitor(chart, 'm2', { service, port: 'http', interval: '30 seconds' })).toThrow('ServiceMonitor payments/m2: interval must be a Prometheus duration like 30s or 1m (got "30 seconds")');
  });
});

/**
 * ExternalSecret (external-secrets.io/v1), as served by External Secrets Operator v0.20.4
 * (external-secrets/external-secrets, tag v0.20.4, config/crds/bases/external-secrets.io_externalsecrets.yaml):
 * `secretStoreRef.kind` is SecretStore or ClusterSecretStore; `data[]` maps a `secretKey` to a
 * `remoteRef` (`key`, optional `property` of a JSON entry); `dataFrom[].extract.key` copies every
 * property of a JSON entry; `target.name` defaults to the ExternalSecret's name; `creationPolicy`
 * Owner makes the Secret owned by (and deleted with) the ExternalSecret; `refreshInterval` is a Go duration.
 */
import { ApiObject } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import type { Construct } from 'constructs';
import { namespacedChecker, show, type PropChecker } from './internal/validation';

/**
 * Name of the ClusterSecretStore the platform creates for AWS Secrets Manager (charts/external-secrets
 * in the platform repository; a test there keeps the two equal).
 */
export const PLATFORM_SECRET_STORE = 'aws-secrets-manager';

export interface SecretStoreRef {
  readonly name: string;
  /** @default ClusterSecretStore */
  readonly kind?: 'ClusterSecretStore' | 'SecretStore';
}

export interface ExternalSecretProps {
  /** @default the enclosing Chart's namespace (one of the two is required) */
  readonly namespace?: string;
  /** Name of the ExternalSecret and of the Kubernetes Secret it writes. @default the construct id */
  readonly name?: string;
  /** Name of the Secrets Manager entry, e.g. `prod/payments/db`. */
  readonly remoteKey: string;
  /**
   * Secret keys to fill from properties of the entry's JSON, as `{ <secret key>: <property> }`,
   * e.g. `{ DB_PASSWORD: 'password' }`. Only what the app needs lands in the cluster.
   * @default every property of the entry becomes a key of the Secret
   */
  readonly keys?: Readonly<Record<string, string>>;
  /** How often the Secret is refreshed from Secrets Manager (a Go duration). @default 1h */
  readonly refreshInterval?: string;
  /**
   * The store to read through. The platform's ClusterSecretStore accepts ExternalSecrets only from
   * the namespaces its `conditions` list; a team's own SecretStore goes here as `{ kind: 'SecretStore', name }`.
   * @default { kind: 'ClusterSecretStore', name: 'aws-secrets-manager' } (the platform's store)
   */
  readonly store?: SecretStoreRef;
  /** @default none */
  readonly labels?: Readonly<Record<string, string>>;
}

const SECRET_KEY = /^[-._a-zA-Z0-9]{1,253}$/;
const GO_DURATION = /^(0|(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+)$/;

/**
 * Turns a Secrets Manager entry into a Kubernetes Secret through External Secrets Operator. The
 * Secret it writes is `secret`, a cdk8s-plus `ISecret`: use it with `kplus.Env.fromSecret`,
 * `envValue(key)` or `kplus.Volume.fromSecret` like any other Secret; no value ever appears in the
 * synthesized manifests.
 */
export class ExternalSecret extends ApiObject {
  /** The Kubernetes Secret External Secrets writes (named like this ExternalSecret). */
  readonly secret: kplus.ISecret;
  readonly store: Required<SecretStoreRef>;
  private readonly check: PropChecker;
  private readonly secretKeys?: readonly string[];

  constructor(scope: Construct, id: string, props: ExternalSecretProps) {
    const name = props.name ?? id;
    const { check, namespace } = namespacedChecker('ExternalSecret', scope, name, props.namespace);
    check.dnsSubdomain('name', name);
    if (typeof props.remoteKey !== 'string' || props.remoteKey.trim() === '' || props.remoteKey !== props.remoteKey.trim()) {
      check.fail(`remoteKey must name a Secrets Manager entry, e.g. prod/payments/db (got ${show(props.remoteKey)})`);
    }
    const keys = props.keys === undefined ? undefined : Object.entries(props.keys);
    if (keys !== undefined && keys.length === 0) check.fail('keys must map at least one Secret key to a property (leave it out to copy every property)');
    for (const [key, property] of keys ?? []) {
      if (!SECRET_KEY.test(key)) check.fail(`keys has an invalid Secret key ${JSON.stringify(key)} (letters, digits, -, _ and .)`);
      if (typeof property !== 'string' || property === '') check.fail(`keys.${key} must name a property of the entry's JSON (got ${show(property)})`);
    }
    const refreshInterval = props.refreshInterval ?? '1h';
    if (!GO_DURATION.test(refreshInterval)) check.fail(`refreshInterval must be a Go duration like 1h or 15m (got ${JSON.stringify(refreshInterval)})`);
    const store = { name: props.store?.name ?? PLATFORM_SECRET_STORE, kind: props.store?.kind ?? 'ClusterSecretStore' } as const;
    check.dnsSubdomain('store.name', store.name);
    if (store.kind !== 'ClusterSecretStore' && store.kind !== 'SecretStore') check.fail(`store.kind must be ClusterSecretStore or SecretStore (got ${JSON.stringify(store.kind)})`);

    super(scope, id, {
      apiVersion: 'external-secrets.io/v1',
      kind: 'ExternalSecret',
      metadata: { name, namespace, ...(props.labels ? { labels: { ...props.labels } } : {}) },
      spec: {
        refreshInterval,
        secretStoreRef: { ...store },
        target: { name, creationPolicy: 'Owner' },
        ...(keys !== undefined
          ? { data: keys.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([secretKey, property]) => ({ secretKey, remoteRef: { key: props.remoteKey, property } })) }
          : { dataFrom: [{ extract: { key: props.remoteKey } }] }),
      },
    });
    this.store = store;
    this.check = check;
    if (keys !== undefined) this.secretKeys = keys.map(([key]) => key);
    this.secret = kplus.Secret.fromSecretName(this, 'secret', name);
  }

  /** An environment variable value read from one key of the Secret (one of `keys`, when they are listed). */
  envValue(key: string, options?: kplus.EnvValueFromSecretOptions): kplus.EnvValue {
    if (this.secretKeys && !this.secretKeys.includes(key)) this.check.fail(`envValue(${JSON.stringify(key)}): the Secret holds only ${this.secretKeys.join(', ')} (add the key to keys)`);
    return this.secret.envValue(key, options);
  }
}

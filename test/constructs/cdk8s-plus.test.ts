import { Chart, Size, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import {
  AllowNetworkPolicy,
  ConstructError,
  ExternalSecret,
  HardenedDeployment,
  HardenedStatefulSet,
  NetworkPeers,
  NetworkPorts,
  WorkloadServiceAccount,
} from '@eks-platform-blueprint/constructs';
import { container, expectRestrictedPod, find, podSpecOf, synth, HARDENED_CONTAINER_CONTEXT, testApp } from './fixtures';

const NAME = (name: string) => ({ 'app.kubernetes.io/name': name });

describe('GIVEN cdk8s-plus ConfigMaps, Secrets and volumes', () => {
  test('WHEN a hardened container takes env from them, whole and per key THEN the pod references them by name and stays hardened', () => {
    const [, , deployment] = synth((c) => {
      const config = new kplus.ConfigMap(c, 'config', { metadata: { name: 'api-config' }, data: { LOG_LEVEL: 'info', REGION: 'eu-west-1' } });
      const db = new ExternalSecret(c, 'db', { remoteKey: 'prod/payments/db', keys: { DB_PASSWORD: 'password', DB_USER: 'username' } });
      const token = kplus.Secret.fromSecretName(c, 'token', 'api-token');
      new HardenedDeployment(c, 'api', {
        replicas: 1,
        containers: [
          {
            ...container,
            envFrom: [kplus.Env.fromConfigMap(config, 'CFG_'), kplus.Env.fromSecret(db.secret)],
            envVariables: {
              LOG_LEVEL: kplus.EnvValue.fromConfigMap(config, 'LOG_LEVEL'),
              DB_PASSWORD: db.envValue('DB_PASSWORD'),
              TOKEN: kplus.EnvValue.fromSecretValue({ secret: token, key: 'token' }),
              MODE: kplus.EnvValue.fromValue('live'),
            },
          },
        ],
      });
    });
    expect(deployment.kind).toBe('Deployment');
    const app = podSpecOf(deployment).containers[0];
    expect(app.envFrom).toEqual([{ configMapRef: { name: 'api-config' }, prefix: 'CFG_' }, { secretRef: { name: 'db' } }]);
    expect(app.env).toEqual([
      { name: 'LOG_LEVEL', valueFrom: { configMapKeyRef: { name: 'api-config', key: 'LOG_LEVEL' } } },
      { name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'db', key: 'DB_PASSWORD' } } },
      { name: 'TOKEN', valueFrom: { secretKeyRef: { name: 'api-token', key: 'token' } } },
      { name: 'MODE', value: 'live' },
    ]);
    expectRestrictedPod(podSpecOf(deployment));
  });

  test('WHEN ConfigMap, Secret, PVC and emptyDir volumes are mounted, at construction and afterwards THEN the pod carries each volume once', () => {
    let deployment: HardenedDeployment | undefined;
    const objects = synth((c) => {
      const config = new kplus.ConfigMap(c, 'config', { metadata: { name: 'api-config' }, data: { 'app.yaml': 'a: 1' } });
      const claim = new kplus.PersistentVolumeClaim(c, 'cache-claim', { metadata: { name: 'api-cache' }, storage: Size.gibibytes(5), storageClassName: 'gp3', accessModes: [kplus.PersistentVolumeAccessMode.READ_WRITE_ONCE] });
      const configVolume = kplus.Volume.fromConfigMap(c, 'config-volume', config);
      deployment = new HardenedDeployment(c, 'api', {
        replicas: 1,
        containers: [{ ...container, volumeMounts: [{ path: '/etc/api', volume: configVolume, readOnly: true }] }],
      });
      const app = deployment.containers[0];
      app.mount('/var/cache/api', kplus.Volume.fromPersistentVolumeClaim(c, 'cache', claim));
      app.mount('/etc/tls', kplus.Volume.fromSecret(c, 'tls', kplus.Secret.fromSecretName(c, 'tls-secret', 'api-tls'), { defaultMode: 0o400 }));
      app.mount('/scratch', kplus.Volume.fromEmptyDir(c, 'scratch', 'scratch', { sizeLimit: Size.mebibytes(64) }));
    });
    const pod = podSpecOf(find(objects, 'Deployment'));
    expect(pod.volumes).toEqual([
      { name: 'configmap-api-config', configMap: { name: 'api-config' } },
      { name: 'pvc-api-cache', persistentVolumeClaim: { claimName: 'api-cache', readOnly: false } },
      { name: 'secret-api-tls', secret: { secretName: 'api-tls', defaultMode: 0o400 } },
      { name: 'scratch', emptyDir: { sizeLimit: '64Mi' } },
    ]);
    expect(pod.containers[0].volumeMounts.map((m: { mountPath: string }) => m.mountPath)).toEqual(['/etc/api', '/var/cache/api', '/etc/tls', '/scratch']);
    expect(find(objects, 'PersistentVolumeClaim').spec).toMatchObject({ storageClassName: 'gp3', resources: { requests: { storage: '5Gi' } } });
    expectRestrictedPod(pod);
  });

  test('WHEN a hostPath volume is mounted THEN synthesis stops with the ConstructError naming the volume (cdk8s prefixes the object path)', () => {
    const chart = new Chart(testApp(), 'test', { namespace: 'payments' });
    const deployment = new HardenedDeployment(chart, 'api', { replicas: 1, containers: [container] });
    deployment.containers[0].mount('/host', kplus.Volume.fromHostPath(chart, 'host', 'host', { path: '/var/run' }));
    expect(() => Testing.synth(chart)).toThrow(
      `Failed serializing construct at path 'test/api/Resource' with name 'api': ConstructError: HardenedDeployment payments/api: volume "host" is of type hostPath, which the restricted Pod Security Standard forbids (allowed: configMap, csi, downwardAPI, emptyDir, ephemeral, persistentVolumeClaim, projected, secret)`,
    );
  });
});

describe('GIVEN init containers and native sidecars', () => {
  test('WHEN given as props THEN sidecars come first with restartPolicy Always, init containers after without it, all hardened', () => {
    const [deployment] = synth((c) => {
      new HardenedDeployment(c, 'api', {
        replicas: 1,
        initContainers: [{ ...container, image: 'public.ecr.aws/example/migrate:3.0.0' }],
        sidecars: [{ ...container, image: 'public.ecr.aws/example/proxy:2.0.0', readiness: kplus.Probe.fromTcpSocket({ port: 15000 }) }],
        containers: [container],
      });
    });
    const pod = podSpecOf(deployment);
    expect(pod.initContainers.map((c: { name: string; restartPolicy?: string }) => [c.name, c.restartPolicy])).toEqual([
      ['sidecar-0', 'Always'],
      ['init-0', undefined],
    ]);
    expect(pod.initContainers[0].readinessProbe.tcpSocket.port).toBe(15000);
    expectRestrictedPod(pod);
  });

  test('WHEN containers are added the cdk8s-plus way after construction THEN they get the same hardening and checks', () => {
    let deployment: HardenedDeployment | undefined;
    const [d] = synth((c) => {
      deployment = new HardenedDeployment(c, 'api', { replicas: 1, writableTmp: true, containers: [container] });
      deployment.addContainer({ ...container, image: 'public.ecr.aws/example/exporter:0.15.0', ports: [{ name: 'metrics', number: 9100 }] });
      deployment.addInitContainer({ ...container, name: 'log-shipper', image: 'public.ecr.aws/example/shipper:1.2.0', restartPolicy: kplus.ContainerRestartPolicy.ALWAYS });
    });
    const pod = podSpecOf(d);
    expect(pod.containers.map((c: { name: string }) => c.name)).toEqual(['app', 'container-1']);
    expect(pod.initContainers.map((c: { name: string; restartPolicy: string }) => [c.name, c.restartPolicy])).toEqual([['log-shipper', 'Always']]);
    for (const c of [...pod.containers, ...pod.initContainers]) {
      expect(c.securityContext).toEqual(HARDENED_CONTAINER_CONTEXT);
      expect(c.volumeMounts).toEqual([{ name: 'tmp', mountPath: '/tmp' }]);
    }
    expect(() => deployment?.addContainer({ image: 'public.ecr.aws/example/debug:latest', resources: container.resources })).toThrow(
      'HardenedDeployment payments/api: containers[2].image must not use the mutable tag latest',
    );
  });

  test('WHEN a raw cdk8s-plus Container is attached THEN synthesis stops with a ConstructError saying how to add it', () => {
    const chart = new Chart(testApp(), 'test', { namespace: 'payments' });
    const deployment = new HardenedDeployment(chart, 'api', { replicas: 1, containers: [container] });
    deployment.attachContainer(new kplus.Container({ name: 'sneaky', image: 'public.ecr.aws/example/tool:1.0.0' }));
    expect(() => Testing.synth(chart)).toThrow(
      'HardenedDeployment payments/api: container "sneaky" must drop ALL capabilities; containers attached with attachContainer() or changed after they were added do not get the hardened defaults: add them with addContainer() / addInitContainer()',
    );
  });
});

describe('GIVEN cdk8s-plus Services, NetworkPolicies and RoleBindings', () => {
  test('WHEN exposeViaService is called THEN a ClusterIP Service named after the workload selects it by name and carries its labels', () => {
    const objects = synth((c) => {
      const api = new HardenedDeployment(c, 'api', { replicas: 1, labels: { team: 'payments' }, containers: [{ ...container, ports: [{ name: 'http', number: 8080 }, { name: 'metrics', number: 9090 }] }] });
      api.exposeViaService();
    });
    const service = find(objects, 'Service');
    expect(service.metadata).toEqual({ name: 'api', namespace: 'payments', labels: { team: 'payments', ...NAME('api') } });
    expect(service.spec).toMatchObject({
      type: 'ClusterIP',
      selector: NAME('api'),
      ports: [
        { name: 'http', port: 8080, targetPort: 8080 },
        { name: 'metrics', port: 9090, targetPort: 9090 },
      ],
    });
  });

  test('WHEN exposeViaService asks for a NodePort or has no port THEN a ConstructError says what to do', () => {
    const chart = new Chart(testApp(), 'test', { namespace: 'payments' });
    const api = new HardenedDeployment(chart, 'api', { replicas: 1, containers: [container] });
    expect(() => api.exposeViaService({ serviceType: kplus.ServiceType.LOAD_BALANCER })).toThrow(ConstructError);
    expect(() => api.exposeViaService({ ports: [{ port: 80 }], serviceType: kplus.ServiceType.NODE_PORT })).toThrow(
      'HardenedDeployment payments/api: exposeViaService serviceType must be ClusterIP (got NodePort): expose the app through an Ingress',
    );
    expect(() => api.exposeViaService()).toThrow('HardenedDeployment payments/api: exposeViaService needs ports');
  });

  test('WHEN a kplus.Service, kplus.NetworkPolicy or connections.allowFrom target hardened workloads THEN they select by the name label, never the construct path', () => {
    const objects = synth((c) => {
      const api = new HardenedDeployment(c, 'api', { replicas: 1, containers: [{ ...container, ports: [{ name: 'http', number: 8080 }] }] });
      const worker = new HardenedDeployment(c, 'worker', { replicas: 1, containers: [container] });
      const db = new HardenedStatefulSet(c, 'db', { replicas: 1, containers: [{ ...container, ports: [{ name: 'pg', number: 5432 }] }] });
      new kplus.Service(c, 'svc', { metadata: { name: 'api-internal' }, selector: api, ports: [{ port: 80, targetPort: 8080 }] });
      new kplus.NetworkPolicy(c, 'np', { metadata: { name: 'worker-to-api' }, selector: api, ingress: { rules: [{ peer: worker, ports: [kplus.NetworkPolicyPort.tcp(8080)] }] } });
      db.connections.allowFrom(api, { ports: [kplus.NetworkPolicyPort.tcp(5432)] });
    });
    expect(find(objects, 'Service', 'api-internal').spec.selector).toEqual(NAME('api'));
    const np = find(objects, 'NetworkPolicy', 'worker-to-api');
    expect(np.spec.podSelector).toEqual({ matchLabels: NAME('api') });
    expect(np.spec.ingress[0].from).toEqual([{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'payments' } }, podSelector: { matchLabels: NAME('worker') } }]);
    const generated = objects.filter((o) => o.kind === 'NetworkPolicy' && o.metadata.name !== 'worker-to-api');
    expect(generated.length).toBeGreaterThan(0);
    const selectors = JSON.stringify(generated.map((p) => p.spec));
    expect(selectors).toContain('"app.kubernetes.io/name":"db"');
    expect(selectors).toContain('"app.kubernetes.io/name":"api"');
    expect(JSON.stringify(objects.filter((o) => o.kind !== 'Deployment' && o.kind !== 'StatefulSet'))).not.toContain('cdk8s.io/metadata.addr');
  });

  test('WHEN AllowNetworkPolicy is given workloads THEN it selects them without labels spelled out, and refuses pods of another namespace', () => {
    const objects = synth((c) => {
      const api = new HardenedDeployment(c, 'api', { replicas: 1, containers: [container] });
      const batch = new HardenedDeployment(c, 'batch', { namespace: 'jobs', replicas: 1, containers: [container] });
      new AllowNetworkPolicy(c, 'allow-batch', { podSelector: api, ingressFrom: [NetworkPeers.pods(batch)], ingressPorts: [NetworkPorts.tcp(8080)] });
      expect(() => new AllowNetworkPolicy(c, 'wrong', { podSelector: batch, egressTo: [NetworkPeers.sameNamespace()] })).toThrow(
        'AllowNetworkPolicy payments/wrong: podSelector selects pods outside the policy\'s namespace payments (got namespaces ["jobs"]); create the policy in the workload\'s namespace',
      );
    });
    expect(find(objects, 'NetworkPolicy', 'allow-batch').spec).toEqual({
      podSelector: { matchLabels: NAME('api') },
      policyTypes: ['Ingress'],
      ingress: [{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'jobs' } }, podSelector: { matchLabels: NAME('batch') } }], ports: [{ protocol: 'TCP', port: 8080 }] }],
    });
  });

  test('WHEN a WorkloadServiceAccount is the pods\' account and a RoleBinding subject THEN it is accepted as a kplus.IServiceAccount', () => {
    const objects = synth((c) => {
      const account: kplus.IServiceAccount = new WorkloadServiceAccount(c, 'api-sa', { identity: { type: 'pod-identity', roleArn: 'arn:aws:iam::123456789012:role/api' } });
      new HardenedDeployment(c, 'api', { replicas: 1, serviceAccount: account, containers: [container] });
      const role = new kplus.Role(c, 'reader', { metadata: { name: 'config-reader' } });
      role.allowRead(kplus.ApiResource.CONFIG_MAPS);
      new kplus.RoleBinding(c, 'binding', { metadata: { name: 'api-reads-config' }, role }).addSubjects(account);
    });
    expect(podSpecOf(find(objects, 'Deployment')).serviceAccountName).toBe('api-sa');
    expect(podSpecOf(find(objects, 'Deployment')).automountServiceAccountToken).toBe(false);
    expect(find(objects, 'RoleBinding').subjects).toEqual([{ apiGroup: '', kind: 'ServiceAccount', name: 'api-sa', namespace: 'payments' }]);
  });
});

import { Chart, Cron, Duration, Size, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import {
  ConstructError,
  HardenedCronJob,
  HardenedDaemonSet,
  HardenedDeployment,
  HardenedJob,
  HardenedStatefulSet,
  type HardenedDeploymentProps,
} from '@eks-platform-blueprint/constructs';
import { container, expectRestrictedPod, find, podSpecOf, resources, synth, HARDENED_CONTAINER_CONTEXT, testApp } from './fixtures';

const NAME = { 'app.kubernetes.io/name': 'api' };

describe('HardenedDeployment', () => {
  test('GIVEN only image and resources in a namespaced chart WHEN synthesized THEN the pod is restricted-PSS hardened with 2 replicas, a PDB and a zone spread', () => {
    const objects = synth((c) => new HardenedDeployment(c, 'api', { containers: [container] }));
    expect(objects.map((o) => o.kind)).toEqual(['Deployment', 'PodDisruptionBudget']);
    const [deployment, pdb] = objects;
    expect(deployment.metadata).toEqual({ name: 'api', namespace: 'payments', labels: NAME });
    expect(deployment.spec).toMatchObject({
      replicas: 2,
      revisionHistoryLimit: 5,
      selector: { matchLabels: NAME },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } },
    });
    const pod = podSpecOf(deployment);
    expectRestrictedPod(pod);
    expect(pod.containers).toHaveLength(1);
    expect(pod.containers[0]).toMatchObject({ name: 'app', image: 'public.ecr.aws/example/api:1.4.2' });
    expect(deployment.spec.template.metadata.labels['app.kubernetes.io/name']).toBe('api');
    expect(pod.topologySpreadConstraints).toEqual([
      { maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: NAME } },
      { maxSkew: 1, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: NAME } },
    ]);
    expect(pdb.metadata).toEqual({ name: 'api', namespace: 'payments', labels: NAME });
    expect(pdb.spec).toEqual({ maxUnavailable: 1, selector: { matchLabels: NAME } });
  });

  test('GIVEN the construct moved to another place in the tree WHEN synthesized THEN the immutable selector is unchanged', () => {
    const direct = find(synth((c) => new HardenedDeployment(c, 'api', { containers: [container] })), 'Deployment');
    const nested = find(
      synth((c) => new HardenedDeployment(new kplus.ConfigMap(c, 'elsewhere'), 'moved', { name: 'api', containers: [container] })),
      'Deployment',
    );
    expect(nested.spec.selector).toEqual(direct.spec.selector);
    expect(Object.keys(nested.spec.selector.matchLabels)).toEqual(['app.kubernetes.io/name']);
  });

  test('GIVEN a namespace prop WHEN the chart has another THEN the prop wins; GIVEN neither THEN it is refused', () => {
    expect(find(synth((c) => new HardenedDeployment(c, 'api', { namespace: 'shop', containers: [container] })), 'Deployment').metadata.namespace).toBe('shop');
    const chart = new Chart(testApp(), 'bare');
    expect(() => new HardenedDeployment(chart, 'api', { containers: [container] })).toThrow(
      'HardenedDeployment api: namespace is required: set the namespace prop, or create the construct in a Chart with a namespace (new Chart(app, id, { namespace }))',
    );
  });

  test('GIVEN one replica WHEN synthesized THEN there is no PDB and no spread', () => {
    const objects = synth((c) => new HardenedDeployment(c, 'api', { replicas: 1, containers: [container] }));
    expect(objects.map((o) => o.kind)).toEqual(['Deployment']);
    expect(objects[0].spec.replicas).toBe(1);
    expect(podSpecOf(objects[0]).topologySpreadConstraints).toBeUndefined();
  });

  test('GIVEN autoscaling WHEN synthesized THEN a cdk8s-plus HPA (autoscaling/v2) owns the replica count', () => {
    let deployment: HardenedDeployment | undefined;
    const objects = synth((c) => (deployment = new HardenedDeployment(c, 'api', { containers: [container], autoscaling: { minReplicas: 3, maxReplicas: 9 } })));
    const hpa = find(objects, 'HorizontalPodAutoscaler');
    expect(deployment?.horizontalPodAutoscaler).toBeInstanceOf(kplus.HorizontalPodAutoscaler);
    expect(hpa.apiVersion).toBe('autoscaling/v2');
    expect(hpa.metadata).toEqual({ name: 'api', namespace: 'payments', labels: NAME });
    expect(find(objects, 'Deployment').spec.replicas).toBeUndefined();
    expect(hpa.spec).toMatchObject({ scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'api' }, minReplicas: 3, maxReplicas: 9 });
    expect(hpa.spec.metrics).toEqual([{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } }]);
    expect(find(objects, 'PodDisruptionBudget').spec.maxUnavailable).toBe(1);
  });

  test('GIVEN writableTmp and NET_BIND_SERVICE WHEN synthesized THEN /tmp is a sized emptyDir and only that capability is added back', () => {
    const [d] = synth((c) => new HardenedDeployment(c, 'web', { replicas: 1, writableTmp: true, containers: [{ ...container, addCapabilities: ['NET_BIND_SERVICE'] }] }));
    const pod = podSpecOf(d);
    expect(pod.volumes).toEqual([{ name: 'tmp', emptyDir: { sizeLimit: '256Mi' } }]);
    expect(pod.containers[0].volumeMounts).toEqual([{ name: 'tmp', mountPath: '/tmp' }]);
    expect(pod.containers[0].securityContext).toEqual({ ...HARDENED_CONTAINER_CONTEXT, capabilities: { drop: ['ALL'], add: ['NET_BIND_SERVICE'] } });
  });

  test('GIVEN the named loosenings WHEN synthesized THEN exactly those fields change', () => {
    const [d] = synth((c) => new HardenedDeployment(c, 'api', { replicas: 1, runAsUser: 2000, automountServiceAccountToken: true, containers: [{ ...container, allowWritableRootFilesystem: true }] }));
    const pod = podSpecOf(d);
    expect(pod.automountServiceAccountToken).toBe(true);
    expect(pod.securityContext).toMatchObject({ runAsUser: 2000, runAsGroup: 2000, fsGroup: 2000 });
    expect(pod.containers[0].securityContext).toEqual({ ...HARDENED_CONTAINER_CONTEXT, runAsUser: 2000, runAsGroup: 2000, readOnlyRootFilesystem: false });
  });

  test('GIVEN portNumber WHEN synthesized THEN the cdk8s-plus defaults the README names show: a TCP startup probe, imagePullPolicy Always', () => {
    const [d] = synth((c) => new HardenedDeployment(c, 'api', { replicas: 1, containers: [{ ...container, portNumber: 8080 }] }));
    const app = podSpecOf(d).containers[0];
    expect(app.startupProbe).toEqual({ tcpSocket: { port: 8080 }, failureThreshold: 3 });
    expect(app.imagePullPolicy).toBe('Always');
    expect(app.ports).toEqual([{ containerPort: 8080 }]);
  });

  test('GIVEN a digest-pinned image WHEN constructed THEN it is accepted', () => {
    const image = `public.ecr.aws/example/api@sha256:${'a'.repeat(64)}`;
    const [d] = synth((c) => new HardenedDeployment(c, 'api', { replicas: 1, containers: [{ ...container, image }] }));
    expect(podSpecOf(d).containers[0].image).toBe(image);
  });

  test.each<[Partial<HardenedDeploymentProps> | Record<string, unknown>, string]>([
    [{ replicas: 0 }, 'HardenedDeployment payments/api: replicas must be a whole number from 1 to 1000 (got 0)'],
    [{ containers: [{ ...container, image: 'nginx' }] }, 'HardenedDeployment payments/api: containers[0].image must carry a version tag or digest (got "nginx"; pin it, e.g. nginx:1.2.3 or nginx@sha256:...)'],
    [{ containers: [{ ...container, image: 'nginx:latest' }] }, 'containers[0].image must not use the mutable tag latest'],
    [{ containers: [{ ...container, image: 'registry:5000/app' }] }, 'containers[0].image must carry a version tag or digest'],
    [{ containers: [{ image: 'public.ecr.aws/a/b:1' }] }, 'containers[0].resources is required: cpu.request, memory.request and memory.limit'],
    [{ containers: [{ ...container, resources: { cpu: { request: kplus.Cpu.millis(100) }, memory: { request: Size.mebibytes(128) } } }] }, 'containers[0].resources.memory.limit is required, as a cdk8s Size (e.g. Size.mebibytes(256)) (got undefined)'],
    [{ containers: [{ ...container, resources: { memory: resources.memory } }] }, 'containers[0].resources.cpu.request is required (e.g. Cpu.millis(100))'],
    [{ containers: [{ ...container, resources: { ...resources, memory: { request: Size.gibibytes(1), limit: Size.mebibytes(512) } } }] }, 'containers[0].resources.memory.limit must be >= memory.request (got limit 512Mi < request 1024Mi)'],
    [{ containers: [{ ...container, resources: { ...resources, memory: { request: Size.kibibytes(1500), limit: Size.mebibytes(512) } } }] }, 'containers[0].resources.memory.request must be a whole number of mebibytes, at least 1 (got 1500Ki; e.g. Size.mebibytes(128))'],
    [{ containers: [{ ...container, resources: { ...resources, cpu: { request: kplus.Cpu.millis(500), limit: kplus.Cpu.millis(200) } } }] }, 'containers[0].resources.cpu.limit must be >= cpu.request (got limit 200m < request 500m)'],
    [{ containers: [{ ...container, addCapabilities: ['SYS_ADMIN'] }] }, 'containers[0].addCapabilities may only hold NET_BIND_SERVICE (restricted Pod Security Standard) (got "SYS_ADMIN")'],
    [{ containers: [{ ...container, securityContext: { privileged: true } }] }, 'containers[0].securityContext is set by the construct (got {"privileged":true}); loosen it with addCapabilities or allowWritableRootFilesystem'],
    [{ containers: [{ ...container, restartPolicy: kplus.ContainerRestartPolicy.ALWAYS }] }, 'containers[0].restartPolicy is only for init containers (got "Always"); a container that runs beside the app is a sidecar: list it in sidecars'],
    [{ containers: [container, { ...container, name: 'app' }] }, 'containers[1].name "app" is used by another container of the pod'],
    [{ initContainers: [{ ...container, name: 'migrate', readiness: kplus.Probe.fromTcpSocket({ port: 80 }) }] }, 'initContainers[0].readiness is not allowed on an init container (it runs to completion)'],
    [{ initContainers: [{ ...container, portNumber: 8080 }] }, 'initContainers[0].portNumber adds a startup probe (cdk8s-plus), which an init container may not have (got 8080); use ports'],
    [{ runAsUser: 0 }, 'runAsUser must be a non-root UID >= 1 (got 0)'],
    [{ containers: undefined }, 'containers must list at least one container (got undefined)'],
    [{ containers: [] }, 'containers must list at least one container (got [])'],
    [{ namespace: 'Payments' }, 'HardenedDeployment Payments/api: namespace must be a DNS label: lowercase letters, digits and -, at most 63 characters (got "Payments")'],
    [{ autoscaling: { minReplicas: 4, maxReplicas: 2 } }, 'autoscaling.maxReplicas must be >= autoscaling.minReplicas (got 2 < 4)'],
    [{ replicas: 3, autoscaling: { minReplicas: 2, maxReplicas: 4 } }, 'replicas must not be set with autoscaling (got 3; the autoscaler owns the count: set autoscaling.minReplicas)'],
    [{ labels: { 'app.kubernetes.io/name': 'shop' } }, 'labels must not set app.kubernetes.io/name to another value than the workload name (got "shop"'],
    [{ tmpSizeLimit: Size.kibibytes(10) }, 'tmpSizeLimit must be a whole number of mebibytes, at least 1 (got 10Ki; e.g. Size.mebibytes(256))'],
    [{ terminationGracePeriod: Duration.hours(2) }, 'terminationGracePeriod must be whole seconds from 0 to 3600 (got 7200 seconds)'],
  ])('GIVEN invalid props %j WHEN constructed THEN a ConstructError names the construct, the prop and the value, and nothing is created', (override, message) => {
    const props = { containers: [container], ...override } as HardenedDeploymentProps;
    const chart = new Chart(testApp(), 'test', { namespace: 'payments' });
    let thrown: unknown;
    try {
      new HardenedDeployment(chart, 'api', props);
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(ConstructError);
    expect((thrown as Error).message).toContain(message);
    expect((thrown as Error).message.startsWith('HardenedDeployment ')).toBe(true);
    expect(Testing.synth(chart)).toEqual([]);
  });
});

describe('HardenedStatefulSet', () => {
  const db = { ...container, image: 'public.ecr.aws/example/db:16.1', ports: [{ name: 'pg', number: 5432 }] };

  test('GIVEN storage and a port WHEN synthesized THEN each replica gets a gp3 claim mounted in the app, a headless Service selecting by name, a PDB and hardened pods', () => {
    const objects = synth((c) => new HardenedStatefulSet(c, 'db', { replicas: 3, containers: [db], storage: { size: Size.gibibytes(20), mountPath: '/data' } }));
    expect(objects.map((o) => o.kind)).toEqual(['Service', 'StatefulSet', 'PodDisruptionBudget']);
    const [service, sts] = objects;
    expect(service.spec).toMatchObject({ clusterIP: 'None', type: 'ClusterIP', selector: { 'app.kubernetes.io/name': 'db' }, ports: [{ name: 'pg', port: 5432, targetPort: 5432 }] });
    expect(sts.metadata).toEqual({ name: 'db', namespace: 'payments', labels: { 'app.kubernetes.io/name': 'db' } });
    expect(sts.spec).toMatchObject({ replicas: 3, serviceName: service.metadata.name, podManagementPolicy: 'OrderedReady', selector: { matchLabels: { 'app.kubernetes.io/name': 'db' } } });
    expect(sts.spec.volumeClaimTemplates).toEqual([{ metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], storageClassName: 'gp3', resources: { requests: { storage: '20Gi' } } } }]);
    expect(podSpecOf(sts).containers[0].volumeMounts).toEqual([{ name: 'data', mountPath: '/data' }]);
    expect(podSpecOf(sts).volumes).toBeUndefined();
    expect(podSpecOf(sts).topologySpreadConstraints).toHaveLength(2);
    expectRestrictedPod(podSpecOf(sts));
  });

  test('GIVEN a Service of its own WHEN synthesized THEN no other Service is created and the StatefulSet names it', () => {
    const objects = synth((c) => {
      const service = new kplus.Service(c, 'svc', { metadata: { name: 'db-headless' }, clusterIP: 'None', ports: [{ port: 5432, name: 'pg' }] });
      new HardenedStatefulSet(c, 'db', { replicas: 1, service, containers: [container] });
    });
    expect(objects.filter((o) => o.kind === 'Service').map((o) => o.metadata.name)).toEqual(['db-headless']);
    expect(find(objects, 'Service').spec.selector).toEqual({ 'app.kubernetes.io/name': 'db' });
    expect(find(objects, 'StatefulSet').spec.serviceName).toBe('db-headless');
  });

  test('GIVEN neither a port nor a Service, or a relative mount path WHEN constructed THEN the error says what to add', () => {
    const chart = new Chart(testApp(), 'test', { namespace: 'data' });
    expect(() => new HardenedStatefulSet(chart, 'db', { containers: [container] })).toThrow(
      'HardenedStatefulSet data/db: containers must expose a port for the headless Service cdk8s-plus creates (ports: [{ name: "db", number: 5432 }]), or pass service',
    );
    expect(() => new HardenedStatefulSet(chart, 'db2', { containers: [db], storage: { size: Size.gibibytes(1), mountPath: 'data' } })).toThrow('HardenedStatefulSet data/db2: storage.mountPath must be an absolute path (got "data")');
  });
});

describe('HardenedDaemonSet, HardenedJob, HardenedCronJob', () => {
  test('GIVEN a DaemonSet WHEN synthesized THEN the pod is hardened, one node rolls at a time and there is no PDB or replica count', () => {
    const objects = synth((c) => new HardenedDaemonSet(c, 'agent', { containers: [container] }));
    expect(objects.map((o) => o.kind)).toEqual(['DaemonSet']);
    expect(objects[0].spec.updateStrategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1 } });
    expect(objects[0].spec.selector).toEqual({ matchLabels: { 'app.kubernetes.io/name': 'agent' } });
    expect(objects[0].spec.replicas).toBeUndefined();
    expectRestrictedPod(podSpecOf(objects[0]));
    const [wider] = synth((c) => new HardenedDaemonSet(c, 'agent', { maxUnavailable: 3, containers: [container] }));
    expect(wider.spec.updateStrategy.rollingUpdate).toEqual({ maxUnavailable: 3 });
  });

  test('GIVEN a Job WHEN synthesized THEN retries, deadline and TTL are bounded and the pod never restarts in place', () => {
    const [job] = synth((c) => new HardenedJob(c, 'migrate', { containers: [container] }));
    expect(job.metadata).toEqual({ name: 'migrate', namespace: 'payments', labels: { 'app.kubernetes.io/name': 'migrate' } });
    expect(job.spec).toMatchObject({ backoffLimit: 2, activeDeadlineSeconds: 3600, ttlSecondsAfterFinished: 86400 });
    expect(job.spec.selector).toBeUndefined();
    expect(podSpecOf(job).restartPolicy).toBe('Never');
    expectRestrictedPod(podSpecOf(job));
  });

  test('GIVEN a CronJob WHEN synthesized THEN runs never overlap, the schedule is in UTC, history is kept by count and a late run may start for 5 minutes', () => {
    const [cron] = synth((c) => new HardenedCronJob(c, 'report', { schedule: Cron.schedule({ minute: '0', hour: '3' }), containers: [container] }));
    expect(cron.spec).toMatchObject({
      schedule: '0 3 * * *',
      timeZone: 'UTC',
      concurrencyPolicy: 'Forbid',
      startingDeadlineSeconds: 300,
      successfulJobsHistoryLimit: 3,
      failedJobsHistoryLimit: 1,
      suspend: false,
    });
    expect(cron.spec.jobTemplate.spec).toMatchObject({ backoffLimit: 2, activeDeadlineSeconds: 3600 });
    expect(cron.spec.jobTemplate.spec.ttlSecondsAfterFinished).toBeUndefined();
    expect(podSpecOf(cron).restartPolicy).toBe('Never');
    expectRestrictedPod(podSpecOf(cron));
  });

  test('GIVEN a malformed schedule or an over-long name WHEN constructed THEN the error names the prop', () => {
    const chart = new Chart(testApp(), 'test', { namespace: 'payments' });
    expect(() => new HardenedCronJob(chart, 'report', { schedule: 'every day' as unknown as Cron, containers: [container] })).toThrow(
      'HardenedCronJob payments/report: schedule must be a cdk8s Cron of five fields, e.g. Cron.daily() or Cron.schedule({ minute: \'0\', hour: \'3\' }) (got "every day")',
    );
    expect(() => new HardenedCronJob(chart, 'r'.repeat(53), { schedule: Cron.daily(), containers: [container] })).toThrow('name must be at most 52 characters for a CronJob (its Jobs get a suffix) (got 53)');
    expect(() => new HardenedJob(chart, 'migrate', { backoffLimit: -1, containers: [container] })).toThrow('HardenedJob payments/migrate: backoffLimit must be a whole number from 0 to 100 (got -1)');
  });
});


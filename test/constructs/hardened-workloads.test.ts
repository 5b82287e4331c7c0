/* eslint-disable @typescript-eslint/no-explicit-any -- synthesized manifests are untyped JSON that the tests query field by field */
import { Chart, Testing } from 'cdk8s';
import {
  ConstructError,
  HardenedCronJob,
  HardenedDaemonSet,
  HardenedDeployment,
  HardenedJob,
  HardenedStatefulSet,
  type HardenedContainerProps,
} from '../../constructs';

const container: HardenedContainerProps = {
  image: 'ghcr.io/example/api:1.4.2',
  resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '256Mi' } },
};

type Obj = { kind: string; metadata: { name: string; namespace?: string }; spec: Record<string, any> };

function synth(build: (chart: Chart) => void): Obj[] {
  const chart = new Chart(Testing.app(), 'test');
  build(chart);
  return Testing.synth(chart) as Obj[];
}

function podSpecOf(obj: Obj): Record<string, any> {
  if (obj.kind === 'CronJob') return obj.spec.jobTemplate.spec.template.spec;
  return obj.spec.template.spec;
}

function expectRestrictedPod(podSpec: Record<string, any>): void {
  expect(podSpec.automountServiceAccountToken).toBe(false);
  expect(podSpec.securityContext).toEqual({ runAsNonRoot: true, runAsUser: 10001, runAsGroup: 10001, fsGroup: 10001, seccompProfile: { type: 'RuntimeDefault' } });
  for (const c of podSpec.containers) {
    expect(c.securityContext).toEqual({
      runAsNonRoot: true,
      runAsUser: 10001,
      runAsGroup: 10001,
      allowPrivilegeEscalation: false,
      privileged: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ['ALL'] },
      seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(c.resources).toEqual({ requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '256Mi' } });
  }
}

describe('HardenedDeployment', () => {
  test('GIVEN only namespace, image and resources WHEN synthesized THEN the pod is restricted-PSS hardened with 2 replicas, a PDB and a zone spread', () => {
    const objects = synth((c) => new HardenedDeployment(c, 'api', { namespace: 'payments', containers: [container] }));
    expect(objects.map((o) => o.kind)).toEqual(['Deployment', 'PodDisruptionBudget']);
    const [deployment, pdb] = objects;
    expect(deployment.metadata).toMatchObject({ name: 'api', namespace: 'payments' });
    expect(deployment.spec.replicas).toBe(2);
    expect(deployment.spec.selector).toEqual({ matchLabels: { 'app.kubernetes.io/name': 'api' } });
    expectRestrictedPod(podSpecOf(deployment));
    expect(podSpecOf(deployment).containers[0]).toMatchObject({ name: 'app', image: 'ghcr.io/example/api:1.4.2' });
    expect(podSpecOf(deployment).topologySpreadConstraints[0]).toEqual({
      maxSkew: 1,
      topologyKey: 'topology.kubernetes.io/zone',
      whenUnsatisfiable: 'ScheduleAnyway',
      labelSelector: { matchLabels: { 'app.kubernetes.io/name': 'api' } },
    });
    expect(pdb.spec).toEqual({ maxUnavailable: 1, selector: { matchLabels: { 'app.kubernetes.io/name': 'api' } } });
  });

  test('GIVEN one replica WHEN synthesized THEN there is no PDB and no spread', () => {
    const objects = synth((c) => new HardenedDeployment(c, 'api', { namespace: 'payments', replicas: 1, containers: [container] }));
    expect(objects.map((o) => o.kind)).toEqual(['Deployment']);
    expect(podSpecOf(objects[0]).topologySpreadConstraints).toBeUndefined();
  });

  test('GIVEN autoscaling WHEN synthesized THEN an HPA owns the replica count', () => {
    const objects = synth((c) => new HardenedDeployment(c, 'api', { namespace: 'payments', containers: [container], autoscaling: { minReplicas: 3, maxReplicas: 9 } }));
    const hpa = objects.find((o) => o.kind === 'HorizontalPodAutoscaler') as Obj;
    expect(objects.find((o) => o.kind === 'Deployment')?.spec.replicas).toBeUndefined();
    expect(hpa.spec).toMatchObject({ scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'api' }, minReplicas: 3, maxReplicas: 9 });
    expect(hpa.spec.metrics[0].resource.target).toEqual({ type: 'Utilization', averageUtilization: 70 });
  });

  test('GIVEN writableTmp and NET_BIND_SERVICE WHEN synthesized THEN /tmp is an emptyDir and only that capability is added back', () => {
    const [d] = synth((c) => new HardenedDeployment(c, 'web', { namespace: 'web', replicas: 1, writableTmp: true, containers: [{ ...container, addCapabilities: ['NET_BIND_SERVICE'] }] }));
    const pod = podSpecOf(d);
    expect(pod.volumes).toEqual([{ name: 'tmp', emptyDir: { sizeLimit: '256Mi' } }]);
    expect(pod.containers[0].volumeMounts).toEqual([{ name: 'tmp', mountPath: '/tmp' }]);
    expect(pod.containers[0].securityContext.capabilities).toEqual({ drop: ['ALL'], add: ['NET_BIND_SERVICE'] });
    expect(pod.containers[0].securityContext.readOnlyRootFilesystem).toBe(true);
  });

  test.each([
    [{ replicas: 0 }, 'HardenedDeployment payments/api: replicas must be a whole number from 1 to 1000 (got 0)'],
    [{ containers: [{ ...container, image: 'nginx' }] }, 'containers[0].image must carry a version tag or digest (got "nginx"'],
    [{ containers: [{ ...container, image: 'nginx:latest' }] }, 'containers[0].image must not use the mutable tag latest'],
    [{ containers: [{ ...container, image: 'registry:5000/app' }] }, 'must carry a version tag or digest'],
    [{ containers: [{ ...container, resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: {} } }] }, 'containers[0].resources.limits.memory is required (e.g. 256Mi)'],
    [{ containers: [{ ...container, resources: { requests: { cpu: '1', memory: '1Gi' }, limits: { memory: '512Mi' } } }] }, 'limits.memory must be >= requests.memory (got limit 512Mi < request 1Gi)'],
    [{ containers: [{ ...container, addCapabilities: ['SYS_ADMIN'] }] }, 'addCapabilities may only hold NET_BIND_SERVICE'],
    [{ runAsUser: 0 }, 'runAsUser must be a non-root UID >= 1 (got 0)'],
    [{ containers: undefined }, 'containers must list at least one container (got undefined)'],
    [{ containers: [] }, 'containers must list at least one container (got [])'],
    [{ namespace: 'Payments' }, 'namespace must be a DNS label'],
    [{ autoscaling: { minReplicas: 4, maxReplicas: 2 } }, 'autoscaling.maxReplicas must be >= autoscaling.minReplicas (got 2 < 4)'],
  ])('GIVEN invalid props %j WHEN constructed THEN a ConstructError names the prop and value', (override, message) => {
    const props = { namespace: 'payments', containers: [container], ...override } as never;
    const chart = new Chart(Testing.app(), 'test');
    expect(() => new HardenedDeployment(chart, 'api', props)).toThrow(ConstructError);
    expect(() => new HardenedDeployment(new Chart(Testing.app(), 'test2'), 'api', props)).toThrow(message);
    expect(Testing.synth(chart)).toEqual([]);
  });

  test('GIVEN a digest-pinned image WHEN constructed THEN it is accepted', () => {
    const image = `ghcr.io/example/api@sha256:${'a'.repeat(64)}`;
    const [d] = synth((c) => new HardenedDeployment(c, 'api', { namespace: 'p', replicas: 1, containers: [{ ...container, image }] }));
    expect(podSpecOf(d).containers[0].image).toBe(image);
  });
});

describe('HardenedStatefulSet, HardenedDaemonSet, HardenedJob, HardenedCronJob', () => {
  test('GIVEN a StatefulSet with storage WHEN synthesized THEN each replica gets an encrypted gp3 claim, PDB and hardened pod', () => {
    const objects = synth((c) => new HardenedStatefulSet(c, 'db', { namespace: 'data', replicas: 3, containers: [container], storage: { size: '20Gi', mountPath: '/data' } }));
    const sts = objects.find((o) => o.kind === 'StatefulSet') as Obj;
    expect(objects.map((o) => o.kind)).toEqual(['StatefulSet', 'PodDisruptionBudget']);
    expect(sts.spec.replicas).toBe(3);
    expect(sts.spec.serviceName).toBe('db');
    expect(sts.spec.volumeClaimTemplates[0].spec).toEqual({ accessModes: ['ReadWriteOnce'], storageClassName: 'gp3', resources: { requests: { storage: '20Gi' } } });
    expect(podSpecOf(sts).containers[0].volumeMounts).toEqual([{ name: 'data', mountPath: '/data' }]);
    expectRestrictedPod(podSpecOf(sts));
  });

  test('GIVEN a DaemonSet WHEN synthesized THEN the pod is hardened and there is no PDB or replica count', () => {
    const objects = synth((c) => new HardenedDaemonSet(c, 'agent', { namespace: 'ops', containers: [container] }));
    expect(objects.map((o) => o.kind)).toEqual(['DaemonSet']);
    expect(objects[0].spec.updateStrategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1 } });
    expect(podSpecOf(objects[0]).hostNetwork).toBeUndefined();
    expectRestrictedPod(podSpecOf(objects[0]));
  });

  test('GIVEN a Job WHEN synthesized THEN retries, deadline and TTL are bounded and the pod never restarts in place', () => {
    const [job] = synth((c) => new HardenedJob(c, 'migrate', { namespace: 'payments', containers: [container] }));
    expect(job.spec).toMatchObject({ backoffLimit: 2, activeDeadlineSeconds: 3600, ttlSecondsAfterFinished: 86400 });
    expect(podSpecOf(job).restartPolicy).toBe('Never');
    expectRestrictedPod(podSpecOf(job));
  });

  test('GIVEN a CronJob WHEN synthesized THEN runs never overlap and the schedule is in UTC', () => {
    const [cron] = synth((c) => new HardenedCronJob(c, 'report', { namespace: 'payments', schedule: '0 3 * * *', containers: [container] }));
    expect(cron.spec).toMatchObject({ schedule: '0 3 * * *', timeZone: 'UTC', concurrencyPolicy: 'Forbid', successfulJobsHistoryLimit: 3, failedJobsHistoryLimit: 1 });
    expectRestrictedPod(podSpecOf(cron));
  });

  test('GIVEN a malformed cron schedule WHEN constructed THEN the error names the schedule', () => {
    const chart = new Chart(Testing.app(), 'test');
    expect(() => new HardenedCronJob(chart, 'report', { namespace: 'payments', schedule: 'every day', containers: [container] })).toThrow(
      'HardenedCronJob payments/report: schedule must be five cron fields or a macro like @daily (got "every day")',
    );
  });
});

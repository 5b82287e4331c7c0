/* eslint-disable @typescript-eslint/no-explicit-any -- synthesized manifests are untyped JSON */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Chart, Size, Testing } from 'cdk8s';
import { testApp } from './fixtures';
import * as kplus from 'cdk8s-plus-28';
import { HardenedDeployment } from '@eks-platform-blueprint/constructs';
import { policyViolations } from '../helpers/manifest-check';

const ROOT = path.resolve(__dirname, '..', '..');

describe('GIVEN the construct examples in the READMEs', () => {
  test('THEN the root README shows the HardenedDeployment example, and it synthesizes a hardened, highly available Deployment that passes platform check', () => {
    const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    expect(readme).toContain("new HardenedDeployment(chart, 'api', {");
    expect(readme).toContain("image: 'public.ecr.aws/example/api:1.4.2',");
    expect(readme).toContain('resources: { cpu: { request: kplus.Cpu.millis(250) }, memory: { request: Size.mebibytes(256), limit: Size.mebibytes(512) } },');

    const chart = new Chart(testApp(), 'shop', { namespace: 'payments' });
    new HardenedDeployment(chart, 'api', {
      replicas: 3,
      containers: [
        {
          image: 'public.ecr.aws/example/api:1.4.2',
          resources: { cpu: { request: kplus.Cpu.millis(250) }, memory: { request: Size.mebibytes(256), limit: Size.mebibytes(512) } },
        },
      ],
    });
    const objects = Testing.synth(chart) as any[];
    const deployment = objects.find((o) => o.kind === 'Deployment');
    const pod = deployment.spec.template.spec;
    expect(deployment.spec.replicas).toBe(3);
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
    expect(pod.containers[0].securityContext).toMatchObject({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } });
    expect(objects.filter((o) => o.kind === 'PodDisruptionBudget')).toHaveLength(1);
    expect(pod.topologySpreadConstraints[0].topologyKey).toBe('topology.kubernetes.io/zone');
    expect(policyViolations(objects)).toEqual([]);
  });
});

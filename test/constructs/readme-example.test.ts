/* eslint-disable @typescript-eslint/no-explicit-any -- synthesized manifests are untyped JSON */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Chart, Testing } from 'cdk8s';
import { HardenedDeployment } from '../../constructs';

describe('GIVEN the construct example in the README', () => {
  it('THEN the README still shows it, and it synthesizes a hardened, highly available Deployment', () => {
    const readme = fs.readFileSync(path.resolve(__dirname, '..', '..', 'README.md'), 'utf8');
    expect(readme).toContain("new HardenedDeployment(chart, 'api', {");
    expect(readme).toContain("    image: 'public.ecr.aws/example/api:1.4.2',");
    expect(readme).toContain('  containers: [{');

    const app = Testing.app();
    const chart = new Chart(app, 'shop');
    new HardenedDeployment(chart, 'api', {
      namespace: 'payments',
      replicas: 3,
      containers: [
        {
          image: 'public.ecr.aws/example/api:1.4.2',
          resources: { requests: { cpu: '250m', memory: '256Mi' }, limits: { memory: '512Mi' } },
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
  });
});

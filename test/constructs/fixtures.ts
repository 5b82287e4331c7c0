/* eslint-disable @typescript-eslint/no-explicit-any -- synthesized manifests are untyped JSON that the tests query field by field */
/** Shared fixtures of the construct tests: a compliant container, synthesis, and the hardened security contexts. */
import * as os from 'node:os';
import * as path from 'node:path';
import { App, Chart, Size, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import type { HardenedContainerProps } from '@eks-platform-blueprint/constructs';

export const resources: kplus.ContainerResources = {
  cpu: { request: kplus.Cpu.millis(100) },
  memory: { request: Size.mebibytes(128), limit: Size.mebibytes(256) },
};

export const container: HardenedContainerProps = { image: 'public.ecr.aws/example/api:1.4.2', resources };

export type Obj = { apiVersion: string; kind: string; metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> }; spec: Record<string, any>; [k: string]: any };

/**
 * An App for tests that synthesize charts in memory (Testing.synth). cdk8s's Testing.app() makes a
 * temporary output directory for every App and never removes it (cdk8s lib/testing.js); an App only
 * writes its outdir in app.synth(), which these tests never call, so this one names a directory that is
 * never created.
 */
export function testApp(): App {
  return new App({ outdir: path.join(os.tmpdir(), 'platform-tests-cdk8s-never-written') });
}

/** A chart in namespace `payments` (unless given another), built by `build`, synthesized. */
export function synth(build: (chart: Chart) => void, namespace: string | undefined = 'payments'): Obj[] {
  const chart = new Chart(testApp(), 'test', namespace === undefined ? {} : { namespace });
  build(chart);
  return Testing.synth(chart) as Obj[];
}

export function podSpecOf(obj: Obj): Record<string, any> {
  if (obj.kind === 'CronJob') return obj.spec.jobTemplate.spec.template.spec;
  return obj.spec.template.spec;
}

export const find = (objects: Obj[], kind: string, name?: string) => objects.find((o) => o.kind === kind && (name === undefined || o.metadata.name === name)) as Obj;

/** The container security context of the zero-config call, field by field. */
export const HARDENED_CONTAINER_CONTEXT = {
  runAsNonRoot: true,
  runAsUser: 10001,
  runAsGroup: 10001,
  allowPrivilegeEscalation: false,
  privileged: false,
  readOnlyRootFilesystem: true,
  capabilities: { drop: ['ALL'] },
  seccompProfile: { type: 'RuntimeDefault' },
};

/** The pod security context of the zero-config call (fsGroupChangePolicy is cdk8s-plus's default). */
export const HARDENED_POD_CONTEXT = {
  runAsNonRoot: true,
  runAsUser: 10001,
  runAsGroup: 10001,
  fsGroup: 10001,
  fsGroupChangePolicy: 'Always',
  seccompProfile: { type: 'RuntimeDefault' },
};

/** The zero-config pod: no token, no service links, no host namespaces, every container hardened with the fixture's resources. */
export function expectRestrictedPod(podSpec: Record<string, any>): void {
  expect(podSpec.automountServiceAccountToken).toBe(false);
  expect(podSpec.enableServiceLinks).toBe(false);
  expect(podSpec.hostNetwork).toBe(false);
  expect(podSpec.serviceAccountName).toBeUndefined();
  expect(podSpec.securityContext).toEqual(HARDENED_POD_CONTEXT);
  for (const c of [...podSpec.containers, ...(podSpec.initContainers ?? [])]) {
    expect(c.securityContext).toEqual(HARDENED_CONTAINER_CONTEXT);
    expect(c.resources).toEqual({ requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '256Mi' } });
  }
}

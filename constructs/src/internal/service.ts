/** The Service of a hardened workload: ClusterIP, named after the workload, carrying its labels. */
import * as kplus from 'cdk8s-plus-28';
import type { PodPlan } from './pod-hardening';

/** cdk8s-plus's options: `ports` (default: the containers' ports), `name` (default here: the workload name), `serviceType` (ClusterIP only). */
export type HardenedServiceOptions = kplus.DeploymentExposeViaServiceOptions;

export function exposeHardened(workload: kplus.AbstractPod, plan: PodPlan, options: HardenedServiceOptions, expose: (options: HardenedServiceOptions) => kplus.Service): kplus.Service {
  const { check } = plan;
  const type = options.serviceType ?? kplus.ServiceType.CLUSTER_IP;
  if (type !== kplus.ServiceType.CLUSTER_IP) {
    check.fail(
      `exposeViaService serviceType must be ClusterIP (got ${type}): expose the app through an Ingress; NodePorts and public load balancers are denied by the platform's policies (an internal load balancer is a kplus.Service you build yourself, with the internal scheme annotation)`,
    );
  }
  const name = options.name ?? plan.name;
  check.dnsLabel('exposeViaService name', name);
  const containerPorts = workload.containers.flatMap((c) => c.ports);
  if (options.ports === undefined && containerPorts.length === 0) {
    check.fail('exposeViaService needs ports: give the containers ports (ports: [{ name: "http", number: 8080 }]) or pass ports');
  }
  if (options.ports === undefined && containerPorts.length > 1 && containerPorts.some((p) => p.name === undefined)) {
    check.fail(`exposeViaService needs every container port named when there are several (got ${containerPorts.map((p) => p.name ?? p.number).join(', ')})`);
  }
  const service = expose({ ...options, name, serviceType: kplus.ServiceType.CLUSTER_IP });
  for (const [key, value] of Object.entries(plan.labels)) service.metadata.addLabel(key, value);
  return service;
}

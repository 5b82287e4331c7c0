import * as k8s from '@pulumi/kubernetes';
import { builtInResourceClass, objectResourceName } from '../../infra/kubernetes-objects';

describe('builtInResourceClass', () => {
  it.each([
    ['v1', 'Namespace', k8s.core.v1.Namespace],
    ['v1', 'ServiceAccount', k8s.core.v1.ServiceAccount],
    ['apps/v1', 'Deployment', k8s.apps.v1.Deployment],
    ['rbac.authorization.k8s.io/v1', 'ClusterRoleBinding', k8s.rbac.v1.ClusterRoleBinding],
    ['networking.k8s.io/v1', 'NetworkPolicy', k8s.networking.v1.NetworkPolicy],
    ['storage.k8s.io/v1', 'StorageClass', k8s.storage.v1.StorageClass],
    ['policy/v1', 'PodDisruptionBudget', k8s.policy.v1.PodDisruptionBudget],
    ['autoscaling/v2', 'HorizontalPodAutoscaler', k8s.autoscaling.v2.HorizontalPodAutoscaler],
    ['apiextensions.k8s.io/v1', 'CustomResourceDefinition', k8s.apiextensions.v1.CustomResourceDefinition],
  ])('GIVEN %s %s THEN it is applied with the typed class', (apiVersion, kind, expected) => {
    expect(builtInResourceClass(apiVersion, kind)).toBe(expected);
  });

  it.each([
    ['karpenter.sh/v1', 'NodePool'],
    ['templates.gatekeeper.sh/v1', 'ConstraintTemplate'],
    ['constraints.gatekeeper.sh/v1beta1', 'PlatformHostPorts'],
    ['argoproj.io/v1alpha1', 'Application'],
    ['v1', 'NoSuchKind'],
    ['apps/v9', 'Deployment'],
  ])('GIVEN %s %s THEN it is a custom resource (no typed class)', (apiVersion, kind) => {
    expect(builtInResourceClass(apiVersion, kind)).toBeUndefined();
  });
});

describe('objectResourceName', () => {
  it('names namespaced objects namespace/name and cluster-scoped ones by name', () => {
    expect(objectResourceName({ kind: 'Role', metadata: { name: 'team', namespace: 'payments' } })).toBe('payments/team');
    expect(objectResourceName({ kind: 'Namespace', metadata: { name: 'payments' } })).toBe('payments');
  });

  it('refuses an object without a name', () => {
    expect(() => objectResourceName({ kind: 'ConfigMap', metadata: {} })).toThrow('ConfigMap object without metadata.name cannot be applied');
  });
});

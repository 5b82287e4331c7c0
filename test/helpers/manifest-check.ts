/**
 * What `platform check` and `platform synth`'s schema validation say about synthesized objects, in
 * process: the objects are written to a temporary YAML file and checked by checkManifests (the
 * function behind `platform check`), with the policy library as the CLI loads it.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { dump } from 'js-yaml';
import { checkManifests, type CheckViolation } from '../../lib/policy/check';
import { validateObject, type KubeObject } from '../../lib/schema';

/**
 * The team registry of the examples' images (public.ecr.aws/example), as an allowed-registries constraint
 * that replaces the library's: the library's own admits only the platform add-ons' images.
 */
export const EXAMPLE_REGISTRY_CONSTRAINT = path.resolve(__dirname, '..', 'fixtures', 'example-registry-constraint.yaml');

/**
 * The examples' tenants' ingress settings (payments.example.com, search.example.com and their IngressClasses)
 * as the ingress policies' constraints, replacing the library's: the library's own know no tenant.
 */
export const EXAMPLE_TENANT_INGRESS_CONSTRAINTS = path.resolve(__dirname, '..', 'fixtures', 'example-tenant-ingress-constraints.yaml');

/**
 * The `platform check` violations of these objects, as `<Kind>/<name>: <constraint>: <message>` lines:
 * `platform check <EXAMPLE_REGISTRY_CONSTRAINT> <EXAMPLE_TENANT_INGRESS_CONSTRAINTS> <objects>` (a constraint
 * among the objects, like a stack's synthesized ones, replaces them in turn).
 */
export function policyViolations(objects: readonly unknown[]): string[] {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'manifest-check-'));
  try {
    const file = path.join(dir, 'objects.yaml');
    fs.writeFileSync(file, objects.map((o) => dump(o, { noRefs: true, lineWidth: -1 })).join('---\n'));
    return checkManifests([EXAMPLE_REGISTRY_CONSTRAINT, EXAMPLE_TENANT_INGRESS_CONSTRAINTS, file]).violations.map((v: CheckViolation) => `${v.kind}/${v.name}: ${v.constraint}: ${v.message}`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Schema issues of these objects (Kubernetes OpenAPI and CRD schemas), as `<Kind>/<name> <path>: <message>` lines. */
export function schemaIssues(objects: readonly unknown[]): string[] {
  return objects.flatMap((o) => {
    const obj = o as KubeObject;
    return validateObject(obj).map((i) => `${obj.kind}/${obj.metadata?.name} ${i.path}: ${i.message}`);
  });
}

/**
 * allowed-registries' CEL (a one-pattern fast path for images named with an allowed registry, a full
 * parse for the rest) against a reference written from the rules it follows: the reference grammar
 * and Docker Hub normalization of distribution/reference v0.6.0 (regexp.go, normalize.go
 * splitDockerDomain) and the entry semantics of policies/README.md. Every image of a generated set
 * must get the same answer from both.
 */
import { PolicySet } from '../../lib/policy/policy-set';
import { loadPolicyLibrary } from '../../lib/policy/library';

interface Entry {
  host: string;
  path?: string;
}

const DOMAIN = /^(?:(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])(?:\.(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]))*|\[[a-fA-F0-9:]+\])(?::[0-9]+)?$/;
const COMPONENT = '[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*';
const REST = new RegExp(`^${COMPONENT}(?:/${COMPONENT})*(?::[\\w][\\w.-]{0,127})?(?:@[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,})?$`);

/** Whether the runtime would pull `image` from a registry the entries allow. */
function reference(entries: readonly Entry[], image: string): boolean {
  const first = image.split('/')[0];
  const named = image.includes('/') && (first === 'localhost' || first.includes('.') || first.includes(':') || first.toLowerCase() !== first);
  const host = named ? (first === 'index.docker.io' ? 'docker.io' : first) : 'docker.io';
  const rest = named ? image.slice(first.length + 1) : image;
  if (!DOMAIN.test(host) || !REST.test(rest)) return false;
  const raw = rest.split('@')[0].split(':')[0];
  const repo = host === 'docker.io' && !raw.includes('/') ? `library/${raw}` : raw;
  const h = host.toLowerCase();
  return entries.some((e) => {
    const hostOk = e.host.startsWith('*.') ? h.endsWith(e.host.slice(1).toLowerCase()) && h.length > e.host.length - 1 : h === e.host.toLowerCase();
    return hostOk && (e.path === undefined || repo === e.path || repo.startsWith(`${e.path}/`));
  });
}

const ENTRIES: Entry[] = [
  { host: 'quay.io', path: 'prometheus' },
  { host: 'registry.local:5000' },
  { host: 'docker.io', path: 'library' },
  { host: '*.example.com' },
  { host: 'localhost', path: 'team/a' },
  { host: 'myregistry' },
  { host: 'ghcr.io', path: 'org/repo' },
];

const DIGEST = `sha256:${'0123456789abcdef'.repeat(4)}`;
const HOSTS = ['', 'quay.io/', 'Quay.io/', 'registry.local:5000/', 'registry.local:5001/', 'registry.local/', 'localhost/', 'localhost:5000/', 'myregistry/', 'docker.io/', 'index.docker.io/', 'eu.example.com/', 'example.com/', 'evil-example.com/', 'a.b.example.com:443/', 'ghcr.io/', 'quay.io.attacker.net/'];
const REPOS = ['prometheus', 'prometheus/node-exporter', 'prometheus-x/y', 'team/a', 'team/a/b/c', 'team/ab', 'nginx', 'library/nginx', 'library-x/nginx', 'Web', 'org/repo', 'org/repo/sub', 'org/repository'];
const SUFFIXES = ['', ':v1.2.3', `@${DIGEST}`, `:v1@${DIGEST}`, ':', ':bad tag', '@sha256:short'];

describe('allowed-registries matches images as the reference does', () => {
  const library = loadPolicyLibrary();
  const template = library.templates.find((t) => (t.metadata as { name: string }).name === 'platformallowedregistries') as Record<string, unknown>;
  const constraint = {
    apiVersion: 'constraints.gatekeeper.sh/v1beta1',
    kind: 'PlatformAllowedRegistries',
    metadata: { name: 'matching' },
    spec: { match: { kinds: [{ apiGroups: [''], kinds: ['Pod'] }] }, parameters: { registries: ENTRIES } },
  };
  const set = new PolicySet([{ object: template, where: 't' }], [{ object: constraint, where: 'c' }]);
  const allowedByCel = (image: string): boolean =>
    set.review({ object: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'apps' }, spec: { containers: [{ name: 'c', image }] } } }).length === 0;

  it('GIVEN every combination of registry, repository and tag or digest THEN the CEL and the reference agree', () => {
    const images = HOSTS.flatMap((h) => REPOS.flatMap((r) => SUFFIXES.map((s) => `${h}${r}${s}`)));
    expect(images.length).toBeGreaterThan(1500);
    const disagreements = images.filter((image) => allowedByCel(image) !== reference(ENTRIES, image));
    expect(disagreements).toEqual([]);
    // Both answers occur often: the set exercises the fast path, the parse, and refusals.
    const allowed = images.filter((image) => reference(ENTRIES, image)).length;
    expect([allowed > 100, images.length - allowed > 100]).toEqual([true, true]);
  });

  it('GIVEN images the fast path admits and ones only the parse decides THEN a few known answers hold', () => {
    expect(['quay.io/prometheus/node-exporter:v1.9.1', 'nginx:1.27', 'docker.io/library/nginx', 'registry.local:5000/x', 'eu.example.com/a/b@' + DIGEST, 'localhost/team/a/b:1', 'myregistry/app:1'].map(allowedByCel)).toEqual([true, true, true, true, true, true, false]);
  });
});

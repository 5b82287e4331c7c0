/**
 * Pod Security Standards as of pod-security-admission v0.37.0-alpha.2 (Kubernetes v1.37), in the
 * shape of its fixtures: per check, a minimal valid pod, the mutations that must still pass and
 * those that must fail. The cases are our own; each check names the policy/*.go file it follows.
 */
import { parseStackConfig } from '../../lib/config/load';
import { stackConstraints } from '../../charts/gatekeeper/chart';
import { policiesFor } from '../../lib/policy/check';
import { loadPolicyLibrary } from '../../lib/policy/library';
import type { ManifestObject } from '../../lib/policy/manifests';
import { stackConfig } from '../helpers/pulumi';
import { HARDENED_POD_SPEC } from './fixtures';

type Obj = Record<string, unknown>;
type PodSpec = Obj & { containers: Obj[]; initContainers?: Obj[] };
type Mutation = (spec: PodSpec) => void;

const library = loadPolicyLibrary();
const defaultSet = policiesFor([]);

/** A restricted-valid pod with one container and one init container, as the fixtures' minimal pods. */
function minimalPod(): PodSpec {
  const base = structuredClone(HARDENED_POD_SPEC) as unknown as PodSpec;
  base.initContainers = [{ ...structuredClone(base.containers[0]), name: 'init' }];
  return base;
}

const pod = (spec: PodSpec): Obj => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'fixture', namespace: 'apps', labels: { 'app.kubernetes.io/name': 'fixture' } }, spec });
const sc = (c: Obj): Obj => (c.securityContext ??= {}) as Obj;
const podSc = (s: PodSpec): Obj => (s.securityContext ??= {}) as Obj;
const each = (s: PodSpec, f: (c: Obj) => void): void => [...s.containers, ...(s.initContainers ?? [])].forEach(f);

/** Constraint names the library reports for a pod spec. */
function violated(spec: PodSpec, set = defaultSet): string[] {
  return [...new Set(set.review({ object: pod(spec), operation: 'CREATE' }).map((v) => v.constraint))].sort();
}

/** The library with `version` set on the Pod Security constraints that take it, as a stack of that version deploys them. */
function atVersion(version: string) {
  const inputs: ManifestObject[] = library.constraints
    .filter((c) => ['run-as-non-root', 'selinux', 'sysctls'].includes((c.metadata as Obj).name as string))
    .map((c, i) => ({ file: 'v', document: i + 1, object: { ...c, spec: { ...(c.spec as Obj), parameters: { ...((c.spec as Obj).parameters as Obj), version } } } }));
  return policiesFor(inputs);
}

interface Fixture {
  readonly constraint: string;
  /** pod-security-admission v0.37.0-alpha.2 file the check follows. */
  readonly source: string;
  readonly pass: Record<string, Mutation>;
  readonly fail: Record<string, Mutation>;
}

const windows: Mutation = (s) => {
  s.os = { name: 'windows' };
};

const FIXTURES: Fixture[] = [
  {
    constraint: 'run-as-non-root',
    source: 'policy/check_runAsNonRoot.go, policy/check_runAsUser.go',
    pass: {
      'containers set true, pod unset': (s) => {
        delete podSc(s).runAsNonRoot;
        each(s, (c) => (sc(c).runAsNonRoot = true));
      },
      'pod true, container runAsUser 1000': (s) => each(s, (c) => (sc(c).runAsUser = 1000)),
      'user namespace (hostUsers: false) with runAsNonRoot false and runAsUser 0 (v1.35+)': (s) => {
        s.hostUsers = false;
        podSc(s).runAsNonRoot = false;
        podSc(s).runAsUser = 0;
      },
    },
    fail: {
      'pod false, containers true': (s) => {
        podSc(s).runAsNonRoot = false;
        each(s, (c) => (sc(c).runAsNonRoot = true));
      },
      'pod unset, init container unset': (s) => {
        delete podSc(s).runAsNonRoot;
        sc(s.containers[0]).runAsNonRoot = true;
      },
      'container false': (s) => (sc(s.containers[0]).runAsNonRoot = false),
      'pod runAsUser 0, containers 1000': (s) => {
        podSc(s).runAsUser = 0;
        each(s, (c) => (sc(c).runAsUser = 1000));
      },
      'init container runAsUser 0': (s) => (sc((s.initContainers as Obj[])[0]).runAsUser = 0),
      'hostUsers true is no user namespace': (s) => {
        s.hostUsers = true;
        podSc(s).runAsNonRoot = false;
      },
    },
  },
  {
    constraint: 'host-probes',
    source: 'policy/check_hostProbesAndhostLifecycle.go',
    pass: {
      'empty host': (s) => (s.containers[0].livenessProbe = { httpGet: { path: '/', port: 8080, host: '' } }),
      'probe without host': (s) => (s.containers[0].startupProbe = { tcpSocket: { port: 8080 } }),
    },
    fail: {
      'liveness httpGet host': (s) => (s.containers[0].livenessProbe = { httpGet: { path: '/', port: 80, host: 'example.com' } }),
      'readiness tcpSocket host': (s) => (s.containers[0].readinessProbe = { tcpSocket: { port: 22, host: '10.0.0.1' } }),
      'startup httpGet host on an init container': (s) => ((s.initContainers as Obj[])[0].startupProbe = { httpGet: { path: '/', port: 80, host: '127.0.0.1' } }),
      'postStart httpGet host': (s) => (s.containers[0].lifecycle = { postStart: { httpGet: { path: '/', port: 80, host: 'example.com' } } }),
      'preStop tcpSocket host (deprecated handler)': (s) => (s.containers[0].lifecycle = { preStop: { tcpSocket: { port: 80, host: 'example.com' } } }),
    },
  },
  {
    constraint: 'allow-privilege-escalation',
    source: 'policy/check_allowPrivilegeEscalation.go',
    pass: {
      'windows pod without the field (v1.25+)': (s) => {
        windows(s);
        each(s, (c) => delete sc(c).allowPrivilegeEscalation);
      },
    },
    fail: {
      'unset on the init container': (s) => delete sc((s.initContainers as Obj[])[0]).allowPrivilegeEscalation,
      'true': (s) => (sc(s.containers[0]).allowPrivilegeEscalation = true),
      'os linux is no exemption': (s) => {
        s.os = { name: 'linux' };
        delete sc(s.containers[0]).allowPrivilegeEscalation;
      },
    },
  },
  {
    constraint: 'capabilities',
    source: 'policy/check_capabilities_restricted.go',
    pass: {
      'add NET_BIND_SERVICE': (s) => (sc(s.containers[0]).capabilities = { drop: ['ALL'], add: ['NET_BIND_SERVICE'] }),
      'windows pod without capabilities (v1.25+)': (s) => {
        windows(s);
        each(s, (c) => delete sc(c).capabilities);
      },
    },
    fail: {
      'drop not ALL': (s) => (sc(s.containers[0]).capabilities = { drop: ['NET_RAW'] }),
      'add CHOWN': (s) => (sc((s.initContainers as Obj[])[0]).capabilities = { drop: ['ALL'], add: ['CHOWN'] }),
    },
  },
  {
    constraint: 'seccomp',
    source: 'policy/check_seccompProfile_restricted.go',
    pass: {
      'containers set, pod unset': (s) => {
        delete podSc(s).seccompProfile;
        each(s, (c) => (sc(c).seccompProfile = { type: 'Localhost', localhostProfile: 'p.json' }));
      },
      'windows pod without a profile (v1.25+)': (s) => {
        windows(s);
        delete podSc(s).seccompProfile;
      },
    },
    fail: {
      'pod unset, one container unset': (s) => {
        delete podSc(s).seccompProfile;
        sc(s.containers[0]).seccompProfile = { type: 'RuntimeDefault' };
      },
      'container Unconfined': (s) => (sc(s.containers[0]).seccompProfile = { type: 'Unconfined' }),
      'pod Unconfined, containers RuntimeDefault': (s) => {
        podSc(s).seccompProfile = { type: 'Unconfined' };
        each(s, (c) => (sc(c).seccompProfile = { type: 'RuntimeDefault' }));
      },
    },
  },
  {
    constraint: 'apparmor',
    source: 'policy/check_appArmorProfile.go',
    pass: {
      'empty annotation': (s) => (s.__annotations = { 'container.apparmor.security.beta.kubernetes.io/web': '' }),
      'localhost profile field': (s) => (sc(s.containers[0]).appArmorProfile = { type: 'Localhost', localhostProfile: 'k8s-web' }),
    },
    fail: {
      'unconfined annotation': (s) => (s.__annotations = { 'container.apparmor.security.beta.kubernetes.io/web': 'unconfined' }),
      'pod Unconfined, containers RuntimeDefault': (s) => {
        podSc(s).appArmorProfile = { type: 'Unconfined' };
        each(s, (c) => (sc(c).appArmorProfile = { type: 'RuntimeDefault' }));
      },
    },
  },
  {
    constraint: 'volume-types',
    source: 'policy/check_restrictedVolumes.go',
    pass: { 'image volume': (s) => (s.volumes = [{ name: 'data', image: { reference: 'quay.io/prometheus/prometheus:v3.5.0' } }]) },
    fail: { 'nfs volume': (s) => (s.volumes = [{ name: 'data', nfs: { server: 'nfs.example.com', path: '/' } }]) },
  },
];

/** Annotations go on the pod's metadata: `__annotations` is a marker the runner moves there. */
function reviewed(spec: PodSpec): string[] {
  const annotations = spec.__annotations as Obj | undefined;
  delete spec.__annotations;
  if (annotations === undefined) return violated(spec);
  const object = pod(spec);
  (object.metadata as Obj).annotations = annotations;
  return [...new Set(defaultSet.review({ object, operation: 'CREATE' }).map((v) => v.constraint))].sort();
}

describe('Pod Security v1.37 checks in the fixture shape', () => {
  it('GIVEN the minimal pod THEN it passes the whole library', () => {
    expect(violated(minimalPod())).toEqual([]);
  });

  for (const f of FIXTURES) {
    describe(`${f.constraint} (${f.source})`, () => {
      it.each(Object.entries(f.pass))('passes: %s', (_name, mutate) => {
        const spec = minimalPod();
        mutate(spec);
        expect(reviewed(spec)).toEqual([]);
      });
      it.each(Object.entries(f.fail))('fails: %s', (_name, mutate) => {
        const spec = minimalPod();
        mutate(spec);
        expect(reviewed(spec)).toEqual([f.constraint]);
      });
    });
  }
});

describe('version-dependent checks (policy/check_sysctls.go, check_runAsNonRoot.go)', () => {
  const withSysctl = (name: string): PodSpec => {
    const s = minimalPod();
    podSc(s).sysctls = [{ name, value: '1' }];
    return s;
  };

  it.each([
    ['net.ipv4.ip_unprivileged_port_start', '1.25', true],
    ['net.ipv4.ip_local_reserved_ports', '1.26', false],
    ['net.ipv4.ip_local_reserved_ports', '1.27', true],
    ['net.ipv4.tcp_keepalive_time', '1.28', false],
    ['net.ipv4.tcp_keepalive_probes', '1.29', true],
    ['net.ipv4.tcp_rmem', '1.31', false],
    ['net.ipv4.tcp_wmem', '1.32', true],
    ['net.ipv4.tcp_notsent_lowat', '1.36', false],
    ['net.ipv4.tcp_slow_start_after_idle', '1.37', true],
    ['kernel.msgmax', '1.37', false],
  ])('GIVEN sysctl %s at v%s THEN safe: %s', (name, version, safe) => {
    expect(violated(withSysctl(name), atVersion(version))).toEqual(safe ? [] : ['sysctls']);
  });

  it('GIVEN no version (the library alone) THEN the newest safe set applies', () => {
    expect(violated(withSysctl('net.ipv4.tcp_notsent_lowat'))).toEqual([]);
  });

  it('GIVEN SELinux type container_engine_t THEN v1.31+ admits it and v1.30 does not (check_seLinuxOptions.go)', () => {
    const s = minimalPod();
    podSc(s).seLinuxOptions = { type: 'container_engine_t' };
    expect([violated(s, atVersion('1.30')), violated(s, atVersion('1.31'))]).toEqual([['selinux'], []]);
  });

  it('GIVEN a user-namespace pod running as root THEN v1.35+ admits it and v1.34 does not', () => {
    const s = minimalPod();
    s.hostUsers = false;
    podSc(s).runAsNonRoot = false;
    expect([violated(s, atVersion('1.34')), violated(s, atVersion('1.35'))]).toEqual([['run-as-non-root'], []]);
  });

  it("GIVEN a stack THEN its Pod Security constraints carry the stack's Kubernetes version", () => {
    const config = parseStackConfig(stackConfig('prod'), 'Pulumi.prod.yaml');
    const versioned = stackConstraints(config, library).filter((c) => ((c.spec as Obj).parameters as Obj | undefined)?.version !== undefined);
    expect(versioned.map((c) => [(c.metadata as Obj).name, ((c.spec as Obj).parameters as Obj).version])).toEqual([
      ['run-as-non-root', config.kubernetesVersion],
      ['selinux', config.kubernetesVersion],
      ['sysctls', config.kubernetesVersion],
    ]);
  });
});

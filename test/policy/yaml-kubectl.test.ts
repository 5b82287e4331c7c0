/**
 * Manifests are read as `kubectl apply` turns them into JSON: sigs.k8s.io/yaml (v1.6.0) YAMLToJSON
 * over go-yaml v2 (go.yaml.in/yaml/v2 v2.4.2). Expected values are those of sigs.k8s.io/yaml v1.6.0
 * yaml_test.go TestYAMLToJSON and go-yaml/yaml v2.4.0 decode_test.go unmarshalTests, cited per case,
 * plus the resolve.go rules they exercise (octal, `_`, binary, sexagesimal left a string).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { checkManifests } from '../../lib/policy/check';
import { parseYamlManifests } from '../../lib/policy/manifest-yaml';
import { resolveKubectl, resolveYaml12 } from '../../lib/policy/yaml-kubectl';
import { platform } from '../helpers/cli';
import { userErrorMessage } from '../helpers/errors';
import { HARDENED_POD_SPEC } from './fixtures';

const read = (text: string, notes?: string[]): unknown => parseYamlManifests(text, 't.yaml', notes)[0];

describe('YAML read as kubectl reads it (YAML 1.1, go-yaml v2)', () => {
  it.each([
    // sigs.k8s.io/yaml v1.6.0 yaml_test.go TestYAMLToJSON
    ['t: True\n', { t: true }],
    ['t: no\n', { t: false }],
    ['t: null\n', { t: null }],
    ['t: \n', { t: null }],
    ['True: a', { true: 'a' }],
    ['no: a', { false: 'a' }],
    ['1: a', { 1: 'a' }],
    ['1.2: a', { '1.2': 'a' }],
    ['1000000000000000000000000000000000000: a', { '1e+36': 'a' }],
    ['t: 1000000000000000000000000000000000000\n', { t: 1e36 }],
    ['"1.2": a\n', { '1.2': 'a' }],
    ['a: !!binary gIGC', { a: '\ufffd\ufffd\ufffd' }],
    // go-yaml/yaml v2.4.0 decode_test.go
    ['canonical: y', { canonical: true }],
    ['v: 0b10', { v: 2 }],
    ['v: 0xA', { v: 10 }],
    ['octal: 02472256', { octal: 685230 }],
    ['hexa: 0x_0A_74_AE', { hexa: 685230 }],
    ['bin: 0b1010_0111_0100_1010_1110', { bin: 685230 }],
    ['bin: -0b101010', { bin: -42 }],
    ['empty:', { empty: null }],
    // resolve.go: the remaining YAML 1.1 booleans, case variants, and what stays a string.
    ['[yes, Yes, YES, on, On, ON, n, N, No, NO, off, Off, OFF, false, FALSE]', [true, true, true, true, true, true, false, false, false, false, false, false, false, false, false]],
    ['[yEs, oN, nO, "yes", \'on\', !!str no]', ['yEs', 'oN', 'nO', 'yes', 'on', 'no']],
    ['[~, Null, NULL, nuLL]', [null, null, null, 'nuLL']],
    // A leading 0 is octal; 08 is not octal but matches the float pattern; `_` is dropped; base 60 is unsupported.
    ['[0755, 0o755, 08, 1_000, +12, 190:20:30, 2001-12-14, 1e3, .5, 0.]', [493, 493, 8, 1000, 12, '190:20:30', '2001-12-14', 1000, 0.5, 0]],
  ])('GIVEN %j THEN kubectl sends %j', (text, expected) => {
    expect(read(text)).toEqual(expected);
  });

  it('GIVEN neginf: -.inf (go-yaml decode_test.go) THEN it is refused: JSON has no infinity, json.Marshal fails, kubectl cannot send it', () => {
    expect(userErrorMessage(() => read('neginf: -.inf'))).toBe('t.yaml: line 1, column 9: -.inf is an infinite number to kubectl (YAML 1.1), which JSON cannot hold: kubectl cannot send this file; quote it to mean the string');
  });

  it('GIVEN a null key (~: a) THEN it is an error, as in sigs.k8s.io/yaml ("~ key" and "null key" are error cases)', () => {
    expect(userErrorMessage(() => read('~: a'))).toBe('t.yaml: line 1, column 1: a null mapping key; Kubernetes objects have string keys');
  });

  // go-yaml/yaml v2.4.0 decode_test.go mergeTests: explicit keys after << win, earlier maps of a merge list win.
  it('GIVEN merge keys (go-yaml v2 mergeTests) THEN mappings merge in go-yaml v2 order', () => {
    const anchors = 'anchors:\n  - &CENTER {x: 1, y: 2}\n  - &LEFT {x: 0, y: 2}\n  - &BIG {r: 10}\n  - &SMALL {r: 1}\n';
    const doc = read(`${anchors}plain:\n  x: 1\n  y: 2\n  r: 10\nmixed:\n  <<: *CENTER\n  r: 10\nlist:\n  << : [*CENTER, *BIG]\noverride:\n  << : [*BIG, *LEFT, *SMALL]\n  x: 1\ntagged:\n  !!merge "<<" : [*CENTER, *BIG]\ninline:\n  << : {x: 1, y: 2, r: 10}\n`) as Record<string, unknown>;
    for (const key of ['mixed', 'list', 'override', 'tagged', 'inline']) expect([key, doc[key]]).toEqual([key, doc.plain]);
    // Keys written before a merge are replaced by it (mapping entries are set in order).
    expect(read('base: &b {a: 1}\nm:\n  a: 2\n  <<: *b\n')).toEqual({ base: { a: 1 }, m: { a: 1 } });
    expect(read('q: {"<<": {a: 1}}\n')).toEqual({ q: { '<<': { a: 1 } } });
    // decode_test.go unmarshalErrorTests, issue #529.
    expect(userErrorMessage(() => read('a: &x null\n<<:\n- *x\nb: &x {}\n'))).toMatch(/^t\.yaml: line 3, column 3: a merge \(<<\) needs a mapping or a list of mappings/);
  });

  it('GIVEN scalars whose reading depends on the YAML version THEN a note names each with line and column; agreed ones get none', () => {
    const notes: string[] = [];
    read('a: yes\nb: "yes"\nc: 0755\nd: 1\ne: true\nf:\n  <<: {g: 1}\n', notes);
    expect(notes).toEqual([
      't.yaml: line 1, column 4: yes is true as kubectl reads it (YAML 1.1); a YAML 1.2 reader sees the string "yes": quote it or write true to mean one thing',
      't.yaml: line 3, column 4: 0755 is 493 as kubectl reads it (YAML 1.1); a YAML 1.2 reader sees 755: quote it or write the value to mean one thing',
      't.yaml: line 7, column 3: the merge key << merges a mapping as kubectl reads it (YAML 1.1); YAML 1.2 has no merge keys: a YAML 1.2 reader sees a key named "<<"',
    ]);
    expect([resolveKubectl('on'), resolveYaml12('on'), resolveKubectl('0o17'), resolveYaml12('0o17')]).toEqual([true, 'on', 15, 15]);
    // Scalars both readers give the same JSON get no note (-0 is 0 in JSON).
    const none: string[] = [];
    read('a: -0\nb: 1.0\nc: 0x1F\nd: .5\ne: 1e3\n', none);
    expect(none).toEqual([]);
  });

  it('GIVEN aliases that expand without bound (billion laughs) THEN the text is refused', () => {
    const lines = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 8; i++) lines.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(10).fill(`*${String.fromCharCode(96 + i)}`).join(', ')}]`);
    expect(userErrorMessage(() => read(lines.join('\n')))).toMatch(/aliases expand to more than 100000 values$/);
  });
});

describe('platform check reads YAML 1.1 as kubectl applies it', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'yaml11-'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  const pod = (spec: string): string =>
    `apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  namespace: apps\n  labels: {app.kubernetes.io/name: p}\nspec:\n${spec}`;
  const container = (securityContext: string): string =>
    `  containers:\n  - name: app\n    image: ${(HARDENED_POD_SPEC.containers as { image: string }[])[0].image}\n    resources: {requests: {cpu: 100m, memory: 64Mi}, limits: {memory: 64Mi}}\n    securityContext:\n${securityContext}`;
  const hardenedPod = (extraSpec: string, securityContext: string): string =>
    pod(`  automountServiceAccountToken: false\n  securityContext:\n    runAsNonRoot: on\n    runAsUser: 10001\n    seccompProfile: {type: RuntimeDefault}\n${extraSpec}${container(securityContext)}`);

  it('GIVEN privileged: yes, hostNetwork: on, hostPID: Y WHEN checked through the CLI THEN they are violations, each scalar noted', () => {
    const file = path.join(dir, 'yes.yaml');
    fs.writeFileSync(file, hardenedPod('  hostNetwork: on\n  hostPID: Y\n', '      privileged: yes\n      allowPrivilegeEscalation: no\n      readOnlyRootFilesystem: yes\n      capabilities: {drop: [ALL]}\n'));
    const r = platform(['check', file]);
    expect(r.status).toBe(1);
    expect(r.stdout).toContain(`${file}: Pod/apps/p: host-namespaces: sharing host namespaces is not allowed: hostNetwork, hostPID\n`);
    expect(r.stdout).toContain(`${file}: Pod/apps/p: privileged-containers: `);
    expect(r.stdout).not.toMatch(/allow-privilege-escalation|read-only-root-filesystem|run-as-non-root/);
    expect(r.stderr).toContain(`platform: note: ${file}: line 20, column 19: yes is true as kubectl reads it (YAML 1.1); a YAML 1.2 reader sees the string "yes"`);
    expect(r.stderr.split('\n').filter((l) => l.startsWith('platform: note: '))).toHaveLength(6);
  });

  it('GIVEN allowPrivilegeEscalation: no and readOnlyRootFilesystem: yes WHEN checked THEN clean (they mean false and true)', () => {
    const file = path.join(dir, 'no.yaml');
    fs.writeFileSync(file, hardenedPod('', '      allowPrivilegeEscalation: no\n      readOnlyRootFilesystem: yes\n      capabilities: {drop: [ALL]}\n'));
    const result = checkManifests([file]);
    expect(result.violations).toEqual([]);
    expect(result.readingNotes).toHaveLength(3);
  });

  it('GIVEN a container security context merged from an anchor (<<) WHEN checked THEN the merged fields count', () => {
    const file = path.join(dir, 'merge.yaml');
    const text = hardenedPod('', '      <<: &base {allowPrivilegeEscalation: true}\n      readOnlyRootFilesystem: true\n      capabilities: {drop: [ALL]}\n');
    fs.writeFileSync(file, text);
    expect(checkManifests([file]).violations.map((v) => v.constraint)).toEqual(['allow-privilege-escalation']);
  });
});

/**
 * The fast YAML reader (large manifests) must read exactly what the thorough one reads, and step
 * aside wherever the two could differ.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { FAST_YAML_MIN_CHARS, parseYamlManifests, parseYamlThoroughly, readFast } from '../../lib/policy/manifest-yaml';
import { REPO_ROOT } from '../../lib/paths';

function yamlFilesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && /\.ya?ml$/.test(e.name))
    .map((e) => path.join(e.parentPath, e.name))
    .sort();
}

describe('fast YAML reader', () => {
  it('GIVEN every YAML file of the policy library and the stack configs THEN it reads them exactly as the thorough reader, or steps aside', () => {
    const files = [...yamlFilesUnder(path.join(REPO_ROOT, 'policies')), path.join(REPO_ROOT, 'Pulumi.dev.yaml'), path.join(REPO_ROOT, 'Pulumi.prod.yaml')];
    expect(files.length).toBeGreaterThan(100);
    let compared = 0;
    for (const file of files) {
      const text = fs.readFileSync(file, 'utf8');
      const fast = readFast(text, 0);
      if (fast === undefined) continue;
      expect({ file, docs: fast }).toEqual({ file, docs: parseYamlThoroughly(text, file) });
      compared += 1;
    }
    // Most files use none of the constructs that send a text to the thorough reader.
    expect(compared).toBeGreaterThan(files.length / 2);
  });

  it.each([
    ['an anchor and alias', 'a: &x {b: 1}\nc: *x\n'],
    ['an explicit key', '? complex\n: value\n'],
    ['a flow mapping as key', '{a: 1}: value\n'],
    ['a duplicate key', 'a: 1\na: 2\n'],
    ['a syntax error', 'a: [1\n'],
  ])('GIVEN %s THEN the thorough reader takes over', (_what, text) => {
    expect(readFast(text, 0)).toBeUndefined();
  });

  it('GIVEN YAML 1.1 spellings WHEN read fast THEN the fast reader steps aside (the thorough one names them); scalars both readers agree on are read fast', () => {
    for (const text of ['a: yes\n', 'b: on\n', 'c: 0755\n', 'd: 1_000\n', 'e: .inf\n', 'f: <<\n']) expect(readFast(text, 0)).toBeUndefined();
    const text = 'c: 2024-01-01\nd: 0o17\nf: ~\ng: "010"\nh: 1e3\ni: "yes"\nj: 190:20:30\n';
    expect(readFast(text, 0)).toEqual(parseYamlThoroughly(text, 't.yaml'));
    expect(readFast(text, 0)).toEqual([{ c: '2024-01-01', d: 15, f: null, g: '010', h: 1000, i: 'yes', j: '190:20:30' }]);
  });

  it('GIVEN a manifest bundle over the size threshold THEN parseYamlManifests reads it (fast) with every object intact', () => {
    const doc = (i: number) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm-${i}\n  namespace: apps\ndata:\n  key: "value ${i}"\n  flag: "true"\n`;
    const docs: string[] = [];
    let size = 0;
    for (let i = 0; size < FAST_YAML_MIN_CHARS; i++) {
      docs.push(doc(i));
      size += docs[i].length + 4;
    }
    const text = docs.join('---\n');
    expect(readFast(text)).toBeDefined();
    const objects = parseYamlManifests(text, 'bundle.yaml') as { metadata: { name: string }; data: Record<string, string> }[];
    expect(objects).toHaveLength(docs.length);
    expect(objects[docs.length - 1]).toEqual({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `cm-${docs.length - 1}`, namespace: 'apps' }, data: { key: `value ${docs.length - 1}`, flag: 'true' } });
  });
});

/**
 * The layering of DESIGN.md ("Imports between top-level folders point one way"), computed from the
 * sources: every import of every TypeScript file under the layered folders (static, `export ... from`,
 * `import()` and `require()`, as TypeScript's own pre-processor finds them), resolved to the top-level
 * folder it lands in. The construct library's package name counts as `constructs/`.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';

const ROOT = path.resolve(__dirname, '..');

/** What each top-level folder may import from the others (DESIGN.md, Layout). */
const MAY_IMPORT: Readonly<Record<string, readonly string[]>> = {
  model: [],
  constructs: [],
  lib: ['model'],
  charts: ['model', 'constructs', 'lib'],
  infra: ['model', 'constructs', 'lib', 'charts'],
  cli: ['model', 'constructs', 'lib', 'charts', 'infra'],
};
const LAYERED = Object.keys(MAY_IMPORT);
const PACKAGE_FOLDERS: Readonly<Record<string, string>> = { '@eks-platform-blueprint/constructs': 'constructs' };
/** Generated or built output inside layered folders: not sources. */
const SKIPPED = new Set(['node_modules', path.join('constructs', 'lib'), 'imports']);

interface Edge {
  readonly from: string;
  readonly to: string;
  /** `file -> specifier`, the first import that makes the edge. */
  readonly example: string;
}

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    const rel = path.relative(ROOT, full);
    if (SKIPPED.has(entry.name) || SKIPPED.has(rel)) continue;
    if (entry.isDirectory()) out.push(...sourceFiles(full));
    else if (/\.ts$/.test(entry.name) && !entry.name.endsWith('.d.ts')) out.push(full);
  }
  return out;
}

/** The top-level folder an import specifier of `file` lands in; undefined for packages and node built-ins. */
function targetFolder(file: string, specifier: string): string | undefined {
  if (PACKAGE_FOLDERS[specifier]) return PACKAGE_FOLDERS[specifier];
  if (!specifier.startsWith('.')) return undefined;
  const rel = path.relative(ROOT, path.resolve(path.dirname(file), specifier));
  return rel.startsWith('..') ? '(outside the repository)' : rel.split(path.sep)[0];
}

/** Folder-to-folder edges of a tree, each with the first import that makes it. */
function folderEdges(root: string = ROOT): Edge[] {
  const edges = new Map<string, Edge>();
  for (const folder of LAYERED) {
    const dir = path.join(root, folder);
    if (!fs.existsSync(dir)) continue;
    for (const file of sourceFiles(dir)) {
      const { importedFiles } = ts.preProcessFile(fs.readFileSync(file, 'utf8'), true, true);
      for (const { fileName } of importedFiles) {
        const to = targetFolder(file, fileName);
        if (to === undefined || to === folder) continue;
        const key = `${folder}->${to}`;
        if (!edges.has(key)) edges.set(key, { from: folder, to, example: `${path.relative(root, file)} -> ${fileName}` });
      }
    }
  }
  return [...edges.values()].sort((a, b) => (a.from + a.to < b.from + b.to ? -1 : 1));
}

/** Imports from `folder` into `target` that resolve to a file other than the allowed entry points, as `file -> specifier`. */
function internalImports(folder: string, target: string, entries: readonly string[]): string[] {
  const out: string[] = [];
  for (const file of sourceFiles(path.join(ROOT, folder))) {
    for (const { fileName } of ts.preProcessFile(fs.readFileSync(file, 'utf8'), true, true).importedFiles) {
      if (targetFolder(file, fileName) !== target) continue;
      const resolved = path.relative(ROOT, path.resolve(path.dirname(file), fileName));
      const asFile = fs.existsSync(path.join(ROOT, `${resolved}.ts`)) ? `${resolved}.ts` : path.join(resolved, 'index.ts');
      if (!entries.includes(asFile)) out.push(`${path.relative(ROOT, file)} -> ${fileName}`);
    }
  }
  return out;
}

/** Every cycle of a directed graph, each as the list of its nodes (smallest first). */
function cycles(edges: readonly Pick<Edge, 'from' | 'to'>[]): string[][] {
  const next = new Map<string, string[]>();
  for (const e of edges) next.set(e.from, [...(next.get(e.from) ?? []), e.to]);
  const found = new Set<string>();
  const walk = (start: string, node: string, trail: string[]): void => {
    for (const to of next.get(node) ?? []) {
      if (to === start) {
        const min = trail.indexOf([...trail].sort()[0]);
        found.add(JSON.stringify([...trail.slice(min), ...trail.slice(0, min)]));
      } else if (!trail.includes(to)) walk(start, to, [...trail, to]);
    }
  };
  for (const node of next.keys()) walk(node, node, [node]);
  return [...found].sort().map((c) => JSON.parse(c) as string[]);
}

describe('GIVEN the layering of DESIGN.md', () => {
  const edges = folderEdges();

  test('WHEN the sources are read THEN they import across folders at all (the reader finds imports)', () => {
    // A reader that found nothing would pass every check below.
    expect(edges.map((e) => `${e.from}->${e.to}`)).toEqual(expect.arrayContaining(['cli->lib', 'infra->model', 'charts->constructs', 'lib->model']));
  });

  test('WHEN each folder-to-folder import is checked THEN none points where the design forbids', () => {
    const forbidden = edges.filter((e) => !(MAY_IMPORT[e.from] ?? []).includes(e.to)).map((e) => `${e.from} imports ${e.to} (${e.example})`);
    expect(forbidden).toEqual([]);
  });

  test('WHEN infra/ uses charts/ THEN only through the charts entry point, never a chart\'s internals', () => {
    const reached = internalImports('infra', 'charts', ['charts/index.ts']);
    expect(reached).toEqual([]);
  });

  test('WHEN the folder graph is walked THEN it has no cycle', () => {
    expect(cycles(edges).map((c) => c.join(' -> '))).toEqual([]);
  });

  test('WHEN the cycle finder meets a cycle THEN it names it once', () => {
    expect(cycles([{ from: 'infra', to: 'charts' }, { from: 'charts', to: 'infra' }, { from: 'cli', to: 'lib' }])).toEqual([['charts', 'infra']]);
    expect(cycles([{ from: 'lib', to: 'infra' }, { from: 'infra', to: 'model' }, { from: 'model', to: 'lib' }])).toEqual([['infra', 'model', 'lib']]);
  });
});

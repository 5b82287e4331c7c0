import * as fs from 'node:fs';
import * as path from 'node:path';

const DIR = path.resolve(__dirname, '..', '..', 'constructs');
const manifest = JSON.parse(fs.readFileSync(path.join(DIR, 'package.json'), 'utf8'));

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sources(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : []));
}

describe('GIVEN the construct library package', () => {
  test('THEN it is a versioned, publishable package of compiled JavaScript and types with an exports map', () => {
    expect(manifest.name).toBe('@eks-platform-blueprint/constructs');
    expect(manifest.version).toMatch(/^\d+\.\d+\.\d+$/);
    expect(manifest.private).toBeUndefined();
    expect(manifest.exports).toEqual({ '.': { types: './lib/index.d.ts', default: './lib/index.js' }, './package.json': './package.json' });
    expect(manifest.files).toEqual(['lib/**/*.js', 'lib/**/*.d.ts', 'README.md']);
    expect(manifest.scripts.prepack).toBe('npm run build');
  });

  test('THEN cdk8s, constructs and cdk8s-plus-28 are its only dependencies, as peers', () => {
    expect(Object.keys(manifest.peerDependencies).sort()).toEqual(['cdk8s', 'cdk8s-plus-28', 'constructs']);
    expect(manifest.dependencies).toBeUndefined();
    expect(manifest.devDependencies).toBeUndefined();
  });

  test('THEN its sources import only its peers and each other: nothing from Pulumi, the CLI or the rest of the repository', () => {
    const packages = new Set<string>();
    const outside: string[] = [];
    const files = sources(path.join(DIR, 'src'));
    for (const file of files) {
      for (const m of fs.readFileSync(file, 'utf8').matchAll(/^(?:import|export)[^'"]*from '([^']+)'/gm)) {
        const target = m[1];
        if (!target.startsWith('.')) packages.add(target);
        else if (!path.resolve(path.dirname(file), target).startsWith(path.join(DIR, 'src') + path.sep)) outside.push(`${path.basename(file)} -> ${target}`);
      }
    }
    expect(files.length).toBeGreaterThan(15);
    expect(outside).toEqual([]);
    expect([...packages].sort()).toEqual(['cdk8s', 'cdk8s-plus-28', 'constructs']);
  });
});

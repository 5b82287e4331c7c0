/**
 * A small glob for arguments a shell did not expand (e.g. `'policies/**\/suite.yaml'` on shells
 * without globstar): `**` matches any number of directories, `*` and `?` match within a name.
 * Results are sorted; hidden entries are skipped.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

export function hasGlob(pattern: string): boolean {
  return /[*?]/.test(pattern);
}

function segmentRegex(segment: string): RegExp {
  const body = segment.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]');
  return new RegExp(`^${body}$`);
}

function readDir(dir: string): fs.Dirent[] {
  try {
    return fs.readdirSync(dir, { withFileTypes: true }).filter((e) => !e.name.startsWith('.'));
  } catch {
    return [];
  }
}

function walk(base: string, segments: readonly string[], out: Set<string>): void {
  if (segments.length === 0) {
    if (fs.existsSync(base)) out.add(base);
    return;
  }
  const [head, ...rest] = segments;
  if (head === '**') {
    walk(base, rest, out);
    for (const e of readDir(base)) if (e.isDirectory()) walk(path.join(base, e.name), segments, out);
    return;
  }
  if (!hasGlob(head)) {
    walk(path.join(base, head), rest, out);
    return;
  }
  const re = segmentRegex(head);
  for (const e of readDir(base)) if (re.test(e.name)) walk(path.join(base, e.name), rest, out);
}

/** Paths matching `pattern` (relative patterns resolve against the working directory, results stay relative). */
export function expandGlob(pattern: string): string[] {
  const absolute = path.isAbsolute(pattern);
  const segments = pattern.split(/[\\/]+/).filter((s) => s !== '' && s !== '.');
  const out = new Set<string>();
  walk(absolute ? path.parse(pattern).root : '.', segments, out);
  return [...out].sort();
}

/**
 * Loading Kubernetes manifests for `platform check`: files or directories (recursively: .yaml,
 * .yml, .json), multi-document YAML, JSON objects, arrays and `*List` kinds (items expanded). Empty
 * files are fine. Binary or malformed files, and objects without kind/apiVersion, are UserErrors
 * naming the file (and the 1-based document number).
 *
 * Directories of manifests usually hold other YAML too: Helm values (`platform synth` writes them
 * to dist/<stack>/values/), Chart.yaml, values.yaml. So a file reached by walking a directory in
 * which no document has a `kind` field is not a manifest: it is skipped, and the caller reports it.
 * (Files with a kind, such as kustomization.yaml, are objects like any other: no policy matches
 * them.) A file named explicitly is always read strictly, and a file mixing objects with kind-less
 * documents is an error wherever it was found.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { UserError } from '../errors';
import { parseYamlDocuments } from '../yaml';

export interface ManifestObject {
  readonly file: string;
  /** 1-based document number within the file (items of a List share their List's number). */
  readonly document: number;
  readonly object: Record<string, unknown>;
}

const MANIFEST_EXTENSIONS = new Set(['.yaml', '.yml', '.json']);

/** Files under a directory with a manifest extension, recursively, sorted; hidden entries skipped. */
export function listManifestFiles(dir: string): string[] {
  const out: string[] = [];
  const entries = fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    if (e.name.startsWith('.')) continue;
    const full = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...listManifestFiles(full));
    else if (e.isFile() && MANIFEST_EXTENSIONS.has(path.extname(e.name).toLowerCase())) out.push(full);
  }
  return out;
}

/** Reads a text file; NUL bytes or invalid UTF-8 make it a binary file, which is bad input. */
export function readTextFile(file: string): string {
  let buf: Buffer;
  try {
    buf = fs.readFileSync(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new UserError(`${file}: ${code === 'ENOENT' ? 'no such file or directory' : `cannot read (${code ?? String(err)})`}`);
  }
  if (buf.includes(0)) throw new UserError(`${file}: binary file, expected YAML or JSON text`);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(buf).replace(/^\uFEFF/, '');
  } catch {
    throw new UserError(`${file}: not valid UTF-8 text, expected YAML or JSON`);
  }
}

/** Parses the documents of one file: JSON by extension, YAML (which includes JSON) otherwise. */
export function parseManifestText(text: string, file: string): unknown[] {
  if (path.extname(file).toLowerCase() === '.json') {
    if (text.trim() === '') return [];
    try {
      const value: unknown = JSON.parse(text);
      return Array.isArray(value) ? value : [value];
    } catch (err) {
      throw new UserError(`${file}: JSON syntax error: ${(err as Error).message}`);
    }
  }
  return parseYamlDocuments(text, file);
}

function expand(value: unknown, file: string, document: number, out: ManifestObject[]): void {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new UserError(`${file}: document ${document}: expected a Kubernetes object (a mapping with apiVersion and kind), got ${Array.isArray(value) ? 'a list' : JSON.stringify(value)}`);
  }
  const obj = value as Record<string, unknown>;
  const missing = ['apiVersion', 'kind'].filter((k) => typeof obj[k] !== 'string' || obj[k] === '');
  if (missing.length > 0) throw new UserError(`${file}: document ${document}: missing ${missing.join(' and ')} (every object needs apiVersion and kind)`);
  if ((obj.kind as string).endsWith('List') && Array.isArray(obj.items)) {
    for (const item of obj.items) expand(item, file, document, out);
    return;
  }
  out.push({ file, document, object: obj });
}

/** Whether some document has a `kind` field: the mark of a file of Kubernetes objects. */
function holdsObjects(docs: readonly unknown[]): boolean {
  return docs.some((d) => d !== null && typeof d === 'object' && !Array.isArray(d) && Object.prototype.hasOwnProperty.call(d, 'kind'));
}

/** Objects of one file, in order. */
export function loadManifestFile(file: string): ManifestObject[] {
  return objectsOf(parseManifestText(readTextFile(file), file), file);
}

function objectsOf(docs: readonly unknown[], file: string): ManifestObject[] {
  const out: ManifestObject[] = [];
  docs.forEach((doc, i) => expand(doc, file, i + 1, out));
  return out;
}

export interface LoadedManifests {
  /** Objects of every file, in argument then path order. */
  readonly objects: ManifestObject[];
  /** Files found under directories that hold no Kubernetes objects (no document with a `kind`), in order. */
  readonly skippedFiles: string[];
}

/**
 * Objects of every file named or found under the directories named, in argument then path order.
 * Files found under a directory whose documents have no `kind` (Helm values, Chart.yaml) are
 * skipped; files named explicitly are read strictly.
 */
export function loadManifests(paths: readonly string[]): LoadedManifests {
  const objects: ManifestObject[] = [];
  const skippedFiles: string[] = [];
  for (const p of paths) {
    let stat: fs.Stats;
    try {
      stat = fs.statSync(p);
    } catch {
      throw new UserError(`${p}: no such file or directory`);
    }
    if (!stat.isDirectory()) {
      objects.push(...loadManifestFile(p));
      continue;
    }
    for (const file of listManifestFiles(p)) {
      const docs = parseManifestText(readTextFile(file), file);
      if (docs.length > 0 && !holdsObjects(docs)) skippedFiles.push(file);
      else objects.push(...objectsOf(docs, file));
    }
  }
  return { objects, skippedFiles };
}

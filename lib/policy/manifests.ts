/**
 * Loading Kubernetes manifests for `platform check`: files or directories (recursively: .yaml,
 * .yml, .json, following symbolic links), multi-document YAML, JSON objects, arrays and `*List`
 * kinds (items expanded). Empty files are fine. Binary or malformed files, and objects without
 * kind/apiVersion, are UserErrors naming the file (and the 1-based document number, the line and
 * column of a syntax error).
 *
 * Directories of manifests usually hold files that are not objects to check. A file reached by
 * walking a directory is skipped, and reported by reason, when it is:
 * - `no-objects`: parsed, but no document has a `kind` (Helm values, Chart.yaml, package.json,
 *   kustomize's kustomization.yaml without apiVersion/kind);
 * - `template`: an unrendered Helm or Go template: any file containing `{{` under the `templates/`
 *   folder of a Helm chart (a folder with a Chart.yaml), or any other file containing `{{` that does
 *   not load as objects (files whose strings merely contain `{{`, such as alerting rules, are
 *   objects like any other);
 * - `kustomize-patch`: named as a patch (`patchesStrategicMerge`, `patches[].path`,
 *   `patchesJson6902[].path`) by a kustomization.yaml found in the walk: a patch is a fragment, not
 *   an object the cluster will hold;
 * - `not-a-manifest`: not parseable and without any `kind:` key (e.g. a tsconfig.json with
 *   comments).
 * Anything else that does not load (unreadable, binary, a syntax error in a file with a kind) is
 * reported as a file error and the walk goes on: one bad file does not hide the rest of the tree,
 * and the caller fails at the end (exit 2). Every problem of a file named explicitly is an error at
 * once (with a hint when it looks like an unrendered template), and so is a named file that holds
 * no object at all (empty, comments only, an empty List): checking it would check nothing. A file
 * named twice is read once.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { UserError } from '../errors';
import { parseJsonManifests, parseYamlManifests } from './manifest-yaml';

export interface ManifestObject {
  readonly file: string;
  /** 1-based document number within the file (items of a List share their List's number). */
  readonly document: number;
  readonly object: Record<string, unknown>;
}

const MANIFEST_EXTENSIONS = new Set(['.yaml', '.yml', '.json']);

const byName = (a: fs.Dirent, b: fs.Dirent): number => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

function errorCode(err: unknown): string {
  return (err as NodeJS.ErrnoException).code ?? String(err);
}

/**
 * Files under a directory with a manifest extension, recursively, sorted; hidden entries skipped.
 * Symbolic links are followed (a directory reached twice, e.g. through a link cycle, is walked
 * once); a dangling link with a manifest extension is listed, so that reading it reports it.
 */
export function listManifestFiles(dir: string, seen: Set<string> = new Set(), errors?: FileError[], nested = false): string[] {
  let real: string;
  let entries: fs.Dirent[];
  try {
    real = fs.realpathSync(dir);
    entries = fs.readdirSync(dir, { withFileTypes: true }).sort(byName);
  } catch (err) {
    const message = `${dir}: cannot read directory (${errorCode(err)})`;
    // The folder named on the command line must be readable; a folder below it is one bad entry of the walk.
    if (errors === undefined || !nested) throw new UserError(message);
    errors.push({ file: dir, message });
    return [];
  }
  if (seen.has(real)) return [];
  seen.add(real);
  const out: string[] = [];
  for (const e of entries) {
    if (e.name.startsWith('.')) continue;
    const full = path.join(dir, e.name);
    let isDirectory = e.isDirectory();
    let isFile = e.isFile();
    if (e.isSymbolicLink()) {
      try {
        const target = fs.statSync(full);
        isDirectory = target.isDirectory();
        isFile = target.isFile();
      } catch {
        isFile = true;
      }
    }
    if (isDirectory) out.push(...listManifestFiles(full, seen, errors, true));
    else if (isFile && MANIFEST_EXTENSIONS.has(path.extname(e.name).toLowerCase())) out.push(full);
  }
  return out;
}

/** Reads a text file; NUL bytes or invalid UTF-8 make it a binary file, which is bad input. */
export function readTextFile(file: string): string {
  let buf: Buffer;
  try {
    buf = fs.readFileSync(file);
  } catch (err) {
    const code = errorCode(err);
    if (code === 'ENOENT') {
      let target: string | undefined;
      try {
        target = fs.readlinkSync(file);
      } catch {
        target = undefined;
      }
      throw new UserError(`${file}: ${target === undefined ? 'no such file or directory' : `broken symbolic link (its target ${target} does not exist)`}`);
    }
    if (code === 'EACCES') throw new UserError(`${file}: permission denied (EACCES)`);
    if (code === 'EISDIR') throw new UserError(`${file}: is a directory`);
    throw new UserError(`${file}: cannot read (${code})`);
  }
  if (buf.includes(0)) throw new UserError(`${file}: binary file, expected YAML or JSON text`);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(buf).replace(/^\uFEFF/, '');
  } catch {
    throw new UserError(`${file}: not valid UTF-8 text, expected YAML or JSON`);
  }
}

/** Parses the documents of one file: JSON by extension, YAML (which includes JSON) otherwise. */
export function parseManifestText(text: string, file: string, notes?: string[]): unknown[] {
  return path.extname(file).toLowerCase() === '.json' ? parseJsonManifests(text, file) : parseYamlManifests(text, file, notes);
}

function expand(value: unknown, file: string, document: number, out: ManifestObject[], item = ''): void {
  const where = `${file}: document ${document}${item}`;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new UserError(`${where}: expected a Kubernetes object (a mapping with apiVersion and kind), got ${Array.isArray(value) ? 'a list' : JSON.stringify(value)}`);
  }
  const obj = value as Record<string, unknown>;
  const missing = ['apiVersion', 'kind'].filter((k) => typeof obj[k] !== 'string' || obj[k] === '');
  if (missing.length > 0) throw new UserError(`${where}: missing ${missing.join(' and ')} (every object needs apiVersion and kind)`);
  if ((obj.kind as string).endsWith('List') && Array.isArray(obj.items)) {
    obj.items.forEach((x: unknown, i: number) => expand(x, file, document, out, `${item} items[${i}]`));
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

export type SkipReason = 'no-objects' | 'template' | 'kustomize-patch' | 'not-a-manifest';

export interface SkippedFile {
  readonly file: string;
  readonly reason: SkipReason;
}

/** A file (or folder) of a directory walk that could not be read or loaded: the walk went on without it. */
export interface FileError {
  readonly file: string;
  /** One line naming the file and what is wrong (a UserError message). */
  readonly message: string;
}

export interface LoadedManifests {
  /** Objects of every file, in argument then path order. */
  readonly objects: ManifestObject[];
  /** Files found under directories that are not objects to check (see the file comment), in order. */
  readonly skippedFiles: SkippedFile[];
  /** Files and folders of directory walks that could not be loaded, in walk order: the input is bad (exit 2). */
  readonly fileErrors: FileError[];
  /**
   * Scalars of the objects loaded that mean something else to a YAML 1.2 reader than to kubectl
   * (YAML 1.1: `yes`, `on`, 0755, `<<`), one line each naming file, line and column.
   */
  readonly readingNotes: string[];
}

const TEMPLATE_MARK = '{{';

/** Whether a file sits under the `templates/` folder of a Helm chart (a folder with Chart.yaml). */
function inHelmTemplates(file: string): boolean {
  for (let dir = path.dirname(path.resolve(file)); dir !== path.dirname(dir); dir = path.dirname(dir)) {
    if (path.basename(dir) === 'templates' && fs.existsSync(path.join(path.dirname(dir), 'Chart.yaml'))) return true;
  }
  return false;
}

/** Line (1-based) of the first `{{` of a text, or 0 when it has none. */
function templateLine(text: string): number {
  const at = text.indexOf(TEMPLATE_MARK);
  return at === -1 ? 0 : text.slice(0, at).split('\n').length;
}

const KUSTOMIZATION_FILES = new Set(['kustomization.yaml', 'kustomization.yml']);

/** Files named as patches by the kustomization files among `files`, resolved. Unreadable kustomizations name none. */
function kustomizePatches(files: readonly string[]): Set<string> {
  const out = new Set<string>();
  for (const file of files) {
    if (!KUSTOMIZATION_FILES.has(path.basename(file))) continue;
    let k: unknown;
    try {
      k = parseManifestText(readTextFile(file), file)[0];
    } catch {
      continue;
    }
    if (k === null || typeof k !== 'object' || Array.isArray(k)) continue;
    const dir = path.dirname(file);
    const add = (p: unknown): void => {
      if (typeof p === 'string' && p !== '') out.add(path.resolve(dir, p));
    };
    const kz = k as Record<string, unknown>;
    if (Array.isArray(kz.patchesStrategicMerge)) kz.patchesStrategicMerge.forEach(add);
    for (const key of ['patches', 'patchesJson6902']) {
      const list = kz[key];
      if (Array.isArray(list)) for (const p of list) if (p !== null && typeof p === 'object') add((p as Record<string, unknown>).path);
    }
  }
  return out;
}

/** Objects of a file reached by a directory walk, or why it is skipped. */
function walkedFile(file: string, patches: ReadonlySet<string>, notes: string[]): ManifestObject[] | SkipReason {
  if (patches.has(path.resolve(file))) return 'kustomize-patch';
  const text = readTextFile(file);
  const template = text.includes(TEMPLATE_MARK);
  if (template && inHelmTemplates(file)) return 'template';
  let docs: unknown[];
  const fileNotes: string[] = [];
  try {
    docs = parseManifestText(text, file, fileNotes);
  } catch (err) {
    if (!(err instanceof UserError)) throw err;
    if (template) return 'template';
    if (!/^[\s-]*["']?kind["']?\s*:/m.test(text)) return 'not-a-manifest';
    throw err;
  }
  if (docs.length > 0 && !holdsObjects(docs)) return 'no-objects';
  try {
    const objects = objectsOf(docs, file);
    notes.push(...fileNotes);
    return objects;
  } catch (err) {
    if (template && err instanceof UserError) return 'template';
    throw err;
  }
}

/** Objects of a file named explicitly: every problem is an error, with a hint for templates. */
function namedFile(file: string, notes: string[]): ManifestObject[] {
  const text = readTextFile(file);
  let objects: ManifestObject[];
  try {
    objects = objectsOf(parseManifestText(text, file, notes), file);
  } catch (err) {
    const line = templateLine(text);
    if (!(err instanceof UserError) || line === 0) throw err;
    throw new UserError(`${err.message} (line ${line} has "{{": if this is an unrendered Helm or Go template, render it first, e.g. with helm template)`);
  }
  if (objects.length === 0) throw new UserError(`no Kubernetes objects in ${file} (it is empty, holds only comments or an empty List): name a file of manifests`);
  return objects;
}

/**
 * Objects of every file named or found under the directories named, in argument then path order;
 * files found under directories that are not objects to check are skipped (see the file comment).
 */
export function loadManifests(paths: readonly string[]): LoadedManifests {
  const objects: ManifestObject[] = [];
  const skippedFiles: SkippedFile[] = [];
  const fileErrors: FileError[] = [];
  const readingNotes: string[] = [];
  const done = new Set<string>();
  const once = (file: string): boolean => {
    const key = path.resolve(file);
    if (done.has(key)) return false;
    done.add(key);
    return true;
  };
  for (const p of paths) {
    let stat: fs.Stats;
    try {
      stat = fs.statSync(p);
    } catch {
      // A dangling link is named as such.
      if (fs.lstatSync(p, { throwIfNoEntry: false })?.isSymbolicLink()) readTextFile(p);
      throw new UserError(`${p}: no such file or directory`);
    }
    if (!stat.isDirectory()) {
      if (once(p)) objects.push(...namedFile(p, readingNotes));
      continue;
    }
    const files = listManifestFiles(p, undefined, fileErrors);
    const patches = kustomizePatches(files);
    for (const file of files) {
      if (!once(file)) continue;
      let loaded: ManifestObject[] | SkipReason;
      try {
        loaded = walkedFile(file, patches, readingNotes);
      } catch (err) {
        if (!(err instanceof UserError)) throw err;
        fileErrors.push({ file, message: err.message });
        continue;
      }
      if (typeof loaded === 'string') skippedFiles.push({ file, reason: loaded });
      else objects.push(...loaded);
    }
  }
  return { objects, skippedFiles, fileErrors, readingNotes };
}

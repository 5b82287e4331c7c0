import * as fs from 'node:fs';
import * as path from 'node:path';
import { UserError } from './errors';

/**
 * Writes a file so that readers see either the old content or the whole new content, never a
 * half-written file: the data goes to a temporary file beside the target, then is renamed over it.
 */
export function writeFileAtomic(file: string, data: string | Uint8Array): void {
  const target = path.resolve(file);
  if (fs.existsSync(target) && fs.statSync(target).isDirectory()) {
    throw new UserError(`${file}: is a directory (name a file to write; nothing was written)`);
  }
  const dir = path.dirname(target);
  try {
    fs.mkdirSync(dir, { recursive: true });
  } catch (err) {
    throw new UserError(`${file}: cannot write there (${describeFsError(err)}; nothing was written)`);
  }
  const tmp = path.join(dir, `.${path.basename(target)}.${process.pid}.tmp`);
  try {
    fs.writeFileSync(tmp, data);
    fs.renameSync(tmp, target);
  } catch (err) {
    fs.rmSync(tmp, { force: true });
    throw new UserError(`${file}: cannot write (${describeFsError(err)}; nothing was written)`);
  }
}

/**
 * Replaces a whole output directory at once: files are written into a sibling staging directory,
 * which then takes the target's place. On failure the previous directory is left as it was.
 * `files` maps paths relative to `dir` to their content.
 *
 * Replacing deletes what was there, so an existing `dir` is replaced only when every file in it was
 * written by the same command: its first line contains `marker` (e.g. the generated-by header).
 * Anything else (`--out .`, a directory of the user's, a file) is refused with a UserError.
 */
export function writeDirectoryAtomic(dir: string, files: ReadonlyMap<string, string>, marker: string): void {
  const target = path.resolve(dir);
  assertReplaceable(dir, target, marker);
  const parent = path.dirname(target);
  try {
    fs.mkdirSync(parent, { recursive: true });
  } catch (err) {
    throw new UserError(`${dir}: cannot write there (${describeFsError(err)})`);
  }
  let staging: string;
  try {
    staging = fs.mkdtempSync(path.join(parent, `.${path.basename(target)}.staging-`));
  } catch (err) {
    throw new UserError(`${dir}: cannot write there (${describeFsError(err)})`);
  }
  try {
    for (const [rel, content] of [...files.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      if (!content.split('\n', 1)[0].includes(marker)) throw new Error(`${rel} lacks the marker ${marker} on its first line`);
      const file = path.join(staging, rel);
      if (!file.startsWith(staging + path.sep)) throw new Error(`refusing to write outside ${dir}: ${rel}`);
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, content);
    }
    const old = `${staging}.old`;
    if (fs.existsSync(target)) fs.renameSync(target, old);
    fs.renameSync(staging, target);
    fs.rmSync(old, { recursive: true, force: true });
  } catch (err) {
    fs.rmSync(staging, { recursive: true, force: true });
    throw err;
  }
}

/** Refuses to replace anything but a directory that only holds files this command wrote. */
function assertReplaceable(dir: string, target: string, marker: string): void {
  let stat: fs.Stats;
  try {
    stat = fs.lstatSync(target);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw new UserError(`${dir}: cannot write there (${describeFsError(err)})`);
  }
  if (!stat.isDirectory()) throw new UserError(`${dir}: exists and is not a directory (name a new directory, or one this command wrote before)`);
  const foreign = firstForeignFile(target, '', marker);
  if (foreign !== undefined) {
    throw new UserError(`${dir}: holds ${foreign}, which this command did not write; refusing to replace the directory (name a new directory, or remove it first)`);
  }
}

function firstForeignFile(root: string, rel: string, marker: string): string | undefined {
  for (const entry of fs.readdirSync(path.join(root, rel), { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const entryRel = rel ? path.join(rel, entry.name) : entry.name;
    if (entry.isDirectory()) {
      const found = firstForeignFile(root, entryRel, marker);
      if (found !== undefined) return found;
    } else if (!entry.isFile() || !firstLine(path.join(root, entryRel)).includes(marker)) {
      return entryRel;
    }
  }
  return undefined;
}

function firstLine(file: string): string {
  const fd = fs.openSync(file, 'r');
  try {
    const buffer = Buffer.alloc(512);
    const n = fs.readSync(fd, buffer, 0, buffer.length, 0);
    return buffer.subarray(0, n).toString('utf8').split('\n', 1)[0];
  } finally {
    fs.closeSync(fd);
  }
}

function describeFsError(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOTDIR' || code === 'EEXIST') return 'a parent is a file, not a directory';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EROFS') return 'read-only file system';
  if (code === 'EISDIR') return 'it is a directory';
  return code ?? String(err);
}

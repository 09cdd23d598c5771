// Upstream's AtomicWriter layout for configMap, secret, downwardAPI and projected volumes: the
// files live in a timestamped directory, "..data" is a symlink to it and each visible top-level
// name is a symlink into "..data". An update writes a new directory and renames a new "..data"
// over the old one, so a reader resolving "..data" sees the old set or the new, never a mix.
import { chmod, lstat, mkdir, mkdtemp, readFile, readlink, readdir, rename, rm, stat, symlink, unlink, writeFile } from 'node:fs/promises';
import { dirname, join, normalize, posix } from 'node:path';

export interface FileProjection { data: Buffer; mode: number }
export type Payload = Map<string, FileProjection>;

const DATA_DIR = '..data';
const NEW_DATA_DIR = '..data_tmp';
const MAX_PATH_LENGTH = 4096;
const MAX_FILE_NAME_LENGTH = 255;

/** validatePath of upstream, with its messages. */
export function validatePayloadPath(p: string): void {
  if (p === '') throw new Error('invalid path: must not be empty: ""');
  if (posix.isAbsolute(p)) throw new Error(`invalid path: must be relative path: ${p}`);
  if (p.length > MAX_PATH_LENGTH) throw new Error(`invalid path: must be less than or equal to ${MAX_PATH_LENGTH} characters`);
  const items = p.split('/');
  for (const item of items) {
    if (item === '..') throw new Error(`invalid path: must not contain '..': ${p}`);
    if (item.length > MAX_FILE_NAME_LENGTH) throw new Error(`invalid path: filenames must be less than or equal to ${MAX_FILE_NAME_LENGTH} characters`);
  }
  if (items[0]!.startsWith('..') && items[0]!.length > 2) throw new Error(`invalid path: must not start with '..': ${p}`);
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** "..2006_01_02_15_04_05." in UTC, the prefix of upstream's timestamped directories. */
function timestampPrefix(ms: number): string {
  const d = new Date(ms);
  return `..${d.getUTCFullYear()}_${pad(d.getUTCMonth() + 1)}_${pad(d.getUTCDate())}_${pad(d.getUTCHours())}_${pad(d.getUTCMinutes())}_${pad(d.getUTCSeconds())}.`;
}

const topLevel = (p: string) => p.split('/')[0]!;

async function readlinkOrUndefined(p: string): Promise<string | undefined> {
  try {
    return await readlink(p);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

/** Every file and directory under dir, relative to it. */
async function walk(dir: string, prefix = ''): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const rel = prefix ? `${prefix}/${e.name}` : e.name;
    out.push(rel);
    if (e.isDirectory()) out.push(...await walk(join(dir, e.name), rel));
  }
  return out;
}

async function sameContent(path: string, f: FileProjection): Promise<boolean> {
  try {
    const st = await lstat(path);
    if (!st.isFile() || (st.mode & 0o7777) !== f.mode) return false;
    return (await readFile(path)).equals(f.data);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw err;
  }
}

/**
 * Projects payload into targetDir (which must exist). Returns whether anything changed on disk;
 * an unchanged payload writes nothing, so calling this on every pod sync is cheap.
 */
export async function writeAtomically(targetDir: string, payload: Payload, now: number = Date.now()): Promise<boolean> {
  const clean: Payload = new Map();
  for (const [p, f] of payload) {
    validatePayloadPath(p);
    clean.set(normalize(p).replace(/\/$/, ''), f);
  }
  const oldTsName = await readlinkOrUndefined(join(targetDir, DATA_DIR));
  const oldTsPath = oldTsName ? join(targetDir, oldTsName) : undefined;

  let toRemove: string[] = [];
  if (oldTsPath) {
    let existing: string[] = [];
    try { existing = await walk(oldTsPath); } catch (err) { if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err; }
    const wanted = new Set<string>();
    for (const p of clean.keys()) for (let s = p; s && s !== '.'; s = dirname(s)) wanted.add(s);
    toRemove = existing.filter((p) => !wanted.has(p));
    let same = toRemove.length === 0;
    for (const [p, f] of clean) if (same && !await sameContent(join(oldTsPath, p), f)) same = false;
    if (same) {
      await createUserVisibleFiles(targetDir, clean);
      return false;
    }
  }

  const tsDir = await mkdtemp(join(targetDir, timestampPrefix(now)));
  try {
    // 0755 whatever the umask, so that any user in the container can traverse it.
    await chmod(tsDir, 0o755);
    for (const [p, f] of clean) {
      const full = join(tsDir, p);
      await mkdir(dirname(full), { recursive: true, mode: 0o755 });
      await writeFile(full, f.data, { mode: f.mode });
      await chmod(full, f.mode);
    }
    await createUserVisibleFiles(targetDir, clean);
    const tmpLink = join(targetDir, NEW_DATA_DIR);
    await rm(tmpLink, { force: true });
    await symlink(posix.basename(tsDir), tmpLink);
    await rename(tmpLink, join(targetDir, DATA_DIR));
  } catch (err) {
    await rm(tsDir, { recursive: true, force: true });
    throw err;
  }
  // Only top-level names are symlinks in the target directory; deeper paths vanish with the old dir.
  const newTop = new Set([...clean.keys()].map(topLevel));
  for (const p of toRemove) if (!p.includes('/') && !newTop.has(p)) await unlink(join(targetDir, p)).catch(ignoreENOENT);
  if (oldTsPath) await rm(oldTsPath, { recursive: true, force: true });
  return true;
}

async function createUserVisibleFiles(targetDir: string, payload: Payload): Promise<void> {
  for (const name of new Set([...payload.keys()].map(topLevel))) {
    const visible = join(targetDir, name);
    if (await readlinkOrUndefined(visible) !== undefined) continue;
    try {
      await symlink(join(DATA_DIR, name), visible);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  }
}

function ignoreENOENT(err: NodeJS.ErrnoException): void {
  if (err.code !== 'ENOENT') throw err;
}

/** Whether dir already holds an atomic-writer projection (its "..data" link resolves). */
export async function hasProjection(dir: string): Promise<boolean> {
  try {
    return (await stat(join(dir, DATA_DIR))).isDirectory();
  } catch {
    return false;
  }
}

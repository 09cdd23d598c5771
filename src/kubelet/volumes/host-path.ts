// hostPath volumes (upstream pkg/volume/hostpath): no '..' in the path, then the type check —
// DirectoryOrCreate/FileOrCreate create what is missing, the others require the kind they name —
// with upstream's messages, which users read in FailedMount events.
import { mkdir, open, stat } from 'node:fs/promises';
import type { Stats } from 'node:fs';

const KIND_DESCRIPTION: Record<string, [string, string]> = {
  Directory: ['Directory', 'directory'],
  File: ['File', 'file'],
  Socket: ['Socket', 'socket file'],
  CharDevice: ['CharDevice', 'character device'],
  BlockDevice: ['BlockDevice', 'block device'],
};

/** ValidatePathNoBacksteps. */
export function validatePathNoBacksteps(p: string): void {
  if (p.split('/').includes('..')) throw new Error("must not contain '..'");
}

async function statOrUndefined(p: string): Promise<Stats | undefined> {
  try {
    return await stat(p);
  } catch {
    return undefined;
  }
}

/** hostutil.GetFileType. */
function fileType(st: Stats): string {
  if (st.isDirectory()) return 'Directory';
  if (st.isFile()) return 'File';
  if (st.isSocket()) return 'Socket';
  if (st.isCharacterDevice()) return 'CharDevice';
  if (st.isBlockDevice()) return 'BlockDevice';
  throw new Error('only recognise file, directory, socket, block device and character device');
}

async function typeMatchedOrError(path: string, expected: string): Promise<void> {
  const [want, description] = KIND_DESCRIPTION[expected]!;
  const st = await statOrUndefined(path);
  if (!st) throw new Error(`hostPath ${path} doesn't exist`);
  let actual: string;
  try {
    actual = fileType(st);
  } catch (err) {
    throw new Error(`hostPath type check failed, ${path} is not a ${description}, unable to determine its type: ${(err as Error).message}`);
  }
  if (actual !== want) throw new Error(`hostPath type check failed: ${path} is not a ${description}, it's a ${actual}`);
}

/** The SetUp of a hostPath volume: validates the path and checks (or creates) it by type. */
export async function setUpHostPath(path: string, type: string | undefined): Promise<void> {
  try {
    validatePathNoBacksteps(path);
  } catch (err) {
    throw new Error(`invalid HostPath \`${path}\`: ${(err as Error).message}`);
  }
  switch (type ?? '') {
    case '': return;
    case 'DirectoryOrCreate':
      if (!await statOrUndefined(path)) { await mkdir(path, { recursive: true, mode: 0o755 }); return; }
      return typeMatchedOrError(path, 'Directory');
    case 'FileOrCreate':
      if (!await statOrUndefined(path)) { await (await open(path, 'a', 0o644)).close(); return; }
      return typeMatchedOrError(path, 'File');
    case 'Directory': case 'File': case 'Socket': case 'CharDevice': case 'BlockDevice':
      return typeMatchedOrError(path, type!);
    default:
      throw new Error(`${type} is an invalid volume type`);
  }
}

// tmpfs mounts for memory-backed volumes (emptyDir medium Memory, secrets, projected and downward
// API volumes, as upstream) and their removal at pod teardown, by running mount(8)/umount(8).
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Mount points from /proc/self/mountinfo (field 5, with octal escapes undone). */
export async function listMountPoints(): Promise<string[]> {
  let text: string;
  try {
    text = await readFile('/proc/self/mountinfo', 'utf8');
  } catch {
    return [];
  }
  return text.split('\n').filter(Boolean).map((line) =>
    (line.split(' ')[4] ?? '').replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8))));
}

export async function isMountPoint(path: string): Promise<boolean> {
  return (await listMountPoints()).includes(path);
}

/** Whether this process may mount (root); memory-backed volumes fall back to disk otherwise. */
export function canMount(): boolean {
  return process.platform === 'linux' && process.getuid?.() === 0;
}

/** mount -t tmpfs [-o size=N] tmpfs dir; rejects with mount's own message. */
export async function mountTmpfs(dir: string, sizeBytes?: number): Promise<void> {
  const args = ['-t', 'tmpfs'];
  if (sizeBytes !== undefined && sizeBytes > 0) args.push('-o', `size=${sizeBytes}`);
  try {
    await run('mount', [...args, 'tmpfs', dir]);
  } catch (err) {
    const e = err as { stderr?: string; message: string };
    throw new Error((e.stderr || e.message).trim());
  }
}

/** Unmounts every mount point under root, deepest first (lazily when busy). */
export async function unmountAllUnder(root: string): Promise<void> {
  const prefix = root.endsWith('/') ? root : `${root}/`;
  const points = (await listMountPoints()).filter((p) => p === root || p.startsWith(prefix));
  points.sort((a, b) => b.length - a.length);
  for (const p of points) {
    try {
      await run('umount', [p]);
    } catch {
      await run('umount', ['-l', p]);
    }
  }
}

// Whether overlay mounts work where containerd keeps its snapshots. containerd's overlayfs snapshotter
// only checks at start that the kernel knows "overlay"; on a backing filesystem that refuses it (overlay
// on overlay, some tmpfs set-ups) every container would fail at mount time, so we try one mount first
// and fall back to the native (copying) snapshotter.
import { execFile } from 'node:child_process';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export async function pickSnapshotter(dir: string): Promise<'overlayfs' | 'native'> {
  const probe = join(dir, 'overlay-probe');
  const [lower, upper, work, merged] = ['lower', 'upper', 'work', 'merged'].map((d) => join(probe, d));
  try {
    await Promise.all([lower, upper, work, merged].map((d) => mkdir(d, { recursive: true })));
    await run('mount', ['-t', 'overlay', 'overlay', '-o', `lowerdir=${lower},upperdir=${upper},workdir=${work}`, merged]);
    await run('umount', [merged]);
    return 'overlayfs';
  } catch {
    return 'native';
  } finally {
    await rm(probe, { recursive: true, force: true }).catch(() => {});
  }
}

// Image tarballs into containerd's "k8s.io" namespace (the one its CRI plugin serves) with `ctr images
// import`, the tool shipped with containerd; CRI itself has no import call.
import { execFile } from 'node:child_process';
import { RuntimeError } from '../runtime/runtime-service.ts';

export interface CtrImportOptions {
  /** containerd's socket path (not a unix:// URL). */
  address: string;
  ctrPath?: string;
  /** The snapshotter CRI creates containers with: images are unpacked into it at import. */
  snapshotter: string;
}

/**
 * Imports one docker-archive or OCI-layout tarball; returns the image names it created, e.g.
 * "docker.io/library/busybox:latest". ctr prints one "unpacking <name> (sha256:…)...done" line per
 * image it unpacked.
 */
export function ctrImport(tarball: string, o: CtrImportOptions): Promise<string[]> {
  const args = ['--address', o.address, '--namespace', 'k8s.io', 'images', 'import', '--snapshotter', o.snapshotter, tarball];
  return new Promise((resolve, reject) => {
    execFile(o.ctrPath ?? 'ctr', args, { maxBuffer: 4 * 1024 * 1024, timeout: 5 * 60_000 }, (err, stdout, stderr) => {
      if (err) {
        const why = (err as NodeJS.ErrnoException).code === 'ENOENT' ? `${o.ctrPath ?? 'ctr'} not found (it ships with containerd)` : stderr.trim() || err.message;
        reject(new RuntimeError(`importing ${tarball}: ${why}`));
        return;
      }
      resolve(parseImportOutput(stdout));
    });
  });
}

export function parseImportOutput(stdout: string): string[] {
  const refs: string[] = [];
  for (const line of stdout.split('\n')) {
    const m = /^unpacking (\S+) \(sha256:[0-9a-f]+\)/.exec(line.trim());
    if (m) refs.push(m[1]!);
  }
  return refs;
}

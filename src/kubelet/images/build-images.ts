// Builds the local image tarballs (busybox, nginx stand-in, pause) from the host's busybox-static,
// without Docker. Idempotent: an image is built in memory (a fraction of a second) and its tarball is
// only rewritten when the bytes differ, so a kubelet can call this at every start.
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { busyboxRootfsEntries, readStaticBusybox, DEFAULT_BUSYBOX_PATH } from './busybox-rootfs.ts';
import { buildLayer, writeImageArchive, type Layer } from './image-archive-writer.ts';
import { DEFAULT_PATH_ENV, LOCAL_IMAGES, type LocalImageSpec } from './local-image-specs.ts';
import { goArch, type ImageConfig } from './oci-image-types.ts';
import { FIXED_MTIME_SECONDS } from './tar-writer.ts';

export interface BuildImagesOptions {
  busyboxPath?: string;
  /** Defaults to the host's (the busybox binary is the host's). */
  architecture?: string;
  log?: (line: string) => void;
}

export interface BuiltImage {
  file: string;
  names: string[];
  /** The OCI manifest digest: what a pull from the local registry resolves the names to. */
  digest: string;
  /** The config digest: the image id runtimes show. */
  id: string;
  size: number;
  status: 'built' | 'up to date';
}

const CREATED = new Date(FIXED_MTIME_SECONDS * 1000).toISOString();

function imageConfig(spec: LocalImageSpec, layers: Layer[], architecture: string): ImageConfig {
  const history: ImageConfig['history'] = [{ created: CREATED, created_by: 'k8ts: busybox-static rootfs' }];
  if (spec.extraLayer) history.push({ created: CREATED, created_by: spec.extraLayerCreatedBy ?? 'k8ts' });
  return {
    created: CREATED,
    architecture,
    os: 'linux',
    config: { Env: [DEFAULT_PATH_ENV], WorkingDir: '/', ...spec.config },
    rootfs: { type: 'layers', diff_ids: layers.map((l) => l.diffId) },
    history,
  };
}

export async function buildImages(outDir: string, opts: BuildImagesOptions = {}): Promise<BuiltImage[]> {
  const busybox = await readStaticBusybox(opts.busyboxPath ?? DEFAULT_BUSYBOX_PATH);
  const architecture = opts.architecture ?? goArch();
  const base = buildLayer(busyboxRootfsEntries(busybox));
  await mkdir(outDir, { recursive: true });

  const results: BuiltImage[] = [];
  for (const spec of LOCAL_IMAGES) {
    const layers = spec.extraLayer ? [base, buildLayer(spec.extraLayer)] : [base];
    const { tar, manifests } = writeImageArchive([{ names: spec.names, layers, config: imageConfig(spec, layers, architecture) }]);
    const file = join(outDir, spec.file);
    const existing = await readFile(file).catch(() => undefined);
    const upToDate = existing !== undefined && existing.equals(tar);
    if (!upToDate) {
      // Write then rename, so a registry or kubelet reading the folder never sees half a tarball.
      const tmp = `${file}.${process.pid}.tmp`;
      await writeFile(tmp, tar);
      await rename(tmp, file);
    }
    const built: BuiltImage = {
      file, names: spec.names, digest: manifests[0]!.digest, id: manifests[0]!.configDigest, size: tar.length,
      status: upToDate ? 'up to date' : 'built',
    };
    opts.log?.(`${built.names.join(', ')}: ${built.file} ${formatSize(built.size)} ${built.digest} (${built.status})`);
    results.push(built);
  }
  return results;
}

export function formatSize(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MiB` : `${(bytes / 1024).toFixed(1)} KiB`;
}

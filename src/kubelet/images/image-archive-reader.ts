// Reads an OCI-layout image tarball without unpacking it: the names its index.json gives, each name's
// manifest, and where every blob lies in the file, so blobs can be streamed straight from the tarball.
import { open } from 'node:fs/promises';
import { ANNOTATION_IMAGE_NAME, ANNOTATION_REF_NAME, blobPath, type ImageIndex } from './oci-image-types.ts';
import { indexTarFile, type TarIndexEntry } from './tar-reader.ts';

export interface BlobLocation { file: string; offset: number; size: number }

export interface ArchivedManifest {
  /** Fully qualified name with tag: docker.io/library/busybox:latest. */
  name: string;
  digest: string;
  mediaType: string;
  body: Buffer;
}

export interface ImageArchiveContents {
  manifests: ArchivedManifest[];
  /** By digest ("sha256:…"). */
  blobs: Map<string, BlobLocation>;
}

async function readEntry(file: string, entry: TarIndexEntry): Promise<Buffer> {
  const fh = await open(file, 'r');
  try {
    const buf = Buffer.alloc(entry.size);
    await fh.read(buf, 0, entry.size, entry.offset);
    return buf;
  } finally {
    await fh.close();
  }
}

/** Null when the tarball is not an OCI layout (e.g. a docker-archive only). */
export async function readImageArchive(file: string): Promise<ImageArchiveContents | null> {
  const entries = await indexTarFile(file);
  const byPath = new Map(entries.filter((e) => e.type === 'file').map((e) => [e.path, e]));
  const indexEntry = byPath.get('index.json');
  if (!byPath.has('oci-layout') || !indexEntry) return null;

  const blobs = new Map<string, BlobLocation>();
  for (const [path, entry] of byPath) {
    const m = /^blobs\/(sha256)\/([0-9a-f]{64})$/.exec(path);
    if (m) blobs.set(`${m[1]}:${m[2]}`, { file, offset: entry.offset, size: entry.size });
  }

  const index = JSON.parse((await readEntry(file, indexEntry)).toString('utf8')) as ImageIndex;
  const manifests: ArchivedManifest[] = [];
  for (const desc of index.manifests ?? []) {
    const name = desc.annotations?.[ANNOTATION_IMAGE_NAME] ?? desc.annotations?.[ANNOTATION_REF_NAME];
    // A bare ref name ("latest") names no repository: nothing to serve it under.
    if (!name || !name.includes('/')) continue;
    const entry = byPath.get(blobPath(desc.digest));
    if (!entry) throw new Error(`${file}: index.json names ${desc.digest}, which is not in blobs/`);
    manifests.push({ name, digest: desc.digest, mediaType: desc.mediaType, body: await readEntry(file, entry) });
  }
  return { manifests, blobs };
}

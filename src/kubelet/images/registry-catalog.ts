// What the local registry serves: every image of the OCI tarballs in a folder, by repository and tag,
// each manifest also in Docker schema2 form for clients that do not accept OCI manifests. Re-read when
// the folder's tarballs change (names, sizes, mtimes), so `npm run images` is picked up live.
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { readImageArchive, type BlobLocation } from './image-archive-reader.ts';
import { parseImageReference, repositoryName } from './image-reference.ts';
import { MediaType, sha256Digest, type ImageManifest } from './oci-image-types.ts';

export interface ServedManifest {
  digest: string;
  mediaType: string;
  body: Buffer;
}

export interface CatalogRepository {
  /** Tag → the OCI manifest and its Docker schema2 twin (absent when the layers have no Docker type). */
  tags: Map<string, { oci: ServedManifest; docker?: ServedManifest }>;
  /** Digest → manifest, for pulls by digest. */
  manifests: Map<string, ServedManifest>;
}

export interface Catalog {
  /** By full repository name: docker.io/library/busybox, k8ts.local/pause. */
  repositories: Map<string, CatalogRepository>;
  blobs: Map<string, BlobLocation>;
}

const DOCKER_LAYER_TYPES: Record<string, string> = {
  [MediaType.ociLayerGzip]: MediaType.dockerLayerGzip,
  [MediaType.dockerLayerGzip]: MediaType.dockerLayerGzip,
};

/** The same config and layers under Docker's media types; undefined when a layer has no Docker equivalent. */
function dockerTwin(oci: ServedManifest): ServedManifest | undefined {
  if (oci.mediaType !== MediaType.ociManifest) return undefined;
  const m = JSON.parse(oci.body.toString('utf8')) as ImageManifest;
  const layers = [];
  for (const l of m.layers) {
    const mediaType = DOCKER_LAYER_TYPES[l.mediaType];
    if (!mediaType) return undefined;
    layers.push({ mediaType, size: l.size, digest: l.digest });
  }
  const twin = {
    schemaVersion: 2,
    mediaType: MediaType.dockerManifest,
    config: { mediaType: MediaType.dockerConfig, size: m.config.size, digest: m.config.digest },
    layers,
  };
  const body = Buffer.from(JSON.stringify(twin));
  return { digest: sha256Digest(body), mediaType: MediaType.dockerManifest, body };
}

export async function loadCatalog(imagesDir: string, log?: (line: string) => void): Promise<Catalog> {
  const catalog: Catalog = { repositories: new Map(), blobs: new Map() };
  const files = (await readdir(imagesDir).catch(() => [] as string[])).filter((f) => f.endsWith('.tar')).sort();
  for (const f of files) {
    const file = join(imagesDir, f);
    let contents;
    try {
      contents = await readImageArchive(file);
    } catch (err) {
      log?.(`local registry: skipping ${file}: ${(err as Error).message}`);
      continue;
    }
    if (!contents) {
      log?.(`local registry: skipping ${file}: not an OCI image layout`);
      continue;
    }
    for (const [digest, location] of contents.blobs) catalog.blobs.set(digest, location);
    for (const m of contents.manifests) {
      const ref = parseImageReference(m.name);
      const repoName = repositoryName(ref);
      let repo = catalog.repositories.get(repoName);
      if (!repo) catalog.repositories.set(repoName, repo = { tags: new Map(), manifests: new Map() });
      const oci: ServedManifest = { digest: m.digest, mediaType: m.mediaType, body: m.body };
      const docker = dockerTwin(oci);
      if (ref.tag) repo.tags.set(ref.tag, { oci, docker });
      repo.manifests.set(oci.digest, oci);
      if (docker) repo.manifests.set(docker.digest, docker);
    }
  }
  return catalog;
}

/** Names, sizes and mtimes of the folder's tarballs: a change means the catalog must be re-read. */
export async function folderSignature(imagesDir: string): Promise<string> {
  const files = (await readdir(imagesDir).catch(() => [] as string[])).filter((f) => f.endsWith('.tar')).sort();
  const parts = await Promise.all(files.map(async (f) => {
    const s = await stat(join(imagesDir, f)).catch(() => undefined);
    return s ? `${f}:${s.size}:${s.mtimeMs}:${s.ino}` : `${f}:gone`;
  }));
  return parts.join('|');
}

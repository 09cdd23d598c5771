// Writes one tarball that is at once an OCI image layout (oci-layout, index.json, blobs/sha256/…; what
// `ctr images import` prefers) and a docker-archive (manifest.json + repositories pointing at the same
// blobs; what Docker 20.10's `docker load` reads). Layers are gzip tar blobs: both loaders decompress.
import { gzipSync } from 'node:zlib';
import { familiarName, parseImageReference } from './image-reference.ts';
import {
  ANNOTATION_IMAGE_NAME, ANNOTATION_REF_NAME, blobPath, MediaType, sha256Digest,
  type Descriptor, type DockerArchiveManifestItem, type ImageConfig, type ImageIndex, type ImageManifest,
} from './oci-image-types.ts';
import { writeTar, type TarEntry } from './tar-writer.ts';

export interface Layer {
  /** sha256 of the uncompressed tar: the config's rootfs.diff_ids entry. */
  diffId: string;
  /** sha256 of the gzip blob. */
  digest: string;
  blob: Buffer;
}

export interface ArchiveImage {
  /** Fully qualified references with tags. */
  names: string[];
  config: ImageConfig;
  layers: Layer[];
}

export interface WrittenArchive {
  tar: Buffer;
  /** The OCI manifest of each image, in order. */
  manifests: { digest: string; size: number; configDigest: string }[];
}

export function buildLayer(entries: readonly TarEntry[]): Layer {
  const tar = writeTar(entries);
  // zlib writes a zero mtime in the gzip header, so the blob is as reproducible as the tar.
  const blob = gzipSync(tar, { level: 9 });
  return { diffId: sha256Digest(tar), digest: sha256Digest(blob), blob };
}

const json = (value: unknown) => Buffer.from(JSON.stringify(value));

export function writeImageArchive(images: readonly ArchiveImage[]): WrittenArchive {
  const blobs = new Map<string, Buffer>();
  const indexEntries: Descriptor[] = [];
  const dockerManifest: DockerArchiveManifestItem[] = [];
  const repositories: Record<string, Record<string, string>> = {};
  const manifests: WrittenArchive['manifests'] = [];

  for (const image of images) {
    const configBytes = json(image.config);
    const configDigest = sha256Digest(configBytes);
    blobs.set(configDigest, configBytes);
    for (const layer of image.layers) blobs.set(layer.digest, layer.blob);
    const manifest: ImageManifest = {
      schemaVersion: 2,
      mediaType: MediaType.ociManifest,
      config: { mediaType: MediaType.ociConfig, digest: configDigest, size: configBytes.length },
      layers: image.layers.map((l) => ({ mediaType: MediaType.ociLayerGzip, digest: l.digest, size: l.blob.length })),
    };
    const manifestBytes = json(manifest);
    const manifestDigest = sha256Digest(manifestBytes);
    blobs.set(manifestDigest, manifestBytes);
    manifests.push({ digest: manifestDigest, size: manifestBytes.length, configDigest });

    const familiar: string[] = [];
    for (const name of image.names) {
      const ref = parseImageReference(name);
      if (!ref.tag || ref.digest) throw new Error(`image name needs a tag and no digest: ${name}`);
      indexEntries.push({
        mediaType: MediaType.ociManifest,
        digest: manifestDigest,
        size: manifestBytes.length,
        platform: { architecture: image.config.architecture, os: image.config.os },
        annotations: { [ANNOTATION_IMAGE_NAME]: name, [ANNOTATION_REF_NAME]: ref.tag },
      });
      const short = familiarName(ref);
      familiar.push(short);
      const repo = short.slice(0, short.lastIndexOf(':'));
      (repositories[repo] ??= {})[ref.tag] = configDigest.split(':')[1]!;
    }
    dockerManifest.push({ Config: blobPath(configDigest), RepoTags: familiar, Layers: image.layers.map((l) => blobPath(l.digest)) });
  }

  const index: ImageIndex = { schemaVersion: 2, mediaType: MediaType.ociIndex, manifests: indexEntries };
  const entries: TarEntry[] = [
    // Small metadata first: readers looking for the index stop early.
    { type: 'file', path: 'oci-layout', data: json({ imageLayoutVersion: '1.0.0' }) },
    { type: 'file', path: 'index.json', data: json(index) },
    { type: 'file', path: 'manifest.json', data: json(dockerManifest) },
    { type: 'file', path: 'repositories', data: json(repositories) },
    { type: 'dir', path: 'blobs' },
    { type: 'dir', path: 'blobs/sha256' },
  ];
  for (const digest of [...blobs.keys()].sort()) entries.push({ type: 'file', path: blobPath(digest), data: blobs.get(digest)! });
  return { tar: writeTar(entries), manifests };
}

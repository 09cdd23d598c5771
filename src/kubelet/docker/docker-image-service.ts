// ImageService over Docker's image store. Names go to Docker fully qualified (it accepts them) and come
// back fully qualified (Docker reports busybox:latest, containerd docker.io/library/busybox:latest), so
// the kubelet sees the same names whichever runtime it drives. A failed pull rejects with Docker's own
// message, which the kubelet shows in ErrImagePull events.
import { createReadStream } from 'node:fs';
import { basename } from 'node:path';
import type { Image, ImageService } from '../runtime/runtime-service.ts';
import { RuntimeError } from '../runtime/runtime-service.ts';
import { parseImageReference, repositoryName } from '../images/image-reference.ts';
import { DockerError, jsonMessages, type DockerClient } from './docker-client.ts';
import { normalizeImageName, normalizeImageNames } from './docker-convert.ts';
import { ignoreNotFound } from './docker-errors.ts';
import type { DockerContext, ImageInspect } from './docker-types.ts';

/** Idle time allowed between progress messages of a pull or load. */
const TRANSFER_IDLE_TIMEOUT_MS = 5 * 60_000;

export type RegistryAuth = { username?: string; password?: string; auth?: string };

function toImage(i: ImageInspect): Image {
  return { id: i.Id, repoTags: normalizeImageNames(i.RepoTags), repoDigests: normalizeImageNames(i.RepoDigests), size: BigInt(i.Size ?? 0) };
}

async function inspectImage(docker: DockerClient, image: string): Promise<ImageInspect | null> {
  try {
    return await docker.json<ImageInspect>({ path: `/images/${encodeURI(image)}/json` });
  } catch (err) {
    if (err instanceof DockerError && err.statusCode === 404) return null;
    throw err;
  }
}

/** X-Registry-Auth: base64url of the JSON credentials, padded as Docker's decoder wants. */
export function registryAuthHeader(auth: RegistryAuth): string {
  let { username, password } = auth;
  if (!username && auth.auth) {
    const decoded = Buffer.from(auth.auth, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon !== -1) [username, password] = [decoded.slice(0, colon), decoded.slice(colon + 1)];
  }
  return Buffer.from(JSON.stringify({ username: username ?? '', password: password ?? '' })).toString('base64').replace(/\+/g, '-').replace(/\//g, '_');
}

export async function pullImage(docker: DockerClient, image: string, auth?: RegistryAuth): Promise<string> {
  let ref;
  try {
    ref = parseImageReference(image);
  } catch (err) {
    throw new RuntimeError(`invalid reference format: ${(err as Error).message}`);
  }
  const headers: Record<string, string> = auth ? { 'X-Registry-Auth': registryAuthHeader(auth) } : {};
  const res = await docker.stream({
    method: 'POST', path: '/images/create', query: { fromImage: repositoryName(ref), tag: ref.digest ?? ref.tag }, headers, timeoutMs: TRANSFER_IDLE_TIMEOUT_MS,
  });
  for await (const msg of jsonMessages(res)) {
    // Errors after the pull began arrive in the stream; the docker CLI prints them as they are.
    if (msg.error) throw new RuntimeError(String(msg.errorDetail?.message ?? msg.error));
  }
  const pulled = await inspectImage(docker, image);
  if (!pulled) throw new RuntimeError(`image "${image}" not found after pulling it`, 'NotFound');
  return pulled.Id;
}

/** Pulls the image unless Docker has it (the sandbox image: dockershim's ensureSandboxImageExists). */
export async function ensureImage(ctx: DockerContext, image: string): Promise<void> {
  if (await inspectImage(ctx.docker, image)) return;
  ctx.log(`pulling image "${image}"`);
  await pullImage(ctx.docker, image);
}

/** Loads docker-archive tarballs (POST /images/load); returns the names (or ids) Docker loaded. */
export async function importImages(docker: DockerClient, tarballs: string[]): Promise<string[]> {
  const loaded: string[] = [];
  for (const file of tarballs) {
    const res = await docker.stream({
      method: 'POST', path: '/images/load', query: { quiet: 1 }, stream: createReadStream(file), contentType: 'application/x-tar', timeoutMs: TRANSFER_IDLE_TIMEOUT_MS,
    }).catch((err) => {
      throw new RuntimeError(`failed to load ${basename(file)}: ${(err as Error).message}`);
    });
    for await (const msg of jsonMessages(res)) {
      if (msg.error) throw new RuntimeError(`failed to load ${basename(file)}: ${msg.errorDetail?.message ?? msg.error}`);
      const m = /^Loaded image(?: ID)?: (.+)$/.exec(String(msg.stream ?? '').trim());
      if (m) loaded.push(normalizeImageName(m[1]!));
    }
  }
  return loaded;
}

export class DockerImageService implements ImageService {
  constructor(private readonly docker: DockerClient) {}

  async listImages(): Promise<Image[]> {
    const list = await this.docker.json<ImageInspect[]>({ path: '/images/json' });
    return list.map(toImage);
  }

  async imageStatus(image: string): Promise<Image | null> {
    const i = await inspectImage(this.docker, image);
    return i && toImage(i);
  }

  pullImage(image: string, auth?: RegistryAuth): Promise<string> {
    return pullImage(this.docker, image, auth);
  }

  /** Removes the image with all its names, as CRI's RemoveImage; an image already gone is not an error. */
  async removeImage(image: string): Promise<void> {
    const i = await inspectImage(this.docker, image);
    if (!i) return;
    await ignoreNotFound(this.docker.json({ method: 'DELETE', path: `/images/${i.Id}`, query: { force: 1 } }));
  }

  async imageFsInfo(): Promise<{ mountpoint: string; usedBytes: bigint }> {
    const info = await this.docker.json<{ DockerRootDir: string; Driver: string }>({ path: '/info' });
    const df = await this.docker.json<{ LayersSize?: number }>({ path: '/system/df' });
    return { mountpoint: `${info.DockerRootDir}/${info.Driver}`, usedBytes: BigInt(df.LayersSize ?? 0) };
  }
}

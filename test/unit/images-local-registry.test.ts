// The local registry over real HTTP, answering as the Docker Registry v2 API does for the requests
// containerd and dockerd make when it is their mirror.
import { after, before, describe, test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, rename, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildImages, type BuiltImage } from '../../src/kubelet/images/build-images.ts';
import { startLocalRegistry, type LocalRegistry } from '../../src/kubelet/images/local-registry.ts';
import { sha256Digest, type ImageManifest } from '../../src/kubelet/images/oci-image-types.ts';

const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
const DOCKER_MANIFEST = 'application/vnd.docker.distribution.manifest.v2+json';
// What containerd 1.6 sends when resolving a tag.
const CONTAINERD_ACCEPT = `${DOCKER_MANIFEST}, application/vnd.docker.distribution.manifest.list.v2+json, ${OCI_MANIFEST}, application/vnd.oci.image.index.v1+json, *`;

let imagesDir = '';
let built: BuiltImage[] = [];
let registry: LocalRegistry | undefined;

before(async () => {
  if (!existsSync('/bin/busybox')) return;
  imagesDir = await mkdtemp(join(tmpdir(), 'k8ts-registry-'));
  built = await buildImages(imagesDir);
  registry = await startLocalRegistry({ imagesDir, port: 0 });
});
after(async () => {
  await registry?.close();
  if (imagesDir) await rm(imagesDir, { recursive: true, force: true });
});

function ready(t: TestContext): LocalRegistry | undefined {
  if (!registry) t.skip('busybox-static (/bin/busybox) is not installed: no images to serve');
  return registry;
}

const get = (r: LocalRegistry, path: string, init: RequestInit = {}) => fetch(`${r.url}${path}`, init);

async function errorCode(res: Response): Promise<string> {
  const body = (await res.json()) as { errors: { code: string; message: string }[] };
  return body.errors[0]!.code;
}

describe('local registry (Docker Registry HTTP API v2, read-only)', () => {
  test('GET /v2/ answers 200 with the API version header, as clients probe first', async (t) => {
    const r = ready(t);
    if (!r) return;
    assert.match(r.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    const res = await get(r, '/v2/');
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('docker-distribution-api-version'), 'registry/2.0');
  });

  test('HEAD and GET of a tag through a mirror (?ns=docker.io) give the OCI manifest and its digest', async (t) => {
    const r = ready(t);
    if (!r) return;
    const busybox = built[0]!;
    const head = await get(r, '/v2/library/busybox/manifests/latest?ns=docker.io', { method: 'HEAD', headers: { accept: CONTAINERD_ACCEPT } });
    assert.equal(head.status, 200);
    assert.equal(head.headers.get('content-type'), OCI_MANIFEST);
    assert.equal(head.headers.get('docker-content-digest'), busybox.digest);
    const res = await get(r, '/v2/library/busybox/manifests/1.36?ns=docker.io', { headers: { accept: CONTAINERD_ACCEPT } });
    const body = Buffer.from(await res.arrayBuffer());
    assert.equal(sha256Digest(body), busybox.digest);
    assert.equal(Number(head.headers.get('content-length')), body.length);
    assert.equal((JSON.parse(body.toString()) as ImageManifest).config.digest, busybox.id);
  });

  test('the sandbox image resolves by the mirror namespace (k8ts.local and registry.k8s.io)', async (t) => {
    const r = ready(t);
    if (!r) return;
    for (const ns of ['k8ts.local', 'registry.k8s.io']) {
      const res = await get(r, `/v2/pause/manifests/3.10?ns=${ns}`);
      assert.equal(res.status, 200, ns);
      assert.equal(res.headers.get('docker-content-digest'), built[2]!.digest);
    }
    // docker.io has no "library/pause": a mirror request names the registry, and it has none.
    assert.equal((await get(r, '/v2/library/pause/manifests/3.10?ns=docker.io')).status, 404);
  });

  test('without ns a name is read as Docker does (library/nginx is docker.io)', async (t) => {
    const r = ready(t);
    if (!r) return;
    const res = await get(r, '/v2/library/nginx/manifests/latest');
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('docker-content-digest'), built[1]!.digest);
  });

  test('a client accepting only Docker schema2 gets the schema2 twin, retrievable by its digest', async (t) => {
    const r = ready(t);
    if (!r) return;
    const res = await get(r, '/v2/library/nginx/manifests/latest', { headers: { accept: DOCKER_MANIFEST } });
    assert.equal(res.headers.get('content-type'), DOCKER_MANIFEST);
    const body = Buffer.from(await res.arrayBuffer());
    const digest = res.headers.get('docker-content-digest')!;
    assert.equal(sha256Digest(body), digest);
    const manifest = JSON.parse(body.toString()) as ImageManifest;
    assert.equal(manifest.config.digest, built[1]!.id);
    assert.ok(manifest.layers.every((l) => l.mediaType === 'application/vnd.docker.image.rootfs.diff.tar.gzip'));
    const byDigest = await get(r, `/v2/library/nginx/manifests/${digest}`);
    assert.equal(byDigest.headers.get('content-type'), DOCKER_MANIFEST);
    assert.ok(Buffer.from(await byDigest.arrayBuffer()).equals(body));
  });

  test('blobs are served whole or by range, with their digest', async (t) => {
    const r = ready(t);
    if (!r) return;
    const manifest = (await (await get(r, `/v2/library/busybox/manifests/${built[0]!.digest}`)).json()) as ImageManifest;
    for (const desc of [manifest.config, ...manifest.layers]) {
      const res = await get(r, `/v2/library/busybox/blobs/${desc.digest}?ns=docker.io`);
      assert.equal(res.status, 200);
      assert.equal(res.headers.get('docker-content-digest'), desc.digest);
      const blob = Buffer.from(await res.arrayBuffer());
      assert.equal(blob.length, desc.size);
      assert.equal(sha256Digest(blob), desc.digest);
    }
    const layer = manifest.layers[0]!;
    const part = await get(r, `/v2/library/busybox/blobs/${layer.digest}`, { headers: { range: 'bytes=10-19' } });
    assert.equal(part.status, 206);
    assert.equal(part.headers.get('content-range'), `bytes 10-19/${layer.size}`);
    assert.equal((await part.arrayBuffer()).byteLength, 10);
  });

  test('tags/list names the tags of a repository', async (t) => {
    const r = ready(t);
    if (!r) return;
    assert.deepEqual(await (await get(r, '/v2/library/busybox/tags/list')).json(), { name: 'library/busybox', tags: ['1.36', 'latest'] });
    const missing = await get(r, '/v2/library/nosuch/tags/list');
    assert.equal(missing.status, 404);
    assert.equal(await errorCode(missing), 'NAME_UNKNOWN');
  });

  test('unknown images, tags and blobs are 404 with the registry error codes', async (t) => {
    const r = ready(t);
    if (!r) return;
    const nosuch = await get(r, '/v2/library/nosuch/manifests/latest?ns=docker.io');
    assert.equal(nosuch.status, 404);
    assert.deepEqual(await nosuch.json(), { errors: [{ code: 'MANIFEST_UNKNOWN', message: 'manifest unknown', detail: { Tag: 'latest' } }] });
    const tag = await get(r, '/v2/library/busybox/manifests/0.1?ns=docker.io');
    assert.equal(await errorCode(tag), 'MANIFEST_UNKNOWN');
    const blob = await get(r, `/v2/library/busybox/blobs/sha256:${'0'.repeat(64)}`);
    assert.equal(blob.status, 404);
    assert.equal(await errorCode(blob), 'BLOB_UNKNOWN');
    const head = await get(r, '/v2/library/nosuch/manifests/latest', { method: 'HEAD' });
    assert.equal(head.status, 404);
  });

  test('it is read-only: pushes are refused', async (t) => {
    const r = ready(t);
    if (!r) return;
    const res = await get(r, '/v2/library/busybox/manifests/latest', { method: 'PUT', body: '{}' });
    assert.equal(res.status, 405);
    assert.equal(await errorCode(res), 'UNSUPPORTED');
  });

  test('a tarball removed from or added to the folder is seen at the next request', async (t) => {
    const r = ready(t);
    if (!r) return;
    const nginx = built[1]!.file;
    const aside = `${nginx}.aside`;
    await rename(nginx, aside);
    try {
      assert.equal((await get(r, '/v2/library/nginx/manifests/latest')).status, 404);
    } finally {
      await rename(aside, nginx);
    }
    assert.equal((await get(r, '/v2/library/nginx/manifests/latest')).status, 200);
  });
});

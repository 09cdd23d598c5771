// The local image tarballs: each is an OCI layout and a docker-archive over the same blobs, every
// digest is the sha256 of what it names, and a rebuild gives the same bytes.
import { after, before, describe, test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { buildImages, type BuiltImage } from '../../src/kubelet/images/build-images.ts';
import { BusyboxMissingError, readStaticBusybox } from '../../src/kubelet/images/busybox-rootfs.ts';
import type { DockerArchiveManifestItem, ImageConfig, ImageIndex, ImageManifest } from '../../src/kubelet/images/oci-image-types.ts';
import { sha256Digest } from '../../src/kubelet/images/oci-image-types.ts';
import { indexTarBuffer, type TarIndexEntry } from '../../src/kubelet/images/tar-reader.ts';

const BUSYBOX = '/bin/busybox';
let outDir = '';
let built: BuiltImage[] = [];

before(async () => {
  if (!existsSync(BUSYBOX)) return;
  outDir = await mkdtemp(join(tmpdir(), 'k8ts-images-'));
  built = await buildImages(outDir);
});

after(async () => {
  if (outDir) await rm(outDir, { recursive: true, force: true });
});

function needBusybox(t: TestContext): boolean {
  if (built.length > 0) return true;
  t.skip(`busybox-static (${BUSYBOX}) is not installed`);
  return false;
}

/** The tarball's files by path. */
async function openArchive(file: string): Promise<Map<string, Buffer>> {
  const tar = await readFile(file);
  const files = new Map<string, Buffer>();
  for (const e of (await indexTarBuffer(tar)).filter((x: TarIndexEntry) => x.type === 'file')) {
    files.set(e.path, tar.subarray(e.offset, e.offset + e.size));
  }
  return files;
}

const parse = <T>(files: Map<string, Buffer>, path: string): T => {
  const data = files.get(path);
  assert.ok(data, `${path} is in the tarball`);
  return JSON.parse(data.toString('utf8')) as T;
};

describe('buildImages', () => {
  test('builds busybox (two tags), the nginx stand-in and the pause image', (t) => {
    if (!needBusybox(t)) return;
    assert.deepEqual(built.map((b) => b.names), [
      ['docker.io/library/busybox:latest', 'docker.io/library/busybox:1.36'],
      ['docker.io/library/nginx:latest'],
      ['k8ts.local/pause:3.10', 'registry.k8s.io/pause:3.10'],
    ]);
    for (const b of built) {
      assert.equal(b.status, 'built');
      assert.match(b.digest, /^sha256:[0-9a-f]{64}$/);
    }
  });

  test('every blob is named by its sha256, and the OCI index, manifests and config agree', async (t) => {
    if (!needBusybox(t)) return;
    for (const b of built) {
      const files = await openArchive(b.file);
      assert.deepEqual(parse(files, 'oci-layout'), { imageLayoutVersion: '1.0.0' });
      for (const [path, data] of files) {
        if (path.startsWith('blobs/')) assert.equal(sha256Digest(data), `sha256:${path.split('/')[2]}`, path);
      }
      const index = parse<ImageIndex>(files, 'index.json');
      assert.deepEqual(index.manifests.map((m) => m.annotations?.['io.containerd.image.name']), b.names);
      assert.deepEqual(index.manifests.map((m) => m.annotations?.['org.opencontainers.image.ref.name']), b.names.map((n) => n.split(':').pop()));
      for (const desc of index.manifests) {
        assert.equal(desc.digest, b.digest);
        const manifest = parse<ImageManifest>(files, `blobs/sha256/${desc.digest.slice(7)}`);
        assert.equal(files.get(`blobs/sha256/${desc.digest.slice(7)}`)!.length, desc.size);
        assert.equal(manifest.config.digest, b.id);
        const config = parse<ImageConfig>(files, `blobs/sha256/${manifest.config.digest.slice(7)}`);
        assert.equal(config.os, 'linux');
        assert.deepEqual(desc.platform, { architecture: config.architecture, os: 'linux' });
        assert.equal(config.rootfs.diff_ids.length, manifest.layers.length);
        manifest.layers.forEach((layer, i) => {
          const blob = files.get(`blobs/sha256/${layer.digest.slice(7)}`)!;
          assert.equal(blob.length, layer.size);
          assert.equal(layer.mediaType, 'application/vnd.oci.image.layer.v1.tar+gzip');
          assert.equal(sha256Digest(gunzipSync(blob)), config.rootfs.diff_ids[i], 'diff_id is the uncompressed layer digest');
        });
      }
    }
  });

  test('the docker-archive manifest.json points at files in the tarball, with the familiar tags', async (t) => {
    if (!needBusybox(t)) return;
    const expectedTags = [['busybox:latest', 'busybox:1.36'], ['nginx:latest'], ['k8ts.local/pause:3.10', 'registry.k8s.io/pause:3.10']];
    for (const [i, b] of built.entries()) {
      const files = await openArchive(b.file);
      const [item, ...more] = parse<DockerArchiveManifestItem[]>(files, 'manifest.json');
      assert.equal(more.length, 0);
      assert.deepEqual(item!.RepoTags, expectedTags[i]);
      assert.ok(files.has(item!.Config), item!.Config);
      assert.equal(`sha256:${item!.Config.split('/').pop()}`, b.id);
      const manifest = parse<ImageManifest>(files, `blobs/sha256/${b.digest.slice(7)}`);
      assert.deepEqual(item!.Layers, manifest.layers.map((l) => `blobs/sha256/${l.digest.slice(7)}`));
      for (const layer of item!.Layers) assert.ok(files.has(layer), layer);
      assert.ok(parse<Record<string, Record<string, string>>>(files, 'repositories'));
    }
  });

  test('the images run what a user expects: sh in busybox, the nginx stand-in on port 80, /pause', async (t) => {
    if (!needBusybox(t)) return;
    const configs = await Promise.all(built.map(async (b) => {
      const files = await openArchive(b.file);
      return parse<ImageConfig>(files, `blobs/sha256/${b.id.slice(7)}`).config;
    }));
    assert.deepEqual(configs[0]!.Cmd, ['sh']);
    assert.ok(configs[0]!.Env.some((e) => e.startsWith('PATH=') && e.includes('/bin')));
    assert.deepEqual(configs[1]!.Entrypoint, ['/docker-entrypoint.sh']);
    assert.deepEqual(configs[1]!.Cmd, ['nginx', '-g', 'daemon off;']);
    assert.deepEqual(configs[1]!.ExposedPorts, { '80/tcp': {} });
    assert.deepEqual(configs[2]!.Entrypoint, ['/pause']);
  });

  test('the busybox layer has the applets kubectl and tests use, /etc/passwd and a sticky /tmp', async (t) => {
    if (!needBusybox(t)) return;
    const files = await openArchive(built[0]!.file);
    const manifest = parse<ImageManifest>(files, `blobs/sha256/${built[0]!.digest.slice(7)}`);
    const layer = gunzipSync(files.get(`blobs/sha256/${manifest.layers[0]!.digest.slice(7)}`)!);
    const entries = new Map((await indexTarBuffer(layer)).map((e) => [e.path, e]));
    for (const applet of ['sh', 'cat', 'ls', 'sleep', 'echo', 'wget', 'nc', 'httpd', 'hostname', 'tar', 'nslookup', 'env']) {
      assert.equal(entries.get(`bin/${applet}`)?.linkTarget, 'busybox', applet);
    }
    assert.equal(entries.get('bin/busybox')?.type, 'file');
    assert.equal(entries.get('tmp')?.type, 'dir');
    const passwd = entries.get('etc/passwd')!;
    assert.match(layer.toString('utf8', passwd.offset, passwd.offset + passwd.size), /^root:x:0:0:root:\/root:\/bin\/sh$/m);
    const tmpHeaderMode = layer.toString('ascii', entries.get('tmp')!.offset - 512 + 100, entries.get('tmp')!.offset - 512 + 107);
    assert.equal(parseInt(tmpHeaderMode, 8), 0o1777);
  });

  test('a second build writes nothing and reports the same digests', async (t) => {
    if (!needBusybox(t)) return;
    const mtimes = await Promise.all(built.map(async (b) => (await stat(b.file)).mtimeMs));
    const lines: string[] = [];
    const again = await buildImages(outDir, { log: (l) => lines.push(l) });
    assert.deepEqual(again.map((b) => b.status), ['up to date', 'up to date', 'up to date']);
    assert.deepEqual(again.map((b) => b.digest), built.map((b) => b.digest));
    assert.deepEqual(await Promise.all(built.map(async (b) => (await stat(b.file)).mtimeMs)), mtimes);
    assert.equal(lines.length, 3);
    assert.match(lines[0]!, /^docker\.io\/library\/busybox:latest, docker\.io\/library\/busybox:1\.36: \S+busybox\.tar \d+\.\d (KiB|MiB) sha256:[0-9a-f]{64} \(up to date\)$/);
  });

  test('without busybox-static the error says what to install', async () => {
    await assert.rejects(readStaticBusybox('/nonexistent/busybox'), (err: Error) => {
      assert.ok(err instanceof BusyboxMissingError);
      assert.match(err.message, /^busybox-static is not installed: run scripts\/install-runtime\.sh/);
      return true;
    });
  });

  test('a dynamically linked busybox (or any dynamic binary) is refused: it would not run in the image', async () => {
    await assert.rejects(readStaticBusybox('/bin/sh'), /is not statically linked/);
  });
});

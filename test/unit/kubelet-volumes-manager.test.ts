// Pod volumes on disk, as a container would see them: each volume type's content and layout, the
// FailedMount texts of upstream, container mounts (subPath, read-only, /etc/hosts), updates after an
// object changes, and teardown (tmpfs unmounted, pod directory gone). Objects come from an in-memory
// source; files, directories and mounts are real.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, readlinkSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { V1Volume } from '@kubernetes/client-node';
import type { KObject } from '../../src/apimachinery/types.ts';
import { ApiError } from '../../src/client/api-error.ts';
import { FakeClock } from '../../src/client/clock.ts';
import { VolumeManager, VolumeSetUpError, type VolumeObjectSource } from '../../src/kubelet/volumes/index.ts';
import { listMountPoints } from '../../src/kubelet/volumes/mount-points.ts';

const root = mkdtempSync(join(tmpdir(), 'k8ts-volumes-'));
const podsDir = join(root, 'pods');
after(async () => {
  // Whatever a failed test left mounted.
  for (const p of (await listMountPoints()).filter((m) => m.startsWith(root)).reverse()) execFileSync('umount', ['-l', p]);
  rmSync(root, { recursive: true, force: true });
});
const isRoot = process.getuid?.() === 0;

const b64 = (s: string) => Buffer.from(s).toString('base64');
const notFound = (resource: string, name: string) => ApiError.fromStatus({ code: 404, reason: 'NotFound', message: `${resource} "${name}" not found` });

/** The API objects the pods read, editable by the tests. */
const objects = {
  configMaps: new Map<string, KObject>([
    ['app-config', { metadata: { name: 'app-config' }, data: { 'app.conf': 'color=blue\n', 'extra.txt': 'more' }, binaryData: { 'logo.bin': b64('\x00\x01') } }],
    ['kube-root-ca.crt', { metadata: { name: 'kube-root-ca.crt' }, data: { 'ca.crt': '-----BEGIN CERTIFICATE-----\n' } }],
  ]),
  secrets: new Map<string, KObject>([['db-creds', { metadata: { name: 'db-creds' }, data: { username: b64('admin'), password: b64('s3cret') } }]]),
  claims: new Map<string, KObject>(),
  volumes: new Map<string, KObject>(),
};
const logs: string[] = [];
const source: VolumeObjectSource = {
  getConfigMap: async (_ns, name) => objects.configMaps.get(name) as never,
  getSecret: async (_ns, name) => objects.secrets.get(name) as never,
  getPersistentVolumeClaim: async (_ns, name) => { const c = objects.claims.get(name); if (!c) throw notFound('persistentvolumeclaims', name); return c; },
  getPersistentVolume: async (name) => { const v = objects.volumes.get(name); if (!v) throw notFound('persistentvolumes', name); return v; },
  serviceAccountToken: async (pod) => `token-for-${pod.metadata.namespace}/${(pod.spec as { serviceAccountName: string }).serviceAccountName}`,
};

function manager(opts: { tmpfs?: boolean } = {}) {
  return new VolumeManager({ podsDir, source, nodeName: 'node-a', log: (m) => logs.push(m), clock: new FakeClock(), nodeAllocatable: { cpu: '2', memory: '4Gi' }, tmpfs: opts.tmpfs ?? false });
}

let uidSeq = 0;
function pod(volumes: V1Volume[], extra: object = {}): KObject {
  return {
    metadata: { name: 'web', namespace: 'shop', uid: `uid-${++uidSeq}`, labels: { app: 'web', tier: 'front' }, annotations: { build: '42' } },
    spec: { serviceAccountName: 'builder', containers: [{ name: 'app', resources: { limits: { memory: '256Mi' } } }], volumes, ...extra },
  };
}

async function setUpFails(m: VolumeManager, p: KObject): Promise<VolumeSetUpError> {
  try {
    await m.setUpPodVolumes(p);
  } catch (err) {
    assert.ok(err instanceof VolumeSetUpError, String(err));
    return err;
  }
  assert.fail('set-up succeeded');
}

describe('VolumeManager set-up', () => {
  test('emptyDir: a world-writable directory under the pod dir', async () => {
    const m = manager();
    const p = pod([{ name: 'scratch', emptyDir: {} }]);
    const paths = await m.setUpPodVolumes(p);
    const dir = join(podsDir, p.metadata.uid!, 'volumes/kubernetes.io~empty-dir/scratch');
    assert.equal(paths.get('scratch'), dir);
    assert.equal(statSync(dir).mode & 0o777, 0o777);
  });

  test('emptyDir medium Memory: a tmpfs of sizeLimit (secrets on tmpfs too), unmounted at teardown', { skip: isRoot ? false : 'needs root to mount tmpfs' }, async () => {
    const m = manager({ tmpfs: true });
    const p = pod([{ name: 'cache', emptyDir: { medium: 'Memory', sizeLimit: '16Mi' } }, { name: 'creds', secret: { secretName: 'db-creds' } }]);
    const paths = await m.setUpPodVolumes(p);
    const dir = paths.get('cache')!;
    assert.ok((await listMountPoints()).includes(dir), 'mounted');
    assert.ok((await listMountPoints()).includes(paths.get('creds')!), 'secret contents never touch the disk');
    assert.equal(readFileSync(join(paths.get('creds')!, 'username'), 'utf8'), 'admin');
    const df = execFileSync('df', ['-k', '--output=fstype,size', dir], { encoding: 'utf8' });
    assert.match(df, /tmpfs\s+16384/);
    await m.setUpPodVolumes(p); // idempotent: no second mount
    assert.equal((await listMountPoints()).filter((x) => x === dir).length, 1);
    await m.tearDownPodVolumes(p.metadata.uid!);
    assert.deepEqual((await listMountPoints()).filter((x) => x.startsWith(join(podsDir, p.metadata.uid!))), []);
    assert.equal(existsSync(join(podsDir, p.metadata.uid!)), false);
  });

  test('emptyDir medium Memory without mounting: a directory, and the log says so', async () => {
    const m = manager({ tmpfs: false });
    logs.length = 0;
    await m.setUpPodVolumes(pod([{ name: 'cache', emptyDir: { medium: 'Memory' } }]));
    assert.match(logs.join('\n'), /emptyDir volume "cache" of pod shop\/web: medium Memory needs root to mount a tmpfs; using a directory on disk instead/);
  });

  test('hostPath types with upstream messages', async () => {
    const m = manager();
    const base = join(root, 'host');
    mkdirSync(base, { recursive: true });
    writeFileSync(join(base, 'file'), 'x');
    const sock = createServer();
    await new Promise<void>((r) => sock.listen(join(base, 'sock'), r));
    try {
      const ok = await m.setUpPodVolumes(pod([
        { name: 'mk', hostPath: { path: join(base, 'made/dir'), type: 'DirectoryOrCreate' } },
        { name: 'mkf', hostPath: { path: join(base, 'made-file'), type: 'FileOrCreate' } },
        { name: 's', hostPath: { path: join(base, 'sock'), type: 'Socket' } },
        { name: 'any', hostPath: { path: join(base, 'nothing-here') } },
      ]));
      assert.equal(ok.get('mk'), join(base, 'made/dir'));
      assert.ok(statSync(join(base, 'made/dir')).isDirectory());
      assert.ok(statSync(join(base, 'made-file')).isFile());
      const err = await setUpFails(m, pod([
        { name: 'd', hostPath: { path: join(base, 'file'), type: 'Directory' } },
        { name: 'f', hostPath: { path: join(base, 'missing'), type: 'File' } },
        { name: 's', hostPath: { path: base, type: 'Socket' } },
        { name: 'bad', hostPath: { path: base, type: 'Weird' } },
        { name: 'up', hostPath: { path: '/tmp/../etc', type: 'Directory' } },
      ]));
      assert.deepEqual(err.failures.map((f) => f.message), [
        `MountVolume.SetUp failed for volume "d" : hostPath type check failed: ${base}/file is not a directory, it's a File`,
        `MountVolume.SetUp failed for volume "f" : hostPath ${base}/missing doesn't exist`,
        `MountVolume.SetUp failed for volume "s" : hostPath type check failed: ${base} is not a socket file, it's a Directory`,
        'MountVolume.SetUp failed for volume "bad" : Weird is an invalid volume type',
        "MountVolume.SetUp failed for volume \"up\" : invalid HostPath `/tmp/../etc`: must not contain '..'",
      ]);
    } finally {
      sock.close();
    }
  });

  test('configMap: all keys or chosen items with modes; missing objects and keys as FailedMount texts', async () => {
    const m = manager();
    const p = pod([
      { name: 'all', configMap: { name: 'app-config', defaultMode: 0o640 } },
      { name: 'some', configMap: { name: 'app-config', items: [{ key: 'app.conf', path: 'conf/app.conf', mode: 0o600 }] } },
      { name: 'opt', configMap: { name: 'not-there', optional: true } },
    ]);
    const paths = await m.setUpPodVolumes(p);
    const all = paths.get('all')!;
    assert.equal(all, join(podsDir, p.metadata.uid!, 'volumes/kubernetes.io~configmap/all'));
    assert.equal(readFileSync(join(all, 'app.conf'), 'utf8'), 'color=blue\n');
    assert.deepEqual([...readFileSync(join(all, 'logo.bin'))], [0, 1]);
    assert.equal(statSync(join(all, 'extra.txt')).mode & 0o777, 0o640);
    assert.equal(readlinkSync(join(all, 'app.conf')), '..data/app.conf');
    assert.equal(readFileSync(join(paths.get('some')!, 'conf/app.conf'), 'utf8'), 'color=blue\n');
    assert.equal(statSync(join(paths.get('some')!, 'conf/app.conf')).mode & 0o777, 0o600);
    assert.deepEqual(readdirSync(paths.get('opt')!).filter((f) => !f.startsWith('..')), []);

    const err = await setUpFails(m, pod([
      { name: 'cfg', configMap: { name: 'x' } },
      { name: 'keys', configMap: { name: 'app-config', items: [{ key: 'nope', path: 'nope' }] } },
      { name: 'creds', secret: { secretName: 'gone' } },
      { name: 'skeys', secret: { secretName: 'db-creds', items: [{ key: 'token', path: 't' }] } },
    ]));
    assert.deepEqual(err.failures.map((f) => [f.volume, f.stage, f.message]), [
      ['cfg', 'mount', 'MountVolume.SetUp failed for volume "cfg" : configmap "x" not found'],
      ['keys', 'mount', 'MountVolume.SetUp failed for volume "keys" : configmap references non-existent config key: nope'],
      ['creds', 'mount', 'MountVolume.SetUp failed for volume "creds" : secret "gone" not found'],
      ['skeys', 'mount', 'MountVolume.SetUp failed for volume "skeys" : references non-existent secret key: token'],
    ]);
  });

  test('secret: decoded values, defaultMode 0644 unless set', async () => {
    const m = manager();
    const paths = await m.setUpPodVolumes(pod([{ name: 'creds', secret: { secretName: 'db-creds' } }, { name: 'tight', secret: { secretName: 'db-creds', defaultMode: 0o400 } }]));
    assert.equal(readFileSync(join(paths.get('creds')!, 'password'), 'utf8'), 's3cret');
    assert.equal(statSync(join(paths.get('creds')!, 'password')).mode & 0o777, 0o644);
    assert.equal(statSync(join(paths.get('tight')!, 'username')).mode & 0o777, 0o400);
  });

  test('downwardAPI: labels and annotations as key="value" lines, names, resource limits', async () => {
    const m = manager();
    const paths = await m.setUpPodVolumes(pod([{
      name: 'info', downwardAPI: {
        items: [
          { path: 'labels', fieldRef: { fieldPath: 'metadata.labels' } },
          { path: 'annotations', fieldRef: { fieldPath: 'metadata.annotations' } },
          { path: 'name', fieldRef: { fieldPath: 'metadata.name' } },
          { path: 'tier', fieldRef: { fieldPath: "metadata.labels['tier']" } },
          { path: 'mem_limit_mi', resourceFieldRef: { containerName: 'app', resource: 'limits.memory', divisor: '1Mi' } },
          { path: 'cpu_limit', resourceFieldRef: { containerName: 'app', resource: 'limits.cpu' } },
        ],
      },
    }]));
    const read = (f: string) => readFileSync(join(paths.get('info')!, f), 'utf8');
    assert.equal(read('labels'), 'app="web"\ntier="front"');
    assert.equal(read('annotations'), 'build="42"');
    assert.equal(read('name'), 'web');
    assert.equal(read('tier'), 'front');
    assert.equal(read('mem_limit_mi'), '256');
    assert.equal(read('cpu_limit'), '2', 'no cpu limit: node allocatable');
  });

  test('projected: the kube-api-access shape (token, kube-root-ca.crt, namespace)', async () => {
    const m = manager();
    const p = pod([{
      name: 'kube-api-access-abcde', projected: {
        defaultMode: 0o644, sources: [
          { serviceAccountToken: { path: 'token', expirationSeconds: 3607 } },
          { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
          { downwardAPI: { items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }] } },
        ],
      },
    }]);
    const dir = (await m.setUpPodVolumes(p)).get('kube-api-access-abcde')!;
    assert.equal(dir, join(podsDir, p.metadata.uid!, 'volumes/kubernetes.io~projected/kube-api-access-abcde'));
    assert.equal(readFileSync(join(dir, 'token'), 'utf8'), 'token-for-shop/builder');
    assert.equal(readFileSync(join(dir, 'ca.crt'), 'utf8'), '-----BEGIN CERTIFICATE-----\n');
    assert.equal(readFileSync(join(dir, 'namespace'), 'utf8'), 'shop');
    const err = await setUpFails(m, pod([{ name: 'proj', projected: { sources: [{ configMap: { name: 'a' } }, { secret: { name: 'b' } }] } }]));
    assert.equal(err.failures[0]!.message, 'MountVolume.SetUp failed for volume "proj" : [configmap "a" not found, secret "b" not found]');
  });

  test('persistentVolumeClaim: the bound volume\'s hostPath; unbound and missing claims as upstream', async () => {
    const m = manager();
    const data = join(root, 'local-path/pvc-1_shop_data');
    objects.claims.set('data', { metadata: { name: 'data', uid: 'claim-uid' }, spec: { volumeName: 'pvc-1' }, status: { phase: 'Bound' } });
    objects.claims.set('waiting', { metadata: { name: 'waiting', uid: 'w' }, spec: {}, status: { phase: 'Pending' } });
    objects.volumes.set('pvc-1', { metadata: { name: 'pvc-1' }, spec: { hostPath: { path: data, type: 'DirectoryOrCreate' }, claimRef: { uid: 'claim-uid' } } });
    const paths = await m.setUpPodVolumes(pod([{ name: 'vol', persistentVolumeClaim: { claimName: 'data' } }]));
    assert.equal(paths.get('vol'), data);
    assert.ok(statSync(data).isDirectory(), 'DirectoryOrCreate made it');
    const err = await setUpFails(m, pod([
      { name: 'w', persistentVolumeClaim: { claimName: 'waiting' } },
      { name: 'm', persistentVolumeClaim: { claimName: 'missing' } },
    ]));
    assert.deepEqual(err.failures.map((f) => [f.stage, f.message]), [
      ['process', 'error processing PVC shop/waiting: PVC shop/waiting has non-bound phase ("Pending") or empty pvc.Spec.VolumeName ("")'],
      ['process', 'error processing PVC shop/missing: failed to fetch PVC from API server: persistentvolumeclaims "missing" not found'],
    ]);
    assert.equal(err.summary(), 'Unable to attach or mount volumes: unmounted volumes=[w m], unattached volumes=[], failed to process volumes=[w m]: '
      + 'error processing PVC shop/waiting: PVC shop/waiting has non-bound phase ("Pending") or empty pvc.Spec.VolumeName ("")');
  });
});

describe('container mounts', () => {
  test('subPath inside the volume, read-only projections, /etc/hosts appended', async () => {
    const m = manager();
    const p = pod([{ name: 'work', emptyDir: {} }, { name: 'cfg', configMap: { name: 'app-config' } }]);
    const paths = await m.setUpPodVolumes(p);
    const hosts = join(root, 'etc-hosts');
    const mounts = await m.containerMounts(p, {
      name: 'app', volumeMounts: [
        { name: 'work', mountPath: '/data', subPath: 'logs/app' },
        { name: 'work', mountPath: '/per-pod', subPathExpr: '$(POD_NAME)' },
        { name: 'cfg', mountPath: '/etc/app/app.conf', subPath: 'app.conf' },
        { name: 'cfg', mountPath: '/etc/app' },
      ],
    }, paths, { env: [{ key: 'POD_NAME', value: 'web' }], etcHostsPath: hosts });
    const work = paths.get('work')!;
    const cfgData = readlinkSync(join(paths.get('cfg')!, '..data'));
    assert.deepEqual(mounts, [
      { containerPath: '/data', hostPath: join(work, 'logs/app'), readonly: false },
      { containerPath: '/per-pod', hostPath: join(work, 'web'), readonly: false },
      { containerPath: '/etc/app/app.conf', hostPath: join(paths.get('cfg')!, cfgData, 'app.conf'), readonly: true },
      { containerPath: '/etc/app', hostPath: paths.get('cfg')!, readonly: true },
      { containerPath: '/etc/hosts', hostPath: hosts, readonly: false },
    ]);
    assert.ok(statSync(join(work, 'logs/app')).isDirectory(), 'the subPath was created');
  });

  test('a subPath that escapes through a symlink, absolute or with .. is refused', async () => {
    const m = manager();
    const p = pod([{ name: 'work', emptyDir: {} }]);
    const paths = await m.setUpPodVolumes(p);
    symlinkSync('/etc', join(paths.get('work')!, 'evil'));
    const mountsOf = (subPath: string) => m.containerMounts(p, { name: 'app', volumeMounts: [{ name: 'work', mountPath: '/x', subPath }] }, paths);
    await assert.rejects(mountsOf('evil'), { message: 'failed to prepare subPath for volumeMount "work" of container "app"' });
    await assert.rejects(mountsOf('/abs'), { message: 'error SubPath `/abs` must not be an absolute path' });
    await assert.rejects(mountsOf('a/../../b'), { message: "unable to provision SubPath `a/../../b`: must not contain '..'" });
    await assert.rejects(m.containerMounts(p, { name: 'app', volumeMounts: [{ name: 'nope', mountPath: '/x' }] }, paths),
      { message: 'cannot find volume "nope" to mount into container "app"' });
  });
});

describe('refresh and teardown', () => {
  test('a changed ConfigMap is swapped in atomically; a removed key disappears', async () => {
    const m = manager();
    const p = pod([{ name: 'cfg', configMap: { name: 'live' } }]);
    objects.configMaps.set('live', { metadata: { name: 'live' }, data: { a: 'v1', gone: 'soon' } });
    const dir = (await m.setUpPodVolumes(p)).get('cfg')!;
    const first = readlinkSync(join(dir, '..data'));
    await m.refresh(p);
    assert.equal(readlinkSync(join(dir, '..data')), first, 'unchanged: nothing written');
    objects.configMaps.set('live', { metadata: { name: 'live' }, data: { a: 'v2' } });
    await m.refresh(p);
    assert.notEqual(readlinkSync(join(dir, '..data')), first);
    assert.equal(readFileSync(join(dir, 'a'), 'utf8'), 'v2');
    assert.equal(existsSync(join(dir, 'gone')), false);
    assert.equal(existsSync(join(dir, first)), false, 'the old version is removed');
  });

  test('teardown removes the pod directory and nothing outside it', async () => {
    const m = manager();
    const outside = join(root, 'keep-me');
    mkdirSync(outside, { recursive: true });
    writeFileSync(join(outside, 'f'), 'x');
    const p = pod([{ name: 'work', emptyDir: {} }, { name: 'host', hostPath: { path: outside } }]);
    await m.setUpPodVolumes(p);
    await m.tearDownPodVolumes(p.metadata.uid!);
    assert.equal(existsSync(join(podsDir, p.metadata.uid!)), false);
    assert.equal(readFileSync(join(outside, 'f'), 'utf8'), 'x');
    await assert.rejects(m.tearDownPodVolumes('../etc'), { message: 'invalid pod uid "../etc"' });
  });
});

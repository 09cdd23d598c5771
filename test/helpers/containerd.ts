// A throw-away containerd for tests: its own data dir, socket, CNI bridge and pod subnet (several test
// files, and other people's tests, run side by side on one machine), with a busybox image and a pause
// sandbox image imported. Needs root and containerd; otherwise it says why, for t.skip.
//
//   const started = await startTestContainerd();
//   if ('skip' in started) return t.skip(started.skip);
//   const { runtime, stop } = started;   // runtime: ContainerRuntime (CRI); stop() removes every pod first
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, rmSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, readdir, readFile, rename, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { connectCri } from '../../src/kubelet/cri/connect-cri.ts';
import { type RunningContainerd, startContainerd } from '../../src/kubelet/containerd/start-containerd.ts';
import { writeCniConfig } from '../../src/kubelet/network/cni-config.ts';
import type { ContainerRuntime } from '../../src/kubelet/runtime/runtime-service.ts';

const run = promisify(execFile);

export const TEST_BUSYBOX_IMAGE = 'docker.io/library/busybox:latest';
export const TEST_PAUSE_IMAGE = 'k8ts.local/pause:3.10';

export interface TestContainerdOptions {
  /** Import every *.tar here (e.g. `npm run images` output) instead of the helper's own busybox + pause. */
  imagesDir?: string;
  registryMirror?: string;
  log?: (message: string) => void;
}

export interface TestContainerd {
  endpoint: string;
  runtime: ContainerRuntime;
  dataDir: string;
  /** Where the sandboxes' CRI logs should go (PodSandboxConfig.logDirectory parent). */
  logDir: string;
  podCIDR: string;
  bridge: string;
  /** The image names imported. */
  images: string[];
  containerd: RunningContainerd;
  /** Removes every pod sandbox, stops containerd, deletes the bridge and the data dir. */
  stop(): Promise<void>;
}

/** Why containerd tests cannot run here, or undefined when they can. */
export function containerdSkipReason(): string | undefined {
  if (process.getuid?.() !== 0) return 'needs root (containerd mounts filesystems and creates namespaces)';
  const path = (process.env.PATH ?? '').split(':');
  for (const bin of ['containerd', 'ctr', 'runc']) {
    if (!path.some((d) => d && existsSync(join(d, bin)))) return `${bin} is not installed`;
  }
  if (!existsSync('/usr/lib/cni/bridge')) return 'CNI plugins are not installed in /usr/lib/cni';
  if (!existsSync('/bin/busybox')) return 'busybox-static (/bin/busybox) is not installed';
  return undefined;
}

export async function startTestContainerd(o: TestContainerdOptions = {}): Promise<TestContainerd | { skip: string }> {
  const skip = containerdSkipReason();
  if (skip) return { skip };
  // Short: containerd's socket path must fit in 107 bytes.
  const dataDir = await mkdtemp(join(tmpdir(), 'k8ts-ctd-'));
  const slot = await claimNetworkSlot(dataDir);
  const cniConfDir = join(dataDir, 'cni', 'net.d');
  let containerd: RunningContainerd | undefined;
  let runtime: ContainerRuntime | undefined;
  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= teardown(dataDir, slot.bridge, containerd, runtime).then(slot.release);
    return stopping;
  };

  try {
    await writeCniConfig({ confDir: cniConfDir, podCIDR: slot.podCIDR, bridge: slot.bridge, ipamDataDir: join(dataDir, 'cni', 'ipam') });
    containerd = await startContainerd({ dataDir, sandboxImage: TEST_PAUSE_IMAGE, cniConfDir, registryMirror: o.registryMirror, log: o.log });
    runtime = await connectCri(containerd.endpoint);
    const tarballs = o.imagesDir
      ? (await readdir(o.imagesDir)).filter((f) => f.endsWith('.tar')).map((f) => join(o.imagesDir!, f))
      : await testImageTarballs();
    const images = await runtime.importImages(tarballs);
    return { endpoint: containerd.endpoint, runtime, dataDir, logDir: join(dataDir, 'pod-logs'), podCIDR: slot.podCIDR, bridge: slot.bridge, images, containerd, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** Removes every pod (containers, CNI set-up, mounts), stops containerd, deletes the bridge and dataDir. */
async function teardown(dataDir: string, bridge: string, containerd?: RunningContainerd, runtime?: ContainerRuntime): Promise<void> {
  if (runtime) {
    for (const s of await runtime.runtime.listPodSandbox().catch(() => [])) {
      await runtime.runtime.stopPodSandbox(s.id).catch(() => {});
      await runtime.runtime.removePodSandbox(s.id).catch(() => {});
    }
    await runtime.close();
  }
  await containerd?.stop();
  await unmountUnder(dataDir);
  await run('ip', ['link', 'delete', bridge]).catch(() => {});
  await rm(dataDir, { recursive: true, force: true }).catch(() => {});
}

/**
 * What a test process that died without stopping left behind: containerd (adopted, or started again
 * on its data dir) removes the pods its shims still run, then everything goes.
 */
async function reap(dataDir: string, bridge: string): Promise<void> {
  if (!existsSync(join(dataDir, 'containerd', 'config.toml'))) return teardown(dataDir, bridge);
  const containerd = await startContainerd({ dataDir, sandboxImage: TEST_PAUSE_IMAGE, cniConfDir: join(dataDir, 'cni', 'net.d') }).catch(() => undefined);
  const runtime = containerd ? await connectCri(containerd.endpoint).catch(() => undefined) : undefined;
  await teardown(dataDir, bridge, containerd, runtime);
}

/**
 * A bridge name and /24 per running test containerd, claimed with an atomic mkdir under /run so
 * concurrent test processes never share one. A claim whose owner died is reaped and taken over.
 */
async function claimNetworkSlot(dataDir: string): Promise<{ bridge: string; podCIDR: string; release(): Promise<void> }> {
  const root = '/run/k8ts-test-containerd';
  await mkdir(root, { recursive: true });
  for (let n = 0; n < 50; n++) {
    const lock = join(root, `slot-${n}`);
    const bridge = `k8tsci${n}`;
    if (!(await mkdir(lock).then(() => true, () => false))) {
      const owner = Number(await readFile(join(lock, 'pid'), 'utf8').catch(() => '0'));
      if (owner > 0 && isAlive(owner)) continue;
      // Renaming is atomic: of several processes finding the same dead claim, one reaps it.
      const taken = `${lock}.reaping-${process.pid}`;
      if (!(await rename(lock, taken).then(() => true, () => false))) continue;
      const stale = await readFile(join(taken, 'data-dir'), 'utf8').catch(() => '');
      if (stale) await reap(stale, bridge);
      await rm(taken, { recursive: true, force: true });
      if (!(await mkdir(lock).then(() => true, () => false))) continue;
    }
    await writeFile(join(lock, 'pid'), String(process.pid));
    await writeFile(join(lock, 'data-dir'), dataDir);
    return { bridge, podCIDR: `10.244.${200 + n}.0/24`, release: () => rm(lock, { recursive: true, force: true }) };
  }
  throw new Error('no free test network slot (50 test containerds running?)');
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Lazily unmounts whatever containerd left mounted under dir (a crashed run's rootfs, shm, netns). */
async function unmountUnder(dir: string): Promise<void> {
  const mounts = (await readFile('/proc/self/mounts', 'utf8')).split('\n').map((l) => l.split(' ')[1] ?? '').filter((m) => m.startsWith(`${dir}/`));
  for (const m of mounts.reverse()) await run('umount', ['-l', m]).catch(() => {});
}

let built: Promise<string[]> | undefined;

/** busybox and pause image tarballs (docker-archive), built once per process from /bin/busybox. */
export function testImageTarballs(): Promise<string[]> {
  built ??= buildTestImages();
  return built;
}

async function buildTestImages(): Promise<string[]> {
  const dir = await mkdtemp(join(tmpdir(), 'k8ts-test-images-'));
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  const rootfs = join(dir, 'rootfs');
  for (const d of ['bin', 'etc', 'tmp', 'proc', 'sys', 'dev', 'root']) await mkdir(join(rootfs, d), { recursive: true });
  await copyFile('/bin/busybox', join(rootfs, 'bin', 'busybox'));
  const applets = (await run('/bin/busybox', ['--list'])).stdout.split('\n').filter((a) => a && a !== 'busybox');
  for (const a of applets) await symlink('busybox', join(rootfs, 'bin', a));
  await writeFile(join(rootfs, 'etc', 'passwd'), 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/home:/bin/false\n');
  await writeFile(join(rootfs, 'etc', 'group'), 'root:x:0:\nnogroup:x:65534:\n');
  const layer = join(dir, 'layer.tar');
  await run('tar', ['--sort=name', '--owner=0', '--group=0', '--numeric-owner', '--mtime=@0', '-C', rootfs, '-cf', layer, '.']);
  const layerDigest = createHash('sha256').update(await readFile(layer)).digest('hex');

  const image = async (file: string, name: string, config: Record<string, unknown>): Promise<string> => {
    const cfg = Buffer.from(JSON.stringify({
      architecture: process.arch === 'x64' ? 'amd64' : process.arch, os: 'linux', created: '1970-01-01T00:00:00Z',
      config: { Env: ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'], ...config },
      rootfs: { type: 'layers', diff_ids: [`sha256:${layerDigest}`] },
    }));
    const cfgName = `${createHash('sha256').update(cfg).digest('hex')}.json`;
    const archive = join(dir, file.replace(/\.tar$/, ''));
    await mkdir(join(archive, layerDigest), { recursive: true });
    await copyFile(layer, join(archive, layerDigest, 'layer.tar'));
    await writeFile(join(archive, cfgName), cfg);
    await writeFile(join(archive, 'manifest.json'), JSON.stringify([{ Config: cfgName, RepoTags: [name], Layers: [`${layerDigest}/layer.tar`] }]));
    const out = join(dir, file);
    await run('tar', ['--owner=0', '--group=0', '--numeric-owner', '-C', archive, '-cf', out, 'manifest.json', cfgName, layerDigest]);
    return out;
  };
  return [
    await image('busybox.tar', TEST_BUSYBOX_IMAGE, { Cmd: ['sh'] }),
    // Sleeps until stopped; TERM ends it at once (PID 1 ignores untrapped signals).
    await image('pause.tar', TEST_PAUSE_IMAGE, { Entrypoint: ['/bin/sh', '-c', "trap 'exit 0' TERM INT; while :; do sleep 3600 & wait; done"] }),
  ];
}

// The local images and registry against a real containerd (our supervisor's config): CRI pulls of
// docker.io and k8ts.local images go to the local registry as a mirror, an unknown image fails with
// "not found", `ctr images import` takes the tarballs, and the images behave as a user expects — the
// nginx stand-in answers with the pod's hostname, nginx and pause stop at once on their stop signals
// (as PID 1 they would otherwise wait for SIGKILL) and pause reaps orphans.
import { after, before, describe, test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { buildImages, type BuiltImage } from '../../src/kubelet/images/build-images.ts';
import { startLocalRegistry, type LocalRegistry } from '../../src/kubelet/images/local-registry.ts';
import { RuntimeError } from '../../src/kubelet/runtime/runtime-service.ts';
import { containerdSkipReason, startTestContainerd, type TestContainerd } from '../helpers/containerd.ts';
import { waitFor } from '../helpers/wait-for.ts';

const run = promisify(execFile);
const CTR_NAMESPACE = 'k8ts-images-test';

let env: TestContainerd | undefined;
let registry: LocalRegistry | undefined;
let skipReason: string | undefined;
let workDir = '';
let built: BuiltImage[] = [];
const registryRequests: string[] = [];

before(async () => {
  skipReason = containerdSkipReason();
  if (skipReason) return;
  workDir = await mkdtemp(join(tmpdir(), 'k8ts-images-int-'));
  built = await buildImages(join(workDir, 'images'));
  registry = await startLocalRegistry({ imagesDir: join(workDir, 'images'), onRequest: (method, path) => registryRequests.push(`${method} ${path}`) });
  // Nothing imported: every image CRI has here came through the registry.
  await mkdir(join(workDir, 'none'));
  const started = await startTestContainerd({ registryMirror: registry.url, imagesDir: join(workDir, 'none') });
  if ('skip' in started) skipReason = started.skip;
  else env = started;
});

after(async () => {
  if (env) {
    // Containers run with ctr are not CRI pods: the helper would not remove them.
    const ids = (await ctr(env, 'containers', 'ls', '-q').catch(() => '')).split('\n').filter(Boolean);
    for (const id of ids) await removeContainer(env, id);
  }
  await env?.stop();
  await registry?.close();
  if (workDir) await rm(workDir, { recursive: true, force: true });
});

function ready(t: TestContext): TestContainerd | undefined {
  if (!env) t.skip(skipReason ?? 'containerd did not start');
  return env;
}

async function ctr(e: TestContainerd, ...args: string[]): Promise<string> {
  const address = e.endpoint.replace(/^unix:\/\//, '');
  const { stdout } = await run('ctr', ['--address', address, '--namespace', CTR_NAMESPACE, ...args], { maxBuffer: 8 * 1024 * 1024 });
  return stdout;
}

async function removeContainer(e: TestContainerd, id: string): Promise<void> {
  await ctr(e, 'tasks', 'kill', '--signal', 'SIGKILL', id).catch(() => {});
  await waitFor(async () => !(await taskStatus(e, id)).startsWith('RUNNING'), { timeoutMs: 10_000 }).catch(() => {});
  await ctr(e, 'tasks', 'delete', '--force', id).catch(() => {});
  await ctr(e, 'containers', 'delete', id).catch(() => {});
}

async function taskStatus(e: TestContainerd, id: string): Promise<string> {
  const line = (await ctr(e, 'tasks', 'ls')).split('\n').find((l) => l.split(/\s+/)[0] === id);
  return line?.split(/\s+/)[2] ?? 'NONE';
}

let runCount = 0;
/** Starts a container from an imported image, detached; removed again when the test ends. */
async function runImage(t: TestContext, e: TestContainerd, image: string, ...cmd: string[]): Promise<string> {
  const id = `img-${process.pid}-${++runCount}`;
  await ctr(e, 'run', '--detach', '--snapshotter', e.containerd.snapshotter, image, id, ...cmd);
  t.after(() => removeContainer(e, id));
  await waitFor(async () => (await taskStatus(e, id)) === 'RUNNING', { timeoutMs: 10_000, message: `${id} running` });
  return id;
}

async function exec(e: TestContainerd, id: string, ...cmd: string[]): Promise<string> {
  return ctr(e, 'tasks', 'exec', '--exec-id', `x${++runCount}`, id, ...cmd);
}

/** Sends sig and waits for the task to stop; the stop is "prompt" when it beats the 10 s a stop would otherwise wait before SIGKILL. */
async function stopsOn(e: TestContainerd, id: string, sig: string): Promise<void> {
  await ctr(e, 'tasks', 'kill', '--signal', sig, id);
  await waitFor(async () => (await taskStatus(e, id)) === 'STOPPED', { timeoutMs: 8_000, message: `${id} to stop on ${sig} (PID 1 without a handler ignores it)` });
}

let imported: Promise<void> | undefined;
function importTarballs(e: TestContainerd): Promise<void> {
  imported ??= (async () => {
    for (const b of built) await ctr(e, 'images', 'import', '--snapshotter', e.containerd.snapshotter, b.file);
  })();
  return imported;
}

describe('local images and registry with containerd', { timeout: 180_000 }, () => {
  test('CRI PullImage of docker.io/library/busybox:latest goes to the local registry as a mirror', async (t) => {
    const e = ready(t);
    if (!e) return;
    const busybox = built[0]!;
    registryRequests.length = 0;
    const ref = await e.runtime.images.pullImage('docker.io/library/busybox:latest');
    assert.equal(ref, busybox.id);
    assert.ok(registryRequests.some((l) => l.includes('/v2/library/busybox/manifests/latest?ns=docker.io')), registryRequests.join('\n'));
    const status = await e.runtime.images.imageStatus('busybox:latest');
    assert.ok(status, 'busybox is in the CRI image store');
    assert.ok(status.repoTags.includes('docker.io/library/busybox:latest'));
    assert.ok(status.repoDigests.includes(`docker.io/library/busybox@${busybox.digest}`), status.repoDigests.join(', '));
  });

  test('the sandbox image and the nginx stand-in pull by their names too', async (t) => {
    const e = ready(t);
    if (!e) return;
    assert.equal(await e.runtime.images.pullImage('k8ts.local/pause:3.10'), built[2]!.id);
    assert.equal(await e.runtime.images.pullImage('registry.k8s.io/pause:3.10'), built[2]!.id);
    assert.equal(await e.runtime.images.pullImage('nginx'), built[1]!.id);
  });

  test('an image the registry does not have fails as "not found"', async (t) => {
    const e = ready(t);
    if (!e) return;
    await assert.rejects(e.runtime.images.pullImage('docker.io/library/nosuch:latest'), (err: RuntimeError) => {
      assert.match(err.message, /failed to resolve reference "docker\.io\/library\/nosuch:latest": docker\.io\/library\/nosuch:latest: not found/);
      assert.equal(err.code, 'NotFound');
      return true;
    });
  });

  test('ctr pulls through the same hosts.toml (--hosts-dir) as CRI', async (t) => {
    const e = ready(t);
    if (!e) return;
    const hostsDir = join(e.dataDir, 'containerd', 'certs.d');
    if (!existsSync(hostsDir)) return t.skip(`the supervisor keeps no hosts.toml dir at ${hostsDir}`);
    const out = await ctr(e, 'images', 'pull', '--hosts-dir', hostsDir, '--snapshotter', e.containerd.snapshotter, 'docker.io/library/busybox:1.36');
    assert.match(out, new RegExp(`unpacking linux/\\S+ ${built[0]!.digest}`));
  });

  test('ctr images import takes every tarball and names each image', async (t) => {
    const e = ready(t);
    if (!e) return;
    await importTarballs(e);
    const names = (await ctr(e, 'images', 'ls', '-q')).split('\n').filter(Boolean).sort();
    for (const name of built.flatMap((b) => b.names)) assert.ok(names.includes(name), `${name} in ${names.join(', ')}`);
  });

  test('nginx stand-in: / names the pod by hostname, and SIGQUIT (its stop signal) or SIGTERM end it at once', async (t) => {
    const e = ready(t);
    if (!e) return;
    await importTarballs(e);
    for (const sig of ['SIGQUIT', 'SIGTERM']) {
      const id = await runImage(t, e, 'docker.io/library/nginx:latest');
      const hostname = (await exec(e, id, 'hostname')).trim();
      const page = await waitFor(() => exec(e, id, 'wget', '-qO-', 'http://127.0.0.1:80/'), { timeoutMs: 10_000, message: 'nginx stand-in to answer' });
      assert.match(page, /<h1>k8ts nginx stand-in<\/h1>/);
      assert.ok(page.includes(`<p>hostname: ${hostname}</p>`), page);
      await stopsOn(e, id, sig);
    }
  });

  test('pause: sleeps until SIGTERM or SIGINT, then exits at once', async (t) => {
    const e = ready(t);
    if (!e) return;
    await importTarballs(e);
    for (const sig of ['SIGTERM', 'SIGINT']) {
      const id = await runImage(t, e, 'k8ts.local/pause:3.10');
      assert.equal(await taskStatus(e, id), 'RUNNING');
      await stopsOn(e, id, sig);
    }
  });

  test('pause reaps orphans re-parented to it (no zombies pile up in a shared PID namespace)', async (t) => {
    const e = ready(t);
    if (!e) return;
    await importTarballs(e);
    const id = await runImage(t, e, 'k8ts.local/pause:3.10');
    // The subshell exits at once; its "sleep" child is orphaned to PID 1 and exits a moment later.
    await exec(e, id, 'sh', '-c', '(sleep 0.3 &) ; true');
    const states = async () => (await exec(e, id, 'sh', '-c', 'cat /proc/[0-9]*/stat 2>/dev/null')).split('\n').filter(Boolean);
    // Settled when only pause's own sleep still runs; an unreaped orphan would then show as a zombie.
    const settled = await waitFor(async () => {
      const s = await states();
      return s.filter((l) => /\(sleep\) [^Z]/.test(l)).length === 1 ? s : undefined;
    }, { timeoutMs: 10_000, message: 'the orphaned sleep to end' });
    assert.deepEqual(settled.filter((l) => / Z /.test(l)), [], 'no zombie processes');
  });

  test('busybox: sh is the default command, and tar is there for kubectl cp', async (t) => {
    const e = ready(t);
    if (!e) return;
    await importTarballs(e);
    const id = await runImage(t, e, 'docker.io/library/busybox:latest', 'sleep', '3600');
    assert.match(await exec(e, id, 'sh', '-c', 'tar --help 2>&1; true'), /Usage: tar/);
    assert.equal((await exec(e, id, 'sh', '-c', 'echo $PATH; id -un')).trim(), '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\nroot');
  });

  test('docker load accepts the tarballs (only when a dockerd is already running)', async (t) => {
    if (!built.length) return t.skip(skipReason ?? 'no images built');
    if (!(await dockerAnswers())) return t.skip('dockerd is not running (this test never starts one): docker load unchecked');
    const { stdout } = await run('docker', ['load', '-i', built[0]!.file]);
    assert.match(stdout, /Loaded image: busybox:latest/);
    const { stdout: id } = await run('docker', ['image', 'inspect', '--format', '{{.Id}}', 'busybox:1.36']);
    assert.equal(id.trim(), built[0]!.id);
  });
});

function dockerAnswers(): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request({ socketPath: '/var/run/docker.sock', path: '/_ping', timeout: 2_000 }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('error', () => resolve(false));
    req.on('timeout', () => req.destroy());
    req.end();
  });
}

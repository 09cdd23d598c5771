// The CRI runtime against a real containerd started by our supervisor: its own data dir, socket, CNI
// bridge and subnet, images imported with ctr. A pod sandbox gets an IP from the CNI range, a busybox
// container runs and logs in CRI format, exec works, stops report exit codes and reasons as the
// kubelet shows them, and failures carry containerd's own messages.
import { after, before, describe, test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { startContainerd } from '../../src/kubelet/containerd/start-containerd.ts';
import { CriError } from '../../src/kubelet/cri/cri-errors.ts';
import { type ContainerConfig, type PodSandboxConfig, RuntimeError } from '../../src/kubelet/runtime/runtime-service.ts';
import { containerdSkipReason, startTestContainerd, TEST_BUSYBOX_IMAGE, type TestContainerd } from '../helpers/containerd.ts';
import { waitFor } from '../helpers/wait-for.ts';

let env: TestContainerd | undefined;
let skipReason: string | undefined;
let registry: Server | undefined;

// Stands in for a registry that has no such image: every manifest is unknown (404), as the local
// registry and Docker Hub answer for a missing tag.
function startEmptyRegistry(): Promise<string> {
  registry = createServer((_req, res) => {
    res.writeHead(404, { 'content-type': 'application/json', 'docker-distribution-api-version': 'registry/2.0' });
    res.end(JSON.stringify({ errors: [{ code: 'MANIFEST_UNKNOWN', message: 'manifest unknown', detail: {} }] }));
  });
  return new Promise((resolve) => registry!.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(registry!.address() as AddressInfo).port}`)));
}

before(async () => {
  const started = await startTestContainerd({ registryMirror: await startEmptyRegistry() });
  if ('skip' in started) skipReason = started.skip;
  else env = started;
});
after(async () => {
  await env?.stop();
  registry?.close();
});

function ready(t: TestContext): TestContainerd | undefined {
  if (!env) t.skip(skipReason ?? 'containerd did not start');
  return env;
}

let podCount = 0;
function sandboxConfig(e: TestContainerd, over: Partial<PodSandboxConfig> = {}): PodSandboxConfig {
  const name = `pod-${++podCount}`;
  const uid = `uid-${process.pid}-${podCount}`;
  return {
    metadata: { name, uid, namespace: 'default', attempt: 0 },
    hostname: name,
    logDirectory: join(e.logDir, `default_${name}_${uid}`),
    portMappings: [],
    labels: { 'io.kubernetes.pod.name': name, 'io.kubernetes.pod.namespace': 'default', 'io.kubernetes.pod.uid': uid },
    annotations: {},
    ...over,
  };
}

function containerConfig(name: string, command: string[], over: Partial<ContainerConfig> = {}): ContainerConfig {
  return {
    metadata: { name, attempt: 0 }, image: TEST_BUSYBOX_IMAGE, command, args: [], workingDir: '', envs: [], mounts: [],
    labels: { 'io.kubernetes.container.name': name }, annotations: {}, logPath: `${name}/0.log`,
    stdin: false, stdinOnce: false, tty: false, ...over,
  };
}

function inSubnet(ip: string, cidr: string): boolean {
  const [net, bits] = cidr.split('/');
  const n = (a: string): number => a.split('.').reduce((acc, o) => acc * 256 + Number(o), 0);
  const mask = 2 ** 32 - 2 ** (32 - Number(bits));
  return (n(ip) & mask) >>> 0 === (n(net!) & mask) >>> 0;
}

describe('CRI runtime on containerd', { timeout: 180_000 }, () => {
  test('reports containerd and CRI v1, and has the imported images', async (t) => {
    const e = ready(t);
    if (!e) return;
    const v = await e.runtime.runtime.version();
    assert.equal(v.runtimeName, 'containerd');
    assert.equal(v.runtimeApiVersion, 'v1');
    const busybox = await e.runtime.images.imageStatus(TEST_BUSYBOX_IMAGE);
    assert.ok(busybox, 'busybox is imported');
    assert.ok(busybox.repoTags.includes(TEST_BUSYBOX_IMAGE));
    assert.match(busybox.id, /^sha256:[0-9a-f]{64}$/);
    assert.ok(busybox.size > 0n);
    assert.ok((await e.runtime.images.listImages()).some((i) => i.id === busybox.id));
    assert.equal(await e.runtime.images.imageStatus('docker.io/library/not-here:1.0'), null);
    const fs = await e.runtime.images.imageFsInfo();
    assert.ok(fs.mountpoint.startsWith(e.dataDir), `image fs ${fs.mountpoint} is under the data dir`);
  });

  test('a pod runs a busybox container: pod IP, CRI log, exec, stop with exit code, removal', async (t) => {
    const e = ready(t);
    if (!e) return;
    const rt = e.runtime.runtime;
    const sc = sandboxConfig(e);

    const t0 = performance.now();
    const sandboxId = await rt.runPodSandbox(sc);
    const t1 = performance.now();
    const containerId = await rt.createContainer(sandboxId, containerConfig('main', ['sh', '-c', 'echo hi; sleep 3600']), sc);
    await rt.startContainer(containerId);
    const t2 = performance.now();
    t.diagnostic(`sandbox ${(t1 - t0).toFixed(0)} ms, container create+start ${(t2 - t1).toFixed(0)} ms, pod total ${(t2 - t0).toFixed(0)} ms`);

    const sandbox = await rt.podSandboxStatus(sandboxId);
    assert.equal(sandbox.state, 'SANDBOX_READY');
    assert.equal(sandbox.networkNamespace, 'POD');
    assert.ok(inSubnet(sandbox.network.ip, e.podCIDR), `pod IP ${sandbox.network.ip} in ${e.podCIDR}`);
    assert.deepEqual(sandbox.metadata, sc.metadata);
    assert.equal(sandbox.labels['io.kubernetes.pod.uid'], sc.metadata.uid);
    assert.ok(sandbox.createdAt > 1_600_000_000_000_000_000n, 'createdAt is Unix nanoseconds');

    const status = await rt.containerStatus(containerId);
    assert.equal(status.state, 'CONTAINER_RUNNING');
    assert.equal(status.podSandboxId, sandboxId);
    assert.equal(status.image, TEST_BUSYBOX_IMAGE);
    assert.match(status.imageRef, /^sha256:/);
    assert.ok(status.startedAt >= status.createdAt);
    assert.equal(status.logPath, join(sc.logDirectory, 'main/0.log'));
    const log = await waitFor(async () => {
      const text = await readFile(status.logPath, 'utf8').catch(() => '');
      return text.includes('hi') ? text : undefined;
    }, { message: 'the container log to contain "hi"' });
    assert.match(log, /^\d{4}-\d\d-\d\dT[\d:.]+Z stdout F hi$/m, 'CRI log format: time stream tag message');

    const byLabel = await rt.listContainers({ labelSelector: { 'io.kubernetes.container.name': 'main' } });
    assert.deepEqual(byLabel.map((c) => c.id), [containerId]);
    assert.deepEqual((await rt.listPodSandbox({ labelSelector: { 'io.kubernetes.pod.uid': sc.metadata.uid } })).map((s) => s.id), [sandboxId]);

    const hostname = await rt.execSync(containerId, ['cat', '/etc/hostname'], 10);
    assert.equal(hostname.stdout.toString().trim(), sc.hostname);
    assert.equal(hostname.exitCode, 0);
    const failing = await rt.execSync(containerId, ['sh', '-c', 'echo oops >&2; exit 3'], 10);
    assert.equal(failing.exitCode, 3);
    assert.equal(failing.stderr.toString(), 'oops\n');
    await assert.rejects(rt.execSync(containerId, ['no-such-command'], 10), (err: RuntimeError) => {
      assert.match(err.message, /executable file not found in \$PATH/);
      return true;
    });
    await assert.rejects(rt.execSync(containerId, ['sleep', '30'], 1), (err: RuntimeError) => {
      assert.equal(err.code, 'DeadlineExceeded');
      assert.match(err.message, /timeout 1s exceeded/);
      return true;
    });

    const stats = await waitFor(async () => (await rt.listContainerStats()).find((s) => s.id === containerId), { message: 'stats of the container' });
    assert.equal(stats.podSandboxId, sandboxId);
    assert.equal(stats.name, 'main');
    assert.ok(stats.memoryWorkingSetBytes > 0n);

    // sh as PID 1 ignores SIGTERM: killed after the 1 s grace, as a kubelet shows it.
    const stopStart = performance.now();
    await rt.stopContainer(containerId, 1);
    t.diagnostic(`stop with 1 s grace took ${(performance.now() - stopStart).toFixed(0)} ms`);
    const stopped = await rt.containerStatus(containerId);
    assert.equal(stopped.state, 'CONTAINER_EXITED');
    assert.equal(stopped.exitCode, 137);
    assert.equal(stopped.reason, 'Error');
    assert.ok(stopped.finishedAt > stopped.startedAt);

    await rt.removeContainer(containerId);
    await assert.rejects(rt.containerStatus(containerId), (err: RuntimeError) => {
      assert.equal(err.code, 'NotFound');
      assert.match(err.message, new RegExp(`an error occurred when try to find container "${containerId}": not found`));
      return true;
    });
    await rt.stopPodSandbox(sandboxId);
    assert.equal((await rt.podSandboxStatus(sandboxId)).state, 'SANDBOX_NOTREADY');
    await rt.removePodSandbox(sandboxId);
    assert.deepEqual(await rt.listContainers(), []);
    assert.deepEqual(await rt.listPodSandbox(), []);
  });

  test('a container that exits by itself is Completed with code 0, or Error with its code', async (t) => {
    const e = ready(t);
    if (!e) return;
    const rt = e.runtime.runtime;
    const sc = sandboxConfig(e);
    const sandboxId = await rt.runPodSandbox(sc);
    const ok = await rt.createContainer(sandboxId, containerConfig('ok', ['true']), sc);
    const bad = await rt.createContainer(sandboxId, containerConfig('bad', ['sh', '-c', 'exit 42']), sc);
    assert.equal((await rt.containerStatus(ok)).state, 'CONTAINER_CREATED');
    await rt.startContainer(ok);
    await rt.startContainer(bad);
    const exited = (id: string) => waitFor(async () => {
      const s = await rt.containerStatus(id);
      return s.state === 'CONTAINER_EXITED' ? s : undefined;
    }, { message: `container ${id} to exit` });
    const [okStatus, badStatus] = await Promise.all([exited(ok), exited(bad)]);
    assert.deepEqual([okStatus.exitCode, okStatus.reason], [0, 'Completed']);
    assert.deepEqual([badStatus.exitCode, badStatus.reason], [42, 'Error']);
    await rt.stopPodSandbox(sandboxId);
    await rt.removePodSandbox(sandboxId);
  });

  test('a missing image fails to pull with containerd\'s message; an unknown image fails to create', async (t) => {
    const e = ready(t);
    if (!e) return;
    await assert.rejects(e.runtime.images.pullImage('docker.io/library/not-here:1.0'), (err: RuntimeError) => {
      assert.equal(err.code, 'NotFound');
      assert.equal(err.message, 'failed to pull and unpack image "docker.io/library/not-here:1.0": failed to resolve reference "docker.io/library/not-here:1.0": docker.io/library/not-here:1.0: not found');
      assert.ok(err instanceof CriError);
      assert.match(err.rpcError, /^rpc error: code = NotFound desc = failed to pull and unpack image/);
      return true;
    });
    const rt = e.runtime.runtime;
    const sc = sandboxConfig(e);
    const sandboxId = await rt.runPodSandbox(sc);
    await assert.rejects(rt.createContainer(sandboxId, containerConfig('x', ['true'], { image: 'docker.io/library/not-here:1.0' }), sc), (err: RuntimeError) => {
      assert.match(err.message, /not-here:1\.0/);
      return true;
    });
    await rt.removePodSandbox(sandboxId).catch(async () => {
      await rt.stopPodSandbox(sandboxId);
      await rt.removePodSandbox(sandboxId);
    });
  });

  test('port-forward reaches a server in the pod; a host-network sandbox has no pod IP', async (t) => {
    const e = ready(t);
    if (!e) return;
    const rt = e.runtime.runtime;
    const sc = sandboxConfig(e);
    const sandboxId = await rt.runPodSandbox(sc);
    const web = await rt.createContainer(sandboxId, containerConfig('web', ['sh', '-c', 'mkdir -p /www && hostname > /www/index.html && exec httpd -f -p 8080 -h /www']), sc);
    await rt.startContainer(web);
    const body = await waitFor(async () => {
      const socket = await rt.portForward(sandboxId, 8080);
      socket.end('GET /index.html HTTP/1.0\r\n\r\n');
      let text = '';
      for await (const chunk of socket) text += chunk;
      return text.includes('200 OK') ? text : undefined;
    }, { message: 'httpd to answer through port-forward' });
    assert.match(body, new RegExp(`\\r\\n\\r\\n${sc.hostname}\\n$`));
    await assert.rejects(rt.portForward(sandboxId, 8081), /ECONNREFUSED/);

    const hostSc = sandboxConfig(e, { linux: { securityContext: { namespaceOptions: { network: 'NODE' } } } });
    const hostSandbox = await rt.runPodSandbox(hostSc);
    const hostStatus = await rt.podSandboxStatus(hostSandbox);
    assert.equal(hostStatus.networkNamespace, 'NODE');
    assert.equal(hostStatus.network.ip, '');
    for (const id of [sandboxId, hostSandbox]) {
      await rt.stopPodSandbox(id);
      await rt.removePodSandbox(id);
    }
  });

  test('exec and attach stream through containerd\'s streaming server', { timeout: 30_000 }, async (t) => {
    const e = ready(t);
    if (!e) return;
    const rt = e.runtime.runtime;
    const sc = sandboxConfig(e);
    const sandboxId = await rt.runPodSandbox(sc);
    const id = await rt.createContainer(sandboxId, containerConfig('sh', ['sh', '-c', 'sleep 3600']), sc);
    await rt.startContainer(id);
    const stdin = new PassThrough();
    const stdout = new PassThrough();
    let out = '';
    stdout.on('data', (d) => (out += d));
    stdin.end('from stdin\n');
    const result = await rt.exec(id, ['sh', '-c', 'cat; echo done; exit 7'], { stdin, stdout, tty: false });
    assert.equal(result.exitCode, 7);
    assert.equal(out, 'from stdin\ndone\n');

    // Attach to a container's own stdin/stdout (stdinOnce: closing stdin ends its input).
    const reader = await rt.createContainer(sandboxId, containerConfig('reader', ['sh', '-c', 'read line; echo "got $line"'], { stdin: true, stdinOnce: true }), sc);
    await rt.startContainer(reader);
    const attachIn = new PassThrough();
    const attachOut = new PassThrough();
    let attached = '';
    attachOut.on('data', (d) => (attached += d));
    attachIn.end('hello\n');
    await rt.attach(reader, { stdin: attachIn, stdout: attachOut, tty: false });
    assert.equal(attached, 'got hello\n');
    const readerStatus = await waitFor(async () => {
      const st = await rt.containerStatus(reader);
      return st.state === 'CONTAINER_EXITED' ? st : undefined;
    }, { message: 'the attached container to exit' });
    assert.equal(readerStatus.reason, 'Completed');
    await rt.stopPodSandbox(sandboxId);
    await rt.removePodSandbox(sandboxId);
  });
});

describe('containerd supervisor', { timeout: 60_000 }, () => {
  test('stop is safe after containerd died; a second start adopts a running containerd', async (t) => {
    const skip = containerdSkipReason();
    if (skip) return t.skip(skip);
    const dataDir = await mkdtemp(join(tmpdir(), 'k8ts-ctd-sup-'));
    try {
      const opts = { dataDir, sandboxImage: 'k8ts.local/pause:3.10', cniConfDir: join(dataDir, 'cni') };
      const first = await startContainerd(opts);
      const again = await startContainerd(opts);
      assert.equal(again.pid, first.pid, 'the running containerd is adopted, not replaced');
      assert.equal(again.endpoint, first.endpoint);
      process.kill(first.pid, 'SIGKILL');
      await waitFor(() => !existsSync(`/proc/${first.pid}/status`) || readFile(`/proc/${first.pid}/status`, 'utf8').then((s) => /State:\s+Z/.test(s)), { message: 'containerd to die' });
      await first.stop();
      await again.stop();
      const fresh = await startContainerd(opts);
      assert.notEqual(fresh.pid, first.pid);
      await fresh.stop();
      await fresh.stop();
      assert.throws(() => process.kill(fresh.pid, 0), 'containerd is gone after stop');
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  test('a containerd that is missing or exits at once fails the start with a clear message', async (t) => {
    const skip = containerdSkipReason();
    if (skip) return t.skip(skip);
    const dataDir = await mkdtemp(join(tmpdir(), 'k8ts-ctd-sup-'));
    try {
      const opts = { dataDir, sandboxImage: 'k8ts.local/pause:3.10', cniConfDir: join(dataDir, 'cni') };
      await assert.rejects(startContainerd({ ...opts, containerdPath: '/nonexistent/containerd' }), /\/nonexistent\/containerd is not installed: install containerd/);
      await assert.rejects(startContainerd({ ...opts, containerdPath: '/bin/false' }), /^Error: containerd exited with code 1; its log \(.*containerd\.log\) ends with:/);
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});

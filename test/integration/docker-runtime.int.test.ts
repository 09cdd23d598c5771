// The Docker runtime against a real dockerd (Debian's docker.io 20.10): images loaded from the k8ts
// tarballs, pause-container sandboxes with IPs from the node's podCIDR, busybox containers with
// json-file logs, exec (sync, interactive), attach, stop semantics, pod-to-pod traffic, port-forward,
// stats, re-listing after a reconnect, and pull failures carrying Docker's message.
import { after, before, describe, test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, readlink, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { buildImages } from '../../src/kubelet/images/build-images.ts';
import { connectDocker } from '../../src/kubelet/docker/connect-docker.ts';
import { DockerClient } from '../../src/kubelet/docker/docker-client.ts';
import type { ContainerConfig, ContainerRuntime, PodSandboxConfig } from '../../src/kubelet/runtime/runtime-service.ts';
import { startTestDockerd, type TestDockerd } from '../helpers/dockerd.ts';
import { waitFor } from '../helpers/wait-for.ts';

const SCOPE = `dockertest-${process.pid}`;
const NETWORK = `k8ts-test-${process.pid}`;
// Apart from the ranges other k8ts tests use for their CNI bridges.
const POD_CIDR = `10.213.${process.pid % 250}.0/24`;

let skip: string | undefined;
let dockerd: TestDockerd | undefined;
let runtime: ContainerRuntime;
let work: string;

before(async () => {
  const started = await startTestDockerd({ log: (l) => console.log(`# ${l}`) });
  if ('skip' in started) {
    skip = started.skip;
    return;
  }
  dockerd = started;
  work = await mkdtemp(join(tmpdir(), 'k8ts-docker-runtime-'));
  runtime = await connectDocker({ socket: dockerd.socket, podCIDR: POD_CIDR, networkName: NETWORK, scope: SCOPE, log: (l) => console.log(`# ${l}`) });
});

after(async () => {
  if (skip) return;
  if (runtime) {
    for (const s of await runtime.runtime.listPodSandbox()) await runtime.runtime.removePodSandbox(s.id);
    await runtime.close();
  }
  const docker = new DockerClient(dockerd!.socket);
  await docker.json({ method: 'DELETE', path: `/networks/${NETWORK}` }).catch(() => undefined);
  docker.close();
  await dockerd?.stop();
  if (work) await rm(work, { recursive: true, force: true });
});

function ready(t: TestContext): boolean {
  if (skip) t.skip(skip);
  return !skip;
}

let podSeq = 0;
function sandboxConfig(name: string, extra: Partial<PodSandboxConfig> = {}): PodSandboxConfig {
  const uid = `uid-${process.pid}-${++podSeq}`;
  return {
    metadata: { name, namespace: 'default', uid, attempt: 0 },
    hostname: `${name}-host`,
    logDirectory: join(work, 'pods', `default_${name}_${uid}`),
    dnsConfig: { servers: ['10.96.0.10'], searches: ['default.svc.cluster.local', 'svc.cluster.local'], options: ['ndots:5'] },
    portMappings: [],
    labels: { 'io.kubernetes.pod.name': name, 'io.kubernetes.pod.namespace': 'default', 'io.kubernetes.pod.uid': uid, app: name },
    annotations: { 'kubernetes.io/config.source': 'api' },
    ...extra,
  };
}

function containerConfig(name: string, extra: Partial<ContainerConfig> = {}): ContainerConfig {
  return {
    metadata: { name, attempt: 0 },
    image: 'docker.io/library/busybox:latest',
    command: [],
    args: [],
    workingDir: '',
    envs: [{ key: 'GREETING', value: 'hi' }],
    mounts: [],
    labels: { 'io.kubernetes.container.name': name },
    annotations: { 'io.kubernetes.container.restartCount': '0' },
    logPath: `${name}/0.log`,
    stdin: false,
    stdinOnce: false,
    tty: false,
    ...extra,
  };
}

function inCidr(ip: string, cidr: string): boolean {
  const [base, bits] = cidr.split('/');
  const n = (a: string) => a.split('.').reduce((acc, o) => (acc << 8) + Number(o), 0) >>> 0;
  const mask = bits === '0' ? 0 : (~0 << (32 - Number(bits))) >>> 0;
  return ((n(ip) & mask) >>> 0) === ((n(base!) & mask) >>> 0);
}

function collect(): PassThrough & { text(): string } {
  const s = new PassThrough() as PassThrough & { text(): string };
  const chunks: Buffer[] = [];
  s.on('data', (c: Buffer) => chunks.push(c));
  s.text = () => Buffer.concat(chunks).toString('utf8');
  return s;
}

describe('docker runtime', { timeout: 240_000 }, () => {
  let podA: PodSandboxConfig;
  let sandboxA: string;
  let containerA: string;

  test('loads the k8ts image tarballs and reports them by fully qualified names', async (t) => {
    if (!ready(t)) return;
    const built = await buildImages(join(work, 'images'));
    const loaded = await runtime.importImages(built.map((b) => b.file));
    assert.ok(loaded.includes('docker.io/library/busybox:latest'), `loaded: ${loaded.join(', ')}`);
    assert.ok(loaded.includes('k8ts.local/pause:3.10'), `loaded: ${loaded.join(', ')}`);
    const busybox = await runtime.images.imageStatus('busybox');
    assert.ok(busybox, 'busybox is known by its short name');
    assert.deepEqual([...busybox.repoTags].sort(), ['docker.io/library/busybox:1.36', 'docker.io/library/busybox:latest']);
    assert.equal((await runtime.images.imageStatus('docker.io/library/busybox:latest'))?.id, busybox.id);
    assert.ok((await runtime.images.listImages()).some((i) => i.repoTags.includes('k8ts.local/pause:3.10')));
    assert.ok((await runtime.images.imageFsInfo()).usedBytes > 0n);
  });

  test('runs a sandbox with an IP from the podCIDR, then a container whose output is in its json-file log', async (t) => {
    if (!ready(t)) return;
    podA = sandboxConfig('pod-a');
    const t0 = performance.now();
    sandboxA = await runtime.runtime.runPodSandbox(podA);
    const t1 = performance.now();
    containerA = await runtime.runtime.createContainer(sandboxA, containerConfig('main', { command: ['sh', '-c', 'echo $GREETING; sleep 3600'] }), podA);
    await runtime.runtime.startContainer(containerA);
    const t2 = performance.now();
    t.diagnostic(`sandbox ${(t1 - t0).toFixed(0)}ms, container create+start ${(t2 - t1).toFixed(0)}ms, total ${(t2 - t0).toFixed(0)}ms`);

    const s = await runtime.runtime.podSandboxStatus(sandboxA);
    assert.equal(s.state, 'SANDBOX_READY');
    assert.equal(s.networkNamespace, 'POD');
    assert.ok(inCidr(s.network.ip, POD_CIDR), `pod IP ${s.network.ip} is in ${POD_CIDR}`);
    assert.deepEqual(s.metadata, podA.metadata);
    assert.equal(s.labels.app, 'pod-a');
    assert.deepEqual(s.annotations, podA.annotations);

    const c = await runtime.runtime.containerStatus(containerA);
    assert.equal(c.state, 'CONTAINER_RUNNING');
    assert.equal(c.podSandboxId, sandboxA);
    assert.equal(c.image, 'docker.io/library/busybox:latest');
    assert.match(c.imageRef, /^sha256:[0-9a-f]{64}$/);
    assert.equal(c.logFormat, 'docker-json');
    assert.ok(c.startedAt > 0n && c.startedAt >= c.createdAt);
    const line = await waitFor(async () => (await readFile(c.logPath, 'utf8')).split('\n').find((l) => l.includes('"hi\\n"')), { message: 'hi in the log' });
    const entry = JSON.parse(line) as { log: string; stream: string; time: string };
    assert.equal(entry.log, 'hi\n');
    assert.equal(entry.stream, 'stdout');
    // The CRI log path the kubelet asked for points at Docker's file, as with dockershim.
    assert.equal(await readlink(join(podA.logDirectory, 'main/0.log')), c.logPath);
  });

  test('execSync runs in the pod: hostname, DNS settings, exit codes, stderr', async (t) => {
    if (!ready(t)) return;
    const hostname = await runtime.runtime.execSync(containerA, ['cat', '/etc/hostname'], 10);
    assert.equal(hostname.stdout.toString().trim(), 'pod-a-host');
    assert.equal(hostname.exitCode, 0);
    const resolv = await runtime.runtime.execSync(containerA, ['cat', '/etc/resolv.conf'], 10);
    assert.equal(resolv.stdout.toString(), 'nameserver 10.96.0.10\nsearch default.svc.cluster.local svc.cluster.local\noptions ndots:5\n');
    const failing = await runtime.runtime.execSync(containerA, ['sh', '-c', 'echo oops >&2; exit 3'], 10);
    assert.equal(failing.exitCode, 3);
    assert.equal(failing.stderr.toString(), 'oops\n');
    assert.equal(failing.stdout.length, 0);
    await assert.rejects(runtime.runtime.execSync(containerA, ['sleep', '5'], 1), (err: Error & { code?: string }) => err.code === 'DeadlineExceeded');
  });

  test('interactive exec: sh reads stdin, exits when it is closed, and reports its exit code', async (t) => {
    if (!ready(t)) return;
    const stdout = collect();
    const stderr = collect();
    const r = await runtime.runtime.exec(containerA, ['sh'], { stdin: Readable.from(['echo from-stdin\n', 'echo to-stderr >&2\n']), stdout, stderr, tty: false });
    assert.equal(r.exitCode, 0);
    assert.equal(stdout.text(), 'from-stdin\n');
    assert.equal(stderr.text(), 'to-stderr\n');
    const r2 = await runtime.runtime.exec(containerA, ['sh'], { stdin: Readable.from(['exit 7\n']), stdout: collect(), tty: false });
    assert.equal(r2.exitCode, 7);
    const tty = collect();
    const r3 = await runtime.runtime.exec(containerA, ['sh', '-c', 'tty; stty size'], { stdout: tty, tty: true, resize: (async function* () { yield { width: 100, height: 40 }; })() });
    assert.equal(r3.exitCode, 0);
    assert.match(tty.text(), /\/dev\/pts\/\d+/);
  });

  test('attach: stdin reaches the main process, which exits when it closes (stdinOnce)', async (t) => {
    if (!ready(t)) return;
    const id = await runtime.runtime.createContainer(sandboxA, containerConfig('cat', { command: ['cat'], stdin: true, stdinOnce: true }), podA);
    await runtime.runtime.startContainer(id);
    const stdout = collect();
    const input = new PassThrough();
    const attached = runtime.runtime.attach(id, { stdin: input, stdout, stderr: collect(), tty: false });
    // Attach first, then type: what is sent before the attach is lost, as with a real terminal.
    await waitFor(async () => (await runtime.runtime.containerStatus(id)).state === 'CONTAINER_RUNNING');
    input.write('hello attach\n');
    await waitFor(() => stdout.text().includes('hello attach'), { message: 'echo through attach' });
    input.end();
    const r = await attached;
    assert.equal(r.exitCode, 0);
    const s = await waitFor(async () => { const st = await runtime.runtime.containerStatus(id); return st.state === 'CONTAINER_EXITED' ? st : undefined; });
    assert.equal(s.reason, 'Completed');
  });

  test('two sandboxes reach each other by IP; port-forward reaches the pod', async (t) => {
    if (!ready(t)) return;
    const hostPort = 31000 + (process.pid % 1000);
    const podB = sandboxConfig('pod-b', { portMappings: [{ protocol: 'TCP', containerPort: 80, hostPort, hostIp: '' }] });
    const sandboxB = await runtime.runtime.runPodSandbox(podB);
    const web = await runtime.runtime.createContainer(sandboxB, containerConfig('web', { image: 'docker.io/library/nginx:latest' }), podB);
    await runtime.runtime.startContainer(web);
    const ipB = (await runtime.runtime.podSandboxStatus(sandboxB)).network.ip;
    const ipA = (await runtime.runtime.podSandboxStatus(sandboxA)).network.ip;
    assert.notEqual(ipA, ipB);
    const page = await waitFor(async () => {
      // (busybox-static's wget -T segfaults; the exec timeout bounds the wait instead.)
      const r = await runtime.runtime.execSync(containerA, ['wget', '-qO-', `http://${ipB}/`], 5).catch(() => undefined);
      return r?.exitCode === 0 ? r.stdout.toString() : undefined;
    }, { timeoutMs: 20_000, message: `pod-a fetching http://${ipB}/` });
    assert.match(page, /hostname: pod-b-host/);

    const stream = await runtime.runtime.portForward(sandboxB, 80);
    const body = await new Promise<string>((resolve, reject) => {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => resolve(Buffer.concat(chunks).toString()));
      stream.on('error', reject);
      stream.end('GET / HTTP/1.0\r\nHost: pod-b\r\n\r\n');
    });
    assert.match(body, /^HTTP\/1\.[01] 200/);
    assert.match(body, /hostname: pod-b-host/);
    await assert.rejects(runtime.runtime.portForward(sandboxB, 81), /failed to connect to localhost:81/);

    // The pod's hostPort is published on the node (iptables DNAT and docker-proxy).
    const viaHostPort = await waitFor(async () => {
      const res = await fetch(`http://127.0.0.1:${hostPort}/`).catch(() => undefined);
      return res?.ok ? res.text() : undefined;
    }, { message: `http://127.0.0.1:${hostPort}/` });
    assert.match(viaHostPort, /hostname: pod-b-host/);
  });

  test('stats report CPU and memory of running containers', async (t) => {
    if (!ready(t)) return;
    const stats = await runtime.runtime.listContainerStats();
    const s = stats.find((x) => x.id === containerA);
    assert.ok(s, 'stats for the running container');
    assert.equal(s.name, 'main');
    assert.equal(s.podSandboxId, sandboxA);
    assert.ok(s.cpuUsageCoreNanoSeconds > 0n);
    assert.ok(s.memoryUsageBytes > 0n && s.memoryWorkingSetBytes > 0n && s.memoryWorkingSetBytes <= s.memoryUsageBytes);
  });

  test('a reconnected runtime lists the same sandboxes and containers from Docker alone', async (t) => {
    if (!ready(t)) return;
    await runtime.close();
    runtime = await connectDocker({ socket: dockerd!.socket, podCIDR: POD_CIDR, networkName: NETWORK, scope: SCOPE });
    const sandboxes = await runtime.runtime.listPodSandbox({ labelSelector: { 'io.kubernetes.pod.uid': podA.metadata.uid } });
    assert.deepEqual(sandboxes.map((s) => [s.id, s.metadata, s.state, s.labels.app, s.annotations['kubernetes.io/config.source']]), [[sandboxA, podA.metadata, 'SANDBOX_READY', 'pod-a', 'api']]);
    const containers = await runtime.runtime.listContainers({ podSandboxId: sandboxA, state: 'CONTAINER_RUNNING' });
    assert.deepEqual(containers.map((c) => [c.id, c.metadata, c.image, c.labels['io.kubernetes.container.name'], c.annotations['io.kubernetes.container.restartCount']]),
      [[containerA, { name: 'main', attempt: 0 }, 'docker.io/library/busybox:latest', 'main', '0']]);
    assert.equal((await runtime.runtime.listPodSandbox({ state: 'SANDBOX_NOTREADY', labelSelector: { app: 'pod-a' } })).length, 0);
    // Objects of other scopes (other kubelets on this dockerd) stay out of sight.
    const other = await connectDocker({ socket: dockerd!.socket, podCIDR: POD_CIDR, networkName: NETWORK, scope: `${SCOPE}-other` });
    assert.equal((await other.runtime.listPodSandbox()).length, 0);
    await other.close();
  });

  test('stop with a timeout: PID 1 ignoring SIGTERM is killed (137); a process in the shared PID namespace ends on SIGTERM (143)', async (t) => {
    if (!ready(t)) return;
    const before = performance.now();
    await runtime.runtime.stopContainer(containerA, 1);
    const took = performance.now() - before;
    const a = await runtime.runtime.containerStatus(containerA);
    assert.equal(a.state, 'CONTAINER_EXITED');
    assert.equal(a.exitCode, 137);
    assert.equal(a.reason, 'Error');
    assert.ok(a.finishedAt > a.startedAt);
    assert.ok(took >= 900, `waited for the timeout before SIGKILL (${took.toFixed(0)}ms)`);

    const podC = sandboxConfig('pod-c', { linux: { securityContext: { namespaceOptions: { pid: 'POD' } } } });
    const sandboxC = await runtime.runtime.runPodSandbox(podC);
    const shared = await runtime.runtime.createContainer(sandboxC, containerConfig('shared', {
      command: ['sh', '-c', 'sleep 3600'],
      linux: { securityContext: { namespaceOptions: { pid: 'POD' } } },
    }), podC);
    await runtime.runtime.startContainer(shared);
    const ps = await runtime.runtime.execSync(shared, ['ps', '-o', 'pid,args'], 10);
    assert.match(ps.stdout.toString(), /^\s*1 .*pause/m, 'the pause process is PID 1 of the shared namespace');
    const t0 = performance.now();
    await runtime.runtime.stopContainer(shared, 30);
    const c = await runtime.runtime.containerStatus(shared);
    assert.equal(c.exitCode, 143);
    assert.ok(performance.now() - t0 < 10_000, 'SIGTERM ended it without waiting for the timeout');

    await runtime.runtime.stopPodSandbox(sandboxC);
    const sc = await runtime.runtime.podSandboxStatus(sandboxC);
    assert.equal(sc.state, 'SANDBOX_NOTREADY');
    await runtime.runtime.removePodSandbox(sandboxC);
    await runtime.runtime.removePodSandbox(sandboxC); // idempotent
    await assert.rejects(runtime.runtime.podSandboxStatus(sandboxC), (err: Error & { code?: string }) => err.code === 'NotFound');
  });

  test('host-network sandbox: no pod IP, reported as NODE', async (t) => {
    if (!ready(t)) return;
    const pod = sandboxConfig('pod-host', { linux: { securityContext: { namespaceOptions: { network: 'NODE' } } }, dnsConfig: undefined });
    const id = await runtime.runtime.runPodSandbox(pod);
    const s = await runtime.runtime.podSandboxStatus(id);
    assert.equal(s.networkNamespace, 'NODE');
    assert.equal(s.network.ip, '');
    await runtime.runtime.removePodSandbox(id);
  });

  test('remove: a container and its log link go; removing again is not an error', async (t) => {
    if (!ready(t)) return;
    await runtime.runtime.removeContainer(containerA);
    await runtime.runtime.removeContainer(containerA);
    await assert.rejects(readlink(join(podA.logDirectory, 'main/0.log')), { code: 'ENOENT' });
    assert.equal((await runtime.runtime.listContainers({ id: containerA })).length, 0);
    await runtime.runtime.stopPodSandbox(sandboxA);
    await runtime.runtime.removePodSandbox(sandboxA);
    assert.equal((await runtime.runtime.listPodSandbox({ id: sandboxA })).length, 0);
  });

  test("a missing image: imageStatus is null and pullImage rejects with Docker's message", async (t) => {
    if (!ready(t)) return;
    assert.equal(await runtime.images.imageStatus('docker.io/library/k8ts-no-such-image:1.0'), null);
    await assert.rejects(runtime.images.pullImage('docker.io/library/k8ts-no-such-image:1.0'), (err: Error) => {
      t.diagnostic(`pull error: ${err.message}`);
      return /Error response from daemon|manifest unknown|not found|pull access denied/.test(err.message);
    });
    await runtime.images.removeImage('docker.io/library/k8ts-no-such-image:1.0'); // nothing to remove: no error
  });
});

// The Docker runtime's pure parts: names and labels as dockershim stored CRI metadata, Docker times
// and states in CRI terms, image names, the multiplexed exec stream, and stats.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { normalizeImageName, normalizeImageNames, parseDockerTime, toCriContainerState } from '../../src/kubelet/docker/docker-convert.ts';
import {
  extractLabels, makeContainerName, makeLabels, makeSandboxName, parseContainerName, parseSandboxName,
} from '../../src/kubelet/docker/docker-labels.ts';
import { StreamDemuxer, encodeFrame } from '../../src/kubelet/docker/docker-stream.ts';
import { toContainerStats } from '../../src/kubelet/docker/docker-stats.ts';
import { registryAuthHeader } from '../../src/kubelet/docker/docker-image-service.ts';
import { resolvConf } from '../../src/kubelet/docker/docker-sandbox.ts';

test('sandbox and container names carry the CRI metadata and parse back', () => {
  const pod = { name: 'web-0', namespace: 'default', uid: '1f2e', attempt: 2 };
  assert.equal(makeSandboxName(pod), 'k8s_POD_web-0_default_1f2e_2');
  assert.deepEqual(parseSandboxName('/k8s_POD_web-0_default_1f2e_2'), pod);
  assert.equal(makeContainerName(pod, { name: 'nginx', attempt: 5 }), 'k8s_nginx_web-0_default_1f2e_5');
  assert.deepEqual(parseContainerName('/k8s_nginx_web-0_default_1f2e_5'), { name: 'nginx', attempt: 5 });
  for (const foreign of ['/exp1', '/k8s_a_b_c', '/other_POD_a_b_c_1', '/k8s_POD_a_b_c_x']) assert.equal(parseSandboxName(foreign), undefined, foreign);
});

test('annotations travel as "annotation."-prefixed labels; internal labels stay inside', () => {
  const docker = {
    ...makeLabels({ app: 'web', 'io.kubernetes.pod.name': 'web-0' }, { 'io.kubernetes.container.hash': 'abc' }),
    'io.kubernetes.docker.type': 'container',
    'io.kubernetes.sandbox.id': 'sb',
    'io.kubernetes.container.logpath': '/var/log/pods/x/0.log',
    'io.k8ts.runtime.scope': 'node-1',
  };
  assert.deepEqual(extractLabels(docker), {
    labels: { app: 'web', 'io.kubernetes.pod.name': 'web-0' },
    annotations: { 'io.kubernetes.container.hash': 'abc' },
  });
  // The sandbox's "POD" container-name label is the shim's, not the kubelet's.
  assert.deepEqual(extractLabels({ 'io.kubernetes.docker.type': 'podsandbox', 'io.kubernetes.container.name': 'POD', a: 'b' }).labels, { a: 'b' });
});

test('Docker timestamps become Unix nanoseconds; the zero time is 0', () => {
  const cases: [string, bigint][] = [
    ['2026-11-21T05:33:51.256575017Z', 1795239231256575017n],
    ['2026-11-21T05:33:51Z', 1795239231000000000n],
    ['2026-11-21T06:33:51.5+01:00', 1795239231500000000n],
    ['0001-01-01T00:00:00Z', 0n],
    ['', 0n],
  ];
  for (const [s, want] of cases) assert.equal(parseDockerTime(s), want, s);
});

test('container states map as dockershim read them', () => {
  const created = 1_000n;
  const cases: { name: string; state: Parameters<typeof toCriContainerState>[0]; want: Partial<ReturnType<typeof toCriContainerState>> }[] = [
    { name: 'running', state: { Running: true, StartedAt: '2026-11-21T05:33:51Z' }, want: { state: 'CONTAINER_RUNNING', reason: '' } },
    { name: 'exited 0', state: { Status: 'exited', ExitCode: 0, StartedAt: '2026-11-21T05:33:51Z', FinishedAt: '2026-11-21T05:33:52Z' }, want: { state: 'CONTAINER_EXITED', exitCode: 0, reason: 'Completed' } },
    { name: 'killed', state: { Status: 'exited', ExitCode: 137, StartedAt: '2026-11-21T05:33:51Z', FinishedAt: '2026-11-21T05:33:52Z' }, want: { state: 'CONTAINER_EXITED', exitCode: 137, reason: 'Error' } },
    { name: 'OOM', state: { Status: 'exited', ExitCode: 137, OOMKilled: true, FinishedAt: '2026-11-21T05:33:52Z' }, want: { reason: 'OOMKilled' } },
    { name: 'failed to start', state: { Status: 'created', ExitCode: 127, Error: 'exec: "nope": executable file not found in $PATH', FinishedAt: '0001-01-01T00:00:00Z' },
      want: { state: 'CONTAINER_EXITED', reason: 'ContainerCannotRun', startedAt: created, finishedAt: created, message: 'exec: "nope": executable file not found in $PATH' } },
    { name: 'created', state: { Status: 'created', ExitCode: 0, FinishedAt: '0001-01-01T00:00:00Z' }, want: { state: 'CONTAINER_CREATED', startedAt: 0n } },
  ];
  for (const c of cases) {
    const got = toCriContainerState(c.state, created);
    for (const [k, v] of Object.entries(c.want)) assert.equal(got[k as keyof typeof got], v, `${c.name}: ${k}`);
  }
});

test("image names: Docker's short names become fully qualified; ids stay", () => {
  assert.equal(normalizeImageName('busybox'), 'docker.io/library/busybox:latest');
  assert.equal(normalizeImageName('busybox:1.36'), 'docker.io/library/busybox:1.36');
  assert.equal(normalizeImageName('k8ts.local/pause:3.10'), 'k8ts.local/pause:3.10');
  assert.equal(normalizeImageName('localhost:5000/app'), 'localhost:5000/app:latest');
  const id = `sha256:${'a'.repeat(64)}`;
  assert.equal(normalizeImageName(id), id);
  assert.deepEqual(normalizeImageNames(['<none>:<none>', `busybox@sha256:${'b'.repeat(64)}`]), [`docker.io/library/busybox@sha256:${'b'.repeat(64)}`]);
});

test('the multiplexed stream is split into stdout and stderr frames across chunk boundaries', () => {
  const wire = Buffer.concat([encodeFrame(1, Buffer.from('out-1\n')), encodeFrame(2, Buffer.from('err\n')), encodeFrame(1, Buffer.from('out-2'))]);
  const got: string[] = [];
  const demux = new StreamDemuxer((s, p) => got.push(`${s}:${p}`));
  for (let i = 0; i < wire.length; i += 5) demux.push(wire.subarray(i, i + 5));
  assert.deepEqual(got, ['1:out-1\n', '2:err\n', '1:out-2']);
});

test('stats: the working set is usage minus inactive file pages', () => {
  const v1 = toContainerStats('c', 's', 'main', {
    read: '2026-11-21T05:33:51Z',
    cpu_stats: { cpu_usage: { total_usage: 123456789 } },
    memory_stats: { usage: 10_000_000, stats: { total_inactive_file: 4_000_000, total_cache: 5_000_000, total_rss: 3_000_000 } },
  });
  assert.equal(v1.cpuUsageCoreNanoSeconds, 123456789n);
  assert.equal(v1.memoryUsageBytes, 10_000_000n);
  assert.equal(v1.memoryWorkingSetBytes, 6_000_000n);
  assert.equal(v1.rssBytes, 3_000_000n);
  assert.equal(v1.timestamp, 1795239231000000000n);
  const v2 = toContainerStats('c', 's', 'main', { memory_stats: { usage: 8_000, stats: { inactive_file: 1_000, anon: 5_000 } } });
  assert.equal(v2.memoryWorkingSetBytes, 7_000n);
  assert.equal(v2.rssBytes, 5_000n);
});

test('registry credentials go as padded base64url JSON; an "auth" string is split into user and password', () => {
  const decode = (h: string) => JSON.parse(Buffer.from(h.replace(/-/g, '+').replace(/_/g, '/'), 'base64').toString());
  assert.deepEqual(decode(registryAuthHeader({ username: 'u', password: 'p?>' })), { username: 'u', password: 'p?>' });
  assert.deepEqual(decode(registryAuthHeader({ auth: Buffer.from('me:secret').toString('base64') })), { username: 'me', password: 'secret' });
});

test("the pod's resolv.conf as dockershim rewrote it", () => {
  assert.equal(resolvConf(['10.96.0.10'], ['ns.svc.cluster.local', 'svc.cluster.local'], ['ndots:5']),
    'nameserver 10.96.0.10\nsearch ns.svc.cluster.local svc.cluster.local\noptions ndots:5\n');
});

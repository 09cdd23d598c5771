// containerStatuses from the runtime's instances (convertToAPIContainerStatuses and the prober's
// ready/started flags), and the pod status around them: waiting reasons, state/lastState from the
// two newest instances, restart counts, probes, IPs, and a terminal phase that never goes back.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { convertToAPIContainerStatuses } from '../../src/kubelet/container-status.ts';
import type { ProbeResultLookup } from '../../src/kubelet/pod-actions.ts';
import { generateAPIPodStatus, sortPodIPs } from '../../src/kubelet/pod-status.ts';
import type { PodRuntimeStatus, RuntimeContainerState, RuntimeContainerStatus } from '../../src/kubelet/runtime-pod-status.ts';
import type { PodSandboxStatus } from '../../src/kubelet/runtime/runtime-service.ts';

type Obj = Record<string, any>;
const T = Date.UTC(2025, 0, 1);

const sandbox: PodSandboxStatus = {
  id: 'sb', metadata: { name: 'p', uid: 'u', namespace: 'ns', attempt: 0 }, state: 'SANDBOX_READY', createdAt: 0n, labels: {}, annotations: {},
  network: { ip: '10.88.0.5', additionalIps: [] }, networkNamespace: 'POD',
};

function inst(name: string, restartCount: number, state: RuntimeContainerState, exitCode = 0): RuntimeContainerStatus {
  return {
    id: `${name}${restartCount}`, containerID: `containerd://${name}${restartCount}`, name, podSandboxId: 'sb', state,
    createdAt: T + restartCount * 60_000, startedAt: T + restartCount * 60_000 + 1000, finishedAt: state === 'exited' ? T + restartCount * 60_000 + 5000 : 0,
    exitCode, reason: state === 'exited' ? (exitCode === 0 ? 'Completed' : 'Error') : '', message: '', image: 'docker.io/library/busybox:latest',
    imageRef: 'sha256:abc', hash: '', restartCount, attempt: restartCount, logPath: '', logFormat: 'cri',
  };
}

function runtime(containers: RuntimeContainerStatus[], sandboxes = [sandbox]): PodRuntimeStatus {
  return { uid: 'u', name: 'p', namespace: 'ns', ips: sandboxes[0]?.state === 'SANDBOX_READY' ? ['10.88.0.5'] : [], sandboxes, containers: [...containers].sort((a, b) => b.createdAt - a.createdAt) };
}

const pod = (containers: Obj[], extra: Obj = {}): Obj => ({ metadata: { name: 'p', namespace: 'ns', uid: 'u' }, spec: { restartPolicy: 'Always', containers, ...extra }, status: { phase: 'Pending', qosClass: 'BestEffort' } });
const none: ProbeResultLookup = () => undefined;

function convert(p: Obj, rt: PodRuntimeStatus, o: { previous?: Obj[]; failure?: Obj; probe?: ProbeResultLookup } = {}): Obj[] {
  return convertToAPIContainerStatuses({
    pod: p, runtime: rt, previous: o.previous, containers: p.spec.containers, hasInitContainers: false, isInitContainer: false,
    startFailure: () => o.failure as never, probe: o.probe ?? none,
  });
}

test('a container not created yet waits in ContainerCreating', () => {
  const [s] = convert(pod([{ name: 'app', image: 'busybox' }]), runtime([]));
  assert.deepEqual(s, { name: 'app', image: 'busybox', imageID: '', ready: false, restartCount: 0, started: false, state: { waiting: { reason: 'ContainerCreating' } }, lastState: {} });
});

test('a running container: running.startedAt, ready and started without probes, containerID with the runtime scheme', () => {
  const [s] = convert(pod([{ name: 'app' }]), runtime([inst('app', 0, 'running')]));
  assert.deepEqual(s.state, { running: { startedAt: '2025-01-01T00:00:01Z' } });
  assert.equal(s.containerID, 'containerd://app0');
  assert.equal(s.imageID, 'sha256:abc');
  assert.equal(s.image, 'docker.io/library/busybox:latest');
  assert.deepEqual([s.ready, s.started], [true, true]);
});

test('crash loop: the newest exited instance under back-off becomes lastState; waiting CrashLoopBackOff with its message', () => {
  const failure = { reason: 'CrashLoopBackOff', message: 'back-off 20s restarting failed container=app pod=p_ns(u)' };
  const [s] = convert(pod([{ name: 'app' }]), runtime([inst('app', 2, 'exited', 1), inst('app', 1, 'exited', 1)]), { failure });
  assert.deepEqual(s.state, { waiting: failure });
  assert.equal(s.restartCount, 2);
  assert.deepEqual(s.lastState, { terminated: { exitCode: 1, reason: 'Error', startedAt: '2025-01-01T00:02:01Z', finishedAt: '2025-01-01T00:02:05Z', containerID: 'containerd://app2' } });
  assert.equal(s.ready, false);
});

test('restarted and running: lastState is the instance before', () => {
  const [s] = convert(pod([{ name: 'app' }]), runtime([inst('app', 1, 'running'), inst('app', 0, 'exited', 137)]));
  assert.ok(s.state.running);
  assert.equal(s.restartCount, 1);
  assert.equal(s.lastState.terminated.exitCode, 137);
});

test('probes: not started before the startup probe passes; not ready until readiness succeeds', () => {
  const c = { name: 'app', startupProbe: { exec: {} }, readinessProbe: { exec: {} } };
  const rt = runtime([inst('app', 0, 'running')]);
  const flags = (probe: ProbeResultLookup) => { const [s] = convert(pod([c]), rt, { probe }); return [s.started, s.ready]; };
  assert.deepEqual(flags(none), [false, false]);
  assert.deepEqual(flags((_id, t) => (t === 'startup' ? 'Success' : undefined)), [true, false]);
  assert.deepEqual(flags((_id, t) => (t === 'startup' ? 'Success' : t === 'readiness' ? 'Failure' : undefined)), [true, false]);
  assert.deepEqual(flags(() => 'Success'), [true, true]);
});

test('a container that was running and vanished is reported terminated (ContainerStatusUnknown), restart counted', () => {
  const previous = [{ name: 'app', restartCount: 3, state: { running: { startedAt: 'x' } } }];
  const [s] = convert(pod([{ name: 'app' }]), runtime([]), { previous });
  assert.equal(s.restartCount, 4);
  assert.deepEqual(s.lastState.terminated, { exitCode: 137, reason: 'ContainerStatusUnknown', message: 'The container could not be located when the pod was deleted.  The container used to be Running' });
});

const statusOf = (p: Obj, rt: PodRuntimeStatus, o: { terminal?: boolean; cached?: Obj } = {}) => generateAPIPodStatus({
  pod: p, runtime: rt, cached: o.cached, podIsTerminal: o.terminal ?? false, hostIPs: ['10.0.0.10'], now: T + 3_600_000, startFailure: () => undefined, probe: none,
});

test('pod status: Running with IPs, host IP, QoS, start time and Ready', () => {
  const s = statusOf(pod([{ name: 'app' }]), runtime([inst('app', 0, 'running')]));
  assert.equal(s.phase, 'Running');
  assert.deepEqual([s.podIP, s.podIPs, s.hostIP, s.hostIPs], ['10.88.0.5', [{ ip: '10.88.0.5' }], '10.0.0.10', [{ ip: '10.0.0.10' }]]);
  assert.equal(s.qosClass, 'BestEffort');
  assert.equal(s.startTime, '2025-01-01T01:00:00Z');
  assert.equal(s.conditions.find((c: Obj) => c.type === 'Ready').status, 'True');
});

test('pod status: a terminal phase stays, the pod IP is kept once the sandbox stopped', () => {
  const stopped = { ...sandbox, state: 'SANDBOX_NOTREADY' as const };
  const p = pod([{ name: 'app' }], { restartPolicy: 'Never' });
  const first = statusOf(p, runtime([inst('app', 0, 'exited', 0)]));
  assert.equal(first.phase, 'Succeeded');
  const later = statusOf({ ...p, status: first }, runtime([inst('app', 0, 'exited', 0)], [stopped]), { cached: first });
  assert.equal(later.phase, 'Succeeded');
  assert.equal(later.podIP, '10.88.0.5');
  assert.equal(later.conditions.find((c: Obj) => c.type === 'PodReadyToStartContainers').status, 'False');
});

test('pod status: a deleted pod whose container was killed ends Failed', () => {
  const s = statusOf(pod([{ name: 'app' }]), runtime([inst('app', 0, 'exited', 137)]), { terminal: true });
  assert.equal(s.phase, 'Failed');
});

test('sortPodIPs: the node family first, then one of the other', () => {
  assert.deepEqual(sortPodIPs(['fd00::5', '10.0.0.5', '10.0.0.6'], '192.168.0.1'), ['10.0.0.5', 'fd00::5']);
  assert.deepEqual(sortPodIPs(['10.0.0.5', 'fd00::5'], 'fd00::1'), ['fd00::5', '10.0.0.5']);
});

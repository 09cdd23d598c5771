// What a sync does for a pod given what the runtime holds (computePodActions), table-driven: a new
// pod, init containers in order, restarts per policy, liveness failures, changed definitions,
// sidecars, finished pods and a lost sandbox.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { computePodActions, type ProbeResultLookup } from '../../src/kubelet/pod-actions.ts';
import type { PodRuntimeStatus, RuntimeContainerState, RuntimeContainerStatus } from '../../src/kubelet/runtime-pod-status.ts';
import type { PodSandboxStatus } from '../../src/kubelet/runtime/runtime-service.ts';

type Obj = Record<string, any>;

const hashOf = (c: Obj) => `h-${c.name}-${c.image ?? ''}`;

function sandbox(state: 'SANDBOX_READY' | 'SANDBOX_NOTREADY' = 'SANDBOX_READY', attempt = 0, ip = '10.0.0.2'): PodSandboxStatus {
  return {
    id: `sb${attempt}`, metadata: { name: 'p', uid: 'u', namespace: 'ns', attempt }, state, createdAt: BigInt(attempt), labels: {}, annotations: {},
    network: { ip: state === 'SANDBOX_READY' ? ip : '', additionalIps: [] }, networkNamespace: 'POD',
  };
}

let seq = 0;
function c(name: string, state: RuntimeContainerState, exitCode = 0, image = ''): RuntimeContainerStatus {
  seq++;
  return {
    id: `${name}-${seq}`, containerID: `containerd://${name}-${seq}`, name, podSandboxId: 'sb0', state, createdAt: 1000 - seq, startedAt: 1, finishedAt: state === 'exited' ? 2 : 0,
    exitCode, reason: '', message: '', image: '', imageRef: '', hash: `h-${name}-${image}`, restartCount: 0, attempt: 0, logPath: '', logFormat: 'cri',
  };
}

function status(sandboxes: PodSandboxStatus[], containers: RuntimeContainerStatus[]): PodRuntimeStatus {
  return { uid: 'u', name: 'p', namespace: 'ns', ips: [], sandboxes, containers };
}

function pod(restartPolicy: string, containers: Obj[], initContainers: Obj[] = []): Obj {
  return { metadata: { name: 'p', namespace: 'ns', uid: 'u' }, spec: { restartPolicy, containers, initContainers } };
}

const noProbes: ProbeResultLookup = () => undefined;
const app = { name: 'app' };
const init1 = { name: 'i1' };
const init2 = { name: 'i2' };
const sidecar = { name: 'side', restartPolicy: 'Always' };

interface Case { name: string; pod: Obj; status: PodRuntimeStatus; probe?: ProbeResultLookup; want: Obj }

const cases: Case[] = [
  { name: 'a new pod: create the sandbox, start the containers', pod: pod('Always', [app, { name: 'b' }]), status: status([], []),
    want: { createSandbox: true, killPod: true, attempt: 0, containersToStart: [0, 1], initContainersToStart: [], kill: [] } },
  { name: 'a new pod with init containers: only the first init container', pod: pod('Always', [app], [init1, init2]), status: status([], []),
    want: { createSandbox: true, killPod: true, attempt: 0, containersToStart: [], initContainersToStart: [0], kill: [] } },
  { name: 'first init container done: the second', pod: pod('Always', [app], [init1, init2]), status: status([sandbox()], [c('i1', 'exited')]),
    want: { createSandbox: false, killPod: false, containersToStart: [], initContainersToStart: [1], kill: [] } },
  { name: 'init container running: wait', pod: pod('Always', [app], [init1, init2]), status: status([sandbox()], [c('i1', 'running')]),
    want: { createSandbox: false, killPod: false, containersToStart: [], initContainersToStart: [], kill: [] } },
  { name: 'init containers done: the containers', pod: pod('Always', [app], [init1, init2]), status: status([sandbox()], [c('i2', 'exited'), c('i1', 'exited')]),
    want: { createSandbox: false, killPod: false, containersToStart: [0], initContainersToStart: [], kill: [] } },
  { name: 'failed init container under OnFailure: run it again', pod: pod('OnFailure', [app], [init1]), status: status([sandbox()], [c('i1', 'exited', 1)]),
    want: { createSandbox: false, killPod: false, containersToStart: [], initContainersToStart: [0], kill: [] } },
  { name: 'failed init container under Never: the pod is done', pod: pod('Never', [app], [init1]), status: status([sandbox()], [c('i1', 'exited', 1)]),
    want: { createSandbox: false, killPod: true, containersToStart: [], initContainersToStart: [], kill: [] } },
  { name: 'running: nothing to do', pod: pod('Always', [app]), status: status([sandbox()], [c('app', 'running')]),
    want: { createSandbox: false, killPod: false, containersToStart: [], initContainersToStart: [], kill: [] } },
  { name: 'exited under Always: restart', pod: pod('Always', [app]), status: status([sandbox()], [c('app', 'exited', 1)]),
    want: { createSandbox: false, killPod: false, containersToStart: [0], initContainersToStart: [], kill: [] } },
  { name: 'exited 0 under OnFailure: the pod is done', pod: pod('OnFailure', [app]), status: status([sandbox()], [c('app', 'exited', 0)]),
    want: { createSandbox: false, killPod: true, containersToStart: [], initContainersToStart: [], kill: [] } },
  { name: 'exited 1 under Never: the pod is done', pod: pod('Never', [app]), status: status([sandbox()], [c('app', 'exited', 1)]),
    want: { createSandbox: false, killPod: true, containersToStart: [], initContainersToStart: [], kill: [] } },
  { name: 'one of two exited 0 under OnFailure: keep the other', pod: pod('OnFailure', [app, { name: 'b' }]), status: status([sandbox()], [c('app', 'exited', 0), c('b', 'running')]),
    want: { createSandbox: false, killPod: false, containersToStart: [], initContainersToStart: [], kill: [] } },
  { name: 'liveness failure: kill and restart', pod: pod('Always', [app]), status: status([sandbox()], [c('app', 'running')]),
    probe: (_id, t) => (t === 'liveness' ? 'Failure' : undefined),
    want: { createSandbox: false, killPod: false, containersToStart: [0], initContainersToStart: [], kill: [['app', 'LivenessProbe', 'Container app failed liveness probe, will be restarted']] } },
  { name: 'liveness failure under Never: the pod is killed, nothing restarts', pod: pod('Never', [app]), status: status([sandbox()], [c('app', 'running')]),
    probe: (_id, t) => (t === 'liveness' ? 'Failure' : undefined),
    want: { createSandbox: false, killPod: true, containersToStart: [], initContainersToStart: [], kill: [['app', 'LivenessProbe', 'Container app failed liveness probe']] } },
  { name: 'a new image: restart with the new definition', pod: pod('Never', [{ name: 'app', image: 'v2' }]), status: status([sandbox()], [c('app', 'running', 0, 'v1')]),
    want: { createSandbox: false, killPod: false, containersToStart: [0], initContainersToStart: [], kill: [['app', '', 'Container app definition changed, will be restarted']] } },
  { name: 'the sandbox died: a new one, attempt 1, everything again', pod: pod('Always', [app], [init1]), status: status([sandbox('SANDBOX_NOTREADY')], [c('app', 'exited', 137), c('i1', 'exited')]),
    want: { createSandbox: true, killPod: true, attempt: 1, sandboxId: 'sb0', containersToStart: [], initContainersToStart: [0], kill: [] } },
  { name: 'a Never pod whose sandbox stopped after running: no new sandbox', pod: pod('Never', [app]), status: status([sandbox('SANDBOX_NOTREADY')], [c('app', 'exited', 0)]),
    want: { createSandbox: false, killPod: true, attempt: 1, containersToStart: [], initContainersToStart: [], kill: [] } },
  { name: 'sidecar started: start the app; sidecar kept', pod: pod('Always', [app], [sidecar]), status: status([sandbox()], [c('side', 'running')]),
    want: { createSandbox: false, killPod: false, containersToStart: [0], initContainersToStart: [], kill: [] } },
  { name: 'sidecar exited while the app runs: restart the sidecar', pod: pod('Always', [app], [sidecar]), status: status([sandbox()], [c('app', 'running'), c('side', 'exited', 1)]),
    want: { createSandbox: false, killPod: false, containersToStart: [], initContainersToStart: [0], kill: [] } },
  { name: 'app finished under Never: the sidecar does not keep the pod alive', pod: pod('Never', [app], [sidecar]), status: status([sandbox()], [c('app', 'exited', 0), c('side', 'running')]),
    want: { createSandbox: false, killPod: true, containersToStart: [], initContainersToStart: [], kill: [] } },
];

for (const k of cases) {
  test(`computePodActions: ${k.name}`, () => {
    const a = computePodActions(k.pod, k.status, k.probe ?? noProbes, hashOf);
    const got: Obj = {
      createSandbox: a.createSandbox, killPod: a.killPod, containersToStart: a.containersToStart, initContainersToStart: a.initContainersToStart,
      kill: a.containersToKill.map((x) => [x.name, x.reason, x.message]),
    };
    if ('attempt' in k.want) got.attempt = a.attempt;
    if ('sandboxId' in k.want) got.sandboxId = a.sandboxId;
    assert.deepEqual(got, k.want);
  });
}

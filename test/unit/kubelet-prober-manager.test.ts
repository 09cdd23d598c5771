// The probe workers' rules with a fake clock and scripted outcomes: initial delay, thresholds,
// readiness false until the first success, the startup probe gating the others, liveness holding
// after a failure until the container is replaced, errored probes not counted, and the Unhealthy
// event texts.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { V1Container } from '@kubernetes/client-node';
import type { KObject } from '../../src/apimachinery/types.ts';
import { FakeClock } from '../../src/client/clock.ts';
import { ProberManager, type ProbeKind, type ProbeOutcome, type ProbePodStatus } from '../../src/kubelet/prober/index.ts';
import { fakeExecRuntime } from './kubelet-prober-fake-runtime.ts';

const settle = async () => { for (let i = 0; i < 10; i++) await new Promise((r) => setImmediate(r)); };

function harness(containers: V1Container[], restartPolicy = 'Always') {
  const clock = new FakeClock();
  const pod: KObject = { metadata: { name: 'web', namespace: 'shop', uid: 'pod-1' }, spec: { restartPolicy, containers } };
  const status: ProbePodStatus = { phase: 'Running', podIP: '10.0.0.9', containers: {} };
  for (const c of containers) status.containers[c.name] = { containerId: `${c.name}-1`, state: 'running', startedAt: clock.now() };
  const published: string[] = [];
  const events: string[] = [];
  const calls: string[] = [];
  /** What each (container, kind) answers next; the last answer repeats. */
  const script = new Map<string, ProbeOutcome[]>();
  const answer = (name: string, kind: ProbeKind, ...outcomes: ProbeOutcome[]) => script.set(`${name}/${kind}`, outcomes);
  const m = new ProberManager({
    runtime: fakeExecRuntime(async () => ({ exitCode: 0 })),
    clock, random: () => 0,
    getPodStatus: (uid) => (uid === 'pod-1' ? status : undefined),
    onResult: (_uid, name, kind, result, id) => published.push(`${name}/${kind}=${result}@${id}`),
    recordEvent: (_p, name, type, reason, message) => events.push(`${name} ${type} ${reason} ${message}`),
    runProbe: async (_probe, ctx, kind) => {
      const k = `${ctx.container.name}/${kind}`;
      calls.push(k);
      const list = script.get(k) ?? [{ result: 'success', output: '' }];
      return list.length > 1 ? list.shift()! : list[0]!;
    },
  });
  const step = async (ms: number) => { clock.step(ms); await settle(); };
  return { clock, pod, status, published, events, calls, answer, m, step };
}

const ok: ProbeOutcome = { result: 'success', output: '' };
const bad = (output = 'HTTP probe failed with statuscode: 500'): ProbeOutcome => ({ result: 'failure', output });

describe('ProberManager', () => {
  test('readiness: not ready until successThreshold successes; failureThreshold failures make it unready again', async () => {
    const h = harness([{ name: 'app', readinessProbe: { periodSeconds: 5, successThreshold: 2, failureThreshold: 2 } }]);
    h.answer('app', 'readiness', ok, ok, bad(), bad());
    h.m.addPod(h.pod);
    await h.step(0);
    assert.deepEqual(h.published, ['app/readiness=failure@app-1'], 'a new container starts unready');
    assert.equal(h.m.isReady('pod-1', 'app'), false);
    await h.step(5000);
    assert.equal(h.m.isReady('pod-1', 'app'), true);
    await h.step(5000);
    assert.equal(h.m.isReady('pod-1', 'app'), true, 'one failure is below the threshold');
    await h.step(5000);
    assert.equal(h.m.isReady('pod-1', 'app'), false);
    assert.deepEqual(h.published, ['app/readiness=failure@app-1', 'app/readiness=success@app-1', 'app/readiness=failure@app-1']);
    assert.deepEqual(h.events, [
      'app Warning Unhealthy Readiness probe failed: HTTP probe failed with statuscode: 500',
      'app Warning Unhealthy Readiness probe failed: HTTP probe failed with statuscode: 500',
    ]);
    h.m.stop();
  });

  test('liveness: waits initialDelaySeconds, fails after failureThreshold, then holds until a new container', async () => {
    const h = harness([{ name: 'app', livenessProbe: { initialDelaySeconds: 10, periodSeconds: 3, failureThreshold: 3 } }]);
    h.answer('app', 'liveness', bad('connection refused'));
    h.m.addPod(h.pod);
    await h.step(0);
    await h.step(3000);
    await h.step(3000);
    await h.step(3000);
    assert.deepEqual(h.calls, [], 'nothing probed within the initial delay');
    for (let i = 0; i < 3; i++) await h.step(3000);
    assert.equal(h.calls.length, 3);
    assert.deepEqual(h.published, ['app/liveness=success@app-1', 'app/liveness=failure@app-1']);
    assert.equal(h.m.result('app-1', 'liveness'), 'Failure', 'the kubelet looks results up by container id');
    await h.step(3000);
    await h.step(3000);
    assert.equal(h.calls.length, 3, 'on hold: the kubelet restarts the container');
    h.status.containers.app = { containerId: 'app-2', state: 'running', startedAt: h.clock.now() };
    h.answer('app', 'liveness', ok);
    await h.step(3000);
    assert.equal(h.published.at(-1), 'app/liveness=success@app-2');
    assert.equal(h.m.result('app-1', 'liveness'), undefined, 'the old container is forgotten');
    assert.equal(h.m.result('app-2', 'liveness'), 'Success');
    await h.step(3000);
    await h.step(3000);
    assert.equal(h.calls.length, 3, 'the new container is within its initial delay (6s of 10s)');
    await h.step(3000);
    await h.step(3000);
    assert.equal(h.calls.length, 5, 'probing resumed at 12s and 15s');
    h.m.stop();
  });

  test('startup gates liveness and readiness, then stops probing', async () => {
    const h = harness([{
      name: 'app', startupProbe: { periodSeconds: 1, failureThreshold: 30 },
      livenessProbe: { periodSeconds: 1 }, readinessProbe: { periodSeconds: 1 },
    }]);
    h.answer('app', 'startup', bad('not yet'), bad('not yet'), ok);
    h.m.addPod(h.pod);
    await h.step(0);
    await h.step(1000);
    assert.equal(h.m.isStarted('pod-1', 'app'), false);
    assert.equal(h.m.isReady('pod-1', 'app'), false);
    assert.deepEqual(h.calls, ['app/startup', 'app/startup']);
    await h.step(1000);
    assert.equal(h.m.isStarted('pod-1', 'app'), true);
    h.calls.length = 0;
    await h.step(1000);
    await h.step(1000);
    assert.deepEqual(h.calls.filter((c) => c === 'app/startup'), [], 'startup is done');
    assert.ok(h.calls.includes('app/liveness') && h.calls.includes('app/readiness'));
    assert.equal(h.m.isReady('pod-1', 'app'), true);
    h.m.stop();
  });

  test('an errored probe is retried, reported, and not counted', async () => {
    const h = harness([{ name: 'app', livenessProbe: { periodSeconds: 10, failureThreshold: 1 } }]);
    h.answer('app', 'liveness', { result: 'unknown', output: 'strconv.Atoi: parsing "http": invalid syntax' });
    h.m.addPod(h.pod);
    await h.step(0);
    assert.equal(h.calls.length, 3, 'three attempts per period');
    assert.deepEqual(h.published, ['app/liveness=success@app-1']);
    assert.deepEqual(h.events, ['app Warning Unhealthy Liveness probe errored and resulted in unknown state: strconv.Atoi: parsing "http": invalid syntax']);
    h.m.stop();
  });

  test('no probes: started and ready once running; a probe-less container is never held back', async () => {
    const h = harness([{ name: 'plain' }]);
    h.m.addPod(h.pod);
    assert.equal(h.m.isStarted('pod-1', 'plain'), true);
    assert.equal(h.m.isReady('pod-1', 'plain'), true);
    h.status.containers.plain = { containerId: 'plain-1', state: 'terminated' };
    assert.equal(h.m.isReady('pod-1', 'plain'), false);
  });

  test('a deleted pod stops liveness quietly; readiness keeps going; a finished pod stops all', async () => {
    const h = harness([{ name: 'app', livenessProbe: { periodSeconds: 1, failureThreshold: 1 }, readinessProbe: { periodSeconds: 1 } }]);
    h.answer('app', 'liveness', bad());
    h.m.addPod(h.pod);
    h.m.updatePod({ ...h.pod, metadata: { ...h.pod.metadata, deletionTimestamp: '2025-01-01T00:00:00Z' } });
    await h.step(0);
    assert.deepEqual(h.calls, ['app/readiness']);
    assert.equal(h.published.filter((p) => p.includes('liveness=failure')).length, 0);
    await h.step(1000);
    assert.deepEqual(h.calls, ['app/readiness', 'app/readiness']);
    h.status.phase = 'Succeeded';
    await h.step(1000);
    await h.step(1000);
    assert.equal(h.calls.length, 2);
    assert.equal(h.clock.pendingTimers, 0, 'every worker ended');
  });

  test('a terminated container under restartPolicy Never is unready and no longer probed', async () => {
    const h = harness([{ name: 'job', readinessProbe: { periodSeconds: 1 } }], 'Never');
    h.m.addPod(h.pod);
    await h.step(0);
    h.status.containers.job = { containerId: 'job-1', state: 'terminated' };
    await h.step(1000);
    assert.equal(h.clock.pendingTimers, 0);
    assert.equal(h.m.isReady('pod-1', 'job'), false);
  });
});

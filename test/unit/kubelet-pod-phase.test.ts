// The pod phase from container statuses (upstream getPhase), table-driven: init containers,
// sidecars, restart policies and the terminal case.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { getPhase } from '../../src/kubelet/pod-phase.ts';

type Obj = Record<string, any>;

const running = (name: string, started = true): Obj => ({ name, state: { running: { startedAt: 't' } }, started });
const exited = (name: string, exitCode: number): Obj => ({ name, state: { terminated: { exitCode } } });
const waiting = (name: string, lastExit?: number): Obj => ({
  name, state: { waiting: { reason: 'x' } }, ...(lastExit !== undefined ? { lastState: { terminated: { exitCode: lastExit } } } : {}),
});

function pod(restartPolicy: string, containers: string[], inits: Obj[] = []): Obj {
  return { spec: { restartPolicy, containers: containers.map((name) => ({ name })), initContainers: inits } };
}

const cases: Array<[string, Obj, Obj[], boolean, string]> = [
  ['no statuses yet', pod('Always', ['a']), [], false, 'Pending'],
  ['waiting for the first start', pod('Always', ['a']), [waiting('a')], false, 'Pending'],
  ['running', pod('Always', ['a']), [running('a')], false, 'Running'],
  ['one of two running, the other unknown', pod('Always', ['a', 'b']), [running('a')], false, 'Pending'],
  ['crash looping under Always', pod('Always', ['a']), [waiting('a', 1)], false, 'Running'],
  ['all exited 0 under Always (restarting)', pod('Always', ['a']), [exited('a', 0)], false, 'Running'],
  ['all exited 0 under OnFailure', pod('OnFailure', ['a']), [exited('a', 0)], false, 'Succeeded'],
  ['one failed under OnFailure (restarting)', pod('OnFailure', ['a']), [exited('a', 1)], false, 'Running'],
  ['one failed under Never', pod('Never', ['a', 'b']), [exited('a', 0), exited('b', 2)], false, 'Failed'],
  ['terminal: all exited 0', pod('Always', ['a']), [exited('a', 0)], true, 'Succeeded'],
  ['terminal: killed (143)', pod('Always', ['a']), [exited('a', 143)], true, 'Failed'],
  ['init container running', pod('Always', ['a'], [{ name: 'i' }]), [running('i'), waiting('a')], false, 'Pending'],
  ['init container failed under Never', pod('Never', ['a'], [{ name: 'i' }]), [exited('i', 1), waiting('a')], false, 'Failed'],
  ['init container failed under Always (retried)', pod('Always', ['a'], [{ name: 'i' }]), [waiting('i', 1), waiting('a')], false, 'Pending'],
  ['init done, app running', pod('Always', ['a'], [{ name: 'i' }]), [exited('i', 0), running('a')], false, 'Running'],
  ['sidecar not started yet', pod('Always', ['a'], [{ name: 's', restartPolicy: 'Always' }]), [running('s', false), waiting('a')], false, 'Pending'],
  ['sidecar and app running', pod('Always', ['a'], [{ name: 's', restartPolicy: 'Always' }]), [running('s'), running('a')], false, 'Running'],
  ['app done, sidecar stopped (Never)', pod('Never', ['a'], [{ name: 's', restartPolicy: 'Always' }]), [exited('s', 137), exited('a', 0)], false, 'Succeeded'],
];

for (const [name, p, statuses, terminal, want] of cases) {
  test(`getPhase: ${name} → ${want}`, () => {
    assert.equal(getPhase(p, statuses, terminal), want);
  });
}

// Which container a log request reads, and upstream's messages when there is none yet.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KObject } from '../../src/apimachinery/types.ts';
import { containerLogTarget, parsePodLogOptions, validatePodLogOptions } from '../../src/kubelet/logs/index.ts';

function pod(status: Record<string, unknown>): KObject {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'x', namespace: 'default' }, status: { containerStatuses: [{ name: 'c', ...status }] } };
}

test('a running container is read; previous means the last terminated one', () => {
  const p = pod({ containerID: 'containerd://new', state: { running: {} }, lastState: { terminated: { containerID: 'containerd://old', exitCode: 1 } } });
  assert.deepEqual(containerLogTarget(p, 'c', false), { containerId: 'new' });
  assert.deepEqual(containerLogTarget(p, 'c', true), { containerId: 'old' });
});

test('waiting containers give upstream\'s messages', () => {
  assert.deepEqual(containerLogTarget(pod({ state: { waiting: { reason: 'ContainerCreating' } } }), 'c', false),
    { error: 'container "c" in pod "x" is waiting to start: ContainerCreating' });
  assert.deepEqual(containerLogTarget(pod({ state: { waiting: { reason: 'ImagePullBackOff' } } }), 'c', false),
    { error: 'container "c" in pod "x" is waiting to start: trying and failing to pull image' });
  assert.deepEqual(containerLogTarget(pod({ state: { waiting: { reason: 'ErrImagePull' } } }), 'c', false),
    { error: 'container "c" in pod "x" is waiting to start: image can\'t be pulled' });
  assert.deepEqual(containerLogTarget(pod({ state: { waiting: { reason: 'CrashLoopBackOff' } }, lastState: { terminated: { containerID: 'docker://d' } } }), 'c', false),
    { containerId: 'd' }, 'a crash-looping container shows its last run');
  assert.deepEqual(containerLogTarget(pod({ state: { running: {} } }), 'c', true),
    { error: 'previous terminated container "c" in pod "x" not found' });
  assert.deepEqual(containerLogTarget(pod({ state: {} }), 'other', false), { error: 'container "other" in pod "x" is not available' });
});

test('log options are validated as upstream', () => {
  const errs = validatePodLogOptions(parsePodLogOptions(new URLSearchParams('tailLines=-1&limitBytes=0&sinceSeconds=0')));
  assert.deepEqual(errs.map((e) => `${e.field}: ${e.detail}`), [
    'tailLines: must be greater than or equal to 0', 'limitBytes: must be greater than 0', 'sinceSeconds: must be greater than 0',
  ]);
  assert.equal(validatePodLogOptions(parsePodLogOptions(new URLSearchParams('sinceSeconds=5&sinceTime=2024-01-01T00:00:00Z')))[0]?.detail,
    'at most one of `sinceTime` or `sinceSeconds` may be specified');
  assert.throws(() => parsePodLogOptions(new URLSearchParams('tailLines=abc')), /invalid syntax/);
});

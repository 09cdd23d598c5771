// Image pulls per imagePullPolicy (EnsureImageExists) against the fake image store: what is pulled,
// the waiting reasons (ErrImagePull, ImagePullBackOff, ErrImageNeverPull) and upstream's events.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock } from '../../src/client/clock.ts';
import type { EventRecorder } from '../../src/controllers/framework/events/event-recorder.ts';
import { ImagePuller, effectivePullPolicy, goDuration } from '../../src/kubelet/image-puller.ts';
import { StartError } from '../../src/kubelet/start-error.ts';
import { FakeRuntime } from '../../src/kubelet/testing/fake-runtime.ts';

type Obj = Record<string, any>;

function setup(images: string[], registry: string[]) {
  const clock = new FakeClock(0);
  const rt = new FakeRuntime({ clock, images, registry });
  const events: string[] = [];
  const recorder: EventRecorder = {
    event: (_o, type, reason, message) => { events.push(`${type} ${reason}: ${message}`); },
    eventf: () => {}, annotatedEventf: () => {},
  };
  return { clock, rt, events, puller: new ImagePuller(rt, recorder, clock) };
}

const pod: Obj = { metadata: { name: 'p', namespace: 'ns', uid: 'u' }, spec: { containers: [{ name: 'c' }] } };
const BUSYBOX = 'docker.io/library/busybox:1.36';

const policies: Array<[Obj, string]> = [
  [{ image: 'busybox' }, 'Always'], [{ image: 'busybox:latest' }, 'Always'], [{ image: 'busybox:1.36' }, 'IfNotPresent'],
  [{ image: 'busybox@sha256:abc' }, 'IfNotPresent'], [{ image: 'busybox', imagePullPolicy: 'Never' }, 'Never'],
];
for (const [c, want] of policies) test(`effectivePullPolicy(${JSON.stringify(c)}) = ${want}`, () => assert.equal(effectivePullPolicy(c), want));

test('IfNotPresent with the image present: no pull, "already present" event', async () => {
  const { rt, events, puller } = setup([BUSYBOX], []);
  assert.equal(await puller.ensureImageExists(pod, { name: 'c', image: 'busybox:1.36', imagePullPolicy: 'IfNotPresent' }, []), BUSYBOX);
  assert.deepEqual(events, ['Normal Pulled: Container image "busybox:1.36" already present on machine']);
  assert.ok(!rt.calls.some((c) => c.startsWith('pullImage')));
});

test('Always pulls even when present, with Pulling and Pulled events', async () => {
  const { rt, events, puller } = setup([BUSYBOX], [BUSYBOX]);
  await puller.ensureImageExists(pod, { name: 'c', image: 'busybox:1.36', imagePullPolicy: 'Always' }, []);
  assert.ok(rt.calls.includes(`pullImage ${BUSYBOX}`));
  assert.equal(events[0], 'Normal Pulling: Pulling image "busybox:1.36"');
  assert.match(events[1]!, /^Normal Pulled: Successfully pulled image "busybox:1\.36" in 0s \(0s including waiting\)\. Image size: 1000000 bytes\.$/);
});

test('Never without the image: ErrImageNeverPull', async () => {
  const { events, puller } = setup([], [BUSYBOX]);
  await assert.rejects(puller.ensureImageExists(pod, { name: 'c', image: 'busybox:1.36', imagePullPolicy: 'Never' }, []),
    (e: unknown) => e instanceof StartError && e.reason === 'ErrImageNeverPull' && e.message === 'Container image "busybox:1.36" is not present with pull policy of Never');
  assert.deepEqual(events, ['Warning ErrImageNeverPull: Container image "busybox:1.36" is not present with pull policy of Never']);
});

test('a failed pull gives ErrImagePull, then ImagePullBackOff until the back-off ends, then a new pull', async () => {
  const { clock, rt, events, puller } = setup([], []);
  const c = { name: 'c', image: 'nope:1', imagePullPolicy: 'IfNotPresent' };
  await assert.rejects(puller.ensureImageExists(pod, c, []), (e: unknown) => e instanceof StartError && e.reason === 'ErrImagePull');
  assert.equal(events.at(-1), 'Warning Failed: Failed to pull image "nope:1": failed to pull and unpack image "docker.io/library/nope:1": failed to resolve reference "docker.io/library/nope:1": docker.io/library/nope:1: not found');
  clock.step(5_000);
  await assert.rejects(puller.ensureImageExists(pod, c, []), (e: unknown) => e instanceof StartError && e.reason === 'ImagePullBackOff' && e.retryAt === 10_000);
  assert.equal(events.at(-1), 'Normal BackOff: Back-off pulling image "nope:1"');
  clock.step(5_000);
  await assert.rejects(puller.ensureImageExists(pod, c, []), (e: unknown) => e instanceof StartError && e.reason === 'ErrImagePull');
  assert.equal(rt.calls.filter((x) => x.startsWith('pullImage')).length, 2);
  // The second failure doubles the back-off: 20 s.
  clock.step(15_000);
  await assert.rejects(puller.ensureImageExists(pod, c, []), (e: unknown) => e instanceof StartError && e.reason === 'ImagePullBackOff');
});

test('goDuration prints as Go does', () => {
  assert.deepEqual([0, 5, 999, 1000, 1234, 61_500, 3_723_004].map(goDuration), ['0s', '5ms', '999ms', '1s', '1.234s', '1m1.5s', '1h2m3.004s']);
});

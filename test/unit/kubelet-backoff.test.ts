// The kubelet's restart back-off (flowcontrol.Backoff with 10 s initial, 300 s max): doubling per
// failure, capped, and reset once the container ran for twice the maximum (10 minutes).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock } from '../../src/client/clock.ts';
import { Backoff } from '../../src/kubelet/backoff.ts';

test('back-off doubles from 10 s to at most 300 s', () => {
  const clock = new FakeClock(0);
  const b = new Backoff(clock);
  const seen: number[] = [];
  for (let i = 0; i < 8; i++) {
    b.next('c', clock.now());
    seen.push(b.get('c'));
    clock.step(b.get('c'));
  }
  assert.deepEqual(seen, [10_000, 20_000, 40_000, 80_000, 160_000, 300_000, 300_000, 300_000]);
});

const cases: Array<[string, number, boolean]> = [
  ['just after the exit', 0, true],
  ['9 s after', 9_000, true],
  ['10 s after', 10_000, false],
];
for (const [name, after, want] of cases) {
  test(`isInBackOffSince ${name}: ${want}`, () => {
    const clock = new FakeClock(1_000_000);
    const b = new Backoff(clock);
    const finished = clock.now();
    b.next('c', finished);
    clock.step(after);
    assert.equal(b.isInBackOffSince('c', finished), want);
  });
}

test('a container that ran for more than 10 minutes starts over at 10 s', () => {
  const clock = new FakeClock(0);
  const b = new Backoff(clock);
  for (let i = 0; i < 4; i++) b.next('c', clock.now());
  assert.equal(b.get('c'), 80_000);
  clock.step(601_000);
  assert.equal(b.isInBackOffSince('c', clock.now()), false);
  b.next('c', clock.now());
  assert.equal(b.get('c'), 10_000);
});

test('isInBackOffSinceUpdate measures from the last failure (image pulls)', () => {
  const clock = new FakeClock(0);
  const b = new Backoff(clock);
  b.next('img', clock.now());
  clock.step(5_000);
  assert.equal(b.isInBackOffSinceUpdate('img', clock.now()), true);
  assert.equal(b.expiresSinceUpdate('img'), 10_000);
  clock.step(5_000);
  assert.equal(b.isInBackOffSinceUpdate('img', clock.now()), false);
});

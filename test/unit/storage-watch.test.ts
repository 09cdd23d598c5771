import { test, describe, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openLevelStorage, LevelStorage } from '../../src/storage/level/index.ts';
import { StorageError, type Storage, type StoredEvent, type WatchCallbacks } from '../../src/storage/interface.ts';
import type { KObject } from '../../src/apimachinery/types.ts';

const dirs: string[] = [];
after(() => { for (const d of dirs) fs.rmSync(d, { recursive: true, force: true }); });

function tempDir(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'k8ts-storage-watch-'));
  dirs.push(d);
  return d;
}

const pod = (ns: string, name: string, phase = 'Pending'): KObject =>
  ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: ns }, status: { phase } });
const key = (ns: string, name: string) => `/registry/pods/${ns}/${name}`;

/** Records what a watcher receives; waitFor polls instead of sleeping a fixed time. */
class Recorder implements WatchCallbacks {
  events: StoredEvent[] = [];
  errors: StorageError[] = [];
  progress: number[] = [];
  onEvent(e: StoredEvent): void { this.events.push(e); }
  onError(err: StorageError): void { this.errors.push(err); }
  onProgress(rev: number): void { this.progress.push(rev); }
  get summary(): string[] { return this.events.map((e) => `${e.type} ${e.key.split('/').slice(3).join('/')} ${e.revision}`); }
}

async function waitFor(cond: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

// Every case runs with recent history in memory, and with all history read back from disk.
for (const [mode, history] of [['history in memory', {}], ['history read from disk', { historyInMemory: 0 }]] as const) {
describe(mode, () => {
  describe('LevelStorage watch', () => {
    test('delivers ADDED, MODIFIED, DELETED in revision order with prev objects, filtered by directory', async () => {
      const s = await openLevelStorage(tempDir(), history);
      try {
        const rec = new Recorder();
        s.watch('/registry/pods/default', 0, rec);
        await s.create(key('default', 'a'), pod('default', 'a'));
        await s.create(key('default2', 'x'), pod('default2', 'x'));
        await s.guaranteedUpdate(key('default', 'a'), (o) => ({ ...o, status: { phase: 'Running' } }));
        await s.delete(key('default', 'a'));
        await waitFor(() => rec.events.length === 3, '3 events');
        assert.deepEqual(rec.summary, ['ADDED default/a 1', 'MODIFIED default/a 3', 'DELETED default/a 4']);
        const [added, modified, deleted] = rec.events;
        assert.equal(added.object.metadata.resourceVersion, '1');
        assert.equal(added.prevObject, undefined);
        assert.deepEqual(modified.prevObject!.status, { phase: 'Pending' });
        assert.equal(modified.object.metadata.resourceVersion, '3');
        assert.equal(deleted.object.metadata.resourceVersion, '4');
        assert.deepEqual(deleted.object.status, { phase: 'Running' });
        assert.equal(deleted.prevObject!.metadata.resourceVersion, '3');
      } finally {
        await s.close();
      }
    });

    test('a non-recursive watch sees only its exact key; stop() ends delivery', async () => {
      const s = await openLevelStorage(tempDir(), history);
      try {
        const exact = new Recorder();
        const h = s.watch(key('default', 'a'), 0, exact, { recursive: false });
        await s.create(key('default', 'ab'), pod('default', 'ab'));
        await s.create(key('default', 'a'), pod('default', 'a'));
        await waitFor(() => exact.events.length === 1, 'exact event');
        h.stop();
        await s.guaranteedUpdate(key('default', 'a'), (o) => ({ ...o, status: { phase: 'Running' } }));
        const all = new Recorder();
        s.watch('/registry/pods', 2, all);
        await waitFor(() => all.events.length === 1, 'replayed update');
        assert.deepEqual(exact.summary, ['ADDED default/a 2']);
      } finally {
        await s.close();
      }
    });

    test('resuming from a revision replays exactly the later events, then continues live', async () => {
      const s = await openLevelStorage(tempDir(), history);
      try {
        for (let i = 0; i < 5; i++) await s.create(key('default', `p${i}`), pod('default', `p${i}`));
        const rec = new Recorder();
        s.watch('/registry/pods', 3, rec);
        // Writes racing the asynchronous replay must still come after it, in order.
        const live = Promise.all([5, 6, 7].map((i) => s.create(key('default', `p${i}`), pod('default', `p${i}`))));
        await live;
        await waitFor(() => rec.events.length === 5, '5 events');
        assert.deepEqual(rec.events.map((e) => e.revision), [4, 5, 6, 7, 8]);
        assert.deepEqual(rec.errors, []);
      } finally {
        await s.close();
      }
    });

    test('watch events are shared read-only: one watcher cannot change what another or the store sees', async () => {
      const s = await openLevelStorage(tempDir(), history);
      try {
        const r1 = new Recorder();
        const r2 = new Recorder();
        s.watch('/registry/pods', 0, r1);
        s.watch('/registry/pods', 0, r2);
        await s.create(key('default', 'a'), pod('default', 'a'));
        await waitFor(() => r1.events.length === 1 && r2.events.length === 1, 'events');
        assert.throws(() => { (r1.events[0].object.status as Record<string, string>).phase = 'Hacked'; }, TypeError);
        assert.deepEqual(r2.events[0].object.status, { phase: 'Pending' });
        assert.deepEqual((await s.get(key('default', 'a')))!.status, { phase: 'Pending' });
        // The stored text rides along, exactly as a get serves it.
        assert.deepEqual(JSON.parse(r2.events[0].objectJson), await s.get(key('default', 'a')));
        assert.equal(await s.getRaw(key('default', 'a')), r2.events[0].objectJson);
      } finally {
        await s.close();
      }
    });

    test('onProgress reports revisions a watcher saw no event for', async () => {
      const s = await openLevelStorage(tempDir(), history);
      try {
        const rec = new Recorder();
        s.watch('/registry/pods/quiet', 0, rec);
        await s.create(key('busy', 'a'), pod('busy', 'a'));
        await s.create(key('busy', 'b'), pod('busy', 'b'));
        await waitFor(() => rec.progress.at(-1) === 2, 'progress to 2');
        assert.deepEqual(rec.events, []);
      } finally {
        await s.close();
      }
    });

    test('a watch resumes after a restart from any kept revision', async () => {
      const dir = tempDir();
      const s1 = await openLevelStorage(dir, history);
      for (let i = 0; i < 4; i++) await s1.create(key('default', `p${i}`), pod('default', `p${i}`));
      await s1.delete(key('default', 'p0'));
      await s1.close();

      const s2 = await openLevelStorage(dir, history);
      try {
        const rec = new Recorder();
        s2.watch('/registry/pods', 2, rec);
        await s2.create(key('default', 'p9'), pod('default', 'p9'));
        await waitFor(() => rec.events.length === 4, '4 events');
        assert.deepEqual(rec.summary, ['ADDED default/p2 3', 'ADDED default/p3 4', 'DELETED default/p0 5', 'ADDED default/p9 6']);
        assert.equal(rec.events[2].prevObject!.metadata.resourceVersion, '1');
      } finally {
        await s2.close();
      }
    });
  });

  describe('LevelStorage compaction', () => {
    test('history older than the window is dropped: old watches and lists are Expired, also after restart', async () => {
      const dir = tempDir();
      let clock = 1_000_000;
      const interval = 60_000;
      const s = await LevelStorage.open(dir, { ...history, compactionIntervalMs: interval, now: () => clock });
      await s.create(key('default', 'old1'), pod('default', 'old1'));
      await s.create(key('default', 'old2'), pod('default', 'old2'));
      clock += interval + 1; // the two writes above are now older than one window
      await s.create(key('default', 'new'), pod('default', 'new'));
      assert.equal(await s.compact(), 2);
      assert.equal(s.compactedRevision(), 2);

      const rec = new Recorder();
      s.watch('/registry/pods', 1, rec);
      assert.equal(rec.errors.length, 0, 'onError must come after watch() returned');
      await waitFor(() => rec.errors.length === 1, 'Expired');
      assert.equal(rec.errors[0].code, 'Expired');
      assert.match(rec.errors[0].message, /^too old resource version: 1 \(2\)$/);
      await assert.rejects(s.list('/registry/pods', { revision: 1 }), (e: unknown) => e instanceof StorageError && e.code === 'Expired');

      // The compacted revision itself is still served.
      const fromCompacted = new Recorder();
      s.watch('/registry/pods', 2, fromCompacted);
      await waitFor(() => fromCompacted.events.length === 1, 'kept event');
      assert.deepEqual(fromCompacted.summary, ['ADDED default/new 3']);
      assert.equal((await s.list('/registry/pods', { revision: 2 })).items.length, 2);
      await s.close();

      const s2: Storage = await openLevelStorage(dir, { ...history, compactionIntervalMs: interval, now: () => clock });
      try {
        assert.equal(s2.compactedRevision(), 2);
        assert.equal(s2.currentRevision(), 3);
        assert.equal(s2.count('/registry/pods'), 3);
        const again = new Recorder();
        s2.watch('/registry/pods', 1, again);
        await waitFor(() => again.errors.length === 1, 'Expired after restart');
      } finally {
        await s2.close();
      }
    });

    test('the timer compacts on its own and the revision never goes backwards', async () => {
      const dir = tempDir();
      let clock = 0;
      const s = await LevelStorage.open(dir, { ...history, compactionIntervalMs: 20, now: () => clock });
      for (let i = 0; i < 3; i++) await s.create(key('default', `p${i}`), pod('default', `p${i}`));
      clock = 1000;
      await waitFor(() => s.compactedRevision() === 3, 'timer compaction');
      await s.close();
      const s2 = await openLevelStorage(dir, history);
      try {
        assert.equal(s2.currentRevision(), 3);
        assert.equal((await s2.create(key('default', 'next'), pod('default', 'next'))).metadata.resourceVersion, '4');
        // A fully compacted log still serves a watch from the current revision.
        const rec = new Recorder();
        s2.watch('/registry/pods', 3, rec);
        await waitFor(() => rec.events.length === 1, 'event after full compaction');
      } finally {
        await s2.close();
      }
    });
  });
});
}

describe('LevelStorage history beyond memory', () => {
  test('a watch from far back reads history from disk, then joins live writes without a gap or a repeat', async () => {
    const s = await openLevelStorage(tempDir(), { historyInMemory: 8 });
    try {
      for (let i = 0; i < 40; i++) await s.create(key('default', `p${i}`), pod('default', `p${i}`));
      const rec = new Recorder();
      s.watch('/registry/pods', 1, rec);
      // Writes keep landing while the watcher catches up from disk.
      const writes = Array.from({ length: 30 }, (_, i) => s.guaranteedUpdate(key('default', `p${i}`), (o) => ({ ...o, status: { phase: 'Running' } })));
      await Promise.all(writes);
      await waitFor(() => rec.events.length === 69, '69 events');
      assert.deepEqual(rec.events.map((e) => e.revision), Array.from({ length: 69 }, (_, i) => i + 2));
      assert.deepEqual(rec.events.slice(0, 39).map((e) => e.type), Array(39).fill('ADDED'));
      const modified = rec.events.slice(39);
      const phase = (o: KObject | undefined) => (o?.status as { phase?: string } | undefined)?.phase;
      assert.ok(modified.every((e) => e.type === 'MODIFIED' && phase(e.prevObject) === 'Pending' && phase(e.object) === 'Running'));
      assert.deepEqual(rec.errors, []);
      // An old-revision read goes to disk too and sees the state of then.
      const then = await s.list('/registry/pods', { revision: 40 });
      assert.equal(then.items.length, 40);
      assert.ok(then.items.every((o) => (o.status as { phase: string }).phase === 'Pending'));
    } finally {
      await s.close();
    }
  });

  test('history compacted away while a watcher reads it from disk ends that watch Expired', async () => {
    let clock = 0;
    const s = await LevelStorage.open(tempDir(), { historyInMemory: 0, compactionIntervalMs: 60_000, now: () => clock });
    try {
      for (let i = 0; i < 600; i++) await s.create(key('default', `p${i}`), pod('default', `p${i}`));
      clock = 120_000;
      const rec = new Recorder();
      s.watch('/registry/pods', 1, rec);
      await s.compact();
      await waitFor(() => rec.errors.length === 1 || rec.events.length === 599, 'the watch ends or completes');
      // Either it read everything before the compaction, or it is told the history is gone: never a gap.
      if (rec.errors.length) {
        assert.equal(rec.errors[0].code, 'Expired');
        assert.deepEqual(rec.events.map((e) => e.revision), Array.from({ length: rec.events.length }, (_, i) => i + 2));
      }
    } finally {
      await s.close();
    }
  });
});

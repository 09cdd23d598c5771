import { test, describe, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openLevelStorage, type LevelStorageOptions } from '../../src/storage/level/index.ts';
import { StorageError, type Storage } from '../../src/storage/interface.ts';
import type { KObject } from '../../src/apimachinery/types.ts';

const dirs: string[] = [];
after(() => { for (const d of dirs) fs.rmSync(d, { recursive: true, force: true }); });

function tempDir(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'k8ts-storage-'));
  dirs.push(d);
  return d;
}

async function withStore(history: LevelStorageOptions, fn: (s: Storage, dir: string) => Promise<void>): Promise<void> {
  const dir = tempDir();
  const s = await openLevelStorage(dir, history);
  try { await fn(s, dir); } finally { await s.close(); }
}

function cm(ns: string, name: string, data: Record<string, string> = {}): KObject {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: ns, uid: `uid-${ns}-${name}` }, data };
}
const key = (ns: string, name: string) => `/registry/configmaps/${ns}/${name}`;

async function rejectsWith(p: Promise<unknown>, code: StorageError['code'], message?: RegExp): Promise<void> {
  await assert.rejects(p, (err: unknown) => {
    assert.ok(err instanceof StorageError, `expected StorageError, got ${err}`);
    assert.equal(err.code, code);
    if (message) assert.match(err.message, message);
    return true;
  });
}

// Every case runs with recent history in memory, and with all history read back from disk.
for (const [mode, history] of [['history in memory', {}], ['history read from disk', { historyInMemory: 0 }]] as const) {
describe(mode, () => {
  describe('LevelStorage create/get/delete', () => {
    test('create stamps resourceVersion with a strictly increasing cluster-wide revision', () => withStore(history, async (s) => {
      const a = await s.create(key('default', 'a'), cm('default', 'a'));
      const b = await s.create(key('kube-system', 'b'), cm('kube-system', 'b'));
      assert.equal(a.metadata.resourceVersion, '1');
      assert.equal(b.metadata.resourceVersion, '2');
      assert.equal(s.currentRevision(), 2);
      assert.deepEqual(await s.get(key('default', 'a')), a);
      assert.equal(await s.get(key('default', 'missing')), undefined);
    }));

    test('callers get copies: mutating a result does not change the store', () => withStore(history, async (s) => {
      const input = cm('default', 'a', { k: 'v' });
      const created = await s.create(key('default', 'a'), input);
      (created.data as Record<string, string>).k = 'changed';
      (input.data as Record<string, string>).k = 'changed-input';
      const got = await s.get(key('default', 'a'));
      (got!.data as Record<string, string>).k = 'changed-get';
      const listed = await s.list('/registry/configmaps');
      (listed.items[0].data as Record<string, string>).k = 'changed-list';
      assert.deepEqual((await s.get(key('default', 'a')))!.data, { k: 'v' });
    }));

    test('create of an existing key fails with KeyExists, also when racing', () => withStore(history, async (s) => {
      await s.create(key('default', 'a'), cm('default', 'a'));
      await rejectsWith(s.create(key('default', 'a'), cm('default', 'a')), 'KeyExists');
      const results = await Promise.allSettled(Array.from({ length: 10 }, () => s.create(key('default', 'race'), cm('default', 'race'))));
      assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1);
      assert.equal(s.count('/registry/configmaps/default'), 2);
    }));

    test('update and delete of a missing key fail with KeyNotFound', () => withStore(history, async (s) => {
      await rejectsWith(s.guaranteedUpdate(key('default', 'nope'), (o) => o), 'KeyNotFound');
      await rejectsWith(s.delete(key('default', 'nope')), 'KeyNotFound');
    }));

    test('delete returns the last state at the delete revision and removes the key', () => withStore(history, async (s) => {
      await s.create(key('default', 'a'), cm('default', 'a', { x: '1' }));
      const deleted = await s.delete(key('default', 'a'));
      assert.equal(deleted.metadata.resourceVersion, '2');
      assert.deepEqual(deleted.data, { x: '1' });
      assert.equal(await s.get(key('default', 'a')), undefined);
      assert.equal(s.count('/registry/configmaps'), 0);
      // The name is free again.
      assert.equal((await s.create(key('default', 'a'), cm('default', 'a'))).metadata.resourceVersion, '3');
    }));

    test('delete validate can abort, and sees the current object', () => withStore(history, async (s) => {
      await s.create(key('default', 'a'), cm('default', 'a', { keep: 'yes' }));
      await assert.rejects(s.delete(key('default', 'a'), {
        validate: async (cur) => { if (cur.data && (cur.data as Record<string, string>).keep) throw new Error('protected'); },
      }), /protected/);
      assert.ok(await s.get(key('default', 'a')));
    }));
  });

  describe('LevelStorage guaranteedUpdate (compare-and-swap)', () => {
    for (const mode of ['sync', 'async'] as const) {
      test(`50 concurrent read-modify-write increments (${mode} tryUpdate) end at exactly 50`, () => withStore(history, async (s) => {
        const k = key('default', 'counter');
        await s.create(k, cm('default', 'counter', { n: '0' }));
        const inc = (o: KObject): KObject => ({ ...o, data: { n: String(Number((o.data as Record<string, string>).n) + 1) } });
        await Promise.all(Array.from({ length: 50 }, () => s.guaranteedUpdate(k, mode === 'sync' ? inc
          : async (o) => { await new Promise((r) => setTimeout(r, Math.random() * 5)); return inc(o); })));
        const final = await s.get(k);
        assert.deepEqual(final!.data, { n: '50' });
        assert.equal(final!.metadata.resourceVersion, '51');
      }));
    }

    test('preconditions on uid and resourceVersion fail with upstream messages', () => withStore(history, async (s) => {
      const k = key('default', 'a');
      const created = await s.create(k, cm('default', 'a'));
      await rejectsWith(s.guaranteedUpdate(k, (o) => o, { preconditions: { uid: 'other' } }), 'ResourceVersionConflict',
        /^Precondition failed: UID in precondition: other, UID in object meta: uid-default-a$/);
      await rejectsWith(s.delete(k, { preconditions: { resourceVersion: '999' } }), 'ResourceVersionConflict',
        /^Precondition failed: ResourceVersion in precondition: 999, ResourceVersion in object meta: 1$/);
      const ok = await s.guaranteedUpdate(k, (o) => ({ ...o, data: { a: 'b' } }),
        { preconditions: { uid: created.metadata.uid, resourceVersion: created.metadata.resourceVersion } });
      assert.equal(ok.metadata.resourceVersion, '2');
    }));

    test('an update equal to the current object writes nothing', () => withStore(history, async (s) => {
      const k = key('default', 'a');
      await s.create(k, cm('default', 'a', { x: '1' }));
      const same = await s.guaranteedUpdate(k, (o) => ({ ...o, metadata: { ...o.metadata, resourceVersion: '' } }));
      assert.equal(same.metadata.resourceVersion, '1');
      assert.equal(s.currentRevision(), 1);
    }));

    test('an update with the same content in another key order writes nothing either', () => withStore(history, async (s) => {
      const k = key('default', 'a');
      await s.create(k, cm('default', 'a', { x: '1', y: '2' }));
      const same = await s.guaranteedUpdate(k, (o) => ({ data: { y: '2', x: '1' }, metadata: o.metadata, kind: o.kind, apiVersion: o.apiVersion }));
      assert.equal(same.metadata.resourceVersion, '1');
      assert.equal(s.currentRevision(), 1);
      const changed = await s.guaranteedUpdate(k, (o) => ({ ...o, data: { x: '1', y: '3' } }));
      assert.equal(changed.metadata.resourceVersion, '2');
    }));

    test('tryUpdate errors abort the update and pass through', () => withStore(history, async (s) => {
      const k = key('default', 'a');
      await s.create(k, cm('default', 'a'));
      await assert.rejects(s.guaranteedUpdate(k, () => { throw new Error('invalid'); }), /invalid/);
      assert.equal(s.currentRevision(), 1);
    }));

    test('an update racing a delete ends in KeyNotFound', () => withStore(history, async (s) => {
      const k = key('default', 'a');
      await s.create(k, cm('default', 'a'));
      const upd = s.guaranteedUpdate(k, async (o) => { await s.delete(k); return { ...o, data: { late: 'x' } }; });
      await rejectsWith(upd, 'KeyNotFound');
      assert.equal(await s.get(k), undefined);
    }));
  });

  describe('LevelStorage list', () => {
    async function seed(s: Storage): Promise<void> {
      for (const [ns, name] of [['default', 'c'], ['default', 'a'], ['default2', 'x'], ['default', 'b'], ['kube-system', 'k']]) {
        await s.create(key(ns, name), cm(ns, name, { app: name === 'b' ? 'web' : 'db' }));
      }
    }
    const names = (items: KObject[]) => items.map((o) => `${o.metadata.namespace}/${o.metadata.name}`);

    test('lists a directory prefix in key order, not its siblings', () => withStore(history, async (s) => {
      await seed(s);
      const r = await s.list('/registry/configmaps/default');
      assert.deepEqual(names(r.items), ['default/a', 'default/b', 'default/c']);
      assert.equal(r.revision, 5);
      assert.equal(r.continueKey, undefined);
      assert.equal(s.count('/registry/configmaps/default'), 3);
      assert.deepEqual(names((await s.list('/registry/configmaps/')).items), ['default/a', 'default/b', 'default/c', 'default2/x', 'kube-system/k']);
      assert.deepEqual(names((await s.list(key('default', 'b'), { recursive: false })).items), ['default/b']);
    }));

    test('pages with limit, continueKey and remainingItemCount', () => withStore(history, async (s) => {
      await seed(s);
      const p1 = await s.list('/registry/configmaps', { limit: 2 });
      assert.deepEqual(names(p1.items), ['default/a', 'default/b']);
      assert.equal(p1.continueKey, key('default', 'b'));
      assert.equal(p1.remainingItemCount, 3);
      const p2 = await s.list('/registry/configmaps', { limit: 2, startAfterKey: p1.continueKey, revision: p1.revision });
      assert.deepEqual(names(p2.items), ['default/c', 'default2/x']);
      const p3 = await s.list('/registry/configmaps', { limit: 2, startAfterKey: p2.continueKey, revision: p1.revision });
      assert.deepEqual(names(p3.items), ['kube-system/k']);
      assert.equal(p3.continueKey, undefined);
      assert.equal(p3.remainingItemCount, undefined);
    }));

    test('predicate items count towards the limit; no continue when no more match', () => withStore(history, async (s) => {
      await seed(s);
      const isDb = (o: KObject) => (o.data as Record<string, string>).app === 'db';
      const p1 = await s.list('/registry/configmaps', { limit: 3, predicate: isDb });
      assert.deepEqual(names(p1.items), ['default/a', 'default/c', 'default2/x']);
      assert.equal(p1.continueKey, key('default2', 'x'));
      const p2 = await s.list('/registry/configmaps', { limit: 1, predicate: isDb, startAfterKey: p1.continueKey });
      assert.deepEqual(names(p2.items), ['kube-system/k']);
      assert.equal(p2.continueKey, undefined);
    }));

    test('paging at the first page revision is a consistent snapshot', () => withStore(history, async (s) => {
      await seed(s);
      const p1 = await s.list('/registry/configmaps', { limit: 2 });
      // Writes between pages: a new key after the cursor, an update, a delete.
      await s.create(key('default', 'd'), cm('default', 'd'));
      await s.guaranteedUpdate(key('default2', 'x'), (o) => ({ ...o, data: { app: 'changed' } }));
      await s.delete(key('kube-system', 'k'));
      const rest = await s.list('/registry/configmaps', { startAfterKey: p1.continueKey, revision: p1.revision });
      assert.deepEqual(names(rest.items), ['default/c', 'default2/x', 'kube-system/k']);
      assert.deepEqual(rest.items[1].data, { app: 'db' });
      assert.equal(rest.revision, p1.revision);
      const latest = await s.list('/registry/configmaps', { startAfterKey: p1.continueKey });
      assert.deepEqual(names(latest.items), ['default/c', 'default/d', 'default2/x']);
      assert.deepEqual(latest.items[2].data, { app: 'changed' });
      // get at an older revision, too.
      assert.deepEqual((await s.get(key('default2', 'x'), { revision: p1.revision }))!.data, { app: 'db' });
      assert.equal(await s.get(key('default', 'd'), { revision: p1.revision }), undefined);
    }));

    test('raw reads serve the exact JSON of what get and list return, now and at a kept revision', () => withStore(history, async (s) => {
      await seed(s);
      const rev = s.currentRevision();
      await s.guaranteedUpdate(key('default2', 'x'), (o) => ({ ...o, data: { app: 'changed' } }));
      await s.delete(key('kube-system', 'k'));
      for (const opts of [{}, { revision: rev }]) {
        const parsed = await s.list('/registry/configmaps', opts);
        const raw = await s.listRaw('/registry/configmaps', opts);
        assert.deepEqual(raw.items, parsed.items.map((o) => JSON.stringify(o)));
        assert.equal(raw.revision, parsed.revision);
        for (const o of parsed.items) {
          assert.equal(await s.getRaw(key(o.metadata.namespace!, o.metadata.name!), opts), JSON.stringify(o));
        }
      }
      const selected = await s.listRaw('/registry/configmaps', { predicate: (o) => (o.data as Record<string, string>).app === 'changed' });
      assert.deepEqual(selected.items.map((j) => JSON.parse(j).metadata.name), ['x']);
    }));

    test('a revision newer than the store fails with TooLarge', () => withStore(history, async (s) => {
      await seed(s);
      await rejectsWith(s.list('/registry/configmaps', { revision: 99 }), 'TooLarge', /Too large resource version: 99, current: 5/);
    }));
  });

  describe('LevelStorage restart', () => {
    test('reopening sees every object with the same resourceVersions, and the revision continues', async () => {
      const dir = tempDir();
      const s1 = await openLevelStorage(dir, history);
      for (let i = 0; i < 20; i++) await s1.create(key('default', `n${i}`), cm('default', `n${i}`));
      await s1.guaranteedUpdate(key('default', 'n3'), (o) => ({ ...o, data: { v: '2' } }));
      await s1.delete(key('default', 'n4'));
      const before = await s1.list('/registry/configmaps');
      await s1.close();

      const s2 = await openLevelStorage(dir, history);
      try {
        assert.equal(s2.currentRevision(), 22);
        assert.deepEqual(await s2.list('/registry/configmaps'), before);
        // History came back too: the state before the update and the delete.
        const atCreate = await s2.list('/registry/configmaps', { revision: 20 });
        assert.equal(atCreate.items.length, 20);
        assert.deepEqual(atCreate.items.find((o) => o.metadata.name === 'n3')!.data, {});
        const created = await s2.create(key('default', 'after'), cm('default', 'after'));
        assert.equal(created.metadata.resourceVersion, '23');
      } finally {
        await s2.close();
      }
    });
  });
});
}

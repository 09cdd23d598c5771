// Pieces of the client that need no server: the indexer and listers, cache keys, freezing, the
// token bucket, reconnect back-off and kubeconfig loading.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KObject } from '../../src/apimachinery/types.ts';
import { Backoff } from '../../src/client/cache/backoff.ts';
import { deepFreeze } from '../../src/client/cache/deep-freeze.ts';
import { NODE_NAME_INDEX, OWNER_UID_INDEX, nodeNameIndexFunc, ownerUIDIndexFunc } from '../../src/client/cache/index-funcs.ts';
import { Indexer } from '../../src/client/cache/indexer.ts';
import { DeletedFinalStateUnknown, deletionHandlingMetaNamespaceKeyFunc, metaNamespaceKeyFunc, splitMetaNamespaceKey } from '../../src/client/cache/keys.ts';
import { Lister } from '../../src/client/cache/lister.ts';
import { FakeClock } from '../../src/client/clock.ts';
import { loadKubeconfig } from '../../src/client/config.ts';
import { TokenBucket } from '../../src/client/rate-limiter.ts';
import { ResourceTable, resourcePath, GVR } from '../../src/client/resources.ts';

const pod = (ns: string, name: string, extra: Partial<KObject> & { labels?: Record<string, string>; node?: string; owners?: string[] } = {}): KObject => ({
  apiVersion: 'v1', kind: 'Pod',
  metadata: {
    name, namespace: ns, labels: extra.labels,
    ownerReferences: extra.owners?.map((uid) => ({ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'rs', uid })),
  },
  spec: extra.node ? { nodeName: extra.node } : {},
});

describe('cache keys', () => {
  test('namespace/name for namespaced objects, name otherwise; tombstones keep their key', () => {
    assert.equal(metaNamespaceKeyFunc(pod('ns', 'a')), 'ns/a');
    assert.equal(metaNamespaceKeyFunc({ metadata: { name: 'node-1' } }), 'node-1');
    assert.equal(deletionHandlingMetaNamespaceKeyFunc(new DeletedFinalStateUnknown('ns/gone', pod('ns', 'gone'))), 'ns/gone');
    assert.deepEqual(splitMetaNamespaceKey('ns/a'), { namespace: 'ns', name: 'a' });
    assert.deepEqual(splitMetaNamespaceKey('node-1'), { namespace: '', name: 'node-1' });
    assert.throws(() => splitMetaNamespaceKey('a/b/c'), /unexpected key format/);
  });
});

describe('Indexer and Lister', () => {
  test('namespace index and custom indices follow add, update and delete', () => {
    const idx = new Indexer({ [NODE_NAME_INDEX]: nodeNameIndexFunc, [OWNER_UID_INDEX]: ownerUIDIndexFunc });
    idx.set('a/p1', pod('a', 'p1', { node: 'n1', owners: ['rs-1'] }));
    idx.set('a/p2', pod('a', 'p2', { node: 'n2', owners: ['rs-1'] }));
    idx.set('b/p3', pod('b', 'p3', {}));
    assert.deepEqual(idx.byIndex('namespace', 'a').map((o) => o.metadata.name).sort(), ['p1', 'p2']);
    assert.deepEqual(idx.byIndex(NODE_NAME_INDEX, 'n1').map((o) => o.metadata.name), ['p1']);
    assert.deepEqual(idx.indexKeys(OWNER_UID_INDEX, 'rs-1').sort(), ['a/p1', 'a/p2']);
    idx.set('a/p1', pod('a', 'p1', { node: 'n2' }));
    assert.deepEqual(idx.byIndex(NODE_NAME_INDEX, 'n1'), []);
    assert.deepEqual(idx.indexKeys(NODE_NAME_INDEX, 'n2').sort(), ['a/p1', 'a/p2']);
    assert.deepEqual(idx.indexKeys(OWNER_UID_INDEX, 'rs-1'), ['a/p2']);
    idx.delete('a/p2');
    assert.deepEqual(idx.listIndexFuncValues(NODE_NAME_INDEX), ['n2']);
    assert.deepEqual(idx.listIndexFuncValues(OWNER_UID_INDEX), []);
    assert.throws(() => idx.byIndex('nope', 'x'), /index with name nope does not exist/);
    assert.throws(() => idx.addIndexers({ namespace: () => [] }), /indexer conflict: namespace/);
  });

  test('an indexer added later indexes what is already cached', () => {
    const idx = new Indexer();
    idx.set('a/p1', pod('a', 'p1', { node: 'n1' }));
    idx.addIndexers({ [NODE_NAME_INDEX]: nodeNameIndexFunc });
    assert.deepEqual(idx.indexKeys(NODE_NAME_INDEX, 'n1'), ['a/p1']);
  });

  test('Lister: by namespace, by label selector string, set or matcher; get by name', () => {
    const idx = new Indexer();
    idx.set('a/web-1', pod('a', 'web-1', { labels: { app: 'web', tier: 'fe' } }));
    idx.set('a/db-1', pod('a', 'db-1', { labels: { app: 'db' } }));
    idx.set('b/web-2', pod('b', 'web-2', { labels: { app: 'web' } }));
    const lister = new Lister(idx);
    const names = (objs: readonly KObject[]) => objs.map((o) => o.metadata.name).sort();
    assert.deepEqual(names(lister.list()), ['db-1', 'web-1', 'web-2']);
    assert.deepEqual(names(lister.list('app=web')), ['web-1', 'web-2']);
    assert.deepEqual(names(lister.namespace('a').list({ app: 'web' })), ['web-1']);
    assert.deepEqual(names(lister.namespace('a').list('app in (web,db),tier!=fe')), ['db-1']);
    assert.equal(lister.namespace('b').get('web-2')?.metadata.name, 'web-2');
    assert.equal(lister.namespace('b').get('web-1'), undefined);
    assert.equal(lister.get('a/db-1')?.metadata.name, 'db-1');
  });
});

describe('deepFreeze', () => {
  test('a frozen cached object throws on mutation at any depth', () => {
    const obj = deepFreeze(pod('a', 'p', { labels: { app: 'web' } }));
    assert.throws(() => { obj.metadata.labels!.app = 'x'; }, TypeError);
    assert.throws(() => { (obj.spec as Record<string, unknown>).nodeName = 'n'; }, TypeError);
    const copy = structuredClone(obj);
    copy.metadata.labels!.app = 'x';
    assert.equal(copy.metadata.labels!.app, 'x', 'a copy is writable');
  });
});

describe('TokenBucket', () => {
  test('burst at once, then qps; tryAccept does not borrow', () => {
    const clock = new FakeClock();
    const b = new TokenBucket(50, 100, clock);
    let accepted = 0;
    while (b.tryAccept()) accepted++;
    assert.equal(accepted, 100);
    clock.step(100);
    assert.equal(b.tryAccept(), true, '5 tokens after 100 ms at 50 qps');
    for (let i = 0; i < 4; i++) assert.equal(b.tryAccept(), true);
    assert.equal(b.tryAccept(), false);
    assert.equal(b.reserve(), 20, 'the next token is 20 ms away');
  });

  test('wait resolves after the delay on the clock', async () => {
    const clock = new FakeClock();
    const b = new TokenBucket(10, 1, clock);
    await b.wait();
    let done = false;
    const waiting = b.wait().then(() => { done = true; });
    clock.step(99);
    await new Promise((r) => setImmediate(r));
    assert.equal(done, false);
    clock.step(1);
    await waiting;
    assert.equal(done, true);
  });
});

describe('Backoff', () => {
  test('800 ms doubling to 30 s, reset after a quiet 2 minutes (no jitter)', () => {
    const clock = new FakeClock();
    const b = new Backoff({ clock, jitter: 0 });
    assert.deepEqual(Array.from({ length: 8 }, () => b.next()), [800, 1600, 3200, 6400, 12800, 25600, 30000, 30000]);
    clock.step(120_001);
    assert.equal(b.next(), 800);
  });
});

describe('resources and kubeconfig', () => {
  test('paths for core, grouped, namespaced and cluster-scoped resources', () => {
    const t = new ResourceTable();
    assert.equal(resourcePath(t.lookup(GVR.pods)!, 'ns', 'p', 'binding'), '/api/v1/namespaces/ns/pods/p/binding');
    assert.equal(resourcePath(t.lookup(GVR.deployments)!, 'ns'), '/apis/apps/v1/namespaces/ns/deployments');
    assert.equal(resourcePath(t.lookup(GVR.nodes)!, 'ignored', 'n1', 'status'), '/api/v1/nodes/n1/status');
    assert.equal(resourcePath(t.lookup(GVR.leases)!), '/apis/coordination.k8s.io/v1/leases');
    assert.equal(t.forKind('apps', 'ReplicaSet')?.resource, 'replicasets');
  });

  test('loadKubeconfig reads the current context, inline data and files relative to the kubeconfig', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'k8ts-kc-'));
    try {
      await writeFile(join(dir, 'ca.crt'), 'CA PEM');
      await writeFile(join(dir, 'kc'), [
        'apiVersion: v1', 'kind: Config', 'current-context: two',
        'clusters:', '- name: c1', '  cluster: {server: "https://one:1"}', '- name: c2', '  cluster: {server: "https://two:2", certificate-authority: ca.crt}',
        'users:', '- name: u2', '  user: {token: secret, client-key-data: ' + Buffer.from('KEY').toString('base64') + '}',
        'contexts:', '- name: one', '  context: {cluster: c1, user: u2}', '- name: two', '  context: {cluster: c2, user: u2}',
      ].join('\n'));
      const cfg = loadKubeconfig(join(dir, 'kc'));
      assert.equal(cfg.server, 'https://two:2');
      assert.equal(String(cfg.ca), 'CA PEM');
      assert.equal(String(cfg.key), 'KEY');
      assert.equal(cfg.token, 'secret');
      assert.equal(loadKubeconfig(join(dir, 'kc'), { context: 'one', qps: 5 }).server, 'https://one:1');
      assert.throws(() => loadKubeconfig(join(dir, 'kc'), { context: 'three' }), /context "three" not found/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

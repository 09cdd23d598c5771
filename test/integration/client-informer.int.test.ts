// Informers against the real server: the cache follows creates, updates and deletes; listers and
// indexers answer from it; after a server restart or a 410 the informer lists again and hands the
// difference to its handlers as adds, updates and tombstoned deletes.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { KObject } from '../../src/apimachinery/types.ts';
import { Backoff } from '../../src/client/cache/backoff.ts';
import { NODE_NAME_INDEX, nodeNameIndexFunc } from '../../src/client/cache/index-funcs.ts';
import { SharedInformerFactory } from '../../src/client/cache/informer-factory.ts';
import { DeletedFinalStateUnknown } from '../../src/client/cache/keys.ts';
import { listWatchFor } from '../../src/client/cache/list-watch.ts';
import { SharedIndexInformer, type ResourceEventHandler } from '../../src/client/cache/shared-informer.ts';
import { GVR, KubeClient } from '../../src/client/index.ts';
import { createNamespace, startTestServer, waitFor, type TestServer } from '../helpers/index.ts';
import { closeServerWithClient, startServerWithClient } from '../helpers/server-with-client.ts';

const configMap = (name: string, data: Record<string, string> = {}, labels?: Record<string, string>): KObject =>
  ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, ...(labels ? { labels } : {}) }, data });

/** Records handler calls as short strings: "add a", "update a 1→2", "delete b", "tombstone b". */
function recorder(): { events: string[]; handler: ResourceEventHandler } {
  const events: string[] = [];
  const data = (o: KObject) => JSON.stringify(o.data ?? {});
  return {
    events,
    handler: {
      onAdd: (o) => events.push(`add ${o.metadata.name}`),
      onUpdate: (old, cur) => events.push(old.metadata.resourceVersion === cur.metadata.resourceVersion
        ? `resync ${cur.metadata.name}` : `update ${cur.metadata.name} ${data(old)}→${data(cur)}`),
      onDelete: (o) => events.push(o instanceof DeletedFinalStateUnknown ? `tombstone ${o.obj.metadata.name}` : `delete ${o.metadata.name}`),
    },
  };
}

describe('informer cache', { timeout: 60_000 }, () => {
  let server: TestServer;
  let client: KubeClient;
  before(async () => ({ server, client } = await startServerWithClient()));
  after(() => closeServerWithClient({ server, client }));

  test('follows create, update and delete; handlers see them in order; listers and indexers answer', async () => {
    const ns = await createNamespace(server);
    const pods = client.resource(GVR.pods).namespace(ns);
    const pod = (name: string, labels: Record<string, string>) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, labels }, spec: { containers: [{ name: 'c', image: 'nginx' }] } });
    await pods.create(pod('before', { app: 'web' }));

    const factory = new SharedInformerFactory(client, { namespace: ns });
    const informer = factory.forResource(GVR.pods, { indexers: { [NODE_NAME_INDEX]: nodeNameIndexFunc } });
    assert.equal(factory.forResource(GVR.pods), informer, 'one shared informer per resource');
    const rec = recorder();
    informer.addEventHandler(rec.handler);
    factory.start();
    assert.equal(await factory.waitForCacheSync(), true);
    assert.equal(informer.hasSynced(), true);
    assert.deepEqual(rec.events, ['add before']);

    await pods.create(pod('web-1', { app: 'web' }));
    await pods.create(pod('db-1', { app: 'db' }));
    await pods.createSubresource('web-1', 'binding', { apiVersion: 'v1', kind: 'Binding', metadata: { name: 'web-1' }, target: { kind: 'Node', name: 'node-a' } });
    await pods.patch('db-1', { metadata: { labels: { app: 'db', tier: 'data' } } });
    await pods.delete('before', { gracePeriodSeconds: 0 });
    await waitFor(() => rec.events.length >= 6, { message: 'six handler calls' });

    assert.deepEqual(rec.events.map((e) => e.split(' ').slice(0, 2).join(' ')), ['add before', 'add web-1', 'add db-1', 'update web-1', 'update db-1', 'delete before']);
    const lister = informer.lister();
    assert.deepEqual(lister.namespace(ns).list('app=web').map((p) => p.metadata.name), ['web-1']);
    assert.equal(lister.namespace(ns).get('db-1')?.metadata.labels?.tier, 'data');
    assert.equal(lister.namespace(ns).get('before'), undefined);
    assert.deepEqual(informer.indexer.byIndex(NODE_NAME_INDEX, 'node-a').map((p) => p.metadata.name), ['web-1']);

    // The cache's objects are shared: mutating one is a bug, caught at the faulty line.
    const cached = lister.namespace(ns).get('web-1')!;
    assert.throws(() => { cached.metadata.labels!.app = 'changed'; }, TypeError);

    // A handler added late is given what is cached, as initial adds.
    const late = recorder();
    const reg = informer.addEventHandler(late.handler);
    assert.equal(reg.hasSynced(), true);
    assert.deepEqual(late.events.sort(), ['add db-1', 'add web-1']);
    await factory.shutdown();
  });

  test('resync hands every cached object to onUpdate again', async () => {
    const ns = await createNamespace(server);
    await client.resource(GVR.configmaps).namespace(ns).create(configMap('r'));
    const informer = new SharedIndexInformer(listWatchFor(client.resource(GVR.configmaps), { namespace: ns }), { name: 'configmaps' });
    const rec = recorder();
    informer.addEventHandler(rec.handler, { resyncPeriodMs: 200 });
    informer.run();
    await waitFor(() => rec.events.filter((e) => e === 'resync r').length >= 2, { message: 'two resyncs' });
    assert.equal(rec.events[0], 'add r');
    await informer.stop();
  });
});

describe('informer recovery', { timeout: 90_000 }, () => {
  let server: TestServer;
  let writer: KubeClient;
  before(async () => {
    // Compaction every 100 ms: history older than that is gone, so a watch from an old resourceVersion gets 410.
    server = await startTestServer({ overrides: { compactionIntervalMs: 100 } });
    writer = KubeClient.fromKubeconfig(server.kubeconfigPath);
  });
  after(async () => {
    writer?.close();
    await server?.close();
  });

  /** Waits until resourceVersion rv has been compacted away (an exact read at it answers 410). */
  async function waitCompacted(ns: string, rv: string): Promise<void> {
    await waitFor(async () => (await server.request('GET', `/api/v1/namespaces/${ns}/configmaps?resourceVersion=${rv}&resourceVersionMatch=Exact`)).status === 410,
      { message: `revision ${rv} compacted`, timeoutMs: 10_000 });
  }

  test('after the server restarts, a re-list delivers what the watch missed: update, tombstone, add', async () => {
    const ns = await createNamespace(server);
    const cms = writer.resource(GVR.configmaps).namespace(ns);
    await cms.create(configMap('a', { v: '1' }));
    await cms.create(configMap('b'));
    await cms.create(configMap('c'));

    const client = KubeClient.fromKubeconfig(server.kubeconfigPath);
    // A long first back-off gives the test time to change things while the informer is away.
    const informer = new SharedIndexInformer(listWatchFor(client.resource(GVR.configmaps), { namespace: ns }), {
      name: 'configmaps', backoff: new Backoff({ initialMs: 3000, jitter: 0 }),
    });
    const rec = recorder();
    informer.addEventHandler(rec.handler);
    informer.run();
    assert.equal(await informer.whenSynced(), true);
    const syncedAt = informer.lastSyncResourceVersion();
    rec.events.length = 0;

    await server.restart();
    const restarted = KubeClient.fromKubeconfig(server.kubeconfigPath);
    try {
      const cms2 = restarted.resource(GVR.configmaps).namespace(ns);
      await cms2.patch('a', { data: { v: '2' } });
      await cms2.delete('b');
      await cms2.create(configMap('d'));
      await waitCompacted(ns, syncedAt);

      await waitFor(() => informer.listCount >= 2 && rec.events.length >= 4, { message: 'a second list and its diff', timeoutMs: 20_000 });
      assert.deepEqual([...rec.events].sort(), ['add d', 'resync c', 'tombstone b', 'update a {"v":"1"}→{"v":"2"}']);
      assert.deepEqual(informer.lister().namespace(ns).list().map((o) => o.metadata.name).sort(), ['a', 'c', 'd']);

      // And it is watching again.
      await cms2.create(configMap('e'));
      await waitFor(() => informer.lister().namespace(ns).get('e'), { message: 'e in the cache' });
    } finally {
      await informer.stop();
      restarted.close();
      client.close();
    }
  });

  test('a 410 on re-watch makes the informer list again without losing its cache', async () => {
    const ns = await createNamespace(server);
    const cms = writer.resource(GVR.configmaps).namespace(ns);
    await cms.create(configMap('watched', {}, { watch: 'yes' }));
    const client = KubeClient.fromKubeconfig(server.kubeconfigPath);
    // Watches end after ~1 s (the server's timeoutSeconds), so the informer must re-watch from its last resourceVersion.
    const informer = new SharedIndexInformer(listWatchFor(client.resource(GVR.configmaps), { namespace: ns, labelSelector: 'watch=yes' }), {
      name: 'configmaps watch=yes', minWatchTimeoutSeconds: 1,
    });
    const rec = recorder();
    informer.addEventHandler(rec.handler);
    informer.run();
    try {
      assert.equal(await informer.whenSynced(), true);
      const syncedAt = informer.lastSyncResourceVersion();
      // Writes the selector does not match move the revision on; compaction then drops the informer's.
      for (let i = 0; i < 3; i++) await cms.create(configMap(`other-${i}`));
      await waitCompacted(ns, syncedAt);
      await waitFor(() => informer.listCount >= 2, { message: 'a re-list after 410', timeoutMs: 20_000 });
      assert.ok(Number(informer.lastSyncResourceVersion()) > Number(syncedAt), 'the new list moved the resourceVersion on');
      assert.deepEqual(rec.events.filter((e) => !e.startsWith('resync')), ['add watched'], 'no spurious adds or deletes');
      assert.deepEqual(informer.lister().list().map((o) => o.metadata.name), ['watched']);
      await cms.create(configMap('watched-2', {}, { watch: 'yes' }));
      await waitFor(() => rec.events.includes('add watched-2'), { message: 'watching again after the re-list' });
    } finally {
      await informer.stop();
      client.close();
    }
  });
});

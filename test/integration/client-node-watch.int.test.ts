// client-node's Watch and informer against k8ts: the event stream and cache an operator relies on.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { CoreV1Api, makeInformer, PatchStrategy, setHeaderOptions, Watch, type KubeConfig, type V1ConfigMap } from '@kubernetes/client-node';
import { clientFor, createNamespace, startTestServer, waitFor, type TestServer } from '../helpers/index.ts';

/** Per-test timeout: generous for a loaded CI machine, short enough to surface a hang. */
const T = { timeout: 90_000 };

let server: TestServer;
let kc: KubeConfig;
let core: CoreV1Api;
before(async () => {
  server = await startTestServer();
  kc = clientFor(server.kubeconfigPath);
  core = kc.makeApiClient(CoreV1Api);
});
after(async () => {
  await server?.close();
});

interface Seen {
  type: string;
  name: string;
  rv: string;
  data?: Record<string, string>;
}

/** Opens a watch and records its events until stopped. */
async function record(path: string, query: Record<string, string | number | boolean | undefined>) {
  const events: Seen[] = [];
  let ended: unknown = 'open';
  const controller = await new Watch(kc).watch(
    path,
    query,
    (type, obj: V1ConfigMap) => events.push({ type, name: obj.metadata?.name ?? '', rv: obj.metadata?.resourceVersion ?? '', data: obj.data }),
    (err) => {
      ended = err ?? null;
    },
  );
  return { events, controller, ended: () => ended };
}

describe('Watch', { concurrency: 3 }, () => {
  test('from a list resourceVersion: ADDED, MODIFIED, DELETED in order, with increasing resourceVersions', T, async () => {
    const namespace = await createNamespace(server);
    await core.createNamespacedConfigMap({ namespace, body: { metadata: { name: 'old' } } });
    const list = await core.listNamespacedConfigMap({ namespace });
    const w = await record(`/api/v1/namespaces/${namespace}/configmaps`, { resourceVersion: list.metadata?.resourceVersion, fieldSelector: 'metadata.name!=kube-root-ca.crt' });
    try {
      await core.createNamespacedConfigMap({ namespace, body: { metadata: { name: 'new' }, data: { a: '1' } } });
      await core.patchNamespacedConfigMap({ name: 'new', namespace, body: { data: { a: '2' } } }, setHeaderOptions('Content-Type', PatchStrategy.MergePatch));
      await core.deleteNamespacedConfigMap({ name: 'new', namespace });
      await waitFor(() => w.events.length >= 3, { message: 'three events' });
      assert.deepEqual(w.events.map((e) => `${e.type} ${e.name}`), ['ADDED new', 'MODIFIED new', 'DELETED new']);
      assert.deepEqual(w.events[1]?.data, { a: '2' });
      const rvs = w.events.map((e) => Number(e.rv));
      assert.ok(rvs[0]! < rvs[1]! && rvs[1]! < rvs[2]!, `resourceVersions increase: ${rvs.join(',')}`);
      assert.ok(rvs[0]! > Number(list.metadata?.resourceVersion), 'events are after the list');
    } finally {
      w.controller.abort();
    }
  });

  test('without a resourceVersion: synthetic ADDED for existing objects first', T, async () => {
    const namespace = await createNamespace(server);
    for (const name of ['a', 'b']) await core.createNamespacedConfigMap({ namespace, body: { metadata: { name, labels: { w: 'y' } } } });
    const w = await record(`/api/v1/namespaces/${namespace}/configmaps`, { labelSelector: 'w=y' });
    try {
      await waitFor(() => w.events.length >= 2, { message: 'initial events' });
      assert.deepEqual(w.events.map((e) => `${e.type} ${e.name}`).sort(), ['ADDED a', 'ADDED b']);
      await core.createNamespacedConfigMap({ namespace, body: { metadata: { name: 'c', labels: { w: 'y' } } } });
      await core.createNamespacedConfigMap({ namespace, body: { metadata: { name: 'unlabelled' } } });
      await waitFor(() => w.events.length >= 3, { message: 'event for c' });
      assert.equal(`${w.events[2]?.type} ${w.events[2]?.name}`, 'ADDED c');
      // Relabelling out of the selector is seen as DELETED by this watcher.
      await core.patchNamespacedConfigMap({ name: 'a', namespace, body: { metadata: { labels: { w: 'n' } } } }, setHeaderOptions('Content-Type', PatchStrategy.MergePatch));
      await waitFor(() => w.events.length >= 4, { message: 'event for relabelled a' });
      assert.equal(`${w.events[3]?.type} ${w.events[3]?.name}`, 'DELETED a');
      assert.ok(!w.events.some((e) => e.name === 'unlabelled'));
    } finally {
      w.controller.abort();
    }
  });

  test('a watch on one object by field selector sees only that object', T, async () => {
    const namespace = await createNamespace(server);
    const w = await record(`/api/v1/namespaces/${namespace}/configmaps`, { fieldSelector: 'metadata.name=target' });
    try {
      await core.createNamespacedConfigMap({ namespace, body: { metadata: { name: 'other' } } });
      await core.createNamespacedConfigMap({ namespace, body: { metadata: { name: 'target' } } });
      await waitFor(() => w.events.length >= 1, { message: 'target event' });
      assert.deepEqual(w.events.map((e) => `${e.type} ${e.name}`), ['ADDED target']);
    } finally {
      w.controller.abort();
    }
  });

});

describe('informer', () => {
  test('cache follows create, update and delete', T, async () => {
    const namespace = await createNamespace(server);
    await core.createNamespacedConfigMap({ namespace, body: { metadata: { name: 'pre' }, data: { v: '0' } } });
    const path = `/api/v1/namespaces/${namespace}/configmaps`;
    const informer = makeInformer<V1ConfigMap>(kc, path, () => core.listNamespacedConfigMap({ namespace }));
    const log: string[] = [];
    informer.on('add', (o) => log.push(`add ${o.metadata?.name}`));
    informer.on('update', (o) => log.push(`update ${o.metadata?.name} ${o.data?.v}`));
    informer.on('delete', (o) => log.push(`delete ${o.metadata?.name}`));
    const errors: unknown[] = [];
    informer.on('error', (err) => errors.push(err));
    await informer.start();
    try {
      await waitFor(() => informer.get('pre', namespace), { message: 'pre in cache' });
      await core.createNamespacedConfigMap({ namespace, body: { metadata: { name: 'live' }, data: { v: '1' } } });
      await waitFor(() => informer.get('live', namespace)?.data?.v === '1', { message: 'live added' });
      await core.patchNamespacedConfigMap({ name: 'live', namespace, body: { data: { v: '2' } } }, setHeaderOptions('Content-Type', PatchStrategy.MergePatch));
      await waitFor(() => informer.get('live', namespace)?.data?.v === '2', { message: 'live updated' });
      await core.deleteNamespacedConfigMap({ name: 'live', namespace });
      await waitFor(() => !informer.get('live', namespace), { message: 'live removed' });
      assert.ok(log.includes('add pre'));
      const live = log.filter((l) => l.includes('live'));
      assert.deepEqual(live, ['add live', 'update live 2', 'delete live']);
      assert.deepEqual(
        informer.list(namespace).map((o) => o.metadata?.name).filter((n) => n !== 'kube-root-ca.crt'),
        ['pre'],
      );
      assert.deepEqual(errors, []);
    } finally {
      await informer.stop();
    }
  });

  test('cache survives a server restart and catches up', T, async () => {
    const namespace = await createNamespace(server);
    const informer = makeInformer<V1ConfigMap>(kc, `/api/v1/namespaces/${namespace}/configmaps`, () => core.listNamespacedConfigMap({ namespace }));
    // client-node's informer does not restart itself after an error; do what its docs suggest,
    // until the test is over (a restart loop against a closed server would keep the process alive).
    let stopped = false;
    informer.on('error', () => {
      if (!stopped) setTimeout(() => void (stopped || informer.start().catch(() => {})), 200).unref();
    });
    await informer.start();
    try {
      await core.createNamespacedConfigMap({ namespace, body: { metadata: { name: 'before' } } });
      await waitFor(() => informer.get('before', namespace), { message: 'before in cache' });
      await server.restart();
      const kc2 = clientFor(server.kubeconfigPath);
      const core2 = kc2.makeApiClient(CoreV1Api);
      const stored = await core2.readNamespacedConfigMap({ name: 'before', namespace });
      assert.equal(stored.metadata?.name, 'before', 'data survives a restart');
      if (server.port !== Number(new URL(kc.getCurrentCluster()!.server).port)) return; // port changed: informer cannot reconnect
      await core2.createNamespacedConfigMap({ namespace, body: { metadata: { name: 'after' } } });
      await waitFor(() => informer.get('after', namespace), { timeoutMs: 15_000, message: 'after in cache' });
    } finally {
      stopped = true;
      await informer.stop();
    }
  });
});

// The controller framework against the real server: events recorded with counts as kubectl shows
// them, adoption and release of children through owner references, and a small controller built
// from an informer, the work queue and reconcile, writing through the API.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { labelSelectorAsMatcher } from '../../src/apimachinery/labels.ts';
import type { KObject } from '../../src/apimachinery/types.ts';
import { SharedInformerFactory } from '../../src/client/cache/informer-factory.ts';
import { DeletedFinalStateUnknown, deletionHandlingMetaNamespaceKeyFunc, splitMetaNamespaceKey } from '../../src/client/cache/keys.ts';
import { GVR, KubeClient, isInvalid, isNotFound } from '../../src/client/index.ts';
import { Controller } from '../../src/controllers/framework/controller.ts';
import { ControllerRefManager, getControllerOf, recheckDeletionTimestamp } from '../../src/controllers/framework/controller-ref.ts';
import { EventBroadcaster } from '../../src/controllers/framework/events/event-recorder.ts';
import type { CoreEvent } from '../../src/controllers/framework/events/types.ts';
import { createNamespace, kubectlOk, waitFor, type TestServer } from '../helpers/index.ts';
import { closeServerWithClient, startServerWithClient } from '../helpers/server-with-client.ts';

let server: TestServer;
let client: KubeClient;
before(async () => ({ server, client } = await startServerWithClient()));
after(() => closeServerWithClient({ server, client }));

const copyValue = (o: KObject | undefined) => (o?.data as Record<string, string> | undefined)?.v;

const RS_KIND = { group: 'apps', version: 'v1', kind: 'ReplicaSet' };

function replicaSet(name: string, app: string): KObject {
  return {
    apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name },
    spec: { replicas: 0, selector: { matchLabels: { app } }, template: { metadata: { labels: { app } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } },
  };
}

function pod(name: string, labels: Record<string, string>, ownerReferences?: KObject['metadata']['ownerReferences']): KObject {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, labels, ...(ownerReferences ? { ownerReferences } : {}) }, spec: { containers: [{ name: 'c', image: 'nginx' }] } };
}

describe('EventRecorder', { timeout: 60_000 }, () => {
  test('repeated events become one Event with a count, which kubectl describe shows', async () => {
    const ns = await createNamespace(server);
    const cm = await client.resource(GVR.configmaps).namespace(ns).create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'target' } });
    const broadcaster = new EventBroadcaster(client);
    const recorder = broadcaster.newRecorder({ component: 'test-controller' });
    for (let i = 0; i < 3; i++) recorder.event(cm, 'Warning', 'FailedSync', 'could not sync: boom');
    recorder.eventf(cm, 'Normal', 'Synced', 'synced %d keys for %s', 2, 'target');
    await broadcaster.flush();

    const events = (await client.resource<CoreEvent>(GVR.events).namespace(ns).list()).items;
    const byReason = Object.fromEntries(events.map((e) => [e.reason, e]));
    assert.equal(events.length, 2);
    const failed = byReason.FailedSync!;
    assert.equal(failed.count, 3);
    assert.equal(failed.type, 'Warning');
    assert.equal(failed.message, 'could not sync: boom');
    assert.deepEqual(failed.source, { component: 'test-controller' });
    assert.equal(failed.reportingComponent, 'test-controller');
    assert.deepEqual(
      { kind: failed.involvedObject.kind, name: failed.involvedObject.name, namespace: failed.involvedObject.namespace, uid: failed.involvedObject.uid },
      { kind: 'ConfigMap', name: 'target', namespace: ns, uid: cm.metadata.uid });
    assert.match(failed.metadata.name!, /^target\.[0-9a-f]+$/);
    assert.ok(failed.firstTimestamp <= failed.lastTimestamp);
    assert.equal(byReason.Synced?.message, 'synced 2 keys for target');
    assert.equal(byReason.Synced?.count, 1);

    const described = await kubectlOk(['describe', 'configmap', 'target', '-n', ns], { kubeconfig: server.kubeconfigPath });
    assert.match(described, /Warning\s+FailedSync\s+\S+ \(x3 over \S+\)\s+test-controller\s+could not sync: boom/);
    assert.match(described, /Normal\s+Synced\s+\S+\s+test-controller\s+synced 2 keys for target/);
    await broadcaster.shutdown();
  });

  test('events about cluster-scoped objects go to the default namespace', async () => {
    const broadcaster = new EventBroadcaster(client);
    const node = { apiVersion: 'v1', kind: 'Node', metadata: { name: `node-${Date.now()}`, uid: 'node-uid' } };
    broadcaster.newRecorder({ component: 'node-controller' }).event(node, 'Normal', 'RegisteredNode', `Node ${node.metadata.name} event: Registered Node`);
    await broadcaster.shutdown();
    const events = (await client.resource<CoreEvent>(GVR.events).namespace('default').list({ fieldSelector: `involvedObject.name=${node.metadata.name}` })).items;
    assert.equal(events.length, 1);
    assert.equal(events[0]!.reason, 'RegisteredNode');
  });
});

describe('ControllerRefManager', { timeout: 60_000 }, () => {
  test('claims: keeps its own, adopts matching orphans, releases non-matching, leaves others\' alone', async () => {
    const ns = await createNamespace(server);
    const rsClient = client.resource(GVR.replicasets).namespace(ns);
    const pods = client.resource(GVR.pods).namespace(ns);
    const rs = await rsClient.create(replicaSet('web', 'web'));
    const other = await rsClient.create(replicaSet('other', 'web'));
    const ref = (o: KObject) => [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: o.metadata.name!, uid: o.metadata.uid!, controller: true, blockOwnerDeletion: true }];
    const all = [
      await pods.create(pod('owned', { app: 'web' }, ref(rs))),
      await pods.create(pod('orphan', { app: 'web' })),
      await pods.create(pod('relabelled', { app: 'api' }, ref(rs))),
      await pods.create(pod('theirs', { app: 'web' }, ref(other))),
      await pods.create(pod('unrelated', { app: 'db' })),
    ];
    const manager = new ControllerRefManager({
      children: client.resource(GVR.pods), controller: rs, controllerKind: RS_KIND,
      selector: labelSelectorAsMatcher({ matchLabels: { app: 'web' } }),
      canAdopt: recheckDeletionTimestamp(() => rsClient.get('web'), rs),
    });
    const claimed = await manager.claim(all);
    assert.deepEqual(claimed.map((p) => p.metadata.name).sort(), ['orphan', 'owned']);

    const now = Object.fromEntries((await pods.list()).items.map((p) => [p.metadata.name, getControllerOf(p)?.uid]));
    assert.deepEqual(now, { owned: rs.metadata.uid, orphan: rs.metadata.uid, relabelled: undefined, theirs: other.metadata.uid, unrelated: undefined });
    const adopted = await pods.get('orphan');
    assert.deepEqual(adopted.metadata.ownerReferences, ref(rs));
  });

  test('does not adopt for a controller that was deleted and recreated (uid changed)', async () => {
    const ns = await createNamespace(server);
    const rsClient = client.resource(GVR.replicasets).namespace(ns);
    const stale = await rsClient.create(replicaSet('web', 'web'));
    await rsClient.delete('web');
    await rsClient.create(replicaSet('web', 'web'));
    const orphan = await client.resource(GVR.pods).namespace(ns).create(pod('orphan', { app: 'web' }));
    const manager = new ControllerRefManager({
      children: client.resource(GVR.pods), controller: stale, controllerKind: RS_KIND,
      selector: labelSelectorAsMatcher({ matchLabels: { app: 'web' } }),
      canAdopt: recheckDeletionTimestamp(() => rsClient.get('web'), stale),
    });
    await assert.rejects(manager.claim([orphan]), /can't adopt Pod .*\/orphan .*original .*\/web is gone: got uid .*, wanted /);
    assert.equal(getControllerOf(await client.resource(GVR.pods).namespace(ns).get('orphan')), undefined);
  });

  test('adoption is conditional on the child\'s uid: a recreated child of the same name is not adopted', async () => {
    const ns = await createNamespace(server);
    const rs = await client.resource(GVR.replicasets).namespace(ns).create(replicaSet('web', 'web'));
    const pods = client.resource(GVR.pods).namespace(ns);
    const old = await pods.create(pod('p', { app: 'web' }));
    await pods.delete('p', { gracePeriodSeconds: 0 });
    await pods.create(pod('p', { app: 'web' }));
    const manager = new ControllerRefManager({
      children: client.resource(GVR.pods), controller: rs, controllerKind: RS_KIND, selector: labelSelectorAsMatcher({ matchLabels: { app: 'web' } }),
    });
    await assert.rejects(manager.adopt(old), (err: unknown) => isInvalid(err) && /metadata\.uid.*field is immutable/.test(String((err as Error).message)));
    assert.equal(getControllerOf(await pods.get('p')), undefined);
  });
});

describe('Controller', { timeout: 60_000 }, () => {
  test('informer → queue → reconcile: keeps a "<name>-copy" ConfigMap per labelled ConfigMap, level-triggered', async () => {
    const ns = await createNamespace(server);
    const cms = client.resource(GVR.configmaps).namespace(ns);
    const factory = new SharedInformerFactory(client, { namespace: ns });
    const informer = factory.forResource(GVR.configmaps);
    const lister = informer.lister();
    const broadcaster = new EventBroadcaster(client);
    const recorder = broadcaster.newRecorder({ component: 'copy-controller' });
    let reconciles = 0;
    const controller = new Controller({
      name: 'copy', workers: 2, caches: [informer],
      reconcile: async (key) => {
        reconciles++;
        const { namespace, name } = splitMetaNamespaceKey(key);
        const source = lister.namespace(namespace).get(name);
        const copyName = `${name}-copy`;
        const copy = lister.namespace(namespace).get(copyName);
        if (!source || source.metadata.labels?.copy !== 'yes') {
          if (copy) await cms.delete(copyName).catch((err) => { if (!isNotFound(err)) throw err; });
          return;
        }
        if (!copy) {
          await cms.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: copyName }, data: source.data });
          recorder.event(source, 'Normal', 'Copied', `created ${copyName}`);
        } else if (JSON.stringify(copy.data) !== JSON.stringify(source.data)) {
          // Never mutate the cached copy: write a new object, conditional on the version read.
          await cms.update({ ...structuredClone(copy), data: source.data });
        }
      },
    });
    // A copy's events are its source's business (as a pod's are its ReplicaSet's).
    const enqueue = (o: KObject | DeletedFinalStateUnknown) => controller.enqueue(deletionHandlingMetaNamespaceKeyFunc(o).replace(/-copy$/, ''));
    informer.addEventHandler({ onAdd: enqueue, onUpdate: (_old, o) => enqueue(o), onDelete: enqueue });
    void controller.run();
    factory.start();
    try {
      await cms.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a', labels: { copy: 'yes' } }, data: { v: '1' } });
      await waitFor(async () => copyValue(await cms.get('a-copy').catch(() => undefined)) === '1', { message: 'a-copy created' });
      await cms.patch('a', { data: { v: '2' } });
      await waitFor(async () => copyValue(await cms.get('a-copy').catch(() => undefined)) === '2', { message: 'a-copy updated' });
      // Someone deletes the copy: the next event for it brings it back (level-triggered).
      await cms.delete('a-copy');
      await waitFor(async () => copyValue(await cms.get('a-copy').catch(() => undefined)) === '2', { message: 'a-copy recreated' });
      await cms.patch('a', { metadata: { labels: { copy: 'no' } } });
      await waitFor(async () => !(await cms.get('a-copy').catch(() => undefined)), { message: 'a-copy removed' });
      await broadcaster.flush();
      const events = (await client.resource<CoreEvent>(GVR.events).namespace(ns).list()).items.filter((e) => e.reason === 'Copied');
      assert.equal(events.length, 1);
      assert.equal(events[0]!.count, 2, 'created twice, recorded as one event with count 2');
      assert.ok(reconciles >= 4);
    } finally {
      await controller.stop();
      await factory.shutdown();
      await broadcaster.shutdown();
    }
  });
});

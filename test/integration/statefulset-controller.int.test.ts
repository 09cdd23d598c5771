// The StatefulSet controller against the real server, driven as a user would: members web-0..N-1
// created in order (each only once the previous is Running and Ready), removed from the top on
// scale-down, claims from volumeClaimTemplates, ControllerRevisions, a partitioned rolling update,
// and `kubectl rollout status` printing upstream's text. Pods are bound and reported Running by a
// kubelet stand-in through the API.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { KObject } from '../../src/apimachinery/types.ts';
import { GVR, KubeClient } from '../../src/client/index.ts';
import type { CoreEvent } from '../../src/controllers/framework/events/types.ts';
import { statefulSetControllerDescriptor } from '../../src/controllers/statefulset/statefulset-controller.ts';
import { createNamespace, kubectl, kubectlOk, waitFor, type TestServer } from '../helpers/index.ts';
import { startControllerCluster, type ControllerCluster } from '../helpers/controller-cluster.ts';
import { KubeletStandIn, setPodRunning } from '../helpers/kubelet-stand-in.ts';

type Obj = Record<string, any>;

let server: TestServer;
let client: KubeClient;
let cluster: ControllerCluster | undefined;
before(async () => {
  cluster = await startControllerCluster([statefulSetControllerDescriptor]);
  ({ server, client } = cluster);
});
after(() => cluster?.close());

function statefulSet(name: string, replicas: number, extra: Obj = {}): KObject {
  return {
    apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name },
    spec: {
      replicas, serviceName: name, selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'nginx', image: 'nginx:1.25' }] } },
      ...extra,
    },
  };
}

const podNames = async (ns: string) => (await client.resource(GVR.pods).namespace(ns).list()).items.map((p) => p.metadata.name!).sort();
const getSet = (ns: string, name: string) => client.resource(GVR.statefulsets).namespace(ns).get(name);

describe('StatefulSet controller', { timeout: 120_000 }, () => {
  test('OrderedReady: web-0, web-1, web-2 in order, each created only after the previous is Ready', async () => {
    const ns = await createNamespace(server);
    // Pods are bound but only reported Running/Ready when the test says so.
    const allowed = new Set<string>();
    const kubelet = new KubeletStandIn(client, { namespace: ns, runNow: (p) => allowed.has(p.metadata.name!) });
    // Watch every pod event, to check no member appears before its predecessor is Ready.
    const seen: { type: string; name: string; ready: boolean }[] = [];
    const watch = await client.resource(GVR.pods).namespace(ns).watch();
    const watching = (async () => {
      for await (const ev of watch) {
        const p = ev.object as Obj;
        const ready = (p.status?.conditions ?? []).some((c: Obj) => c.type === 'Ready' && c.status === 'True');
        seen.push({ type: ev.type, name: p.metadata.name, ready });
      }
    })().catch(() => {}); // ends with the watch (or the server, when a test fails first)
    try {
      await client.resource(GVR.statefulsets).namespace(ns).create(statefulSet('web', 3));
      for (const [i, name] of ['web-0', 'web-1', 'web-2'].entries()) {
        await waitFor(async () => (await podNames(ns)).includes(name), { message: `${name} created`, timeoutMs: 20_000 });
        // The next one must not come while this one is not Ready.
        await waitFor(async () => (await getSet(ns, 'web') as Obj).status?.replicas === i + 1, { message: 'status.replicas counts it' });
        assert.deepEqual(await podNames(ns), ['web-0', 'web-1', 'web-2'].slice(0, i + 1));
        allowed.add(name);
        await kubelet.poke(name);
      }
      const set = await waitFor(async () => {
        const s = await getSet(ns, 'web') as Obj;
        return s.status?.readyReplicas === 3 ? s : undefined;
      }, { message: 'all 3 ready', timeoutMs: 20_000 });
      watch.stop();
      await watching;
      // Each member was ADDED only after the previous one had been seen Ready.
      for (const [prev, next] of [['web-0', 'web-1'], ['web-1', 'web-2']]) {
        const added = seen.findIndex((e) => e.type === 'ADDED' && e.name === next);
        const prevReady = seen.findIndex((e) => e.name === prev && e.ready);
        assert.ok(added >= 0 && prevReady >= 0 && prevReady < added, `${next} added after ${prev} Ready: ${JSON.stringify(seen)}`);
      }

      const pod = await client.resource(GVR.pods).namespace(ns).get('web-1') as Obj;
      const revision = set.status.updateRevision as string;
      assert.match(revision, /^web-[bcdfghjklmnpqrstvwxz2456789]+$/);
      assert.equal(set.status.currentRevision, revision);
      assert.deepEqual(
        { ...pod.metadata.labels },
        { app: 'web', 'statefulset.kubernetes.io/pod-name': 'web-1', 'apps.kubernetes.io/pod-index': '1', 'controller-revision-hash': revision });
      assert.equal(pod.spec.hostname, 'web-1');
      assert.equal(pod.spec.subdomain, 'web');
      assert.equal(pod.metadata.generateName, 'web-');
      assert.deepEqual(pod.metadata.ownerReferences, [{ apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'web', uid: set.metadata.uid, controller: true, blockOwnerDeletion: true }]);
      assert.deepEqual(
        { replicas: set.status.replicas, readyReplicas: set.status.readyReplicas, currentReplicas: set.status.currentReplicas, updatedReplicas: set.status.updatedReplicas, availableReplicas: set.status.availableReplicas, observedGeneration: set.status.observedGeneration, collisionCount: set.status.collisionCount },
        { replicas: 3, readyReplicas: 3, currentReplicas: 3, updatedReplicas: 3, availableReplicas: 3, observedGeneration: 1, collisionCount: 0 });

      const revisions = (await client.resource(GVR.controllerrevisions).namespace(ns).list()).items as Obj[];
      assert.equal(revisions.length, 1);
      assert.equal(revisions[0].metadata.name, revision);
      assert.equal(revisions[0].revision, 1);
      assert.equal(revisions[0].metadata.labels['controller.kubernetes.io/hash'], revision.slice('web-'.length));
      assert.equal(revisions[0].metadata.ownerReferences[0].uid, set.metadata.uid);

      const events = (await client.resource<CoreEvent>(GVR.events).namespace(ns).list()).items;
      const messages = events.filter((e) => e.involvedObject.name === 'web').map((e) => `${e.reason} ${e.message}`);
      for (const n of [0, 1, 2]) assert.ok(messages.includes(`SuccessfulCreate create Pod web-${n} in StatefulSet web successful`), messages.join('\n'));

      // The defaulted updateStrategy has rollingUpdate.partition 0, so kubectl reports a partitioned roll out.
      const out = await kubectlOk(['rollout', 'status', 'sts/web', '-n', ns, '--timeout=20s'], { kubeconfig: server.kubeconfigPath });
      assert.equal(out, 'partitioned roll out complete: 3 new pods have been updated...\n');
      const get = await kubectlOk(['get', 'sts', 'web', '-n', ns], { kubeconfig: server.kubeconfigPath });
      assert.match(get, /^NAME\s+READY\s+AGE\nweb\s+3\/3\s+\S+\n$/);
    } finally {
      watch.stop();
      await kubelet.stop();
    }
  });

  test('scale down deletes from the highest ordinal, one at a time', async () => {
    const ns = await createNamespace(server);
    const kubelet = new KubeletStandIn(client, { namespace: ns });
    try {
      await client.resource(GVR.statefulsets).namespace(ns).create(statefulSet('web', 4));
      await waitFor(async () => (await getSet(ns, 'web') as Obj).status?.readyReplicas === 4, { message: '4 ready', timeoutMs: 30_000 });
      const deleted: string[] = [];
      const watch = await client.resource(GVR.pods).namespace(ns).watch();
      const watching = (async () => {
        for await (const ev of watch) if (ev.type === 'DELETED') deleted.push((ev.object as Obj).metadata.name);
      })().catch(() => {});
      await kubectlOk(['scale', 'sts/web', '--replicas=1', '-n', ns], { kubeconfig: server.kubeconfigPath });
      await waitFor(async () => (await podNames(ns)).join() === 'web-0', { message: 'only web-0 left', timeoutMs: 30_000 });
      await waitFor(() => deleted.length === 3, { message: '3 deletions watched' });
      watch.stop();
      await watching;
      assert.deepEqual(deleted, ['web-3', 'web-2', 'web-1']);
      const events = (await client.resource<CoreEvent>(GVR.events).namespace(ns).list()).items.map((e) => e.message);
      assert.ok(events.includes('delete Pod web-3 in StatefulSet web successful'), events.join('\n'));
      await waitFor(async () => (await getSet(ns, 'web') as Obj).status?.replicas === 1, { message: 'status.replicas 1' });
    } finally {
      await kubelet.stop();
    }
  });

  test('volumeClaimTemplates: a claim per member, created before the pod and kept after scale-down', async () => {
    const ns = await createNamespace(server);
    const kubelet = new KubeletStandIn(client, { namespace: ns });
    try {
      await client.resource(GVR.statefulsets).namespace(ns).create(statefulSet('db', 2, {
        volumeClaimTemplates: [{ metadata: { name: 'data', labels: { tier: 'storage' } }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } }],
      }));
      await waitFor(async () => (await getSet(ns, 'db') as Obj).status?.readyReplicas === 2, { message: '2 ready', timeoutMs: 30_000 });
      const pvcs = (await client.resource(GVR.persistentvolumeclaims).namespace(ns).list()).items as Obj[];
      assert.deepEqual(pvcs.map((c) => c.metadata.name).sort(), ['data-db-0', 'data-db-1']);
      const claim = pvcs.find((c) => c.metadata.name === 'data-db-1')!;
      assert.deepEqual({ ...claim.metadata.labels }, { tier: 'storage', app: 'db' });
      assert.equal(claim.metadata.ownerReferences, undefined, 'Retain: no owner, so the claim outlives the set');
      assert.equal(claim.spec.resources.requests.storage, '1Gi');
      assert.ok(Date.parse(claim.metadata.creationTimestamp) <= Date.parse((await client.resource(GVR.pods).namespace(ns).get('db-1')).metadata.creationTimestamp!));
      const pod = await client.resource(GVR.pods).namespace(ns).get('db-1') as Obj;
      assert.deepEqual(pod.spec.volumes.find((v: Obj) => v.name === 'data'), { name: 'data', persistentVolumeClaim: { claimName: 'data-db-1' } });
      const events = (await client.resource<CoreEvent>(GVR.events).namespace(ns).list()).items.map((e) => e.message);
      assert.ok(events.includes('create Claim data-db-0 Pod db-0 in StatefulSet db success'), events.join('\n'));

      await kubectlOk(['scale', 'sts/db', '--replicas=0', '-n', ns], { kubeconfig: server.kubeconfigPath });
      await waitFor(async () => (await podNames(ns)).length === 0, { message: 'pods gone', timeoutMs: 30_000 });
      const left = (await client.resource(GVR.persistentvolumeclaims).namespace(ns).list()).items.map((c) => c.metadata.name).sort();
      assert.deepEqual(left, ['data-db-0', 'data-db-1']);
    } finally {
      await kubelet.stop();
    }
  });

  test('RollingUpdate with partition updates only ordinals >= partition, from the top; then the rest', async () => {
    const ns = await createNamespace(server);
    const kubelet = new KubeletStandIn(client, { namespace: ns });
    const kc = { kubeconfig: server.kubeconfigPath };
    try {
      await client.resource(GVR.statefulsets).namespace(ns).create(statefulSet('web', 4, { updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 2 } } }));
      const first = await waitFor(async () => {
        const s = await getSet(ns, 'web') as Obj;
        return s.status?.readyReplicas === 4 ? s.status.currentRevision as string : undefined;
      }, { message: '4 ready', timeoutMs: 30_000 });
      const deleted: string[] = [];
      const watch = await client.resource(GVR.pods).namespace(ns).watch();
      const watching = (async () => {
        for await (const ev of watch) if (ev.type === 'DELETED') deleted.push((ev.object as Obj).metadata.name);
      })().catch(() => {});

      await kubectlOk(['set', 'image', 'sts/web', 'nginx=nginx:1.26', '-n', ns], kc);
      const out = await kubectlOk(['rollout', 'status', 'sts/web', '-n', ns, '--timeout=30s'], kc);
      assert.match(out, /partitioned roll out complete: 2 new pods have been updated\.\.\.\n$/);
      const set = await getSet(ns, 'web') as Obj;
      const second = set.status.updateRevision as string;
      assert.notEqual(second, first);
      const images = async () => Object.fromEntries((await client.resource(GVR.pods).namespace(ns).list()).items.map((p) => [p.metadata.name, `${(p.spec as Obj).containers[0].image} ${p.metadata.labels!['controller-revision-hash']}`]));
      assert.deepEqual(await images(), {
        'web-0': `nginx:1.25 ${first}`, 'web-1': `nginx:1.25 ${first}`, 'web-2': `nginx:1.26 ${second}`, 'web-3': `nginx:1.26 ${second}`,
      });
      assert.deepEqual(deleted, ['web-3', 'web-2']);
      assert.equal(set.status.currentRevision, first);
      assert.equal(set.status.updatedReplicas, 2);
      assert.equal(set.status.currentReplicas, 2);

      // No partition any more (rollingUpdate removed): the rest follow, highest first; the update revision becomes current.
      await kubectlOk(['patch', 'sts/web', '-n', ns, '-p', '{"spec":{"updateStrategy":{"type":"RollingUpdate","rollingUpdate":null}}}'], kc);
      const done = await kubectlOk(['rollout', 'status', 'sts/web', '-n', ns, '--timeout=30s'], kc);
      assert.match(done, new RegExp(`statefulset rolling update complete 4 pods at revision ${second}\\.\\.\\.\\n$`));
      watch.stop();
      await watching;
      assert.deepEqual(deleted, ['web-3', 'web-2', 'web-1', 'web-0']);
      const after = await getSet(ns, 'web') as Obj;
      assert.equal(after.status.currentRevision, second);
      assert.equal(after.status.currentReplicas, 4);
      const history = await kubectlOk(['rollout', 'history', 'sts/web', '-n', ns], kc);
      assert.match(history, /REVISION\s+CHANGE-CAUSE\n1\s+<none>\n2\s+<none>\n/);
    } finally {
      await kubelet.stop();
    }
  });

  test('Parallel creates every member without waiting for readiness', async () => {
    const ns = await createNamespace(server);
    const kubelet = new KubeletStandIn(client, { namespace: ns, runNow: () => false });
    try {
      await client.resource(GVR.statefulsets).namespace(ns).create(statefulSet('par', 3, { podManagementPolicy: 'Parallel' }));
      await waitFor(async () => (await podNames(ns)).join() === 'par-0,par-1,par-2', { message: '3 pods without any Ready', timeoutMs: 20_000 });
      const set = await waitFor(async () => {
        const s = await getSet(ns, 'par') as Obj;
        return s.status?.replicas === 3 ? s : undefined;
      });
      assert.equal(set.status.readyReplicas, undefined, 'readyReplicas 0 is omitted, as upstream');
      await setPodRunning(client, ns, 'par-1');
      await waitFor(async () => (await getSet(ns, 'par') as Obj).status?.readyReplicas === 1, { message: 'readyReplicas 1' });
      const res = await kubectl(['rollout', 'status', 'sts/par', '-n', ns, '--watch=false'], { kubeconfig: server.kubeconfigPath });
      assert.equal(res.stdout, 'Waiting for 2 pods to be ready...\n');
    } finally {
      await kubelet.stop();
    }
  });
});

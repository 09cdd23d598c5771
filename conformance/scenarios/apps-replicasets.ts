// ReplicaSet and ReplicationController ownership: a controller adopts an orphan pod its selector
// matches and releases a pod whose labels stop matching (then replaces it).
import { AppsV1Api, CoreV1Api, type V1Pod } from '@kubernetes/client-node';
import { assert } from '../framework/expect.ts';
import { poll } from '../framework/poll.ts';
import { scenario } from '../framework/scenario.ts';
import { retryOnConflict, selectorOf } from './helpers.ts';
import { IMAGES } from './images.ts';
import { controllerOf, waitForPodRunning, waitForRunningPods } from './workloads.ts';

function orphanPod(name: string, labels: Record<string, string>): V1Pod {
  return { metadata: { name, labels }, spec: { containers: [{ name, image: IMAGES.httpd }] } };
}

/** Waits until the pod's controller reference names the owner. */
function waitForAdoption(core: CoreV1Api, namespace: string, name: string, ownerUid: string): Promise<V1Pod> {
  return poll(async () => {
    const pod = await core.readNamespacedPod({ name, namespace });
    return controllerOf(pod)?.uid === ownerUid ? pod : undefined;
  }, { timeoutMs: 30_000, what: `pod ${name} to be adopted` });
}

/** Changes the pod's "name" label, then waits until it has no controller reference. */
async function relabelAndWaitForRelease(core: CoreV1Api, namespace: string, name: string): Promise<void> {
  await retryOnConflict(async () => {
    const pod = await core.readNamespacedPod({ name, namespace });
    pod.metadata!.labels = { ...pod.metadata!.labels, name: 'not-matching-name' };
    return core.replaceNamespacedPod({ name, namespace, body: pod });
  });
  await poll(async () => controllerOf(await core.readNamespacedPod({ name, namespace })) === undefined, { timeoutMs: 30_000, what: `pod ${name} to be released` });
}

export const replicaSetScenarios = [
  scenario(
    { codename: '[sig-apps] ReplicaSet should adopt matching pods on creation and release no longer matching pods [Conformance]', testname: 'Replica Set, adopt matching pods and release non matching pods', release: 'v1.13', file: 'test/e2e/apps/replica_set.go' },
    async (ctx) => {
      const apps = ctx.api(AppsV1Api);
      const core = ctx.api(CoreV1Api);
      const namespace = ctx.namespace;
      const name = 'pod-adoption-release';
      const labels = { name };
      await core.createNamespacedPod({ namespace, body: orphanPod(name, labels) });
      await waitForPodRunning(core, namespace, name);

      const rs = await apps.createNamespacedReplicaSet({
        namespace,
        body: { metadata: { name }, spec: { replicas: 1, selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [{ name, image: IMAGES.httpd }] } } } },
      });
      await waitForAdoption(core, namespace, name, rs.metadata!.uid!);

      await relabelAndWaitForRelease(core, namespace, name);
      // The ReplicaSet is one pod short again and creates a replacement.
      const pods = await waitForRunningPods(core, namespace, selectorOf(labels), 1);
      assert.notEqual(pods[0]!.metadata?.name, name, 'the replacement is a new pod');
      assert.equal(controllerOf(pods[0]!)?.uid, rs.metadata?.uid, 'controller of the replacement');
    },
    { timeoutMs: 90_000 },
  ),

  scenario(
    { codename: '[sig-apps] ReplicationController should adopt matching pods on creation [Conformance]', testname: 'Replication Controller, adopt matching pods', release: 'v1.13', file: 'test/e2e/apps/rc.go' },
    async (ctx) => {
      const core = ctx.api(CoreV1Api);
      const namespace = ctx.namespace;
      const name = 'pod-adoption';
      const labels = { name };
      await core.createNamespacedPod({ namespace, body: orphanPod(name, labels) });
      await waitForPodRunning(core, namespace, name);
      const rc = await core.createNamespacedReplicationController({
        namespace,
        body: { metadata: { name }, spec: { replicas: 1, selector: labels, template: { metadata: { labels }, spec: { containers: [{ name, image: IMAGES.httpd }] } } } },
      });
      await waitForAdoption(core, namespace, name, rc.metadata!.uid!);
    },
    { timeoutMs: 90_000 },
  ),

  scenario(
    { codename: '[sig-apps] ReplicationController should release no longer matching pods [Conformance]', testname: 'Replication Controller, release pods', release: 'v1.13', file: 'test/e2e/apps/rc.go' },
    async (ctx) => {
      const core = ctx.api(CoreV1Api);
      const namespace = ctx.namespace;
      const name = 'pod-release';
      const labels = { name };
      await core.createNamespacedReplicationController({
        namespace,
        body: { metadata: { name }, spec: { replicas: 1, selector: labels, template: { metadata: { labels }, spec: { containers: [{ name, image: IMAGES.httpd }] } } } },
      });
      const [pod] = await waitForRunningPods(core, namespace, selectorOf(labels), 1);
      await relabelAndWaitForRelease(core, namespace, pod!.metadata!.name!);
    },
    { timeoutMs: 90_000 },
  ),
];

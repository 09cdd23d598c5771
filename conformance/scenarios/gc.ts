// The garbage collector through ownerReferences: Background deletion removes what a Deployment or a
// ReplicationController created, Orphan deletion leaves it behind without a controller reference.
import { AppsV1Api, CoreV1Api, type V1PodTemplateSpec } from '@kubernetes/client-node';
import { assert } from '../framework/expect.ts';
import { poll } from '../framework/poll.ts';
import { scenario } from '../framework/scenario.ts';
import { selectorOf } from './helpers.ts';
import { IMAGES } from './images.ts';
import { controllerOf, waitForGone } from './workloads.ts';

const FILE = 'test/e2e/apimachinery/garbage_collector.go';

/** getUniqLabel("gctest", …): one label that no other test's objects carry. */
function uniqLabels(ctx: { uniqueName(p: string): string }, what: string): Record<string, string> {
  return { gctest: ctx.uniqueName(what.replaceAll('_', '-')) };
}

function podTemplate(labels: Record<string, string>): V1PodTemplateSpec {
  return { metadata: { labels }, spec: { containers: [{ name: 'nginx', image: IMAGES.nginx }] } };
}

/** newOwnerDeployment: two replicas of nginx. */
async function createOwnerDeployment(apps: AppsV1Api, namespace: string, labels: Record<string, string>) {
  const created = await apps.createNamespacedDeployment({
    namespace,
    body: { metadata: { name: 'simpletest.deployment' }, spec: { replicas: 2, selector: { matchLabels: labels }, template: podTemplate(labels) } },
  });
  await poll(async () => (await apps.listNamespacedReplicaSet({ namespace })).items.length > 0, { timeoutMs: 60_000, what: 'the Deployment to create a ReplicaSet' });
  return created;
}

export const gcScenarios = [
  scenario(
    { codename: '[sig-api-machinery] Garbage collector should delete RS created by deployment when not orphaning [Conformance]', testname: 'Garbage Collector, delete deployment,  propagation policy background', release: 'v1.9', file: FILE },
    async (ctx) => {
      const apps = ctx.api(AppsV1Api);
      const core = ctx.api(CoreV1Api);
      const namespace = ctx.namespace;
      const labels = uniqLabels(ctx, 'delete_rs');
      const d = await createOwnerDeployment(apps, namespace, labels);
      await apps.deleteNamespacedDeployment({ name: d.metadata!.name!, namespace, body: { propagationPolicy: 'Background', preconditions: { uid: d.metadata!.uid } } });
      // verifyRemainingDeploymentsReplicaSetsPods(0, 0, 0)
      await poll(async () => {
        const [ds, rss, pods] = await Promise.all([
          apps.listNamespacedDeployment({ namespace }),
          apps.listNamespacedReplicaSet({ namespace }),
          core.listNamespacedPod({ namespace, labelSelector: selectorOf(labels) }),
        ]);
        return ds.items.length === 0 && rss.items.length === 0 && pods.items.length === 0;
      }, { timeoutMs: 60_000, what: 'all rs and pods to be garbage collected' });
    },
    { timeoutMs: 90_000 },
  ),

  scenario(
    { codename: '[sig-api-machinery] Garbage collector should orphan RS created by deployment when deleteOptions.PropagationPolicy is Orphan [Conformance]', testname: 'Garbage Collector, delete deployment, propagation policy orphan', release: 'v1.9', file: FILE },
    async (ctx) => {
      const apps = ctx.api(AppsV1Api);
      const core = ctx.api(CoreV1Api);
      const namespace = ctx.namespace;
      const labels = uniqLabels(ctx, 'orphan_rs');
      const d = await createOwnerDeployment(apps, namespace, labels);
      await poll(async () => (await core.listNamespacedPod({ namespace, labelSelector: selectorOf(labels) })).items.length === 2, { timeoutMs: 60_000, what: '2 pods of the Deployment' });
      await apps.deleteNamespacedDeployment({ name: d.metadata!.name!, namespace, body: { propagationPolicy: 'Orphan', preconditions: { uid: d.metadata!.uid } } });
      // The orphan finalizer is removed only after the dependents lost their ownerReference, so once
      // the Deployment is gone the ReplicaSet is free and must stay (upstream also waits 30 s for a
      // mistaken deletion; checking after the owner is gone asserts the same end state).
      await waitForGone(() => apps.readNamespacedDeployment({ name: d.metadata!.name!, namespace }), 'the Deployment');
      const rss = await apps.listNamespacedReplicaSet({ namespace });
      const pods = await core.listNamespacedPod({ namespace, labelSelector: selectorOf(labels) });
      assert.equal(rss.items.length, 1, 'remaining ReplicaSets');
      assert.equal(pods.items.filter((p) => !p.metadata?.deletionTimestamp).length, 2, 'remaining pods');
      for (const rs of rss.items) assert.equal(controllerOf(rs), undefined, `Found ReplicaSet ${rs.metadata?.name} with non nil ownerRef`);
    },
    { timeoutMs: 90_000 },
  ),

  scenario(
    { codename: '[sig-api-machinery] Garbage collector should delete pods created by rc when not orphaning [Conformance]', testname: 'Garbage Collector, delete replication controller, propagation policy background', release: 'v1.9', file: FILE },
    async (ctx) => {
      const core = ctx.api(CoreV1Api);
      const namespace = ctx.namespace;
      const labels = uniqLabels(ctx, 'delete_pods');
      const name = 'simpletest.rc';
      const rc = await core.createNamespacedReplicationController({ namespace, body: { metadata: { name }, spec: { replicas: 2, selector: labels, template: podTemplate(labels) } } });
      await poll(async () => (await core.readNamespacedReplicationController({ name, namespace })).status?.replicas === 2, { timeoutMs: 60_000, what: 'rc.Status.Replicas to reach rc.Spec.Replicas' });
      await core.deleteNamespacedReplicationController({ name, namespace, body: { propagationPolicy: 'Background', preconditions: { uid: rc.metadata!.uid } } });
      await poll(async () => {
        const [rcs, pods] = await Promise.all([core.listNamespacedReplicationController({ namespace }), core.listNamespacedPod({ namespace, labelSelector: selectorOf(labels) })]);
        return rcs.items.length === 0 && pods.items.length === 0;
      }, { timeoutMs: 60_000, what: 'all pods to be garbage collected' });
    },
    { timeoutMs: 90_000 },
  ),
];

// Deployment rollouts driven by the deployment controller: a Recreate rollout never runs old and new
// pods together.
import { AppsV1Api, type V1Deployment, type V1ReplicaSet } from '@kubernetes/client-node';
import { assert } from '../framework/expect.ts';
import { poll } from '../framework/poll.ts';
import { scenario } from '../framework/scenario.ts';
import { retryOnConflict, selectorOf } from './helpers.ts';
import { IMAGES } from './images.ts';

const FILE = 'test/e2e/apps/deployment.go';
const REVISION = 'deployment.kubernetes.io/revision';

function newDeployment(name: string, replicas: number, labels: Record<string, string>, containerName: string, image: string, strategy: 'RollingUpdate' | 'Recreate'): V1Deployment {
  return {
    metadata: { name, labels },
    spec: { replicas, selector: { matchLabels: labels }, strategy: { type: strategy }, template: { metadata: { labels }, spec: { containers: [{ name: containerName, image }] } } },
  };
}

/** e2edeployment.WaitForDeploymentComplete: observed, all replicas updated and available, none extra. */
function waitForDeploymentComplete(apps: AppsV1Api, namespace: string, name: string): Promise<V1Deployment> {
  return poll(async () => {
    const d = await apps.readNamespacedDeployment({ name, namespace });
    const s = d.status ?? {};
    const want = d.spec?.replicas ?? 1;
    const done = (s.observedGeneration ?? 0) >= (d.metadata?.generation ?? 0) && s.updatedReplicas === want && s.replicas === want && s.availableReplicas === want;
    return done ? d : undefined;
  }, { timeoutMs: 60_000, what: `deployment ${name} to complete` });
}

/** e2edeployment.WaitForDeploymentRevisionAndImage, on the new ReplicaSet's revision annotation. */
async function waitForRevisionAndImage(apps: AppsV1Api, namespace: string, name: string, revision: string, image: string): Promise<V1ReplicaSet> {
  return poll(async () => {
    const d = await apps.readNamespacedDeployment({ name, namespace });
    if (d.metadata?.annotations?.[REVISION] !== revision || d.spec?.template.spec?.containers[0]?.image !== image) return undefined;
    const rss = await ownedReplicaSets(apps, namespace, d);
    return rss.find((rs) => rs.metadata?.annotations?.[REVISION] === revision && rs.spec?.template?.spec?.containers[0]?.image === image);
  }, { timeoutMs: 60_000, what: `deployment ${name} at revision ${revision} with image ${image}` });
}

async function ownedReplicaSets(apps: AppsV1Api, namespace: string, d: V1Deployment): Promise<V1ReplicaSet[]> {
  const list = await apps.listNamespacedReplicaSet({ namespace, labelSelector: selectorOf(d.spec!.selector.matchLabels!) });
  return list.items.filter((rs) => rs.metadata?.ownerReferences?.some((r) => r.controller && r.uid === d.metadata?.uid));
}

export const deploymentScenarios = [
  scenario(
    { codename: '[sig-apps] Deployment RecreateDeployment should delete old pods and create new ones [Conformance]', testname: 'Deployment Recreate', release: 'v1.12', file: FILE },
    async (ctx) => {
      const apps = ctx.api(AppsV1Api);
      const namespace = ctx.namespace;
      const name = 'test-recreate-deployment';
      const labels = { name: 'sample-pod-3' };
      await apps.createNamespacedDeployment({ namespace, body: newDeployment(name, 1, labels, 'agnhost', IMAGES.agnhost, 'Recreate') });
      await waitForRevisionAndImage(apps, namespace, name, '1', IMAGES.agnhost);
      const first = await waitForDeploymentComplete(apps, namespace, name);

      // watchRecreateDeployment: no Deployment status may show new pods next to old ones.
      const w = await ctx.watch(`/apis/apps/v1/namespaces/${namespace}/deployments`, { fieldSelector: `metadata.name=${name}`, resourceVersion: first.metadata?.resourceVersion });
      await retryOnConflict(async () => {
        const d = await apps.readNamespacedDeployment({ name, namespace });
        d.spec!.template.spec!.containers[0] = { name: 'httpd', image: IMAGES.httpd };
        return apps.replaceNamespacedDeployment({ name, namespace, body: d });
      });
      let mixed: string | undefined;
      await w.until((e) => {
        const d = e.object as V1Deployment;
        const s = d.status ?? {};
        if ((s.updatedReplicas ?? 0) > 0 && s.replicas !== s.updatedReplicas) mixed ??= JSON.stringify(s);
        return mixed !== undefined || d.metadata?.annotations?.[REVISION] === '2' && (d.status?.observedGeneration ?? 0) >= (d.metadata?.generation ?? 0) && s.updatedReplicas === 1 && s.availableReplicas === 1 && s.replicas === 1;
      }, `deployment ${name} to complete revision 2`, 60_000);
      assert.equal(mixed, undefined, `deployment ${name} is running new pods alongside old pods`);
      await waitForRevisionAndImage(apps, namespace, name, '2', IMAGES.httpd);
      await waitForDeploymentComplete(apps, namespace, name);
    },
    { timeoutMs: 90_000 },
  ),

];

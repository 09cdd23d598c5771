// A Deployment adopting a ReplicaSet someone else made, as upstream's RollingUpdateDeployment and
// RevisionHistoryLimit conformance tests do: the next revision follows the adopted one's int64
// revision exactly, and with revisionHistoryLimit 0 the adopted ReplicaSet is deleted once the
// rollout completes.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { GVR, KubeClient } from '../../src/client/index.ts';
import { startControllerManager } from '../../src/components/controller-manager/controller-manager.ts';
import type { RunningComponent } from '../../src/components/names.ts';
import { deploymentControllerDescriptor } from '../../src/controllers/deployment/deployment-controller.ts';
import type { Deployment } from '../../src/controllers/deployment/types.ts';
import { replicaSetControllerDescriptor } from '../../src/controllers/replicaset/replicaset-descriptors.ts';
import type { ReplicaSet } from '../../src/controllers/replicaset/types.ts';
import { createNamespace, startTestServer, waitFor, type TestServer } from '../helpers/index.ts';
import { KubeletStandIn } from '../helpers/kubelet-stand-in.ts';

let server: TestServer;
let client: KubeClient;
let manager: RunningComponent | undefined;
const standIns: KubeletStandIn[] = [];

before(async () => {
  server = await startTestServer();
  client = KubeClient.fromKubeconfig(server.kubeconfigPath);
  manager = startControllerManager({
    client, leaderElect: false, leaderElection: { leaseDurationMs: 15_000, renewDeadlineMs: 10_000, retryPeriodMs: 2000 },
    controllers: [deploymentControllerDescriptor, replicaSetControllerDescriptor],
    log: () => {},
  });
});
after(async () => {
  await Promise.all(standIns.map((s) => s.stop()));
  await manager?.stop();
  client?.close();
  await server?.close();
});

const WAIT = { timeoutMs: 60_000 };
const REVISION = 'deployment.kubernetes.io/revision';

function template(labels: Record<string, string>, container: string, image: string) {
  return { metadata: { labels }, spec: { containers: [{ name: container, image }] } };
}

/** An orphan ReplicaSet whose pods the Deployment's selector also matches, running before it exists. */
async function orphanReplicaSet(ns: string, name: string, labels: Record<string, string>, annotations?: Record<string, string>): Promise<ReplicaSet> {
  standIns.push(new KubeletStandIn(client, { namespace: ns }));
  const rs = await client.resource<ReplicaSet>(GVR.replicasets).namespace(ns).create({
    apiVersion: 'apps/v1', kind: 'ReplicaSet',
    metadata: { name, labels, annotations },
    spec: { replicas: 1, selector: { matchLabels: labels }, template: template(labels, 'httpd', 'httpd:2.4') },
  });
  await waitFor(async () => ((await client.resource<ReplicaSet>(GVR.replicasets).namespace(ns).get(name)).status?.readyReplicas === 1 ? true : undefined), { ...WAIT, message: `${name} ready` });
  return rs;
}

function deployment(name: string, labels: Record<string, string>, revisionHistoryLimit?: number): Deployment {
  return {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name },
    spec: { replicas: 1, revisionHistoryLimit, selector: { matchLabels: labels }, strategy: { type: 'RollingUpdate' }, template: template(labels, 'agnhost', 'agnhost:2.40') },
  } as Deployment;
}

const ownedBy = async (ns: string, d: Deployment) =>
  (await client.resource<ReplicaSet>(GVR.replicasets).namespace(ns).list()).items.filter((rs) => rs.metadata.ownerReferences?.some((r) => r.controller && r.uid === d.metadata.uid));

describe('Deployment adopting a ReplicaSet', { timeout: 150_000 }, () => {
  test('the new ReplicaSet gets the adopted revision + 1, exactly, past 2^53; the adopted one stays as history', async () => {
    const ns = await createNamespace(server);
    await orphanReplicaSet(ns, 'test-rolling-update-controller', { name: 'sample-pod', pod: 'httpd' }, { [REVISION]: '3546343826724305832' });
    const d = await client.resource<Deployment>(GVR.deployments).namespace(ns).create(deployment('test-rolling-update-deployment', { name: 'sample-pod' }));
    const done = await waitFor(async () => {
      const cur = await client.resource<Deployment>(GVR.deployments).namespace(ns).get(d.metadata.name!);
      const s = cur.status ?? {};
      return s.updatedReplicas === 1 && s.replicas === 1 && s.availableReplicas === 1 ? cur : undefined;
    }, { ...WAIT, message: 'rollout complete' });
    assert.equal(done.metadata.annotations?.[REVISION], '3546343826724305833');
    const rss = await ownedBy(ns, d);
    assert.deepEqual(rss.map((rs) => [rs.metadata.name!.startsWith('test-rolling-update-deployment-'), rs.metadata.annotations?.[REVISION], rs.spec.replicas]).sort(),
      [[false, '3546343826724305832', 0], [true, '3546343826724305833', 1]]);
  });

  test('revisionHistoryLimit 0: the adopted ReplicaSet, scaled to 0, is deleted once the rollout completes', async () => {
    const ns = await createNamespace(server);
    await orphanReplicaSet(ns, 'test-cleanup-controller', { name: 'cleanup-pod', pod: 'httpd' });
    const d = await client.resource<Deployment>(GVR.deployments).namespace(ns).create(deployment('test-cleanup-deployment', { name: 'cleanup-pod' }, 0));
    const left = await waitFor(async () => {
      const rss = await ownedBy(ns, d);
      return rss.length === 1 ? rss : undefined;
    }, { ...WAIT, message: 'only the new ReplicaSet left' });
    assert.match(left[0]!.metadata.name!, /^test-cleanup-deployment-/);
    await assert.rejects(client.resource(GVR.replicasets).namespace(ns).get('test-cleanup-controller'), /not found/);
  });
});

// The Deployment, ReplicaSet and ReplicationController controllers run by the controller manager
// against the real server, driven with the real kubectl. A kubelet stand-in (test helper) binds pods
// and reports them Running/Ready through the API until simulated nodes exist.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { KObject } from '../../src/apimachinery/types.ts';
import { SharedInformerFactory } from '../../src/client/cache/informer-factory.ts';
import { GVR, KubeClient } from '../../src/client/index.ts';
import { startControllerManager } from '../../src/components/controller-manager/controller-manager.ts';
import type { RunningComponent } from '../../src/components/names.ts';
import { deploymentControllerDescriptor } from '../../src/controllers/deployment/deployment-controller.ts';
import type { Deployment } from '../../src/controllers/deployment/types.ts';
import type { CoreEvent } from '../../src/controllers/framework/events/types.ts';
import { replicaSetControllerDescriptor, replicationControllerDescriptor } from '../../src/controllers/replicaset/replicaset-descriptors.ts';
import { isPodReady } from '../../src/controllers/replicaset/pod-util.ts';
import type { Pod, ReplicaSet } from '../../src/controllers/replicaset/types.ts';
import { createNamespace, kubectl, kubectlOk, startTestServer, waitFor, type TestServer } from '../helpers/index.ts';
import { KubeletStandIn, bindPod, setPodRunning } from '../helpers/kubelet-stand-in.ts';

let server: TestServer;
let client: KubeClient;
let manager: RunningComponent | undefined;
const standIns: KubeletStandIn[] = [];

function startManager(): RunningComponent {
  return startControllerManager({
    client, leaderElect: false, leaderElection: { leaseDurationMs: 15_000, renewDeadlineMs: 10_000, retryPeriodMs: 2000 },
    controllers: [deploymentControllerDescriptor, replicaSetControllerDescriptor, replicationControllerDescriptor],
    log: process.env.K8TS_TEST_LOG ? (m) => process.stderr.write(`${m}\n`) : () => {},
  });
}

before(async () => {
  server = await startTestServer();
  client = KubeClient.fromKubeconfig(server.kubeconfigPath);
  manager = startManager();
});
after(async () => {
  await Promise.all(standIns.map((s) => s.stop()));
  await manager?.stop();
  client?.close();
  await server?.close();
});

const WAIT = { timeoutMs: 60_000 };
const k = (ns: string, ...args: string[]) => kubectlOk([...args, '-n', ns], { kubeconfig: server.kubeconfigPath, timeoutMs: 90_000 });

function standIn(namespace: string, opts: Partial<ConstructorParameters<typeof KubeletStandIn>[1]> = {}): KubeletStandIn {
  const s = new KubeletStandIn(client, { namespace, ...opts });
  standIns.push(s);
  return s;
}

const livePods = async (ns: string, selector?: string) =>
  (await client.resource<Pod>(GVR.pods).namespace(ns).list({ labelSelector: selector })).items.filter((p) => !p.metadata.deletionTimestamp);
const replicaSetsOf = async (ns: string, d: string) =>
  (await client.resource<ReplicaSet>(GVR.replicasets).namespace(ns).list({ labelSelector: `app=${d}` })).items;
const getDeployment = (ns: string, name: string) => client.resource<Deployment>(GVR.deployments).namespace(ns).get(name);
const eventsFor = async (ns: string, name: string) =>
  (await client.resource<CoreEvent>(GVR.events).namespace(ns).list({ fieldSelector: `involvedObject.name=${name}` })).items;

/** Events are written asynchronously: wait until the list satisfies ok. */
const eventsWhen = (ns: string, name: string, ok: (events: CoreEvent[]) => boolean) =>
  waitFor(async () => { const e = await eventsFor(ns, name); return ok(e) ? e : undefined; }, { ...WAIT, message: `events of ${name}` });

async function rolledOut(ns: string, name: string): Promise<boolean> {
  const r = await kubectl(['rollout', 'status', `deployment/${name}`, '--watch=false', '-n', ns], { kubeconfig: server.kubeconfigPath });
  return r.stdout.includes(`deployment "${name}" successfully rolled out`);
}

describe('Deployment', { timeout: 240_000 }, () => {
  test('kubectl create deployment: a ReplicaSet named by pod-template-hash, 3 pods, and rollout status once they are ready', async () => {
    const ns = await createNamespace(server);
    await k(ns, 'create', 'deployment', 'web', '--image=nginx', '--replicas=3');
    const pods = await waitFor(async () => { const p = await livePods(ns, 'app=web'); return p.length === 3 ? p : undefined; }, { ...WAIT, message: '3 pods' });

    const [rs] = await replicaSetsOf(ns, 'web');
    const hash = rs!.metadata.labels!['pod-template-hash']!;
    assert.match(hash, /^[bcdfghjklmnpqrstvwxz2456789]{6,10}$/);
    assert.equal(rs!.metadata.name, `web-${hash}`);
    assert.deepEqual((rs!.spec.selector as { matchLabels: Record<string, string> }).matchLabels, { app: 'web', 'pod-template-hash': hash });
    assert.equal(rs!.metadata.annotations!['deployment.kubernetes.io/revision'], '1');
    assert.equal(rs!.metadata.annotations!['deployment.kubernetes.io/desired-replicas'], '3');
    assert.equal(rs!.metadata.annotations!['deployment.kubernetes.io/max-replicas'], '4');
    assert.deepEqual(rs!.metadata.ownerReferences?.map((r) => [r.kind, r.name, r.controller]), [['Deployment', 'web', true]]);
    for (const p of pods) {
      assert.match(p.metadata.name!, new RegExp(`^web-${hash}-[bcdfghjklmnpqrstvwxz2456789]{5}$`));
      assert.equal(p.metadata.labels!['pod-template-hash'], hash);
      assert.equal(p.metadata.ownerReferences?.[0]?.name, rs!.metadata.name);
    }

    // Nothing runs the pods yet: rollout status says what it waits for.
    await waitFor(async () => (await getDeployment(ns, 'web')).status?.replicas === 3, { ...WAIT, message: 'status.replicas 3' });
    const waiting = await kubectl(['rollout', 'status', 'deployment/web', '--watch=false', '-n', ns], { kubeconfig: server.kubeconfigPath });
    assert.equal(waiting.stdout.trim(), 'Waiting for deployment "web" rollout to finish: 0 of 3 updated replicas are available...');

    standIn(ns);
    const out = await k(ns, 'rollout', 'status', 'deployment/web', '--timeout=60s');
    assert.match(out, /deployment "web" successfully rolled out\n$/);
    const table = await k(ns, 'get', 'deploy', 'web');
    assert.match(table, /^NAME\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+AGE\nweb\s+3\/3\s+3\s+3\s+\d+s\n$/);
    await waitFor(async () => /^web-\S+\s+3\s+3\s+3\s+/m.test(await k(ns, 'get', 'rs')), { ...WAIT, message: 'kubectl get rs 3 3 3' });

    const d = await getDeployment(ns, 'web');
    assert.equal(d.status?.observedGeneration, d.metadata.generation);
    assert.deepEqual({ ...d.status, conditions: undefined }, { observedGeneration: d.metadata.generation, replicas: 3, updatedReplicas: 3, readyReplicas: 3, availableReplicas: 3, conditions: undefined });
    const cond = Object.fromEntries(d.status!.conditions!.map((c) => [c.type, [c.status, c.reason, c.message]]));
    assert.deepEqual(cond.Available, ['True', 'MinimumReplicasAvailable', 'Deployment has minimum availability.']);
    assert.deepEqual(cond.Progressing, ['True', 'NewReplicaSetAvailable', `ReplicaSet "web-${hash}" has successfully progressed.`]);
    assert.equal(d.metadata.annotations?.['deployment.kubernetes.io/revision'], '1');

    const dEvents = await eventsWhen(ns, 'web', (e) => e.length >= 1);
    assert.deepEqual(dEvents.map((e) => [e.reason, e.message, e.source.component]), [['ScalingReplicaSet', `Scaled up replica set web-${hash} from 0 to 3`, 'deployment-controller']]);
    const rsEvents = await eventsWhen(ns, `web-${hash}`, (e) => e.length >= 3);
    assert.deepEqual(rsEvents.map((e) => e.reason), ['SuccessfulCreate', 'SuccessfulCreate', 'SuccessfulCreate']);
    assert.deepEqual(rsEvents.map((e) => e.message).sort(), pods.map((p) => `Created pod: ${p.metadata.name}`).sort());
    assert.ok(rsEvents.every((e) => e.source.component === 'replicaset-controller'));
    const described = await k(ns, 'describe', 'deployment', 'web');
    assert.match(described, /Normal\s+ScalingReplicaSet\s+\S+\s+deployment-controller\s+Scaled up replica set web-\S+ from 0 to 3/);
    assert.match(described, /NewReplicaSet:\s+web-\S+ \(3\/3 replicas created\)/);
  });

  test('kubectl set image rolls out within maxSurge/maxUnavailable; history, undo and scaling', async () => {
    const ns = await createNamespace(server);
    standIn(ns);
    await k(ns, 'create', 'deployment', 'web', '--image=nginx:1.26', '--replicas=4');
    await k(ns, 'patch', 'deployment', 'web', '-p', '{"spec":{"strategy":{"rollingUpdate":{"maxSurge":1,"maxUnavailable":1}}}}');
    await k(ns, 'annotate', 'deployment', 'web', 'kubernetes.io/change-cause=first');
    await waitFor(() => rolledOut(ns, 'web'), { ...WAIT, message: 'first rollout' });

    // Watch both levels through the rollout: ReplicaSet sizes (surge) and ready pods (availability).
    const factory = new SharedInformerFactory(client, { namespace: ns });
    const rsInformer = factory.forResource<ReplicaSet>(GVR.replicasets);
    const podInformer = factory.forResource<Pod>(GVR.pods);
    const violations: string[] = [];
    let maxTotal = 0;
    let minReady = Infinity;
    rsInformer.addEventHandler({
      onUpdate: () => {
        const total = rsInformer.lister().list().reduce((n, rs) => n + (rs.spec.replicas ?? 0), 0);
        maxTotal = Math.max(maxTotal, total);
        if (total > 5) violations.push(`ReplicaSets sum to ${total} replicas`);
      },
    });
    podInformer.addEventHandler({
      onUpdate: () => {
        const ready = podInformer.lister().list().filter((p) => !p.metadata.deletionTimestamp && isPodReady(p)).length;
        minReady = Math.min(minReady, ready);
        if (ready < 3) violations.push(`${ready} ready pods`);
      },
      onDelete: () => {
        const ready = podInformer.lister().list().filter((p) => !p.metadata.deletionTimestamp && isPodReady(p)).length;
        minReady = Math.min(minReady, ready);
        if (ready < 3) violations.push(`${ready} ready pods`);
      },
    });
    factory.start();
    await factory.waitForCacheSync();
    try {
      await k(ns, 'set', 'image', 'deployment/web', 'nginx=nginx:1.27');
      await k(ns, 'annotate', 'deployment', 'web', 'kubernetes.io/change-cause=second', '--overwrite');
      const out = await k(ns, 'rollout', 'status', 'deployment/web', '--timeout=90s');
      assert.match(out, /deployment "web" successfully rolled out\n$/);
    } finally {
      await factory.shutdown();
    }
    assert.deepEqual(violations, []);
    assert.equal(maxTotal, 5, 'the rollout used its surge');
    assert.ok(minReady >= 3 && minReady < 4, `availability dipped to replicas - maxUnavailable (min ${minReady})`);

    const rss = await replicaSetsOf(ns, 'web');
    const byRevision = Object.fromEntries(rss.map((rs) => [rs.metadata.annotations!['deployment.kubernetes.io/revision'], rs]));
    assert.equal(byRevision['1']?.spec.replicas, 0);
    assert.equal(byRevision['2']?.spec.replicas, 4);
    const images = (await livePods(ns, 'app=web')).map((p) => (p.spec as { containers: { image: string }[] }).containers[0]!.image);
    await waitFor(async () => (await livePods(ns, 'app=web')).length === 4, { ...WAIT, message: 'old pods gone' });
    assert.ok(images.every((i) => i === 'nginx:1.27'), images.join(','));
    const dEvents = (await eventsWhen(ns, 'web', (e) => e.some((x) => x.message.startsWith(`Scaled down replica set ${byRevision['1']!.metadata.name} from 4 to `)))).map((e) => e.message);
    assert.ok(dEvents.includes(`Scaled up replica set ${byRevision['2']!.metadata.name} from 0 to 1`), dEvents.join('\n'));
    assert.ok(dEvents.some((m) => m.startsWith(`Scaled down replica set ${byRevision['1']!.metadata.name} from 4 to `)), dEvents.join('\n'));

    // rollout history reads the ReplicaSets' revision and change-cause annotations.
    const history = await k(ns, 'rollout', 'history', 'deployment/web');
    assert.match(history, /REVISION\s+CHANGE-CAUSE\n1\s+first\n2\s+second\n/);

    // undo patches the template back from revision 1's ReplicaSet, which becomes revision 3.
    await k(ns, 'rollout', 'undo', 'deployment/web');
    await waitFor(() => rolledOut(ns, 'web'), { ...WAIT, message: 'undo rolled out' });
    const d = await getDeployment(ns, 'web');
    assert.equal((d.spec.template.spec as { containers: { image: string }[] }).containers[0]!.image, 'nginx:1.26');
    assert.equal(d.metadata.annotations?.['deployment.kubernetes.io/revision'], '3');
    const old = await client.resource<ReplicaSet>(GVR.replicasets).namespace(ns).get(byRevision['1']!.metadata.name!);
    assert.equal(old.metadata.annotations?.['deployment.kubernetes.io/revision'], '3');
    assert.equal(old.metadata.annotations?.['deployment.kubernetes.io/revision-history'], '1');
    assert.equal(old.spec.replicas, 4);
    assert.match(await k(ns, 'rollout', 'history', 'deployment/web'), /REVISION\s+CHANGE-CAUSE\n2\s+second\n3\s+first\n/);

    // Scaling: to zero and back up.
    await k(ns, 'scale', 'deployment/web', '--replicas=0');
    await waitFor(async () => (await livePods(ns, 'app=web')).length === 0, { ...WAIT, message: 'scaled to 0' });
    await waitFor(async () => /web\s+0\/0\s+0\s+0\s/.test(await k(ns, 'get', 'deploy', 'web')), { ...WAIT, message: 'get deploy 0/0' });
    await k(ns, 'scale', 'deployment/web', '--replicas=5');
    await waitFor(async () => /web\s+5\/5\s+5\s+5\s/.test(await k(ns, 'get', 'deploy', 'web')), { ...WAIT, message: 'get deploy 5/5' });
    assert.equal((await client.resource<ReplicaSet>(GVR.replicasets).namespace(ns).get(old.metadata.name!)).spec.replicas, 5);
  });

  test('a deleted pod is replaced; rollout restart makes a new ReplicaSet; Recreate and pause', async () => {
    const ns = await createNamespace(server);
    standIn(ns);
    await k(ns, 'create', 'deployment', 'web', '--image=nginx', '--replicas=2');
    await waitFor(() => rolledOut(ns, 'web'), { ...WAIT, message: 'rolled out' });
    const [victim] = await livePods(ns, 'app=web');
    await k(ns, 'delete', 'pod', victim!.metadata.name!, '--wait=false');
    await waitFor(async () => {
      const pods = await livePods(ns, 'app=web');
      return pods.length === 2 && !pods.some((p) => p.metadata.name === victim!.metadata.name) && pods.every(isPodReady);
    }, { ...WAIT, message: 'pod replaced' });

    await k(ns, 'rollout', 'restart', 'deployment/web');
    await waitFor(async () => (await replicaSetsOf(ns, 'web')).length === 2, { ...WAIT, message: 'new ReplicaSet' });
    await waitFor(() => rolledOut(ns, 'web'), { ...WAIT, message: 'restart rolled out' });
    const pods = await waitFor(async () => { const p = await livePods(ns, 'app=web'); return p.length === 2 ? p : undefined; }, { ...WAIT, message: '2 pods' });
    assert.ok(pods.every((p) => p.metadata.annotations?.['kubectl.kubernetes.io/restartedAt']), 'pods come from the restarted template');

    // Paused: a template change makes no new ReplicaSet, and Progressing says so.
    await k(ns, 'rollout', 'pause', 'deployment/web');
    await k(ns, 'set', 'image', 'deployment/web', 'nginx=nginx:1.27');
    await waitFor(async () => {
      const d = await getDeployment(ns, 'web');
      const c = d.status?.conditions?.find((x) => x.type === 'Progressing');
      return d.status?.observedGeneration === d.metadata.generation && c?.reason === 'DeploymentPaused' && c.status === 'Unknown' && c.message === 'Deployment is paused';
    }, { ...WAIT, message: 'paused condition' });
    assert.equal((await replicaSetsOf(ns, 'web')).length, 2);

    // Recreate: old pods all go before the new ReplicaSet gets any.
    await k(ns, 'patch', 'deployment', 'web', '--type=json', '-p', '[{"op":"replace","path":"/spec/strategy","value":{"type":"Recreate"}}]');
    await k(ns, 'rollout', 'resume', 'deployment/web');
    await waitFor(() => rolledOut(ns, 'web'), { ...WAIT, message: 'recreate rolled out' });
    const rss = await replicaSetsOf(ns, 'web');
    assert.equal(rss.length, 3);
    const newest = rss.find((rs) => rs.metadata.annotations!['deployment.kubernetes.io/revision'] === '3')!;
    assert.equal(newest.spec.replicas, 2);
    assert.equal(newest.metadata.annotations!['deployment.kubernetes.io/max-replicas'], '2', 'Recreate has no surge');
    const messages = (await eventsWhen(ns, 'web', (e) => e.some((x) => x.message === `Scaled up replica set ${newest.metadata.name} from 0 to 2`))).map((e) => e.message);
    assert.ok(messages.includes(`Scaled up replica set ${newest.metadata.name} from 0 to 2`), messages.join('\n'));
  });

  test('delete --cascade=orphan leaves the ReplicaSet and its pods, still managed', async () => {
    const ns = await createNamespace(server);
    standIn(ns);
    await k(ns, 'create', 'deployment', 'web', '--image=nginx', '--replicas=2');
    await waitFor(() => rolledOut(ns, 'web'), { ...WAIT, message: 'rolled out' });
    const [rs] = await replicaSetsOf(ns, 'web');
    await k(ns, 'delete', 'deployment', 'web', '--cascade=orphan', '--wait=false');
    // The ReplicaSet controller keeps its pods: a deleted one is replaced.
    const [victim] = await livePods(ns, 'app=web');
    await k(ns, 'delete', 'pod', victim!.metadata.name!, '--wait=false');
    await waitFor(async () => {
      const pods = await livePods(ns, 'app=web');
      return pods.length === 2 && !pods.some((p) => p.metadata.name === victim!.metadata.name);
    }, { ...WAIT, message: 'pod replaced by the orphaned ReplicaSet' });
    const after = await client.resource<ReplicaSet>(GVR.replicasets).namespace(ns).get(rs!.metadata.name!);
    assert.equal(after.metadata.uid, rs!.metadata.uid);
    assert.equal(after.spec.replicas, 2);
  });

  test('the controller manager restarted mid-rollout finishes the rollout without extra pods', async () => {
    const ns = await createNamespace(server);
    let runNew = true;
    const kubelet = standIn(ns, { runNow: (p) => runNew || p.metadata.labels?.version !== 'v2' });
    await k(ns, 'create', 'deployment', 'web', '--image=nginx', '--replicas=4');
    await waitFor(() => rolledOut(ns, 'web'), { ...WAIT, message: 'rolled out' });
    runNew = false;
    await k(ns, 'patch', 'deployment', 'web', '-p', '{"spec":{"template":{"metadata":{"labels":{"version":"v2"}}}}}');
    // The new ReplicaSet got its surge, whose pods do not start: the rollout is stuck mid-way.
    await waitFor(async () => (await livePods(ns, 'version=v2')).length === 2, { ...WAIT, message: 'new pods created' });
    await manager!.stop();
    manager = undefined;
    runNew = true;
    for (const p of await livePods(ns, 'version=v2')) await kubelet.poke(p.metadata.name!);
    manager = startManager();
    await waitFor(() => rolledOut(ns, 'web'), { ...WAIT, message: 'rollout finished after restart' });
    await waitFor(async () => (await livePods(ns, 'app=web')).length === 4, { ...WAIT, message: 'old pods gone' });
    const pods = await livePods(ns, 'app=web');
    assert.ok(pods.every((p) => p.metadata.labels?.version === 'v2'));
    const rss = await replicaSetsOf(ns, 'web');
    assert.deepEqual(rss.map((rs) => rs.spec.replicas).sort(), [0, 4]);
  });
});

describe('Deployment progress', { timeout: 120_000 }, () => {
  test('pods never ready: Progressing turns ProgressDeadlineExceeded and rollout status fails as upstream', async () => {
    const ns = await createNamespace(server);
    await k(ns, 'create', 'deployment', 'web', '--image=nginx', '--replicas=2');
    await k(ns, 'patch', 'deployment', 'web', '-p', '{"spec":{"progressDeadlineSeconds":2}}');
    const d = await waitFor(async () => {
      const d = await getDeployment(ns, 'web');
      const c = d.status?.conditions?.find((x) => x.type === 'Progressing');
      return c?.reason === 'ProgressDeadlineExceeded' ? d : undefined;
    }, { ...WAIT, message: 'deadline exceeded' });
    const rsName = (await replicaSetsOf(ns, 'web'))[0]!.metadata.name;
    const cond = Object.fromEntries(d.status!.conditions!.map((c) => [c.type, [c.status, c.reason, c.message]]));
    assert.deepEqual(cond.Progressing, ['False', 'ProgressDeadlineExceeded', `ReplicaSet "${rsName}" has timed out progressing.`]);
    assert.deepEqual(cond.Available, ['False', 'MinimumReplicasUnavailable', 'Deployment does not have minimum availability.']);
    const r = await kubectl(['rollout', 'status', 'deployment/web', '-n', ns], { kubeconfig: server.kubeconfigPath });
    assert.equal(r.code, 1);
    assert.equal(r.stderr.trim(), 'error: deployment "web" exceeded its progress deadline');
  });

  test('minReadySeconds: ready pods count as available only after it', async () => {
    const ns = await createNamespace(server);
    await k(ns, 'create', 'deployment', 'web', '--image=nginx', '--replicas=2');
    await k(ns, 'patch', 'deployment', 'web', '-p', '{"spec":{"minReadySeconds":3}}');
    const factory = new SharedInformerFactory(client, { namespace: ns });
    const seen: string[] = [];
    factory.forResource<ReplicaSet>(GVR.replicasets).addEventHandler({
      onUpdate: (_o, rs) => { seen.push(`${rs.status?.readyReplicas ?? 0}/${rs.status?.availableReplicas ?? 0}`); },
    });
    factory.start();
    try {
      await waitFor(async () => (await replicaSetsOf(ns, 'web'))[0]?.spec.minReadySeconds === 3, { ...WAIT, message: 'minReadySeconds on the ReplicaSet' });
      standIn(ns);
      await waitFor(() => rolledOut(ns, 'web'), { ...WAIT, message: 'rolled out' });
    } finally {
      await factory.shutdown();
    }
    assert.ok(seen.includes('2/0'), `ready before available: ${seen.join(' ')}`);
    assert.equal(seen.at(-1), '2/2');
  });
});

describe('ReplicaSet and ReplicationController', { timeout: 120_000 }, () => {
  test('scaling down deletes unscheduled, then not-ready pods first; status counts', async () => {
    const ns = await createNamespace(server);
    const rs = {
      apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'front' },
      spec: { replicas: 3, selector: { matchLabels: { app: 'front' } }, template: { metadata: { labels: { app: 'front' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } },
    };
    await kubectlOk(['apply', '-n', ns, '-f', '-'], { kubeconfig: server.kubeconfigPath, input: JSON.stringify(rs) });
    const pods = await waitFor(async () => { const p = await livePods(ns, 'app=front'); return p.length === 3 ? p : undefined; }, { ...WAIT, message: '3 pods' });
    const [ready, bound, unbound] = pods.map((p) => p.metadata.name!);
    await bindPod(client, ns, ready!, 'node-0');
    await setPodRunning(client, ns, ready!, true);
    await bindPod(client, ns, bound!, 'node-1');
    await setPodRunning(client, ns, bound!, false);
    await waitFor(async () => {
      const s = (await client.resource<ReplicaSet>(GVR.replicasets).namespace(ns).get('front')).status;
      return s?.replicas === 3 && s.readyReplicas === 1 && s.availableReplicas === 1 && s.fullyLabeledReplicas === 3;
    }, { ...WAIT, message: 'status counts' });
    assert.match(await k(ns, 'get', 'rs', 'front'), /front\s+3\s+3\s+1\s+/);

    await k(ns, 'scale', 'rs', 'front', '--replicas=2');
    await waitFor(async () => !(await livePods(ns, 'app=front')).some((p) => p.metadata.name === unbound), { ...WAIT, message: 'unscheduled pod deleted' });
    await k(ns, 'scale', 'rs', 'front', '--replicas=1');
    await waitFor(async () => {
      const names = (await livePods(ns, 'app=front')).map((p) => p.metadata.name);
      return names.length === 1 && names[0] === ready;
    }, { ...WAIT, message: 'not-ready pod deleted, ready one kept' });
    const deleted = await waitFor(async () => {
      const d = (await eventsFor(ns, 'front')).filter((e) => e.reason === 'SuccessfulDelete').map((e) => e.message);
      return d.length === 2 ? d : undefined;
    }, { ...WAIT, message: 'two SuccessfulDelete events' });
    assert.deepEqual(deleted.sort(), [`Deleted pod: ${unbound}`, `Deleted pod: ${bound}`].sort());
  });

  test('adopts a matching orphan pod and releases a pod relabelled away', async () => {
    const ns = await createNamespace(server);
    await client.resource(GVR.pods).namespace(ns).create({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'orphan', labels: { app: 'api' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } });
    await client.resource(GVR.replicasets).namespace(ns).create({
      apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'api' },
      spec: { replicas: 2, selector: { matchLabels: { app: 'api' } }, template: { metadata: { labels: { app: 'api' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } },
    } as KObject);
    const pods = await waitFor(async () => { const p = await livePods(ns, 'app=api'); return p.length === 2 ? p : undefined; }, { ...WAIT, message: '2 pods' });
    const orphan = pods.find((p) => p.metadata.name === 'orphan');
    assert.equal(orphan?.metadata.ownerReferences?.[0]?.name, 'api', 'the orphan was adopted, so only one pod was created');
    await k(ns, 'label', 'pod', 'orphan', 'app=other', '--overwrite');
    await waitFor(async () => (await livePods(ns, 'app=api')).length === 2, { ...WAIT, message: 'a replacement for the released pod' });
    const released = await client.resource<Pod>(GVR.pods).namespace(ns).get('orphan');
    assert.deepEqual(released.metadata.ownerReferences ?? [], []);
  });

  test('kubectl scale rc: pods named after the controller, events from replication-controller', async () => {
    const ns = await createNamespace(server);
    const rc = {
      apiVersion: 'v1', kind: 'ReplicationController', metadata: { name: 'legacy' },
      spec: { replicas: 2, template: { metadata: { labels: { app: 'legacy' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } },
    };
    await kubectlOk(['apply', '-n', ns, '-f', '-'], { kubeconfig: server.kubeconfigPath, input: JSON.stringify(rc) });
    await waitFor(async () => (await livePods(ns, 'app=legacy')).length === 2, { ...WAIT, message: '2 pods' });
    await k(ns, 'scale', 'rc', 'legacy', '--replicas=4');
    const pods = await waitFor(async () => { const p = await livePods(ns, 'app=legacy'); return p.length === 4 ? p : undefined; }, { ...WAIT, message: '4 pods' });
    for (const p of pods) {
      assert.match(p.metadata.name!, /^legacy-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
      assert.deepEqual(p.metadata.ownerReferences?.map((r) => [r.apiVersion, r.kind, r.name]), [['v1', 'ReplicationController', 'legacy']]);
    }
    await waitFor(async () => /legacy\s+4\s+4\s+0\s+/.test(await k(ns, 'get', 'rc', 'legacy')), { ...WAIT, message: 'get rc 4 4 0' });
    const events = await eventsWhen(ns, 'legacy', (e) => e.length >= 4);
    assert.equal(events.length, 4);
    assert.ok(events.every((e) => e.reason === 'SuccessfulCreate' && e.source.component === 'replication-controller' && e.involvedObject.kind === 'ReplicationController'));
    await k(ns, 'scale', 'rc', 'legacy', '--replicas=1');
    await waitFor(async () => (await livePods(ns, 'app=legacy')).length === 1, { ...WAIT, message: '1 pod' });
    const rcNow = await client.resource<ReplicaSet>(GVR.replicationcontrollers).namespace(ns).get('legacy');
    await waitFor(async () => (await client.resource<ReplicaSet>(GVR.replicationcontrollers).namespace(ns).get('legacy')).status?.replicas === 1, { ...WAIT, message: 'status.replicas 1' });
    assert.equal(rcNow.spec.replicas, 1);
  });
});

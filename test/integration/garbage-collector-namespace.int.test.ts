// The garbage collector, namespace, service account and root CA publisher controllers run by the
// controller manager against the real server, driven with the real kubectl: cascading deletion
// (background, foreground, orphan), namespace termination with its conditions, and the objects
// every namespace gets.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { KObject, OwnerReference } from '../../src/apimachinery/types.ts';
import { GVR, KubeClient, isNotFound } from '../../src/client/index.ts';
import { garbageCollectorController } from '../../src/controllers/garbagecollector/garbage-collector.ts';
import { namespaceController } from '../../src/controllers/namespace/namespace-controller.ts';
import { rootCACertPublisher } from '../../src/controllers/rootcacertpublisher/publisher.ts';
import { serviceAccountsController } from '../../src/controllers/serviceaccount/serviceaccounts-controller.ts';
import { createNamespace, kubectl, kubectlOk, readKubeconfig, uniqueName, waitFor, type TestServer } from '../helpers/index.ts';
import { startControllerCluster, type ControllerCluster } from '../helpers/controller-cluster.ts';

let server: TestServer;
let client: KubeClient;
let cluster: ControllerCluster | undefined;
before(async () => {
  cluster = await startControllerCluster([garbageCollectorController, namespaceController, serviceAccountsController, rootCACertPublisher]);
  ({ server, client } = cluster);
});
after(() => cluster?.close());

const T = { timeout: 120_000 };
const WAIT = { timeoutMs: 60_000 };
const k = (...args: string[]) => kubectlOk(args, { kubeconfig: server.kubeconfigPath, timeoutMs: 90_000 });

const ref = (o: KObject, block = true): OwnerReference => ({
  apiVersion: o.apiVersion!, kind: o.kind!, name: o.metadata.name!, uid: o.metadata.uid!, controller: true, blockOwnerDeletion: block,
});
const template = { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx' }] } };

/** A Deployment → ReplicaSet → 2 Pods chain wired by ownerReferences, as the controllers would leave it. */
async function deploymentChain(ns: string, name: string) {
  const deploy = await client.resource(GVR.deployments).namespace(ns).create({
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name },
    spec: { replicas: 0, selector: { matchLabels: { app: 'web' } }, template },
  });
  const rs = await client.resource(GVR.replicasets).namespace(ns).create({
    apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: `${name}-rs`, ownerReferences: [ref(deploy)] },
    spec: { replicas: 0, selector: { matchLabels: { app: 'web' } }, template },
  });
  const pods = [];
  for (const i of [1, 2]) {
    pods.push(await client.resource(GVR.pods).namespace(ns).create({
      apiVersion: 'v1', kind: 'Pod', metadata: { name: `${name}-pod-${i}`, labels: { app: 'web' }, ownerReferences: [ref(rs)] }, spec: template.spec,
    }));
  }
  return { deploy, rs, pods };
}

const exists = async (gvr: typeof GVR.pods, ns: string, name: string) => {
  try {
    return await client.resource(gvr).namespace(ns).get(name);
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
};

describe('garbage collector', { concurrency: 2 }, () => {
  test('kubectl delete deployment (background): its ReplicaSet and their pods are collected', T, async () => {
    const ns = await createNamespace(server, 'gc');
    const { rs, pods } = await deploymentChain(ns, 'web');
    assert.match(await k('delete', 'deployment', 'web', '-n', ns), /deployment.apps "web" deleted/);
    await waitFor(async () => !(await exists(GVR.replicasets, ns, rs.metadata.name!)), { ...WAIT, message: 'ReplicaSet collected' });
    await waitFor(async () => (await client.resource(GVR.pods).namespace(ns).list()).items.length === 0, { ...WAIT, message: 'pods collected' });
    for (const p of pods) assert.equal(await exists(GVR.pods, ns, p.metadata.name!), undefined);
  });

  test('kubectl delete --cascade=orphan: the ReplicaSet stays, without the owner reference; its pods keep theirs', T, async () => {
    const ns = await createNamespace(server, 'gc');
    const { rs, pods } = await deploymentChain(ns, 'web');
    await k('delete', 'deployment', 'web', '--cascade=orphan', '-n', ns);
    await waitFor(async () => !(await exists(GVR.deployments, ns, 'web')), { ...WAIT, message: 'deployment gone once orphaned' });
    const kept = await client.resource(GVR.replicasets).namespace(ns).get(rs.metadata.name!);
    assert.equal(kept.metadata.ownerReferences, undefined, 'the reference to the deleted deployment is removed');
    for (const p of pods) {
      const pod = await client.resource(GVR.pods).namespace(ns).get(p.metadata.name!);
      assert.equal(pod.metadata.ownerReferences?.[0]?.uid, rs.metadata.uid);
    }
  });

  test('--cascade=foreground: the owner shows foregroundDeletion until its blocking dependents are gone', T, async () => {
    const ns = await createNamespace(server, 'gc');
    const { rs } = await deploymentChain(ns, 'web');
    // A dependent with a finalizer holds the foreground deletion until the finalizer is removed.
    await client.resource(GVR.configmaps).namespace(ns).create({
      apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'held', finalizers: ['example.com/hold'], ownerReferences: [ref(rs)] },
    });
    await k('delete', 'replicaset', rs.metadata.name!, '--cascade=foreground', '--wait=false', '-n', ns);
    const deleting = await client.resource(GVR.replicasets).namespace(ns).get(rs.metadata.name!);
    assert.ok(deleting.metadata.deletionTimestamp);
    assert.deepEqual(deleting.metadata.finalizers, ['foregroundDeletion']);
    await waitFor(async () => (await client.resource(GVR.pods).namespace(ns).list()).items.length === 0, { ...WAIT, message: 'pods deleted first' });
    await waitFor(async () => (await client.resource(GVR.configmaps).namespace(ns).get('held')).metadata.deletionTimestamp, { ...WAIT, message: 'held dependent being deleted' });
    assert.ok(await exists(GVR.replicasets, ns, rs.metadata.name!), 'the owner waits for the held dependent');
    await client.resource(GVR.configmaps).namespace(ns).patch('held', { metadata: { finalizers: null } }, 'merge');
    await waitFor(async () => !(await exists(GVR.replicasets, ns, rs.metadata.name!)), { ...WAIT, message: 'owner gone after its dependents' });
  });

  test('a dependent whose owner never existed (dangling uid) is collected; one with a live owner too is only unlinked', T, async () => {
    const ns = await createNamespace(server, 'gc');
    const owner = await client.resource(GVR.configmaps).namespace(ns).create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'owner' } });
    const ghost: OwnerReference = { apiVersion: 'v1', kind: 'ConfigMap', name: 'ghost', uid: '00000000-0000-0000-0000-000000000001' };
    await client.resource(GVR.secrets).namespace(ns).create({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'orphaned', ownerReferences: [ghost] } });
    await client.resource(GVR.secrets).namespace(ns).create({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'shared', ownerReferences: [ghost, ref(owner, false)] } });
    await waitFor(async () => !(await exists(GVR.secrets, ns, 'orphaned')), { ...WAIT, message: 'dangling dependent collected' });
    const shared = await waitFor(async () => {
      const s = await client.resource(GVR.secrets).namespace(ns).get('shared');
      return s.metadata.ownerReferences?.length === 1 ? s : undefined;
    }, { ...WAIT, message: 'dangling reference removed' });
    assert.equal(shared.metadata.ownerReferences![0]!.uid, owner.metadata.uid);
  });
});

describe('namespace controller', { concurrency: 2 }, () => {
  test('kubectl delete namespace: Terminating, its content of every kind deleted, conditions set, then gone', T, async () => {
    const ns = uniqueName('nsdel');
    await k('create', 'namespace', ns);
    await k('create', 'configmap', 'plain', '--from-literal=a=b', '-n', ns);
    await k('create', 'secret', 'generic', 's', '--from-literal=a=b', '-n', ns);
    await k('create', 'deployment', 'web', '--image=nginx', '--replicas=0', '-n', ns);
    await k('create', 'service', 'clusterip', 'svc', '--tcp=80:8080', '-n', ns);
    await client.resource(GVR.configmaps).namespace(ns).create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'held', finalizers: ['example.com/hold'] } });

    const deletion = kubectl(['delete', 'namespace', ns, '--timeout=110s'], { kubeconfig: server.kubeconfigPath, timeoutMs: 115_000 });
    const terminating = await waitFor(async () => {
      const n = await client.resource(GVR.namespaces).get(ns);
      return (n.status as any)?.conditions?.some((c: any) => c.type === 'NamespaceFinalizersRemaining' && c.status === 'True') ? n : undefined;
    }, { ...WAIT, message: 'conditions report the held ConfigMap' });
    const status = terminating.status as any;
    assert.equal(status.phase, 'Terminating');
    const byType = Object.fromEntries(status.conditions.map((c: any) => [c.type, c]));
    assert.deepEqual(Object.keys(byType), ['NamespaceDeletionDiscoveryFailure', 'NamespaceDeletionGroupVersionParsingFailure', 'NamespaceDeletionContentFailure', 'NamespaceContentRemaining', 'NamespaceFinalizersRemaining']);
    assert.deepEqual([byType.NamespaceDeletionDiscoveryFailure.status, byType.NamespaceDeletionDiscoveryFailure.reason, byType.NamespaceDeletionDiscoveryFailure.message], ['False', 'ResourcesDiscovered', 'All resources successfully discovered']);
    assert.deepEqual([byType.NamespaceContentRemaining.reason, byType.NamespaceContentRemaining.message], ['SomeResourcesRemain', 'Some resources are remaining: configmaps. has 1 resource instances']);
    assert.deepEqual([byType.NamespaceFinalizersRemaining.reason, byType.NamespaceFinalizersRemaining.message], ['SomeFinalizerRemain', 'Some content in the namespace has finalizers remaining: example.com/hold in 1 resource instances']);
    assert.deepEqual((terminating.spec as any).finalizers, ['kubernetes'], 'not finalized while content remains');

    // Everything else is gone already; creating anything new is refused as upstream.
    for (const [gvr, name] of [[GVR.secrets, 's'], [GVR.deployments, 'web'], [GVR.services, 'svc'], [GVR.configmaps, 'plain']] as const) {
      assert.equal(await exists(gvr, ns, name), undefined, `${gvr.resource}/${name} deleted`);
    }
    const refused = await kubectl(['create', 'configmap', 'late', '-n', ns], { kubeconfig: server.kubeconfigPath });
    assert.notEqual(refused.code, 0);
    assert.match(refused.stderr, new RegExp(`configmaps "late" is forbidden: unable to create new content in namespace ${ns} because it is being terminated`));
    assert.match(await k('get', 'namespace', ns), new RegExp(`${ns}\\s+Terminating`));

    await client.resource(GVR.configmaps).namespace(ns).patch('held', { metadata: { finalizers: null } }, 'merge');
    const done = await deletion;
    assert.equal(done.code, 0, done.stderr);
    assert.match(done.stdout, new RegExp(`namespace "${ns}" deleted`));
    assert.equal(await exists(GVR.namespaces, '', ns), undefined);
  });
});

describe('service accounts and the root CA', { concurrency: 2 }, () => {
  test('every namespace gets the "default" ServiceAccount, recreated when deleted', T, async () => {
    const ns = await createNamespace(server, 'sa');
    await waitFor(() => exists(GVR.serviceaccounts, ns, 'default'), { ...WAIT, message: 'default ServiceAccount' });
    assert.match(await k('get', 'serviceaccounts', '-n', ns), /^default\s+0\s+/m);
    const first = (await client.resource(GVR.serviceaccounts).namespace(ns).get('default')).metadata.uid;
    await k('delete', 'serviceaccount', 'default', '-n', ns);
    const again = await waitFor(async () => {
      const sa = await exists(GVR.serviceaccounts, ns, 'default');
      return sa && sa.metadata.uid !== first ? sa : undefined;
    }, { ...WAIT, message: 'default ServiceAccount recreated' });
    assert.ok(again);
  });

  test('every namespace gets kube-root-ca.crt with the cluster CA, restored when deleted or edited', T, async () => {
    const ns = await createNamespace(server, 'ca');
    const ca = readKubeconfig(server.kubeconfigPath).ca!.toString('utf8');
    const cm = await waitFor(() => exists(GVR.configmaps, ns, 'kube-root-ca.crt'), { ...WAIT, message: 'kube-root-ca.crt' });
    assert.deepEqual(cm.data, { 'ca.crt': ca });
    assert.match(cm.metadata.annotations?.['kubernetes.io/description'] ?? '', /^Contains a CA bundle that can be used to verify the kube-apiserver/);

    await client.resource(GVR.configmaps).namespace(ns).patch('kube-root-ca.crt', { data: { 'ca.crt': 'tampered' } }, 'merge');
    await waitFor(async () => (await client.resource(GVR.configmaps).namespace(ns).get('kube-root-ca.crt')).data?.['ca.crt' as never] === ca, { ...WAIT, message: 'restored after an edit' });
    await k('delete', 'configmap', 'kube-root-ca.crt', '-n', ns);
    await waitFor(async () => (await exists(GVR.configmaps, ns, 'kube-root-ca.crt'))?.data?.['ca.crt' as never] === ca, { ...WAIT, message: 'recreated after a delete' });
    assert.ok(readFileSync(server.kubeconfigPath, 'utf8').includes('certificate-authority'), 'the CA is the kubeconfig\'s');
  });
});

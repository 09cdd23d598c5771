// KubeClient against the real server over HTTPS: every verb a controller uses, errors that carry the
// server's Status, watch streams, subresources and the client-side rate limit.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { KObject } from '../../src/apimachinery/types.ts';
import {
  ApiError, FakeClock, GVR, KubeClient, discoverResources, isAlreadyExists, isConflict, isInvalid, isNotFound, loadKubeconfig,
  type WatchEvent,
} from '../../src/client/index.ts';
import { createNamespace, type TestServer } from '../helpers/index.ts';
import { closeServerWithClient, startServerWithClient } from '../helpers/server-with-client.ts';

let server: TestServer;
let client: KubeClient;

before(async () => ({ server, client } = await startServerWithClient()));
after(() => closeServerWithClient({ server, client }));

const configMap = (name: string, data: Record<string, string> = {}, labels?: Record<string, string>): KObject =>
  ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, ...(labels ? { labels } : {}) }, data });

/** The ApiError fn rejects with. */
async function apiError(fn: () => Promise<unknown>): Promise<ApiError> {
  try {
    await fn();
  } catch (err) {
    assert.ok(err instanceof ApiError, `expected ApiError, got ${String(err)}`);
    return err;
  }
  assert.fail('expected the request to fail');
}

describe('KubeClient verbs', { timeout: 60_000 }, () => {
  test('create, get, update with resourceVersion precondition, conflict on a stale one', async () => {
    const ns = await createNamespace(server);
    const cms = client.resource(GVR.configmaps).namespace(ns);
    const created = await cms.create(configMap('a', { k: '1' }));
    assert.equal(created.metadata.namespace, ns);
    assert.ok(created.metadata.uid);
    const got = await cms.get('a');
    assert.deepEqual(got.data, { k: '1' });

    const updated = await cms.update({ ...got, data: { k: '2' } });
    assert.notEqual(updated.metadata.resourceVersion, got.metadata.resourceVersion);

    const err = await apiError(() => cms.update({ ...got, data: { k: 'stale' } }));
    assert.equal(isConflict(err), true);
    assert.equal(err.code, 409);
    assert.equal(err.status.reason, 'Conflict');
    assert.match(err.message, /the object has been modified; please apply your changes to the latest version and try again/);
    assert.equal(err.method, 'PUT');
  });

  test('errors carry the Status: NotFound, AlreadyExists, Invalid with causes', async () => {
    const ns = await createNamespace(server);
    const cms = client.resource(GVR.configmaps).namespace(ns);
    const nf = await apiError(() => cms.get('missing'));
    assert.equal(isNotFound(nf), true);
    assert.deepEqual({ code: nf.code, reason: nf.reason, message: nf.message, name: nf.status.details?.name },
      { code: 404, reason: 'NotFound', message: 'configmaps "missing" not found', name: 'missing' });

    await cms.create(configMap('dup'));
    const ae = await apiError(() => cms.create(configMap('dup')));
    assert.equal(isAlreadyExists(ae), true);
    assert.equal(ae.message, 'configmaps "dup" already exists');

    const inv = await apiError(() => cms.create(configMap('Not_Valid')));
    assert.equal(isInvalid(inv), true);
    assert.equal(inv.code, 422);
    assert.equal(inv.status.details?.causes?.[0]?.field, 'metadata.name');
  });

  test('list with label and field selectors, limit and continue; listAll follows every page', async () => {
    const ns = await createNamespace(server);
    const cms = client.resource(GVR.configmaps).namespace(ns);
    for (let i = 0; i < 5; i++) await cms.create(configMap(`cm-${i}`, {}, { app: i % 2 ? 'odd' : 'even' }));
    const even = await cms.list({ labelSelector: 'app=even' });
    assert.deepEqual(even.items.map((o) => o.metadata.name), ['cm-0', 'cm-2', 'cm-4']);
    const one = await cms.list({ fieldSelector: 'metadata.name=cm-3' });
    assert.deepEqual(one.items.map((o) => o.metadata.name), ['cm-3']);
    const page = await cms.list({ limit: 2, labelSelector: 'app' });
    assert.equal(page.items.length, 2);
    assert.ok(page.metadata.continue);
    const next = await cms.list({ limit: 2, labelSelector: 'app', continue: page.metadata.continue });
    assert.deepEqual(next.items.map((o) => o.metadata.name), ['cm-2', 'cm-3']);
    const all = await cms.listAll({ limit: 2, labelSelector: 'app' });
    assert.deepEqual(all.items.map((o) => o.metadata.name), ['cm-0', 'cm-1', 'cm-2', 'cm-3', 'cm-4']);
    assert.equal(all.metadata.resourceVersion, page.metadata.resourceVersion, 'one snapshot');
    const everywhere = await client.resource(GVR.configmaps).list({ labelSelector: 'app=odd' });
    assert.ok(everywhere.items.filter((o) => o.metadata.namespace === ns).length === 2, 'no namespace: all namespaces');
  });

  test('patch: merge, strategic and JSON patch', async () => {
    const ns = await createNamespace(server);
    const cms = client.resource(GVR.configmaps).namespace(ns);
    await cms.create(configMap('p', { a: '1' }));
    await cms.patch('p', { data: { b: '2' } }, 'merge');
    await cms.patch('p', { metadata: { labels: { x: 'y' } } }, 'strategic');
    const patched = await cms.patch('p', [{ op: 'replace', path: '/data/a', value: '9' }], 'json');
    assert.deepEqual(patched.data, { a: '9', b: '2' });
    assert.deepEqual(patched.metadata.labels, { x: 'y' });
    const bad = await apiError(() => cms.patch('p', [{ op: 'test', path: '/data/a', value: 'nope' }], 'json'));
    assert.ok(bad.code === 422 || bad.code === 409 || bad.code === 500, `json patch test failure answers with a Status (${bad.code})`);
  });

  test('delete: preconditions, propagationPolicy, gracePeriodSeconds', async () => {
    const ns = await createNamespace(server);
    const cms = client.resource(GVR.configmaps).namespace(ns);
    const cm = await cms.create(configMap('d'));
    const pre = await apiError(() => cms.delete('d', { preconditions: { uid: 'not-the-uid' } }));
    assert.equal(isConflict(pre), true);
    assert.match(pre.message, /Precondition failed: UID in precondition: not-the-uid, UID in object meta: /);
    await cms.delete('d', { preconditions: { uid: cm.metadata.uid, resourceVersion: cm.metadata.resourceVersion }, propagationPolicy: 'Background', gracePeriodSeconds: 0 });
    assert.equal(isNotFound(await apiError(() => cms.get('d'))), true);
  });

  test('subresources: status, scale and pods/binding', async () => {
    const ns = await createNamespace(server);
    const deployments = client.resource(GVR.deployments).namespace(ns);
    const d = await deployments.create({
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' },
      spec: { replicas: 1, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } },
    });
    const withStatus = await deployments.updateStatus({ ...d, status: { replicas: 1, observedGeneration: 1 } });
    assert.deepEqual((withStatus.status as { replicas?: number }).replicas, 1);
    const scale = await deployments.getSubresource<KObject & { spec: { replicas: number } }>('web', 'scale');
    assert.equal(scale.kind, 'Scale');
    assert.equal(scale.spec.replicas, 1);
    await deployments.updateSubresource('web', 'scale', { ...scale, spec: { replicas: 4 } });
    assert.equal(((await deployments.get('web')).spec as { replicas: number }).replicas, 4);

    const pods = client.resource(GVR.pods).namespace(ns);
    await pods.create({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'nginx' }] } });
    await pods.createSubresource('p', 'binding', { apiVersion: 'v1', kind: 'Binding', metadata: { name: 'p' }, target: { apiVersion: 'v1', kind: 'Node', name: 'node-1' } });
    assert.equal(((await pods.get('p')).spec as { nodeName?: string }).nodeName, 'node-1');
    const again = await apiError(() => pods.createSubresource('p', 'binding', { apiVersion: 'v1', kind: 'Binding', metadata: { name: 'p' }, target: { kind: 'Node', name: 'node-2' } }));
    assert.equal(again.code, 409, 'a bound pod cannot be bound again');
  });

  test('watch: events in order from a resourceVersion, stop() ends the iteration', async () => {
    const ns = await createNamespace(server);
    const cms = client.resource(GVR.configmaps).namespace(ns);
    const first = await cms.create(configMap('w', { v: '0' }));
    const stream = await cms.watch({ resourceVersion: first.metadata.resourceVersion });
    const seen: string[] = [];
    const reading = (async () => {
      for await (const ev of stream) {
        seen.push(`${ev.type} ${(ev as WatchEvent).object.metadata?.name}`);
        if (seen.length === 3) stream.stop();
      }
    })();
    await cms.patch('w', { data: { v: '1' } });
    await cms.create(configMap('x'));
    await cms.delete('w');
    await reading;
    assert.deepEqual(seen, ['MODIFIED w', 'ADDED x', 'DELETED w']);
    assert.equal(stream.isStopped, true);
  });

  test('watch: an aborted signal ends the stream; a bad request rejects with its Status', async () => {
    const ns = await createNamespace(server);
    const cms = client.resource(GVR.configmaps).namespace(ns);
    const abort = new AbortController();
    const stream = await cms.watch({ signal: abort.signal });
    const reading = (async () => { let n = 0; for await (const _ of stream) n++; return n; })();
    abort.abort();
    assert.equal(await reading, 0);
    const err = await apiError(() => cms.watch({ labelSelector: 'a b' }));
    assert.equal(err.code, 400);
    assert.equal(err.reason, 'BadRequest');
  });

  test('discovery registers served resources with scope, verbs and subresources', async () => {
    const fresh = KubeClient.fromKubeconfig(server.kubeconfigPath);
    try {
      const infos = await discoverResources(fresh);
      const pods = infos.find((i) => i.group === '' && i.resource === 'pods')!;
      assert.equal(pods.kind, 'Pod');
      assert.equal(pods.namespaced, true);
      assert.ok(pods.subresources!.includes('binding') && pods.subresources!.includes('status'), String(pods.subresources));
      assert.ok(pods.verbs!.includes('watch'));
      const hpa = fresh.resources.forKind('autoscaling', 'HorizontalPodAutoscaler');
      assert.equal(hpa?.version, 'v2', 'the preferred version answers forKind');
      assert.equal(infos.find((i) => i.resource === 'nodes')?.namespaced, false);
    } finally {
      fresh.close();
    }
  });

  test('client-side rate limit: requests beyond the burst wait for tokens', async () => {
    const clock = new FakeClock();
    const limited = new KubeClient({ ...loadKubeconfig(server.kubeconfigPath), qps: 1, burst: 2 }, { clock });
    try {
      const ns = limited.resource(GVR.namespaces);
      await ns.get('default');
      await ns.get('default');
      let third = false;
      const p = ns.get('default').then(() => { third = true; });
      await new Promise((r) => setTimeout(r, 100));
      assert.equal(third, false, 'the third request waits for a token');
      clock.step(1000);
      await p;
      assert.equal(third, true);
    } finally {
      limited.close();
    }
  });
});

// client-node's KubernetesObjectApi: the dynamic client that maps apiVersion/kind to a resource via
// discovery, as used by tools that apply arbitrary manifests.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { KubernetesObjectApi, PatchStrategy, type KubernetesObject } from '@kubernetes/client-node';
import { clientFor, createNamespace, expectApiError, startTestServer, type TestServer } from '../helpers/index.ts';

/** Per-test timeout: generous for a loaded CI machine, short enough to surface a hang. */
const T = { timeout: 90_000 };

let server: TestServer;
let client: KubernetesObjectApi;
before(async () => {
  server = await startTestServer();
  client = KubernetesObjectApi.makeApiClient(clientFor(server.kubeconfigPath));
});
after(async () => {
  await server?.close();
});

describe('KubernetesObjectApi', { concurrency: 3 }, () => {
  test('create, read, patch, replace, list and delete a ConfigMap by kind', T, async () => {
    const namespace = await createNamespace(server);
    const spec = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'dyn', namespace }, data: { a: '1' } };
    const created = await client.create(spec);
    assert.equal(created.metadata?.name, 'dyn');
    const read = await client.read<KubernetesObject & { data?: Record<string, string> }>({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'dyn', namespace } });
    assert.deepEqual(read.data, { a: '1' });

    const patched = await client.patch<KubernetesObject & { data?: Record<string, string> }>(
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'dyn', namespace }, data: { b: '2' } } as KubernetesObject,
      undefined, undefined, undefined, undefined, PatchStrategy.MergePatch,
    );
    assert.deepEqual(patched.data, { a: '1', b: '2' });

    const replaced = await client.replace({ ...patched, data: { c: '3' } } as KubernetesObject);
    assert.deepEqual((replaced as { data?: unknown }).data, { c: '3' });

    const list = await client.list('v1', 'ConfigMap', namespace);
    assert.ok(list.items.some((i) => i.metadata?.name === 'dyn'));

    await client.delete({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'dyn', namespace } });
    const gone = await expectApiError(() => client.read({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'dyn', namespace } }));
    assert.equal(gone.code, 404);
  });

  test('a Deployment in apps/v1 and a cluster-scoped Namespace', T, async () => {
    const namespace = await createNamespace(server);
    const dep = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'dyn-web', namespace },
      spec: { selector: { matchLabels: { app: 'w' } }, template: { metadata: { labels: { app: 'w' } }, spec: { containers: [{ name: 'w', image: 'nginx' }] } } },
    };
    const created = (await client.create(dep)) as typeof dep & { spec: { replicas?: number } };
    assert.equal(created.spec.replicas, 1, 'replicas defaults to 1');
    const list = await client.list('apps/v1', 'Deployment', namespace);
    assert.deepEqual(list.items.map((i) => i.metadata?.name), ['dyn-web']);

    const nsName = `${namespace}-extra`;
    await client.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: nsName } });
    const ns = await client.read({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: nsName } });
    assert.equal(ns.metadata?.name, nsName);
    assert.equal(ns.metadata?.namespace, undefined, 'cluster-scoped objects have no namespace');
  });

  test('an unknown kind fails with a clear error', T, async () => {
    await assert.rejects(
      () => client.read({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w', namespace: 'default' } }),
      (err: Error & { code?: number }) => err.code === 404 || /Widget|example\.com/.test(err.message),
    );
  });
});

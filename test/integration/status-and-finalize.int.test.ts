// Subresources that write the object itself with another strategy. /status: the spec stays as stored,
// and which metadata a status write may change is per kind, as upstream's status strategies decide.
// namespaces/finalize: only PUT, and it is the one way to change spec.finalizers.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { CoreV1Api } from '@kubernetes/client-node';
import { clientFor, createNamespace, createObject, expectApiError, startTestServer, type TestServer } from '../helpers/index.ts';

const T = { timeout: 90_000 };
const MERGE = 'application/merge-patch+json';

let server: TestServer;
before(async () => { server = await startTestServer(); });
after(async () => { await server?.close(); });

const selector = { matchLabels: { app: 'web' } };
const template = { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx' }] } };

/** Per kind: where it lives, a valid object, a status to write and the metadata its status strategy keeps. */
const KINDS: Array<{ kind: string; path: (ns: string) => string; body: Record<string, unknown>; status: Record<string, unknown>; kept: string[] }> = [
  { kind: 'Service', path: (ns) => `/api/v1/namespaces/${ns}/services`, kept: [],
    body: { apiVersion: 'v1', kind: 'Service', spec: { ports: [{ port: 80 }] } },
    status: { loadBalancer: { ingress: [{ ip: '203.0.113.9' }] } } },
  { kind: 'Ingress', path: (ns) => `/apis/networking.k8s.io/v1/namespaces/${ns}/ingresses`, kept: [],
    body: { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', spec: { defaultBackend: { service: { name: 'web', port: { number: 80 } } } } },
    status: { loadBalancer: { ingress: [{ ip: '203.0.113.9' }] } } },
  { kind: 'CronJob', path: (ns) => `/apis/batch/v1/namespaces/${ns}/cronjobs`, kept: [],
    body: { apiVersion: 'batch/v1', kind: 'CronJob', spec: { schedule: '*/5 * * * *', jobTemplate: { spec: { template: { spec: { ...template.spec, restartPolicy: 'Never' } } } } } },
    status: { lastScheduleTime: '2024-01-01T00:00:00Z' } },
  { kind: 'ReplicaSet', path: (ns) => `/apis/apps/v1/namespaces/${ns}/replicasets`, kept: [],
    body: { apiVersion: 'apps/v1', kind: 'ReplicaSet', spec: { replicas: 0, selector, template } },
    status: { replicas: 0, observedGeneration: 1 } },
  { kind: 'Deployment', path: (ns) => `/apis/apps/v1/namespaces/${ns}/deployments`, kept: ['labels'],
    body: { apiVersion: 'apps/v1', kind: 'Deployment', spec: { replicas: 0, selector, template } },
    status: { observedGeneration: 1 } },
];

describe('/status keeps the spec, and the metadata its kind keeps', { concurrency: 3 }, () => {
  for (const k of KINDS) {
    test(`${k.kind}: a merge patch of /status ${k.kept.length ? `saves annotations but not ${k.kept.join(', ')}` : 'saves labels and annotations too'}`, T, async () => {
      const ns = await createNamespace(server, 'status');
      const created = await createObject(server, k.path(ns), { ...k.body, metadata: { name: 'o', labels: { tier: 'one' } } });
      const r = await server.request('PATCH', `${k.path(ns)}/o/status`, {
        contentType: MERGE,
        body: { metadata: { labels: { tier: 'two' }, annotations: { patchedstatus: 'true' } }, spec: { bogus: true }, status: k.status },
      });
      assert.equal(r.status, 200, r.body);
      const got = (await server.request('GET', `${k.path(ns)}/o`)).json;
      assert.equal(got.metadata.annotations?.patchedstatus, 'true', 'annotation written through /status');
      assert.equal(got.metadata.labels.tier, k.kept.includes('labels') ? 'one' : 'two', 'label written through /status');
      assert.deepEqual(got.spec, created.spec, 'spec unchanged');
      assert.equal(got.metadata.generation, created.metadata.generation, 'generation unchanged');
      for (const [f, v] of Object.entries(k.status)) assert.deepEqual(got.status[f], v, `status.${f}`);
    });
  }

  test('Pod: annotations are saved, ownerReferences stay as stored (old kubelets corrupted them)', T, async () => {
    const ns = await createNamespace(server, 'status');
    const cm = await createObject(server, `/api/v1/namespaces/${ns}/configmaps`, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'owner' } });
    const owner = { apiVersion: 'v1', kind: 'ConfigMap', name: 'owner', uid: cm.metadata.uid };
    await createObject(server, `/api/v1/namespaces/${ns}/pods`, { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', ownerReferences: [owner] }, spec: template.spec });
    const r = await server.request('PATCH', `/api/v1/namespaces/${ns}/pods/p/status`, {
      contentType: MERGE, body: { metadata: { annotations: { a: 'b' }, ownerReferences: [] }, status: { message: 'hello' } },
    });
    assert.equal(r.status, 200, r.body);
    assert.equal(r.json.metadata.annotations.a, 'b');
    assert.deepEqual(r.json.metadata.ownerReferences, [owner]);
    assert.equal(r.json.status.message, 'hello');
  });

  test('VolumeAttachment: metadata is reset as ResetObjectMetaForStatus does', T, async () => {
    const path = '/apis/storage.k8s.io/v1/volumeattachments';
    await createObject(server, path, {
      apiVersion: 'storage.k8s.io/v1', kind: 'VolumeAttachment', metadata: { name: 'va-status', labels: { tier: 'one' } },
      spec: { attacher: 'csi.example.com', nodeName: 'node-1', source: { persistentVolumeName: 'pv-1' } },
    });
    const r = await server.request('PATCH', `${path}/va-status/status`, {
      contentType: MERGE, body: { metadata: { labels: { tier: 'two' }, annotations: { a: 'b' } }, status: { attached: true } },
    });
    assert.equal(r.status, 200, r.body);
    assert.deepEqual(r.json.metadata.labels, { tier: 'one' });
    assert.equal(r.json.metadata.annotations, undefined);
    assert.equal(r.json.status.attached, true);
  });
});

describe('namespaces/finalize', { concurrency: 3 }, () => {
  const fake = 'e2e.example.com/fakeFinalizer';

  test('PUT finalize adds and removes spec.finalizers (client-node replaceNamespaceFinalize)', T, async () => {
    const core = clientFor(server.kubeconfigPath).makeApiClient(CoreV1Api);
    const name = await createNamespace(server, 'fin');
    const ns = await core.readNamespace({ name });
    ns.spec = { finalizers: [...(ns.spec?.finalizers ?? []), fake] };
    const added = await core.replaceNamespaceFinalize({ name, body: ns });
    assert.deepEqual(added.spec?.finalizers, ['kubernetes', fake]);
    assert.equal(added.status?.phase, 'Active', 'status stays as stored');
    assert.deepEqual((await core.readNamespace({ name })).spec?.finalizers, ['kubernetes', fake]);

    const again = await core.readNamespace({ name });
    again.spec = { finalizers: ['kubernetes'] };
    const removed = await core.replaceNamespaceFinalize({ name, body: again });
    assert.deepEqual(removed.spec?.finalizers, ['kubernetes']);
  });

  test('only finalize changes spec.finalizers: a PUT of the namespace keeps them', T, async () => {
    const name = await createNamespace(server, 'fin');
    const ns = (await server.request('GET', `/api/v1/namespaces/${name}`)).json;
    const r = await server.request('PUT', `/api/v1/namespaces/${name}`, { body: { ...ns, spec: { finalizers: [fake] } } });
    assert.equal(r.status, 200, r.body);
    assert.deepEqual(r.json.spec.finalizers, ['kubernetes']);
  });

  test('finalize serves PUT only; a bad finalizer name is 422; a missing namespace is 404', T, async () => {
    const name = await createNamespace(server, 'fin');
    for (const method of ['GET', 'PATCH']) {
      const r = await server.request(method, `/api/v1/namespaces/${name}/finalize`, { contentType: MERGE, body: method === 'PATCH' ? {} : undefined });
      assert.equal(r.status, 405, `${method}: ${r.body}`);
    }
    const ns = (await server.request('GET', `/api/v1/namespaces/${name}`)).json;
    const bad = await server.request('PUT', `/api/v1/namespaces/${name}/finalize`, { body: { ...ns, spec: { finalizers: ['no-slash'] } } });
    assert.equal(bad.status, 422, bad.body);
    assert.match(bad.json.message, /spec\.finalizers\[0\]: Invalid value: "no-slash": name is neither a standard finalizer name nor is it fully qualified/);
    const core = clientFor(server.kubeconfigPath).makeApiClient(CoreV1Api);
    const { code, status } = await expectApiError(() => core.replaceNamespaceFinalize({ name: 'no-such-ns', body: { metadata: { name: 'no-such-ns' } } }));
    assert.equal(code, 404);
    assert.equal(status.message, 'namespaces "no-such-ns" not found');
  });

  test('discovery lists namespaces/finalize with the update verb only', T, async () => {
    const v1 = (await server.request('GET', '/api/v1')).json;
    const finalize = v1.resources.find((r: { name: string }) => r.name === 'namespaces/finalize');
    assert.deepEqual(finalize?.verbs, ['update']);
    assert.equal(finalize?.kind, 'Namespace');
  });
});

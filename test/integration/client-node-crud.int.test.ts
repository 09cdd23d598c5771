// @kubernetes/client-node's typed APIs against k8ts: what a TypeScript operator author sees for
// create/read/replace/patch/delete, subresources, errors and paging.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { AppsV1Api, CoreV1Api, PatchStrategy, setHeaderOptions, type V1ConfigMap, type V1Deployment } from '@kubernetes/client-node';
import { clientFor, createNamespace, expectApiError, startTestServer, type TestServer } from '../helpers/index.ts';

/** Per-test timeout: generous for a loaded CI machine, short enough to surface a hang. */
const T = { timeout: 90_000 };

let server: TestServer;
let core: CoreV1Api;
let apps: AppsV1Api;
before(async () => {
  server = await startTestServer();
  const kc = clientFor(server.kubeconfigPath);
  core = kc.makeApiClient(CoreV1Api);
  apps = kc.makeApiClient(AppsV1Api);
});
after(async () => {
  await server?.close();
});

function configMap(name: string, data: Record<string, string>, labels?: Record<string, string>): V1ConfigMap {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, labels }, data };
}

function deployment(name: string, replicas = 1): V1Deployment {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image: 'nginx:1.25' }] } },
    },
  };
}

describe('CoreV1Api', { concurrency: 4 }, () => {
  test('configmap create → read → replace → merge patch → json patch → delete', T, async () => {
    const namespace = await createNamespace(server);
    const created = await core.createNamespacedConfigMap({ namespace, body: configMap('cm', { a: '1' }) });
    assert.equal(created.metadata?.namespace, namespace);
    assert.match(created.metadata?.uid ?? '', /^[0-9a-f-]{36}$/);
    assert.ok(created.metadata?.creationTimestamp instanceof Date, 'creationTimestamp parses as a date');

    const read = await core.readNamespacedConfigMap({ name: 'cm', namespace });
    assert.equal(read.metadata?.resourceVersion, created.metadata?.resourceVersion);
    assert.deepEqual(read.data, { a: '1' });

    read.data = { a: '2' };
    const replaced = await core.replaceNamespacedConfigMap({ name: 'cm', namespace, body: read });
    assert.deepEqual(replaced.data, { a: '2' });
    assert.notEqual(replaced.metadata?.resourceVersion, read.metadata?.resourceVersion, 'an update gets a new resourceVersion');
    assert.equal(replaced.metadata?.uid, created.metadata?.uid);

    const merged = await core.patchNamespacedConfigMap(
      { name: 'cm', namespace, body: { data: { b: 'x' }, metadata: { labels: { patched: 'yes' } } } },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
    assert.deepEqual(merged.data, { a: '2', b: 'x' });
    assert.deepEqual(merged.metadata?.labels, { patched: 'yes' });

    const jsonPatched = await core.patchNamespacedConfigMap(
      { name: 'cm', namespace, body: [{ op: 'replace', path: '/data/a', value: '3' }] },
      setHeaderOptions('Content-Type', PatchStrategy.JsonPatch),
    );
    assert.deepEqual(jsonPatched.data, { a: '3', b: 'x' });

    await core.deleteNamespacedConfigMap({ name: 'cm', namespace });
    const gone = await expectApiError(() => core.readNamespacedConfigMap({ name: 'cm', namespace }));
    assert.equal(gone.code, 404);
    assert.equal(gone.status.kind, 'Status');
    assert.equal(gone.status.reason, 'NotFound');
    assert.equal(gone.status.message, 'configmaps "cm" not found');
    assert.deepEqual(gone.status.details, { name: 'cm', kind: 'configmaps' });
  });

  test('replace with a stale resourceVersion is a 409 Conflict', T, async () => {
    const namespace = await createNamespace(server);
    const v1 = await core.createNamespacedConfigMap({ namespace, body: configMap('c', { n: '1' }) });
    await core.replaceNamespacedConfigMap({ name: 'c', namespace, body: { ...v1, data: { n: '2' } } });
    const err = await expectApiError(() => core.replaceNamespacedConfigMap({ name: 'c', namespace, body: { ...v1, data: { n: '3' } } }));
    assert.equal(err.code, 409);
    assert.equal(err.status.reason, 'Conflict');
    assert.equal(err.status.message, 'Operation cannot be fulfilled on configmaps "c": the object has been modified; please apply your changes to the latest version and try again');
  });

  test('a uid in the body is a precondition: replace of a recreated object is 409, a patch changing it 422', T, async () => {
    const namespace = await createNamespace(server);
    const first = await core.createNamespacedConfigMap({ namespace, body: configMap('u', { n: '1' }) });
    await core.deleteNamespacedConfigMap({ name: 'u', namespace });
    const second = await core.createNamespacedConfigMap({ namespace, body: configMap('u', { n: '1' }) });
    const stale = { ...first, metadata: { ...first.metadata, resourceVersion: undefined }, data: { n: '2' } };
    const put = await expectApiError(() => core.replaceNamespacedConfigMap({ name: 'u', namespace, body: stale }));
    assert.equal(put.code, 409);
    assert.equal(put.status.message, `Operation cannot be fulfilled on configmaps "u": Precondition failed: UID in precondition: ${first.metadata?.uid}, UID in object meta: ${second.metadata?.uid}`);
    const patch = await expectApiError(() => core.patchNamespacedConfigMap({ name: 'u', namespace, body: { metadata: { uid: first.metadata?.uid } } }, setHeaderOptions('Content-Type', PatchStrategy.MergePatch)));
    assert.equal(patch.code, 422);
    assert.match(patch.status.message ?? '', /metadata\.uid: Invalid value: .*: field is immutable/);
    assert.deepEqual((await core.readNamespacedConfigMap({ name: 'u', namespace })).data, { n: '1' }, 'nothing changed');
  });

  test('create twice is 409 AlreadyExists; an invalid name is 422 with causes', T, async () => {
    const namespace = await createNamespace(server);
    await core.createNamespacedConfigMap({ namespace, body: configMap('dup', {}) });
    const dup = await expectApiError(() => core.createNamespacedConfigMap({ namespace, body: configMap('dup', {}) }));
    assert.equal(dup.code, 409);
    assert.equal(dup.status.reason, 'AlreadyExists');
    assert.equal(dup.status.message, 'configmaps "dup" already exists');

    const bad = await expectApiError(() => core.createNamespacedConfigMap({ namespace, body: configMap('Not_Valid', {}) }));
    assert.equal(bad.code, 422);
    assert.equal(bad.status.reason, 'Invalid');
    assert.equal(bad.status.details?.kind, 'ConfigMap');
    assert.equal(bad.status.details?.name, 'Not_Valid');
    assert.deepEqual(bad.status.details?.causes?.map((c) => [c.reason, c.field]), [['FieldValueInvalid', 'metadata.name']]);
    assert.match(bad.status.message ?? '', /^ConfigMap "Not_Valid" is invalid: metadata\.name: Invalid value: "Not_Valid": a lowercase RFC 1123 subdomain/);

    const badKey = await expectApiError(() => core.createNamespacedConfigMap({ namespace, body: configMap('badkey', { 'no spaces': 'x' }) }));
    assert.equal(badKey.code, 422);
    assert.deepEqual(badKey.status.details?.causes?.map((c) => c.field), ['data[no spaces]']);
  });

  test('namespace lifecycle: Active, then Terminating or gone after delete; objects in it are refused', T, async () => {
    const ns = await core.createNamespace({ body: { metadata: { generateName: 'gen-' } } });
    const name = ns.metadata?.name ?? '';
    assert.match(name, /^gen-[a-z0-9]{5}$/, 'generateName gets a 5-character suffix');
    assert.equal(ns.status?.phase, 'Active');
    assert.deepEqual(ns.spec?.finalizers, ['kubernetes']);
    await core.deleteNamespace({ name });
    const after = await core.readNamespace({ name }).then(
      (n) => n.status?.phase,
      () => 'gone',
    );
    assert.ok(after === 'Terminating' || after === 'gone', `phase after delete: ${after}`);
    if (after === 'Terminating') {
      const refused = await expectApiError(() => core.createNamespacedConfigMap({ namespace: name, body: configMap('late', {}) }));
      assert.equal(refused.code, 403);
      assert.equal(refused.status.reason, 'Forbidden');
      assert.match(refused.status.message ?? '', new RegExp(`unable to create new content in namespace ${name} because it is being terminated`));
    }
    const missing = await expectApiError(() => core.createNamespacedConfigMap({ namespace: 'no-such-ns-x1', body: configMap('x', {}) }));
    assert.equal(missing.code, 404);
    assert.equal(missing.status.message, 'namespaces "no-such-ns-x1" not found');
  });

  test('paging with limit and _continue returns a consistent snapshot', T, async () => {
    const namespace = await createNamespace(server);
    const names = ['s1', 's2', 's3', 's4', 's5'];
    for (const name of names) await core.createNamespacedSecret({ namespace, body: { metadata: { name }, stringData: { k: name } } });

    const first = await core.listNamespacedSecret({ namespace, limit: 2 });
    assert.deepEqual(first.items.map((s) => s.metadata?.name), ['s1', 's2']);
    assert.ok(first.metadata?._continue, 'first page has a continue token');
    assert.equal(first.metadata?.remainingItemCount, 3);
    // Created after the first page: not part of this paged list (served at the first page's revision).
    await core.createNamespacedSecret({ namespace, body: { metadata: { name: 's0-late' }, stringData: { k: 'late' } } });

    const seen = [...first.items];
    let token: string | undefined = first.metadata?._continue;
    let pages = 1;
    while (token) {
      const page = await core.listNamespacedSecret({ namespace, limit: 2, _continue: token });
      assert.equal(page.metadata?.resourceVersion, first.metadata?.resourceVersion, 'every page is at the first page\'s resourceVersion');
      seen.push(...page.items);
      token = page.metadata?._continue;
      pages++;
    }
    assert.equal(pages, 3);
    assert.deepEqual(seen.map((s) => s.metadata?.name), names);
    assert.equal(seen[0]?.type, 'Opaque');
    assert.equal(seen[0]?.data?.k, Buffer.from('s1').toString('base64'), 'stringData is moved into base64 data');
    assert.equal(seen[0]?.stringData, undefined);

    const bad = await expectApiError(() => core.listNamespacedSecret({ namespace, limit: 2, _continue: 'not-a-token' }));
    assert.equal(bad.code, 400);
    assert.equal(bad.status.reason, 'BadRequest');
  });

  test('label and field selectors on list', T, async () => {
    const namespace = await createNamespace(server);
    await core.createNamespacedConfigMap({ namespace, body: configMap('red', {}, { color: 'red', size: 'big' }) });
    await core.createNamespacedConfigMap({ namespace, body: configMap('blue', {}, { color: 'blue' }) });
    const byLabel = await core.listNamespacedConfigMap({ namespace, labelSelector: 'color in (red,green),size' });
    assert.deepEqual(byLabel.items.map((c) => c.metadata?.name), ['red']);
    const byField = await core.listNamespacedConfigMap({ namespace, fieldSelector: 'metadata.name=blue' });
    assert.deepEqual(byField.items.map((c) => c.metadata?.name), ['blue']);
    const all = await core.listConfigMapForAllNamespaces({ labelSelector: 'color=blue', fieldSelector: `metadata.namespace=${namespace}` });
    assert.deepEqual(all.items.map((c) => `${c.metadata?.namespace}/${c.metadata?.name}`), [`${namespace}/blue`]);
  });
});

describe('AppsV1Api', { concurrency: 4 }, () => {
  test('deployment create gets defaults; spec change bumps generation; status is ignored on the main resource', T, async () => {
    const namespace = await createNamespace(server);
    const d = await apps.createNamespacedDeployment({ namespace, body: deployment('web', 2) });
    assert.equal(d.metadata?.generation, 1);
    assert.equal(d.spec?.strategy?.type, 'RollingUpdate');
    assert.equal(d.spec?.template.spec?.containers[0]?.imagePullPolicy, 'IfNotPresent');

    const withStatus = { ...d, status: { replicas: 99 } };
    const updated = await apps.replaceNamespacedDeployment({ name: 'web', namespace, body: withStatus });
    assert.notEqual(updated.status?.replicas, 99, 'PUT on the main resource keeps the stored status');
    assert.equal(updated.metadata?.generation, 1, 'no spec change, no new generation');

    const patched = await apps.patchNamespacedDeployment(
      { name: 'web', namespace, body: { spec: { template: { spec: { containers: [{ name: 'c', image: 'nginx:1.26' }] } } } } },
      setHeaderOptions('Content-Type', PatchStrategy.StrategicMergePatch),
    );
    assert.equal(patched.metadata?.generation, 2);
    assert.equal(patched.spec?.template.spec?.containers.length, 1);
    assert.equal(patched.spec?.template.spec?.containers[0]?.image, 'nginx:1.26');
  });

  test('/scale reads and writes spec.replicas', T, async () => {
    const namespace = await createNamespace(server);
    await apps.createNamespacedDeployment({ namespace, body: deployment('sc', 1) });
    const scale = await apps.readNamespacedDeploymentScale({ name: 'sc', namespace });
    assert.equal(scale.kind, 'Scale');
    assert.equal(scale.apiVersion, 'autoscaling/v1');
    assert.equal(scale.spec?.replicas, 1);
    assert.equal(scale.status?.selector, 'app=sc');
    scale.spec = { replicas: 4 };
    const written = await apps.replaceNamespacedDeploymentScale({ name: 'sc', namespace, body: scale });
    assert.equal(written.spec?.replicas, 4);
    const d = await apps.readNamespacedDeployment({ name: 'sc', namespace });
    assert.equal(d.spec?.replicas, 4);
    const missing = await expectApiError(() => apps.readNamespacedDeploymentScale({ name: 'nope', namespace }));
    assert.equal(missing.code, 404);
    assert.equal(missing.status.message, 'deployments.apps "nope" not found');
  });

  test('/status writes status and keeps spec', T, async () => {
    const namespace = await createNamespace(server);
    const d = await apps.createNamespacedDeployment({ namespace, body: deployment('st', 1) });
    const body = { ...d, spec: { ...d.spec!, replicas: 7 }, status: { ...d.status, observedGeneration: 1, replicas: 0 } };
    const written = await apps.replaceNamespacedDeploymentStatus({ name: 'st', namespace, body });
    assert.equal(written.spec?.replicas, 1, 'spec changes through /status are dropped');
    assert.equal(written.status?.observedGeneration, 1);
  });

  test('a selector that does not match the template labels is 422', T, async () => {
    const namespace = await createNamespace(server);
    const bad = deployment('mismatch');
    bad.spec!.selector = { matchLabels: { app: 'other' } };
    const err = await expectApiError(() => apps.createNamespacedDeployment({ namespace, body: bad }));
    assert.equal(err.code, 422);
    assert.ok(
      err.status.details?.causes?.some((c) => c.field === 'spec.template.metadata.labels' && /`selector` does not match template `labels`/.test(c.message ?? '')),
      JSON.stringify(err.status),
    );
  });
});

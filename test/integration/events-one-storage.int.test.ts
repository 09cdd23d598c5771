// core/v1 and events.k8s.io/v1 Events are the same objects, as upstream: written through one API,
// read, listed, watched and printed through the other, with the fields converted.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createNamespace, kubectlOk, startTestServer, waitFor, type TestServer } from '../helpers/index.ts';
import { Watch } from '@kubernetes/client-node';
import { clientFor } from '../helpers/index.ts';

const T = { timeout: 90_000 };

let server: TestServer;
before(async () => { server = await startTestServer(); });
after(async () => { await server?.close(); });

const EVENT_TIME = '2024-05-01T10:00:00.123456Z';

function newStyleEvent(ns: string, name: string) {
  return {
    apiVersion: 'events.k8s.io/v1', kind: 'Event', metadata: { name },
    eventTime: EVENT_TIME,
    reportingController: 'example.com/scaler', reportingInstance: 'scaler-1',
    action: 'Scaling', reason: 'ScaledUp', type: 'Normal', note: 'scaled web to 3',
    regarding: { kind: 'Deployment', apiVersion: 'apps/v1', namespace: ns, name: 'web', uid: 'u-1' },
    related: { kind: 'ReplicaSet', apiVersion: 'apps/v1', namespace: ns, name: 'web-abc' },
  };
}

function oldStyleEvent(ns: string, name: string) {
  return {
    apiVersion: 'v1', kind: 'Event', metadata: { name },
    involvedObject: { kind: 'Pod', apiVersion: 'v1', namespace: ns, name: 'web-1', fieldPath: 'spec.containers{web}' },
    reason: 'Pulled', message: 'Container image "nginx" already present on machine', type: 'Normal',
    source: { component: 'kubelet', host: 'node-1' }, count: 4,
    firstTimestamp: '2024-05-01T09:00:00Z', lastTimestamp: '2024-05-01T09:30:00Z',
  };
}

describe('events: one storage, two APIs', { concurrency: 3 }, () => {
  test('created through events.k8s.io/v1, read and listed through core/v1 with converted fields', T, async () => {
    const ns = await createNamespace(server, 'ev');
    const created = await server.request('POST', `/apis/events.k8s.io/v1/namespaces/${ns}/events`, { body: newStyleEvent(ns, 'scaled') });
    assert.equal(created.status, 201, created.body);
    assert.equal(created.json.apiVersion, 'events.k8s.io/v1');
    assert.equal(created.json.note, 'scaled web to 3');

    const core = await server.request('GET', `/api/v1/namespaces/${ns}/events/scaled`);
    assert.equal(core.status, 200, core.body);
    const e = core.json;
    assert.equal(e.apiVersion, 'v1');
    assert.equal(e.kind, 'Event');
    assert.equal(e.metadata.uid, created.json.metadata.uid, 'the same object');
    assert.equal(e.metadata.resourceVersion, created.json.metadata.resourceVersion);
    assert.deepEqual(e.involvedObject, newStyleEvent(ns, 'x').regarding);
    assert.deepEqual(e.related, newStyleEvent(ns, 'x').related);
    assert.equal(e.message, 'scaled web to 3');
    assert.equal(e.reportingComponent, 'example.com/scaler');
    assert.equal(e.reportingInstance, 'scaler-1');
    assert.equal(e.action, 'Scaling');
    assert.equal(e.eventTime, EVENT_TIME);
    for (const f of ['regarding', 'note', 'reportingController', 'deprecatedSource']) assert.equal(e[f], undefined, `no ${f} in core/v1`);

    const list = await server.request('GET', `/api/v1/namespaces/${ns}/events`);
    assert.deepEqual(list.json.items.map((i: any) => i.metadata.name), ['scaled']);
    const selected = await server.request('GET', `/api/v1/namespaces/${ns}/events?fieldSelector=involvedObject.name%3Dweb,reportingComponent%3Dexample.com%2Fscaler`);
    assert.deepEqual(selected.json.items.map((i: any) => i.metadata.name), ['scaled']);
  });

  test('created through core/v1, read through events.k8s.io/v1 with the deprecated fields', T, async () => {
    const ns = await createNamespace(server, 'ev');
    const created = await server.request('POST', `/api/v1/namespaces/${ns}/events`, { body: oldStyleEvent(ns, 'pulled') });
    assert.equal(created.status, 201, created.body);

    const res = await server.request('GET', `/apis/events.k8s.io/v1/namespaces/${ns}/events/pulled`);
    assert.equal(res.status, 200, res.body);
    const e = res.json;
    assert.equal(e.apiVersion, 'events.k8s.io/v1');
    assert.equal(e.metadata.uid, created.json.metadata.uid);
    assert.deepEqual(e.regarding, oldStyleEvent(ns, 'x').involvedObject);
    assert.equal(e.note, 'Container image "nginx" already present on machine');
    assert.deepEqual(e.deprecatedSource, { component: 'kubelet', host: 'node-1' });
    assert.equal(e.deprecatedCount, 4);
    assert.equal(e.deprecatedFirstTimestamp, '2024-05-01T09:00:00Z');
    assert.equal(e.deprecatedLastTimestamp, '2024-05-01T09:30:00Z');
    assert.equal(e.reason, 'Pulled');
    for (const f of ['involvedObject', 'message', 'source', 'count', 'firstTimestamp']) assert.equal(e[f], undefined, `no ${f} in events.k8s.io/v1`);

    const selected = await server.request('GET', `/apis/events.k8s.io/v1/namespaces/${ns}/events?fieldSelector=regarding.name%3Dweb-1`);
    assert.deepEqual(selected.json.items.map((i: any) => i.metadata.name), ['pulled']);
    // Deleting through one API removes it from both.
    assert.equal((await server.request('DELETE', `/apis/events.k8s.io/v1/namespaces/${ns}/events/pulled`)).status, 200);
    assert.equal((await server.request('GET', `/api/v1/namespaces/${ns}/events/pulled`)).status, 404);
  });

  test('kubectl get events shows events written through either API', T, async () => {
    const ns = await createNamespace(server, 'ev');
    assert.equal((await server.request('POST', `/apis/events.k8s.io/v1/namespaces/${ns}/events`, { body: newStyleEvent(ns, 'scaled') })).status, 201);
    assert.equal((await server.request('POST', `/api/v1/namespaces/${ns}/events`, { body: oldStyleEvent(ns, 'pulled') })).status, 201);
    for (const resource of ['events', 'events.events.k8s.io']) {
      const out = await kubectlOk(['get', resource, '-n', ns, '--sort-by=.metadata.name'], { kubeconfig: server.kubeconfigPath });
      const lines = out.trimEnd().split('\n');
      assert.match(lines[0]!, /^LAST SEEN\s+TYPE\s+REASON\s+OBJECT\s+MESSAGE$/, resource);
      assert.match(lines[1]!, /^\S+\s+Normal\s+Pulled\s+pod\/web-1\s+Container image "nginx" already present on machine$/, `${resource}: ${out}`);
      assert.match(lines[2]!, /^\S+\s+Normal\s+ScaledUp\s+deployment\/web\s+scaled web to 3$/, `${resource}: ${out}`);
      assert.equal(lines.length, 3, out);
    }
    const wide = await kubectlOk(['get', 'events', '-n', ns, '-o', 'wide', '--field-selector=reason=ScaledUp'], { kubeconfig: server.kubeconfigPath });
    assert.match(wide, /example\.com\/scaler, scaler-1/, 'SOURCE falls back to the reporting controller and instance');
  });

  test('a watch through events.k8s.io/v1 sees an event created through core/v1, converted', T, async () => {
    const ns = await createNamespace(server, 'ev');
    const seen: any[] = [];
    const controller = await new Watch(clientFor(server.kubeconfigPath)).watch(`/apis/events.k8s.io/v1/namespaces/${ns}/events`, {},
      (type, obj) => seen.push({ type, obj }), () => {});
    try {
      assert.equal((await server.request('POST', `/api/v1/namespaces/${ns}/events`, { body: oldStyleEvent(ns, 'pulled') })).status, 201);
      await waitFor(() => seen.length >= 1, { message: 'the ADDED event' });
      assert.equal(seen[0].type, 'ADDED');
      assert.equal(seen[0].obj.apiVersion, 'events.k8s.io/v1');
      assert.equal(seen[0].obj.note, 'Container image "nginx" already present on machine');
      assert.equal(seen[0].obj.regarding.name, 'web-1');
    } finally {
      controller.abort();
    }
  });

  test('events.k8s.io/v1 validates strictly, core/v1 only as legacy clients need; errors name the core fields', T, async () => {
    const ns = await createNamespace(server, 'ev');
    // An old-style event without eventTime is fine through core/v1 ...
    assert.equal((await server.request('POST', `/api/v1/namespaces/${ns}/events`, { body: oldStyleEvent(ns, 'legacy') })).status, 201);
    // ... but through events.k8s.io/v1 it needs the new fields and must not set the deprecated ones.
    const { eventTime: _t, reportingController: _c, ...partial } = newStyleEvent(ns, 'strict');
    const bad = await server.request('POST', `/apis/events.k8s.io/v1/namespaces/${ns}/events`, { body: { ...partial, deprecatedCount: 2 } });
    assert.equal(bad.status, 422, bad.body);
    assert.deepEqual(bad.json.details.causes.map((c: any) => `${c.field}: ${c.message}`), [
      'eventTime: Required value',
      'count: Invalid value: "": needs to be unset',
    ]);
    assert.equal(bad.json.details.group, 'events.k8s.io');
    // A new-style event through core/v1 names the reporting controller as core/v1 calls it.
    const core = await server.request('POST', `/api/v1/namespaces/${ns}/events`, {
      body: { apiVersion: 'v1', kind: 'Event', metadata: { name: 'half' }, eventTime: EVENT_TIME, involvedObject: { kind: 'Pod', namespace: ns, name: 'p' }, reportingInstance: 'i', action: 'A', reason: 'R' },
    });
    assert.equal(core.status, 422, core.body);
    assert.deepEqual(core.json.details.causes.map((c: any) => c.field), ['reportingComponent', 'reportingComponent', 'reportingComponent']);
    // Updates through events.k8s.io/v1 may not change what happened.
    assert.equal((await server.request('POST', `/apis/events.k8s.io/v1/namespaces/${ns}/events`, { body: newStyleEvent(ns, 'fixed') })).status, 201);
    const patched = await server.request('PATCH', `/apis/events.k8s.io/v1/namespaces/${ns}/events/fixed`, { body: { note: 'rewritten' }, contentType: 'application/merge-patch+json' });
    assert.equal(patched.status, 422, patched.body);
    assert.equal(patched.json.message, 'Event.events.k8s.io "fixed" is invalid: message: Invalid value: "rewritten": field is immutable');
    // The same change through core/v1 is allowed (legacy rules only).
    const viaCore = await server.request('PATCH', `/api/v1/namespaces/${ns}/events/fixed`, { body: { message: 'rewritten' }, contentType: 'application/merge-patch+json' });
    assert.equal(viaCore.status, 200, viaCore.body);
    assert.equal((await server.request('GET', `/apis/events.k8s.io/v1/namespaces/${ns}/events/fixed`)).json.note, 'rewritten');
  });

  test('discovery gives both versions the storage version hash of the core Event', T, async () => {
    const core = (await server.request('GET', '/api/v1')).json.resources.find((r: any) => r.name === 'events');
    const events = (await server.request('GET', '/apis/events.k8s.io/v1')).json.resources.find((r: any) => r.name === 'events');
    assert.equal(core.storageVersionHash, 'r2yiGXH7wu8=');
    assert.equal(events.storageVersionHash, 'r2yiGXH7wu8=');
  });
});

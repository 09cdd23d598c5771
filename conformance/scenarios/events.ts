// Event API behaviour in both groups (core/v1 and events.k8s.io/v1): create, list across namespaces,
// field selectors, patch, update of the series, delete and delete-collection.
import { CoreV1Api, EventsV1Api, PatchStrategy, setHeaderOptions, type CoreV1Event, type EventsV1Event } from '@kubernetes/client-node';
import { assert } from '../framework/expect.ts';
import { scenario } from '../framework/scenario.ts';
import { poll } from '../framework/poll.ts';
import { canonicalJSON } from './helpers.ts';

const strategic = setHeaderOptions('Content-Type', PatchStrategy.StrategicMergePatch);

/** newTestEvent: an events.k8s.io/v1 Event reported by "test-controller". */
function newTestEvent(namespace: string, name: string, label: string): EventsV1Event {
  return {
    metadata: { name, labels: { [label]: 'true' } },
    regarding: { namespace },
    eventTime: new Date(1505828956 * 1000),
    note: `This is ${name}`,
    action: 'Do',
    reason: 'Test',
    type: 'Normal',
    reportingController: 'test-controller',
    reportingInstance: 'test-node',
  };
}

/** Semantic equality of what the scenario compares: everything but resourceVersion and managedFields. */
function comparable(e: any): string {
  const { resourceVersion: _rv, managedFields: _mf, ...meta } = e.metadata ?? {};
  return canonicalJSON({ ...e, metadata: meta });
}

export const eventScenarios = [
  scenario(
    {
      codename: '[sig-instrumentation] Events API should ensure that an event can be fetched, patched, deleted, and listed [Conformance]',
      testname: 'New Event resource lifecycle, testing a single event',
      release: 'v1.19',
      file: 'test/e2e/instrumentation/events.go',
    },
    async (ctx) => {
      const events = ctx.api(EventsV1Api);
      const core = ctx.api(CoreV1Api);
      const namespace = ctx.namespace;
      const name = 'event-test';
      await events.createNamespacedEvent({ namespace, body: newTestEvent(namespace, name, 'testevent-constant') });

      const existsIn = (items: EventsV1Event[]) => items.some((e) => e.metadata?.name === name && e.metadata?.namespace === namespace);
      assert.ok(existsIn((await events.listEventForAllNamespaces({ labelSelector: 'testevent-constant=true' })).items), 'the event is listed across all namespaces');
      assert.ok(existsIn((await events.listNamespacedEvent({ namespace, labelSelector: 'testevent-constant=true' })).items), 'the event is listed in its namespace');

      const bySource = await core.listNamespacedEvent({ namespace, fieldSelector: 'source=test-controller' });
      assert.deepEqual(bySource.items.map((e) => e.metadata?.name), [name], 'core/v1 list with fieldSelector source=test-controller');
      const byController = await events.listNamespacedEvent({ namespace, fieldSelector: 'reportingController=test-controller' });
      assert.deepEqual(byController.items.map((e) => e.metadata?.name), [name], 'events.k8s.io/v1 list with fieldSelector reportingController=test-controller');

      const testEvent = await events.readNamespacedEvent({ name, namespace });
      const series = { count: 2, lastObservedTime: new Date(1505828951 * 1000) };
      // The two-way strategic merge patch between the event and the event with a series.
      await events.patchNamespacedEvent({ name, namespace, body: { series } }, strategic);
      let event = await events.readNamespacedEvent({ name, namespace });
      assert.equal(comparable(event), comparable({ ...testEvent, series }), "test event wasn't properly patched");

      const updatedSeries = { count: 100, lastObservedTime: new Date(1505828956 * 1000) };
      // As upstream: testEvent's resourceVersion (and managedFields) were cleared for the comparison
      // above, so the update is unconditional; its resourceVersion predates the patch.
      const unconditional = { ...testEvent, metadata: { ...testEvent.metadata, resourceVersion: undefined, managedFields: undefined } };
      await events.replaceNamespacedEvent({ name, namespace, body: { ...unconditional, series: updatedSeries } });
      event = await events.readNamespacedEvent({ name, namespace });
      assert.equal(comparable(event), comparable({ ...testEvent, series: updatedSeries }), "test event wasn't properly updated");

      await events.deleteNamespacedEvent({ name, namespace });
      assert.ok(!existsIn((await events.listEventForAllNamespaces({ labelSelector: 'testevent-constant=true' })).items), 'deleted event still listed across all namespaces');
      assert.ok(!existsIn((await events.listNamespacedEvent({ namespace, labelSelector: 'testevent-constant=true' })).items), 'deleted event still listed in its namespace');
    },
  ),

  scenario(
    {
      codename: '[sig-instrumentation] Events API should delete a collection of events [Conformance]',
      testname: 'New Event resource lifecycle, testing a list of events',
      release: 'v1.19',
      file: 'test/e2e/instrumentation/events.go',
    },
    async (ctx) => {
      const events = ctx.api(EventsV1Api);
      const namespace = ctx.namespace;
      const names = ['test-event-1', 'test-event-2', 'test-event-3'];
      for (const name of names) await events.createNamespacedEvent({ namespace, body: newTestEvent(namespace, name, 'testevent-set') });
      const list = await events.listNamespacedEvent({ namespace, labelSelector: 'testevent-set=true' });
      assert.equal(list.items.length, names.length, 'events listed by label');
      await events.deleteCollectionNamespacedEvent({ namespace, labelSelector: 'testevent-set=true' });
      const after = await events.listNamespacedEvent({ namespace, labelSelector: 'testevent-set=true' });
      assert.equal(after.items.length, 0, 'events left after delete-collection');
    },
  ),

  scenario(
    {
      codename: '[sig-instrumentation] Events should manage the lifecycle of an event [Conformance]',
      testname: 'Event, manage lifecycle of an Event',
      release: 'v1.25',
      file: 'test/e2e/instrumentation/core_events.go',
    },
    async (ctx) => {
      const core = ctx.api(CoreV1Api);
      const namespace = ctx.namespace;
      const name = 'event-test';
      await core.createNamespacedEvent({
        namespace,
        body: { metadata: { name, labels: { 'testevent-constant': 'true' } }, message: 'This is a test event', reason: 'Test', type: 'Normal', count: 1, involvedObject: { namespace } },
      });
      const existsIn = (items: CoreV1Event[]) => items.some((e) => e.metadata?.name === name && e.metadata?.namespace === namespace);
      assert.ok(existsIn((await core.listEventForAllNamespaces({ labelSelector: 'testevent-constant=true' })).items), `unable to find test event ${name} in namespace ${namespace}`);

      const message = 'This is a test event - patched';
      await core.patchNamespacedEvent({ name, namespace, body: { message } }, strategic);
      let event = await core.readNamespacedEvent({ name, namespace });
      assert.equal(event.message, message, 'test event message does not match patch message');

      const testEvent = await core.readNamespacedEvent({ name, namespace });
      testEvent.series = { count: 100, lastObservedTime: new Date(1505828956 * 1000) };
      // As upstream: the update carries no resourceVersion (unconditional) and no managedFields.
      delete testEvent.metadata!.resourceVersion;
      delete testEvent.metadata!.managedFields;
      await core.replaceNamespacedEvent({ name, namespace, body: testEvent });
      event = await core.readNamespacedEvent({ name, namespace });
      assert.equal(comparable(event), comparable(testEvent), "test event wasn't properly updated");

      await core.deleteNamespacedEvent({ name, namespace });
      assert.ok(!existsIn((await core.listEventForAllNamespaces({ labelSelector: 'testevent-constant=true' })).items), `Should not have found test event ${name} in namespace ${namespace}`);
    },
  ),

  scenario(
    {
      codename: '[sig-instrumentation] Events should delete a collection of events [Conformance]',
      testname: 'Event, delete a collection',
      release: 'v1.20',
      file: 'test/e2e/instrumentation/core_events.go',
    },
    async (ctx) => {
      const core = ctx.api(CoreV1Api);
      const namespace = ctx.namespace;
      const names = ['test-event-1', 'test-event-2', 'test-event-3'];
      for (const name of names) {
        await core.createNamespacedEvent({
          namespace,
          body: { metadata: { name, labels: { 'testevent-set': 'true' } }, message: `This is ${name}`, reason: 'Test', type: 'Normal', count: 1, involvedObject: { namespace } },
        });
      }
      const list = await core.listNamespacedEvent({ namespace, labelSelector: 'testevent-set=true' });
      assert.equal(list.items.length, names.length, 'looking for expected number of events');
      await core.deleteCollectionNamespacedEvent({ namespace, labelSelector: 'testevent-set=true' });
      await poll(async () => (await core.listNamespacedEvent({ namespace, labelSelector: 'testevent-set=true' })).items.length === 0, { timeoutMs: 60_000, what: 'events deleted by collection' });
    },
  ),
];

// events.k8s.io/v1 ↔ core/v1 Event conversion and the shared validation with its request version.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { fieldErrorMessage } from '../../src/apimachinery/errors.ts';
import type { KObject } from '../../src/apimachinery/types.ts';
import { validateEventCreate, validateEventUpdate } from '../../src/registry/core/event-validation.ts';
import { coreToEventsV1, eventsV1ToCore } from '../../src/registry/groups/events/event-conversion.ts';

const v1Event: KObject = {
  apiVersion: 'events.k8s.io/v1', kind: 'Event', metadata: { name: 'e', namespace: 'ns' },
  eventTime: '2024-05-01T10:00:00.000000Z', series: { count: 2, lastObservedTime: '2024-05-01T10:05:00.000000Z' },
  reportingController: 'kubelet', reportingInstance: 'node-1', action: 'Pulling', reason: 'Pulled',
  regarding: { kind: 'Pod', namespace: 'ns', name: 'p' }, related: { kind: 'Node', name: 'node-1' },
  note: 'pulled', type: 'Normal', deprecatedSource: { component: 'kubelet' },
  deprecatedFirstTimestamp: '2024-05-01T09:00:00Z', deprecatedLastTimestamp: '2024-05-01T09:30:00Z', deprecatedCount: 3,
};

describe('Event conversion', () => {
  test('every events.k8s.io/v1 field has its core/v1 name, and back', () => {
    const core = eventsV1ToCore(v1Event);
    assert.deepEqual(core, {
      apiVersion: 'v1', kind: 'Event', metadata: { name: 'e', namespace: 'ns' },
      eventTime: '2024-05-01T10:00:00.000000Z', series: { count: 2, lastObservedTime: '2024-05-01T10:05:00.000000Z' },
      reportingComponent: 'kubelet', reportingInstance: 'node-1', action: 'Pulling', reason: 'Pulled',
      involvedObject: { kind: 'Pod', namespace: 'ns', name: 'p' }, related: { kind: 'Node', name: 'node-1' },
      message: 'pulled', type: 'Normal', source: { component: 'kubelet' },
      firstTimestamp: '2024-05-01T09:00:00Z', lastTimestamp: '2024-05-01T09:30:00Z', count: 3,
    });
    assert.deepEqual(coreToEventsV1(core), v1Event);
  });
});

describe('Event validation by request version', () => {
  const strictOk = eventsV1ToCore({ ...v1Event, deprecatedSource: undefined, deprecatedFirstTimestamp: undefined, deprecatedLastTimestamp: undefined, deprecatedCount: undefined });
  const cases: { name: string; event: KObject; version: 'v1' | 'events.k8s.io/v1'; errors: string[] }[] = [
    { name: 'a complete new-style event', event: strictOk, version: 'events.k8s.io/v1', errors: [] },
    {
      name: 'deprecated fields are refused through events.k8s.io/v1', event: eventsV1ToCore(v1Event), version: 'events.k8s.io/v1',
      errors: ['firstTimestamp: Invalid value: "": needs to be unset', 'lastTimestamp: Invalid value: "": needs to be unset', 'count: Invalid value: "": needs to be unset', 'source: Invalid value: "": needs to be unset'],
    },
    { name: '... and allowed through core/v1', event: eventsV1ToCore(v1Event), version: 'v1', errors: [] },
    {
      name: 'an old-style event needs no eventTime through core/v1', version: 'v1', errors: [],
      event: { apiVersion: 'v1', kind: 'Event', metadata: { name: 'e', namespace: 'ns' }, involvedObject: { namespace: 'ns' }, reason: 'X' },
    },
    {
      name: 'a bad type and series through events.k8s.io/v1', version: 'events.k8s.io/v1',
      event: { ...strictOk, type: 'Odd', series: { count: 1 } },
      errors: ['series.count: Invalid value: "": should be at least 2', 'series.lastObservedTime: Required value', 'type: Invalid value: "": has invalid value: Odd'],
    },
    {
      name: 'a long reportingInstance', version: 'v1', event: { ...strictOk, reportingInstance: 'x'.repeat(129) },
      errors: ['reportingInstance: Too long: may not be more than 128 bytes'],
    },
  ];
  for (const c of cases) {
    test(c.name, () => {
      assert.deepEqual(validateEventCreate(c.event, c.version).map(fieldErrorMessage), c.errors);
    });
  }

  test('through events.k8s.io/v1 what happened is immutable; through core/v1 it is not', () => {
    const changed = { ...strictOk, message: 'other', reason: 'Other' };
    assert.deepEqual(validateEventUpdate(changed, strictOk, 'events.k8s.io/v1').map(fieldErrorMessage), [
      'reason: Invalid value: "Other": field is immutable',
      'message: Invalid value: "other": field is immutable',
      'reason: Invalid value: "Other": field is immutable',
    ]);
    assert.deepEqual(validateEventUpdate(changed, strictOk, 'v1'), []);
  });
});

// events.k8s.io/v1 Event ↔ core/v1 Event (pkg/apis/events/v1/conversion.go): one object, two shapes.
// The core shape is the stored one; the events.k8s.io names map onto it field by field.
import type { KObject } from '../../../apimachinery/types.ts';

/** events.k8s.io/v1 field → core/v1 field. Fields with the same name in both are listed too. */
const FIELDS: [events: string, core: string][] = [
  ['eventTime', 'eventTime'],
  ['series', 'series'],
  ['reportingController', 'reportingComponent'],
  ['reportingInstance', 'reportingInstance'],
  ['action', 'action'],
  ['reason', 'reason'],
  ['regarding', 'involvedObject'],
  ['related', 'related'],
  ['note', 'message'],
  ['type', 'type'],
  ['deprecatedSource', 'source'],
  ['deprecatedFirstTimestamp', 'firstTimestamp'],
  ['deprecatedLastTimestamp', 'lastTimestamp'],
  ['deprecatedCount', 'count'],
];

function convert(obj: KObject, apiVersion: string, from: 0 | 1): KObject {
  const src = obj as Record<string, unknown>;
  const out: KObject = { apiVersion, kind: 'Event', metadata: obj.metadata };
  for (const pair of FIELDS) {
    const v = src[pair[from]];
    if (v !== undefined) (out as Record<string, unknown>)[pair[1 - from]!] = v;
  }
  return out;
}

export function eventsV1ToCore(obj: KObject): KObject {
  return convert(obj, 'v1', 0);
}

export function coreToEventsV1(obj: KObject): KObject {
  return convert(obj, 'events.k8s.io/v1', 1);
}

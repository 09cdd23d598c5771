// events (core/v1): what kubectl get events / describe show. Upstream pkg/registry/core/event.
// This is the one stored shape of Events: events.k8s.io/v1 serves the same objects converted
// (registry/groups/events), validated by the same rules with its request version.
import type { KObject } from '../../apimachinery/types.ts';
import type { ResourceDefinition, TableConvertor } from '../types.ts';
import { validateEventCreate, validateEventUpdate } from './event-validation.ts';
import { translateTimestampSince } from './human-duration.ts';
import { column, doc, nameColumn } from './table-helpers.ts';

type Obj = Record<string, any>;

function eventSource(ev: KObject): string {
  const src: Obj = (ev.source as Obj) ?? {};
  const component = src.component || (ev.reportingComponent as string) || '';
  const instance = src.host || (ev.reportingInstance as string) || '';
  return instance ? `${component}, ${instance}` : component;
}

function eventCells(ev: KObject, now: Date): unknown[] {
  const first = ev.firstTimestamp ? translateTimestampSince(ev.firstTimestamp, now) : translateTimestampSince(ev.eventTime, now);
  let last = ev.lastTimestamp ? translateTimestampSince(ev.lastTimestamp, now) : first;
  const series = ev.series as Obj | undefined;
  let count = typeof ev.count === 'number' ? ev.count : 0;
  if (series) {
    last = translateTimestampSince(series.lastObservedTime, now);
    count = series.count ?? 0;
  } else if (count === 0) {
    count = 1; // Singleton events of the new API have no count.
  }
  const involved: Obj = (ev.involvedObject as Obj) ?? {};
  const kind = String(involved.kind ?? '').toLowerCase();
  const target = involved.name ? `${kind}/${involved.name}` : kind;
  return [
    last, ev.type ?? '', ev.reason ?? '', target, involved.fieldPath ?? '', eventSource(ev),
    String(ev.message ?? '').trim(), first, count, ev.metadata.name,
  ];
}

/** printEvent, over the core/v1 shape. */
export const eventTable: TableConvertor = {
  columns: [
    column('Last Seen', doc('CoreV1Event', 'lastTimestamp')),
    column('Type', doc('CoreV1Event', 'type')),
    column('Reason', doc('CoreV1Event', 'reason')),
    column('Object', doc('CoreV1Event', 'involvedObject')),
    column('Subobject', doc('V1ObjectReference', 'fieldPath'), { priority: 1 }),
    column('Source', doc('CoreV1Event', 'source'), { priority: 1 }),
    column('Message', doc('CoreV1Event', 'message')),
    column('First Seen', doc('CoreV1Event', 'firstTimestamp'), { priority: 1 }),
    column('Count', doc('CoreV1Event', 'count'), { priority: 1 }),
    { ...nameColumn(), priority: 1 },
  ],
  cells: eventCells,
};

/** ToSelectableFields of the core Event (events.k8s.io converts its field labels to these). */
export function eventSelectableFields(ev: KObject): Record<string, string> {
  const involved: Obj = (ev.involvedObject as Obj) ?? {};
  const src: Obj = (ev.source as Obj) ?? {};
  return {
    'involvedObject.kind': involved.kind ?? '',
    'involvedObject.namespace': involved.namespace ?? '',
    'involvedObject.name': involved.name ?? '',
    'involvedObject.uid': involved.uid ?? '',
    'involvedObject.apiVersion': involved.apiVersion ?? '',
    'involvedObject.resourceVersion': involved.resourceVersion ?? '',
    'involvedObject.fieldPath': involved.fieldPath ?? '',
    reason: String(ev.reason ?? ''),
    reportingComponent: String(ev.reportingComponent ?? ''),
    source: src.component || String(ev.reportingComponent ?? ''),
    type: String(ev.type ?? ''),
  };
}

export const eventResource: ResourceDefinition = {
  group: '',
  version: 'v1',
  kind: 'Event',
  resource: 'events',
  singularName: 'event',
  namespaced: true,
  shortNames: ['ev'],
  strategy: {
    validate: (obj) => validateEventCreate(obj, 'v1'),
    validateUpdate: (obj, old) => validateEventUpdate(obj, old, 'v1'),
    allowCreateOnUpdate: true,
  },
  table: eventTable,
  selectableFields: eventSelectableFields,
  openapiModel: 'CoreV1Event',
};

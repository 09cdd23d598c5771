// events (core/v1): what kubectl get events / describe show. Upstream pkg/registry/core/event.
import type { FieldError } from '../../apimachinery/errors.ts';
import type { KObject } from '../../apimachinery/types.ts';
import { invalid, isQualifiedName, required } from '../../apimachinery/validation.ts';
import type { ResourceDefinition } from '../types.ts';
import { translateTimestampSince } from './human-duration.ts';
import { column, doc, nameColumn } from './table-helpers.ts';

type Obj = Record<string, any>;

/** legacyValidateEvent: the only validation core/v1 events get. */
function validateEvent(ev: KObject): FieldError[] {
  const errs: FieldError[] = [];
  const involved: Obj = (ev.involvedObject as Obj) ?? {};
  const ns = ev.metadata.namespace ?? '';
  const involvedNs = involved.namespace ?? '';
  const mismatch = () => errs.push(...invalid('involvedObject.namespace', involvedNs, ['does not match event.namespace']));
  if (!ev.eventTime) {
    // Old-style events: the namespaces agree (an empty involved namespace allows "default" for old clients).
    if (!involvedNs) {
      if (ns !== '' && ns !== 'default') mismatch();
    } else if (ns !== involvedNs) {
      mismatch();
    }
  } else {
    if (!involvedNs && ns !== 'default' && ns !== 'kube-system') mismatch();
    if (!ev.reportingComponent) errs.push(required('reportingComponent'));
    else errs.push(...invalid('reportingComponent', ev.reportingComponent, isQualifiedName(String(ev.reportingComponent))));
    if (!ev.reportingInstance) errs.push(required('reportingInstance'));
    else if (String(ev.reportingInstance).length > 128) errs.push({ type: 'FieldValueTooLong', field: 'reportingInstance', detail: 'must have at most 128 bytes' });
    if (!ev.action) errs.push(required('action'));
    if (!ev.reason) errs.push(required('reason'));
  }
  return errs;
}

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

export const eventResource: ResourceDefinition = {
  group: '',
  version: 'v1',
  kind: 'Event',
  resource: 'events',
  singularName: 'event',
  namespaced: true,
  shortNames: ['ev'],
  strategy: { validate: validateEvent, allowCreateOnUpdate: true },
  table: {
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
  },
  selectableFields(ev) {
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
  },
  openapiModel: 'CoreV1Event',
};

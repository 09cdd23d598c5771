// events.k8s.io/v1 Event. Upstream stores these in the same place as core/v1 events (one object,
// two shapes); here they are served from their own storage for now, with the core printer's columns.
import type { FieldError } from '../../../apimachinery/errors.ts';
import type { KObject } from '../../../apimachinery/types.ts';
import { isQualifiedName, invalid, required } from '../../../apimachinery/validation.ts';
import type { ResourceDefinition, TableConvertor } from '../../types.ts';
import { column, nameColumn, translateTimestampSince } from '../common/printers.ts';
import { swaggerDoc } from '../common/swagger-doc.ts';

type Obj = Record<string, any>;

function tooLong(field: string, max: number): FieldError {
  return { type: 'FieldValueTooLong', field, detail: `may not be more than ${max} bytes` };
}

/** ValidateEventCreate for events.k8s.io/v1 (field names are those of the stored core Event). */
export function validateEventV1(obj: KObject): FieldError[] {
  const e = obj as Obj;
  const errs: FieldError[] = [];
  const regarding = (e.regarding ?? {}) as Obj;
  const ns = obj.metadata.namespace ?? '';
  if (regarding.namespace && ns && regarding.namespace !== ns) {
    errs.push({ type: 'FieldValueInvalid', field: 'involvedObject.namespace', badValue: regarding.namespace, detail: 'does not match event.namespace' });
  }
  if (!e.reportingController) errs.push(required('reportingController'));
  else errs.push(...invalid('reportingController', e.reportingController, isQualifiedName(e.reportingController)));
  if (!e.reportingInstance) errs.push(required('reportingInstance'));
  else if (String(e.reportingInstance).length > 128) errs.push(tooLong('reportingInstance', 128));
  if (!e.action) errs.push(required('action'));
  else if (String(e.action).length > 128) errs.push(tooLong('action', 128));
  if (!e.reason) errs.push(required('reason'));
  else if (String(e.reason).length > 128) errs.push(tooLong('reason', 128));
  if (typeof e.note === 'string' && e.note.length > 1024) errs.push(tooLong('message', 1024));
  if (e.series) {
    if ((e.series.count ?? 0) < 2) errs.push({ type: 'FieldValueInvalid', field: 'series.count', badValue: '', detail: 'should be at least 2' });
    if (!e.series.lastObservedTime) errs.push(required('series.lastObservedTime'));
  }
  if (!e.eventTime) errs.push(required('eventTime'));
  if (e.type !== 'Normal' && e.type !== 'Warning') errs.push({ type: 'FieldValueInvalid', field: 'type', badValue: '', detail: `has invalid value: ${e.type ?? ''}` });
  if (e.deprecatedFirstTimestamp) errs.push({ type: 'FieldValueInvalid', field: 'firstTimestamp', badValue: '', detail: 'needs to be unset' });
  if (e.deprecatedLastTimestamp) errs.push({ type: 'FieldValueInvalid', field: 'lastTimestamp', badValue: '', detail: 'needs to be unset' });
  if (e.deprecatedCount) errs.push({ type: 'FieldValueInvalid', field: 'count', badValue: '', detail: 'needs to be unset' });
  if (e.deprecatedSource?.component || e.deprecatedSource?.host) errs.push({ type: 'FieldValueInvalid', field: 'source', badValue: '', detail: 'needs to be unset' });
  return errs;
}

// printEvent over the events.k8s.io/v1 field names.
export const eventTable: TableConvertor = {
  columns: [
    column('Last Seen', 'string', swaggerDoc('CoreV1Event', 'lastTimestamp')),
    column('Type', 'string', swaggerDoc('CoreV1Event', 'type')),
    column('Reason', 'string', swaggerDoc('CoreV1Event', 'reason')),
    column('Object', 'string', swaggerDoc('CoreV1Event', 'involvedObject')),
    column('Subobject', 'string', swaggerDoc('V1ObjectReference', 'fieldPath'), 1),
    column('Source', 'string', swaggerDoc('CoreV1Event', 'source'), 1),
    column('Message', 'string', swaggerDoc('CoreV1Event', 'message')),
    column('First Seen', 'string', swaggerDoc('CoreV1Event', 'firstTimestamp'), 1),
    column('Count', 'string', swaggerDoc('CoreV1Event', 'count'), 1),
    { ...nameColumn, priority: 1 },
  ],
  cells(obj, now) {
    const e = obj as Obj;
    let first = e.deprecatedFirstTimestamp ? translateTimestampSince(e.deprecatedFirstTimestamp, now) : translateTimestampSince(e.eventTime, now);
    let last = e.deprecatedLastTimestamp ? translateTimestampSince(e.deprecatedLastTimestamp, now) : first;
    let count = typeof e.deprecatedCount === 'number' ? e.deprecatedCount : 0;
    if (e.series) {
      last = translateTimestampSince(e.series.lastObservedTime, now);
      count = e.series.count ?? 0;
    } else if (count === 0) count = 1;
    const r = (e.regarding ?? {}) as Obj;
    const kind = String(r.kind ?? '').toLowerCase();
    const target = r.name ? `${kind}/${r.name}` : kind;
    const component = e.deprecatedSource?.component || e.reportingController || '';
    const host = e.deprecatedSource?.host || e.reportingInstance || '';
    const source = host ? `${component}, ${host}` : component;
    first ||= '<unknown>';
    return [last, e.type ?? '', e.reason ?? '', target, r.fieldPath ?? '', source, String(e.note ?? '').trim(), first, count, obj.metadata.name];
  },
};

export const eventsV1: ResourceDefinition = {
  group: 'events.k8s.io',
  version: 'v1',
  kind: 'Event',
  resource: 'events',
  singularName: 'event',
  namespaced: true,
  shortNames: ['ev'],
  strategy: {
    validate: validateEventV1,
    // ValidateEventUpdate: only the series, count and timestamps may change.
    validateUpdate(obj, old) {
      const errs: FieldError[] = [];
      // events.k8s.io name → the stored core Event's name, which upstream reports.
      const fields: [string, string][] = [
        ['regarding', 'involvedObject'], ['reason', 'reason'], ['note', 'message'], ['deprecatedSource', 'source'],
        ['deprecatedFirstTimestamp', 'firstTimestamp'], ['deprecatedLastTimestamp', 'lastTimestamp'], ['deprecatedCount', 'count'],
        ['type', 'type'], ['eventTime', 'eventTime'], ['action', 'action'], ['related', 'related'],
        ['reportingController', 'reportingController'], ['reportingInstance', 'reportingInstance'],
      ];
      for (const [f, name] of fields) {
        if (JSON.stringify((obj as Obj)[f]) !== JSON.stringify((old as Obj)[f])) {
          errs.push({ type: 'FieldValueInvalid', field: name, badValue: (obj as Obj)[f] ?? null, detail: 'field is immutable' });
        }
      }
      return errs;
    },
  },
  table: eventTable,
  // The field labels upstream converts for events.k8s.io (to the core Event's selectable fields).
  selectableFields(obj) {
    const e = obj as Obj;
    const r = (e.regarding ?? {}) as Obj;
    return {
      reason: e.reason ?? '',
      type: e.type ?? '',
      reportingController: e.reportingController ?? '',
      'regarding.kind': r.kind ?? '',
      'regarding.namespace': r.namespace ?? '',
      'regarding.name': r.name ?? '',
      'regarding.uid': r.uid ?? '',
      'regarding.apiVersion': r.apiVersion ?? '',
      'regarding.resourceVersion': r.resourceVersion ?? '',
      'regarding.fieldPath': r.fieldPath ?? '',
    };
  },
  openapiModel: 'EventsV1Event',
};

// ValidateEventCreate / ValidateEventUpdate (pkg/apis/core/validation/events.go). Both APIs validate
// the one stored shape, the core/v1 Event: requests through core/v1 get only the legacy checks (for old
// clients), requests through events.k8s.io/v1 the strict ones too. Field names are the core ones,
// except that the reporting controller is named as the requesting API names it.
import type { FieldError } from '../../apimachinery/errors.ts';
import type { KObject } from '../../apimachinery/types.ts';
import { immutable, invalid, isQualifiedName, required } from '../../apimachinery/validation.ts';

type Obj = Record<string, any>;

/** "v1" (core, legacy rules only) or "events.k8s.io/v1" (strict). */
export type EventRequestVersion = 'v1' | 'events.k8s.io/v1';

const REPORTING_INSTANCE_LIMIT = 128;
const ACTION_LIMIT = 128;
const REASON_LIMIT = 128;
const NOTE_LIMIT = 1024;

function tooLong(value: unknown, field: string, max: number): FieldError[] {
  return typeof value === 'string' && value.length > max ? [{ type: 'FieldValueTooLong', field, detail: `may not be more than ${max} bytes` }] : [];
}

function legacyValidateEvent(ev: KObject, version: EventRequestVersion): FieldError[] {
  const e = ev as Obj;
  const errs: FieldError[] = [];
  const involvedNs = e.involvedObject?.namespace ?? '';
  const ns = ev.metadata.namespace ?? '';
  const mismatch = () => errs.push(...invalid('involvedObject.namespace', involvedNs, ['does not match event.namespace']));
  const controllerField = version === 'v1' ? 'reportingComponent' : 'reportingController';
  if (!e.eventTime) {
    // Old-style events: the namespaces agree (an empty involved namespace allows "default" for old clients).
    if (!involvedNs) {
      if (ns !== '' && ns !== 'default') mismatch();
    } else if (ns !== involvedNs) {
      mismatch();
    }
    return errs;
  }
  if (!involvedNs && ns !== 'default' && ns !== 'kube-system') mismatch();
  const controller = String(e.reportingComponent ?? '');
  if (!controller) errs.push(required(controllerField));
  errs.push(...invalid(controllerField, controller, isQualifiedName(controller)));
  if (!e.reportingInstance) errs.push(required('reportingInstance'));
  errs.push(...tooLong(e.reportingInstance, 'reportingInstance', REPORTING_INSTANCE_LIMIT));
  if (!e.action) errs.push(required('action'));
  errs.push(...tooLong(e.action, 'action', ACTION_LIMIT));
  if (!e.reason) errs.push(required('reason'));
  errs.push(...tooLong(e.reason, 'reason', REASON_LIMIT));
  errs.push(...tooLong(e.message, 'message', NOTE_LIMIT));
  return errs;
}

function validateSeries(e: Obj): FieldError[] {
  if (!e.series) return [];
  const errs: FieldError[] = [];
  if ((e.series.count ?? 0) < 2) errs.push({ type: 'FieldValueInvalid', field: 'series.count', badValue: '', detail: 'should be at least 2' });
  if (!e.series.lastObservedTime) errs.push(required('series.lastObservedTime'));
  return errs;
}

const unset = (field: string): FieldError => ({ type: 'FieldValueInvalid', field, badValue: '', detail: 'needs to be unset' });

export function validateEventCreate(ev: KObject, version: EventRequestVersion): FieldError[] {
  const errs = legacyValidateEvent(ev, version);
  if (version === 'v1') return errs; // no more, for backwards compatibility
  const e = ev as Obj;
  errs.push(...validateSeries(e));
  if (!e.eventTime) errs.push(required('eventTime'));
  if (e.type !== 'Normal' && e.type !== 'Warning') errs.push({ type: 'FieldValueInvalid', field: 'type', badValue: '', detail: `has invalid value: ${e.type ?? ''}` });
  if (e.firstTimestamp) errs.push(unset('firstTimestamp'));
  if (e.lastTimestamp) errs.push(unset('lastTimestamp'));
  if (e.count) errs.push(unset('count'));
  if (e.source?.component || e.source?.host) errs.push(unset('source'));
  return errs;
}

export function validateEventUpdate(ev: KObject, old: KObject, version: EventRequestVersion): FieldError[] {
  const errs = legacyValidateEvent(ev, version);
  if (version === 'v1') return errs;
  const e = ev as Obj;
  const o = old as Obj;
  if (JSON.stringify(e.series) !== JSON.stringify(o.series)) errs.push(...validateSeries(e));
  // Upstream's list, "reason" twice included.
  const fields = ['involvedObject', 'reason', 'message', 'source', 'firstTimestamp', 'lastTimestamp', 'count', 'reason', 'type', 'eventTime', 'action', 'related'];
  for (const f of fields) errs.push(...immutable(e[f], o[f], f));
  errs.push(...immutable(e.reportingComponent, o.reportingComponent, 'reportingController'));
  errs.push(...immutable(e.reportingInstance, o.reportingInstance, 'reportingInstance'));
  return errs;
}

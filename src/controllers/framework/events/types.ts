// core/v1 Event and ObjectReference as the recorder writes them.
import type { KObject } from '../../../apimachinery/types.ts';

export interface ObjectReference {
  kind?: string;
  namespace?: string;
  name?: string;
  uid?: string;
  apiVersion?: string;
  resourceVersion?: string;
  fieldPath?: string;
}

export interface EventSource {
  component?: string;
  host?: string;
}

export type EventType = 'Normal' | 'Warning';

export interface CoreEvent extends KObject {
  involvedObject: ObjectReference;
  reason: string;
  message: string;
  source: EventSource;
  firstTimestamp: string;
  lastTimestamp: string;
  count: number;
  type: string;
  eventTime: null;
  reportingComponent: string;
  reportingInstance: string;
}

/** The reference an event points at (ref.GetReference): kind and apiVersion come from the object. */
export function getReference(obj: KObject | ObjectReference): ObjectReference {
  if (!('metadata' in obj)) return obj as ObjectReference;
  const o = obj as KObject;
  const ref: ObjectReference = {
    kind: o.kind, namespace: o.metadata.namespace, name: o.metadata.name, uid: o.metadata.uid,
    apiVersion: o.apiVersion, resourceVersion: o.metadata.resourceVersion,
  };
  for (const k of Object.keys(ref) as (keyof ObjectReference)[]) if (ref[k] === undefined || ref[k] === '') delete ref[k];
  return ref;
}

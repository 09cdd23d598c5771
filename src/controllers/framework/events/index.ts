export { EventBroadcaster, type EventRecorder, type EventBroadcasterOptions } from './event-recorder.ts';
export { EventCorrelator, getEventKey, type CorrelatorOptions, type CorrelateResult } from './event-correlator.ts';
export { getReference, type CoreEvent, type EventSource, type EventType, type ObjectReference } from './types.ts';

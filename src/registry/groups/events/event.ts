// events.k8s.io/v1 Event: the core/v1 Events, seen through their newer field names. As upstream,
// both APIs share one storage (the core shape); this view converts on the way in and out, and the
// strategy, printer and field selectors are the core ones applied to the converted object.
import type { KObject } from '../../../apimachinery/types.ts';
import { eventSelectableFields, eventTable } from '../../core/event.ts';
import { validateEventCreate, validateEventUpdate } from '../../core/event-validation.ts';
import type { ResourceDefinition } from '../../types.ts';
import { coreToEventsV1, eventsV1ToCore } from './event-conversion.ts';

export const eventsV1: ResourceDefinition = {
  group: 'events.k8s.io',
  version: 'v1',
  kind: 'Event',
  resource: 'events',
  singularName: 'event',
  namespaced: true,
  shortNames: ['ev'],
  strategy: {
    validate: (obj) => validateEventCreate(eventsV1ToCore(obj), 'events.k8s.io/v1'),
    validateUpdate: (obj, old) => validateEventUpdate(eventsV1ToCore(obj), eventsV1ToCore(old), 'events.k8s.io/v1'),
    allowCreateOnUpdate: true,
  },
  table: { columns: eventTable.columns, cells: (obj, now) => eventTable.cells(eventsV1ToCore(obj), now) },
  // The field labels upstream converts for events.k8s.io/v1, onto the core Event's.
  selectableFields(obj: KObject) {
    const core = eventSelectableFields(eventsV1ToCore(obj));
    const out: Record<string, string> = { reason: core.reason!, type: core.type!, reportingController: core.reportingComponent! };
    for (const f of ['kind', 'namespace', 'name', 'uid', 'apiVersion', 'resourceVersion', 'fieldPath']) out[`regarding.${f}`] = core[`involvedObject.${f}`]!;
    return out;
  },
  openapiModel: 'EventsV1Event',
  storageGroup: '',
  storageVersion: 'v1',
  convertToStorage: eventsV1ToCore,
  convertFromStorage: coreToEventsV1,
};

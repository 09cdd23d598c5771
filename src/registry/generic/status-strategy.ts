// The default /status strategy: the client may change only status (and labels/annotations are kept
// as stored), as upstream's per-resource status strategies do.
import type { ResourceStrategy } from '../types.ts';

export const statusStrategy: ResourceStrategy = {
  prepareForUpdate(obj, old) {
    for (const k of Object.keys(obj)) if (k !== 'status' && k !== 'metadata' && k !== 'apiVersion' && k !== 'kind') delete obj[k];
    for (const k of Object.keys(old)) if (k !== 'status' && k !== 'metadata' && k !== 'apiVersion' && k !== 'kind') obj[k] = old[k];
    obj.metadata.labels = old.metadata.labels;
    obj.metadata.annotations = old.metadata.annotations;
    obj.metadata.finalizers = old.metadata.finalizers;
    obj.metadata.ownerReferences = old.metadata.ownerReferences;
    for (const k of ['labels', 'annotations', 'finalizers', 'ownerReferences'] as const) if (obj.metadata[k] === undefined) delete obj.metadata[k];
  },
};

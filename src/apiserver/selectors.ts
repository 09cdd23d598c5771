// labelSelector/fieldSelector query parameters → one predicate over stored objects.
import { checkSupportedFields, parseFieldSelector } from '../apimachinery/fields.ts';
import { parseLabelSelector } from '../apimachinery/labels.ts';
import type { KObject } from '../apimachinery/types.ts';
import type { ResourceDefinition } from '../registry/types.ts';

export function fieldsOf(def: ResourceDefinition, obj: KObject): Record<string, string> {
  const base: Record<string, string> = { 'metadata.name': obj.metadata.name ?? '' };
  if (def.namespaced) base['metadata.namespace'] = obj.metadata.namespace ?? '';
  return def.selectableFields ? { ...base, ...def.selectableFields(obj) } : base;
}

export function buildPredicate(def: ResourceDefinition, labelSelector?: string, fieldSelector?: string): ((obj: KObject) => boolean) | undefined {
  const ls = labelSelector ? parseLabelSelector(labelSelector) : undefined;
  const fs = fieldSelector ? parseFieldSelector(fieldSelector) : undefined;
  if (fs) {
    // Reject fields the resource cannot be selected by, with upstream's message.
    let sample: Record<string, string>;
    try {
      sample = fieldsOf(def, { metadata: {}, spec: {}, status: {} } as KObject);
    } catch {
      sample = fieldsOf({ ...def, selectableFields: undefined }, { metadata: {} } as KObject);
    }
    const known = new Set(Object.keys(sample));
    // Upstream's default conversion accepts metadata.namespace for cluster-scoped kinds too.
    if (def.namespaced || !def.selectableFields) known.add('metadata.namespace');
    checkSupportedFields(fs, known, !!def.selectableFields);
  }
  if (!ls && !fs) return undefined;
  return (obj: KObject) => (!ls || ls.matches(obj.metadata.labels ?? {})) && (!fs || fs.matches(fieldsOf(def, obj)));
}

// Types client-node flattens that upstream's OpenAPI names: Time/MicroTime (client-node: Date),
// Quantity (client-node: string), IntOrString, RawExtension/FieldsV1 (client-node: any), plus the
// list-type markers we know from upstream's types.go. These keep `kubectl explain` types
// (<Quantity>, <IntOrString>, <Time>) and client-side validation identical to a real cluster.
import type { OpenAPIV2 } from 'openapi-types';
import { FIELDS_V1, INT_OR_STRING, MICRO_TIME, PATCH, QUANTITY, RAW_EXTENSION, TIME } from './known-types.ts';

/** "Model.field" of upstream resource.Quantity values (maps of them for ResourceList fields). */
export const QUANTITY_FIELDS = new Set([
  'V1ResourceRequirements.limits', 'V1ResourceRequirements.requests',
  'V1VolumeResourceRequirements.limits', 'V1VolumeResourceRequirements.requests',
  'V1NodeStatus.capacity', 'V1NodeStatus.allocatable',
  'V1ResourceQuotaSpec.hard', 'V1ResourceQuotaStatus.hard', 'V1ResourceQuotaStatus.used',
  'V1LimitRangeItem.max', 'V1LimitRangeItem.min', 'V1LimitRangeItem.default', 'V1LimitRangeItem.defaultRequest',
  'V1LimitRangeItem.maxLimitRequestRatio',
  'V1PersistentVolumeSpec.capacity', 'V1PersistentVolumeClaimStatus.capacity', 'V1PersistentVolumeClaimStatus.allocatedResources',
  'V1EmptyDirVolumeSource.sizeLimit', 'V1ResourceFieldSelector.divisor',
  'V1PodSpec.overhead', 'V1Overhead.podFixed', 'V1ContainerStatus.allocatedResources',
  'V1CSIStorageCapacity.capacity', 'V1CSIStorageCapacity.maximumVolumeSize',
  'V2MetricTarget.averageValue', 'V2MetricTarget.value', 'V2MetricValueStatus.averageValue', 'V2MetricValueStatus.value',
]);

/** Date fields that are metav1.MicroTime rather than metav1.Time. */
export const MICRO_TIME_FIELDS = new Set([
  'CoreV1Event.eventTime', 'CoreV1EventSeries.lastObservedTime', 'EventsV1Event.eventTime',
  'EventsV1EventSeries.lastObservedTime', 'V1LeaseSpec.acquireTime', 'V1LeaseSpec.renewTime',
]);

/** "any" fields and the definition upstream references for them. */
export const ANY_FIELD_REFS: Record<string, string> = {
  'V1ManagedFieldsEntry.fieldsV1': FIELDS_V1,
  'V1WatchEvent.object': RAW_EXTENSION,
  'V1ControllerRevision.data': RAW_EXTENSION,
};

export interface ListTypeInfo {
  type: 'atomic' | 'set' | 'map';
  mapKeys?: string[];
}

/** +listType markers of upstream types.go that we are sure of. */
export const LIST_TYPES: Record<string, ListTypeInfo> = {
  'V1Container.ports': { type: 'map', mapKeys: ['containerPort', 'protocol'] },
  'V1EphemeralContainer.ports': { type: 'map', mapKeys: ['containerPort', 'protocol'] },
  'V1ServiceSpec.ports': { type: 'map', mapKeys: ['port', 'protocol'] },
  'V1ObjectMeta.finalizers': { type: 'set' },
  'V1ObjectMeta.ownerReferences': { type: 'map', mapKeys: ['uid'] },
  'V1PodSpec.topologySpreadConstraints': { type: 'map', mapKeys: ['topologyKey', 'whenUnsatisfiable'] },
  'V1NodeSpec.podCIDRs': { type: 'set' },
};

/** Swagger 2.0 definitions of the apimachinery value types, as kube-apiserver publishes them. */
export const SPECIAL_DEFINITIONS_V2: Record<string, OpenAPIV2.SchemaObject> = {
  [TIME]: {
    description: 'Time is a wrapper around time.Time which supports correct marshaling to YAML and JSON.  Wrappers are provided for many of the factory methods that the time package offers.',
    type: 'string',
    format: 'date-time',
  },
  [MICRO_TIME]: {
    description: 'MicroTime is version of Time with microsecond level precision.',
    type: 'string',
    format: 'date-time',
  },
  [QUANTITY]: {
    description: "Quantity is a fixed-point representation of a number. It provides convenient marshaling/unmarshaling in JSON and YAML, in addition to String() and AsInt64() accessors.\n\nThe serialization format is:\n\n``` <quantity>        ::= <signedNumber><suffix>\n\n\t(Note that <suffix> may be empty, from the \"\" case in <decimalSI>.)\n\n<digit>           ::= 0 | 1 | ... | 9 <digits>          ::= <digit> | <digit><digits> <number>          ::= <digits> | <digits>.<digits> | <digits>. | .<digits> <sign>            ::= \"+\" | \"-\" <signedNumber>    ::= <number> | <sign><number> <suffix>          ::= <binarySI> | <decimalExponent> | <decimalSI> <binarySI>        ::= Ki | Mi | Gi | Ti | Pi | Ei\n\n\t(International System of units; See: http://physics.nist.gov/cuu/Units/binary.html)\n\n<decimalSI>       ::= m | \"\" | k | M | G | T | P | E\n\n\t(Note that 1024 = 1Ki but 1000 = 1k; I didn't choose the capitalization.)\n\n<decimalExponent> ::= \"e\" <signedNumber> | \"E\" <signedNumber> ```\n\nNo matter which of the three exponent forms is used, no quantity may represent a number greater than 2^63-1 in magnitude, nor may it have more than 3 decimal places. Numbers larger or more precise will be capped or rounded up. (E.g.: 0.1m will rounded up to 1m.) This may be extended in the future if we require larger or smaller quantities.\n\nWhen a Quantity is parsed from a string, it will remember the type of suffix it had, and will use the same type again when it is serialized.\n\nBefore serializing, Quantity will be put in \"canonical form\". This means that Exponent/suffix will be adjusted up or down (with a corresponding increase or decrease in Mantissa) such that:\n\n- No precision is lost - No fractional digits will be emitted - The exponent (or suffix) is as large as possible.\n\nThe sign will be omitted unless the number is negative.\n\nExamples:\n\n- 1.5 will be serialized as \"1500m\" - 1.5Gi will be serialized as \"1536Mi\"\n\nNote that the quantity will NEVER be internally represented by a floating point number. That is the whole point of this exercise.\n\nNon-canonical values will still parse as long as they are well formed, but will be re-emitted in their canonical form. (So always use canonical form, or don't use 0.1m.)\n\nThis format is intended to make it difficult to use these numbers without writing some sort of special handling code in the hopes that that will cause implementors to also use a fixed point implementation.",
    type: 'string',
  },
  [INT_OR_STRING]: {
    description: 'IntOrString is a type that can hold an int32 or a string.  When used in JSON or YAML marshalling and unmarshalling, it produces or consumes the inner type.  This allows you to have, for example, a JSON field that can accept a name or number.',
    type: 'string',
    format: 'int-or-string',
  },
  [RAW_EXTENSION]: {
    description: 'RawExtension is used to hold extensions in external versions.',
    type: 'object',
  },
  [FIELDS_V1]: {
    description: "FieldsV1 stores a set of fields in a data structure like a Trie, in JSON format.\n\nEach key is either a '.' representing the field itself, and will always map to an empty set, or a string representing a sub-field or item. The string will follow one of these four formats: 'f:<name>', where <name> is the name of a field in a struct, or key in a map 'v:<value>', where <value> is the exact json formatted value of a list item 'i:<index>', where <index> is position of a item in a list 'k:<keys>', where <keys> is a map of  a list item's key fields to their unique values If a key maps to an empty Fields value, the field that key represents is part of the set.\n\nThe exact format is defined in sigs.k8s.io/structured-merge-diff",
    type: 'object',
  },
  [PATCH]: {
    description: 'Patch is provided to give a concrete name and type to the Kubernetes PATCH request body.',
    type: 'object',
  },
};

/** OpenAPI v3 replaces the string stand-ins by the real union (upstream OpenAPIV3OneOfTypes). */
export const SPECIAL_ONE_OF_V3: Record<string, Array<{ type: string }>> = {
  [QUANTITY]: [{ type: 'string' }, { type: 'number' }],
  [INT_OR_STRING]: [{ type: 'integer' }, { type: 'string' }],
};

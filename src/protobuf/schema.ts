// The Kubernetes protobuf messages as the decoder needs them, compiled on first use from
// schema.generated.json (see scripts/gen-proto-schema.ts for the table's format and where it comes from).
import table from './schema.generated.json' with { type: 'json' };

type FieldRow = [name: string, type: string, flags?: string];
interface SchemaTable {
  generatedFrom: string;
  messages: Record<string, Record<string, Record<string, FieldRow>>>;
}
const TABLE = table as unknown as SchemaTable;

export type ScalarType =
  | 'double' | 'float' | 'int64' | 'uint64' | 'int32' | 'fixed64' | 'fixed32' | 'bool' | 'string'
  | 'bytes' | 'uint32' | 'sfixed32' | 'sfixed64' | 'sint32' | 'sint64';

/** A field's value type: a scalar, or a message by its full name. */
export type ValueType = { scalar: ScalarType } | { message: string };

export interface FieldSchema {
  number: number;
  /** JSON name. */
  name: string;
  /** Value type; for maps, the value's type. */
  type: ValueType;
  /** Map key type, for map fields. */
  mapKey?: ScalarType;
  repeated: boolean;
  /** A Go value field with omitempty: its zero value is dropped as Go's JSON drops it. */
  omitZero: boolean;
  /** A Go embedded struct with `json:",inline"`: its fields go into the parent object. */
  inline: boolean;
}

export interface MessageSchema {
  fullName: string;
  /** The message name, as gogo's error messages say it. */
  name: string;
  fields: Map<number, FieldSchema>;
}

/** Which kubectl's descriptors the table was generated from. */
export const SCHEMA_SOURCE = TABLE.generatedFrom;

export const META_V1 = 'k8s.io.apimachinery.pkg.apis.meta.v1';

const compiled = new Map<string, MessageSchema | null>();

function splitName(fullName: string): [pkg: string, name: string] {
  const i = fullName.lastIndexOf('.');
  return [fullName.slice(0, i), fullName.slice(i + 1)];
}

function valueType(type: string, pkg: string): ValueType {
  if (/^[a-z]/.test(type) && !type.includes('.')) return { scalar: type as ScalarType };
  return { message: type.includes('.') ? type : `${pkg}.${type}` };
}

/** The message with this full name (e.g. "k8s.io.api.core.v1.ConfigMap"), or undefined. */
export function messageSchema(fullName: string): MessageSchema | undefined {
  const cached = compiled.get(fullName);
  if (cached !== undefined) return cached ?? undefined;
  const [pkg, name] = splitName(fullName);
  const rows = Object.hasOwn(TABLE.messages, pkg) && Object.hasOwn(TABLE.messages[pkg]!, name) ? TABLE.messages[pkg]![name]! : undefined;
  if (!rows) {
    compiled.set(fullName, null);
    return undefined;
  }
  const fields = new Map<number, FieldSchema>();
  for (const [num, [fieldName, type, flags = '']] of Object.entries(rows)) {
    const map = /^map<([^,]+),(.+)>$/.exec(type);
    fields.set(Number(num), {
      number: Number(num),
      name: fieldName,
      type: valueType(map ? map[2]! : type, pkg),
      ...(map ? { mapKey: map[1] as ScalarType } : {}),
      repeated: flags.includes('r'),
      omitZero: flags.includes('o'),
      inline: flags.includes('i'),
    });
  }
  const schema: MessageSchema = { fullName, name, fields };
  compiled.set(fullName, schema);
  return schema;
}

/** The proto package of an API group version: "" v1 → k8s.io.api.core.v1, apps/v1 → k8s.io.api.apps.v1. */
function packageOf(group: string, version: string): string {
  // Go package names are the group's first DNS label, except for these.
  const special: Record<string, string> = { '': 'core', 'internal.apiserver.k8s.io': 'apiserverinternal' };
  return `k8s.io.api.${special[group] ?? group.split('.')[0]}.${version}`;
}

// meta/v1 kinds every group version registers (metav1.AddToGroupVersion), e.g. a DeleteOptions body.
const SHARED_META_KINDS = new Set(['DeleteOptions', 'CreateOptions', 'UpdateOptions', 'PatchOptions', 'GetOptions', 'ListOptions', 'Status', 'WatchEvent']);

/** The message of an object's apiVersion and kind. */
export function messageForKind(apiVersion: string, kind: string): MessageSchema | undefined {
  const slash = apiVersion.lastIndexOf('/');
  const group = slash < 0 ? '' : apiVersion.slice(0, slash);
  const version = apiVersion.slice(slash + 1);
  if (!kind || !version || !/^[A-Za-z0-9]+$/.test(kind)) return undefined;
  return messageSchema(`${packageOf(group, version)}.${kind}`)
    ?? (SHARED_META_KINDS.has(kind) || group === 'meta.k8s.io' ? messageSchema(`${META_V1}.${kind}`) : undefined);
}

// One Kubernetes protobuf message (gogo-generated, proto2) → the plain JSON object Go's encoding/json
// prints for the same Go struct. The apimachinery types with a JSON form of their own (Time,
// Quantity, IntOrString, RawExtension, …) are turned into that form.
import protobuf from 'protobufjs';
import { formatDuration, formatMicroTime, formatTime } from './go-json.ts';
import { META_V1, messageSchema, type FieldSchema, type MessageSchema, type ScalarType, type ValueType } from './schema.ts';

/** A body that is not the message it claims to be; the text follows gogo's Unmarshal errors. */
export class ProtobufDecodeError extends Error {}

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type JsonObject = { [k: string]: Json };

/** Decodes a nested protobuf object (RawExtension bytes starting with the k8s magic). */
export type NestedObjectDecoder = (bytes: Uint8Array) => JsonObject;

const WIRE_VARINT = 0;
const WIRE_FIXED64 = 1;
const WIRE_BYTES = 2;
const WIRE_END_GROUP = 4;
const WIRE_FIXED32 = 5;

function wireTypeOf(t: ScalarType): number {
  switch (t) {
    case 'double': case 'fixed64': case 'sfixed64': return WIRE_FIXED64;
    case 'float': case 'fixed32': case 'sfixed32': return WIRE_FIXED32;
    case 'string': case 'bytes': return WIRE_BYTES;
    default: return WIRE_VARINT;
  }
}

// Messages whose Go type marshals to JSON by itself.
const SPECIAL: Record<string, (bytes: Uint8Array, nested: NestedObjectDecoder) => Json> = {
  [`${META_V1}.Time`]: (b) => {
    // metav1.Time marshals the zero time as an empty message, and Go prints it as null.
    if (b.length === 0) return null;
    const t = plain(b, `${META_V1}.Time`);
    return formatTime(bigOf(t.seconds));
  },
  [`${META_V1}.MicroTime`]: (b) => {
    if (b.length === 0) return null;
    const t = plain(b, `${META_V1}.MicroTime`);
    return formatMicroTime(bigOf(t.seconds), Number(t.nanos ?? 0));
  },
  [`${META_V1}.Duration`]: (b) => formatDuration(bigOf(plain(b, `${META_V1}.Duration`).duration)),
  'k8s.io.apimachinery.pkg.api.resource.Quantity': (b) => quantity(b, 'Quantity'),
  'k8s.io.apimachinery.pkg.api.resource.QuantityValue': (b) => quantity(b, 'QuantityValue'),
  'k8s.io.apimachinery.pkg.util.intstr.IntOrString': (b) => {
    const v = plain(b, 'k8s.io.apimachinery.pkg.util.intstr.IntOrString');
    return Number(v.type ?? 0) === 1 ? String(v.strVal ?? '') : Number(v.intVal ?? 0);
  },
  'k8s.io.apimachinery.pkg.runtime.RawExtension': (b, nested) => embeddedJson(plain(b, 'k8s.io.apimachinery.pkg.runtime.RawExtension').raw, 'RawExtension', nested),
  [`${META_V1}.FieldsV1`]: (b, nested) => embeddedJson(plain(b, `${META_V1}.FieldsV1`).Raw, 'FieldsV1', nested),
};

const K8S_MAGIC = [0x6b, 0x38, 0x73, 0x00];

function embeddedJson(raw: unknown, type: string, nested: NestedObjectDecoder): Json {
  const bytes = raw instanceof Uint8Array ? raw : undefined;
  if (!bytes || bytes.length === 0) return null;
  if (K8S_MAGIC.every((b, i) => bytes[i] === b)) return nested(bytes);
  try {
    return JSON.parse(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('utf8')) as Json;
  } catch (err) {
    throw new ProtobufDecodeError(`${type}: ${err instanceof Error ? err.message : String(err)}`);
  }
}

function quantity(b: Uint8Array, name: string): Json {
  const v = plain(b, `k8s.io.apimachinery.pkg.api.resource.${name}`).string;
  return typeof v === 'string' && v !== '' ? v : '0';
}

/** The raw fields of a small special message, without the JSON conversions. */
function plain(bytes: Uint8Array, fullName: string): Record<string, unknown> {
  const schema = messageSchema(fullName);
  if (!schema) throw new ProtobufDecodeError(`proto: no schema for ${fullName}`);
  const out: Record<string, unknown> = {};
  readFields(bytes, schema, (field, reader) => {
    const t = field.type;
    out[field.name] = 'scalar' in t ? readScalar(reader, t.scalar, true) : reader.bytes();
  });
  return out;
}

function bigOf(v: unknown): bigint {
  if (typeof v === 'bigint') return v;
  if (typeof v === 'number') return BigInt(Math.trunc(v));
  return v === undefined || v === null ? 0n : BigInt(String(v));
}

/** Go's name of a field in gogo's messages ("hostPort" → "HostPort"). */
function goName(field: FieldSchema): string {
  return field.name.charAt(0).toUpperCase() + field.name.slice(1);
}

/** Walks the fields of one message; unknown fields are skipped as gogo's Unmarshal skips them. */
function readFields(bytes: Uint8Array, schema: MessageSchema, onField: (field: FieldSchema, reader: protobuf.Reader, wire: number) => void): void {
  const reader = protobuf.Reader.create(bytes);
  try {
    while (reader.pos < reader.len) {
      const tag = reader.uint32();
      const num = tag >>> 3;
      const wire = tag & 7;
      if (wire === WIRE_END_GROUP) throw new ProtobufDecodeError(`proto: ${schema.name}: wiretype end group for non-group`);
      if (num <= 0) throw new ProtobufDecodeError(`proto: ${schema.name}: illegal tag ${num} (wire type ${wire})`);
      if (wire > WIRE_FIXED32) throw new ProtobufDecodeError(`proto: illegal wireType ${wire}`);
      const field = schema.fields.get(num);
      if (!field) {
        reader.skipType(wire);
        continue;
      }
      const expected = 'scalar' in field.type && !field.mapKey ? wireTypeOf(field.type.scalar) : WIRE_BYTES;
      const packed = field.repeated && wire === WIRE_BYTES && expected !== WIRE_BYTES;
      if (wire !== expected && !packed) throw new ProtobufDecodeError(`proto: wrong wireType = ${wire} for field ${goName(field)}`);
      onField(field, reader, wire);
    }
  } catch (err) {
    if (err instanceof ProtobufDecodeError) throw err;
    // protobufjs reports a read past the end as a RangeError ("index out of range").
    if (err instanceof RangeError) throw new ProtobufDecodeError('unexpected EOF');
    throw new ProtobufDecodeError(err instanceof Error ? err.message : String(err));
  }
}

function readScalar(reader: protobuf.Reader, type: ScalarType, raw = false): unknown {
  switch (type) {
    case 'string': return reader.string();
    case 'bytes': return raw ? reader.bytes() : Buffer.from(reader.bytes()).toString('base64');
    case 'bool': return reader.bool();
    case 'int32': return reader.int32();
    case 'uint32': return reader.uint32();
    case 'sint32': return reader.sint32();
    case 'fixed32': return reader.fixed32();
    case 'sfixed32': return reader.sfixed32();
    case 'float': return reader.float();
    case 'double': return reader.double();
    case 'int64': return longValue(reader.int64(), raw);
    case 'uint64': return longValue(reader.uint64(), raw);
    case 'sint64': return longValue(reader.sint64(), raw);
    case 'fixed64': return longValue(reader.fixed64(), raw);
    case 'sfixed64': return longValue(reader.sfixed64(), raw);
  }
}

/** int64s as JSON numbers (as Go prints them); raw: exact, as a bigint (durations, timestamps). */
function longValue(v: number | { toString(): string }, raw: boolean): number | bigint {
  if (typeof v === 'number') return raw ? BigInt(v) : v;
  return raw ? BigInt(v.toString()) : Number(v.toString());
}

function isZero(v: Json): boolean {
  return v === '' || v === 0 || v === false;
}

/** Decodes one message to its Go-JSON form. */
export function decodeMessage(bytes: Uint8Array, fullName: string, nested: NestedObjectDecoder): Json {
  const special = SPECIAL[fullName];
  if (special) return special(bytes, nested);
  const schema = messageSchema(fullName);
  if (!schema) throw new ProtobufDecodeError(`proto: no schema for ${fullName}`);
  if (isNamedSlice(schema)) {
    // go-to-protobuf wraps a named slice type (`type ExtraValue []string`) in a message with one
    // repeated "items" field; Go's JSON prints the slice (nil: null).
    return decodeStruct(bytes, schema, nested).items ?? null;
  }
  return decodeStruct(bytes, schema, nested);
}

function isNamedSlice(schema: MessageSchema): boolean {
  if (schema.fields.size !== 1) return false;
  const only = [...schema.fields.values()][0]!;
  return only.name === 'items' && only.repeated;
}

function decodeStruct(bytes: Uint8Array, schema: MessageSchema, nested: NestedObjectDecoder): JsonObject {
  const out: JsonObject = {};
  readFields(bytes, schema, (field, reader, wire) => {
    if (field.mapKey) {
      const map = (out[field.name] ??= {}) as JsonObject;
      const [k, v] = readMapEntry(reader.bytes(), field, schema, nested);
      map[k] = v;
      return;
    }
    if (field.repeated) {
      const list = (out[field.name] ??= []) as Json[];
      if (wire === WIRE_BYTES && 'scalar' in field.type && field.type.scalar !== 'string' && field.type.scalar !== 'bytes') {
        // A packed run of numbers.
        const sub = protobuf.Reader.create(reader.bytes());
        while (sub.pos < sub.len) list.push(readScalar(sub, field.type.scalar) as Json);
      } else {
        list.push(readValue(reader, field.type, nested));
      }
      return;
    }
    const value = readValue(reader, field.type, nested);
    if (field.inline && value !== null && typeof value === 'object' && !Array.isArray(value)) {
      // An embedded struct's fields belong to this object; a later field of the same number merges.
      Object.assign(out, value);
      return;
    }
    if (field.omitZero && isZero(value)) {
      delete out[field.name];
      return;
    }
    // A repeated occurrence of a singular message merges into the earlier one, as proto requires.
    const prev = out[field.name];
    if ('message' in field.type && isPlainObject(prev) && isPlainObject(value)) out[field.name] = { ...prev, ...value };
    else out[field.name] = value;
  });
  return out;
}

function isPlainObject(v: unknown): v is JsonObject {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function readValue(reader: protobuf.Reader, type: ValueType, nested: NestedObjectDecoder): Json {
  if ('scalar' in type) return readScalar(reader, type.scalar) as Json;
  return decodeMessage(reader.bytes(), type.message, nested);
}

/** A map entry is a message {key = 1, value = 2}; a missing part is its type's zero value. */
function readMapEntry(bytes: Uint8Array, field: FieldSchema, parent: MessageSchema, nested: NestedObjectDecoder): [string, Json] {
  const keyField: FieldSchema = { number: 1, name: 'key', type: { scalar: field.mapKey! }, repeated: false, omitZero: false, inline: false };
  const valueField: FieldSchema = { number: 2, name: 'value', type: field.type, repeated: false, omitZero: false, inline: false };
  const entry: MessageSchema = { fullName: `${parent.fullName}.${goName(field)}Entry`, name: `${parent.name}.${goName(field)}Entry`, fields: new Map([[1, keyField], [2, valueField]]) };
  let key: Json = zeroOf({ scalar: field.mapKey! }, nested);
  let value: Json | undefined;
  readFields(bytes, entry, (f, reader) => {
    if (f.number === 1) key = readScalar(reader, field.mapKey!) as Json;
    else value = readValue(reader, field.type, nested);
  });
  return [String(key), value === undefined ? zeroOf(field.type, nested) : value];
}

function zeroOf(type: ValueType, nested: NestedObjectDecoder): Json {
  if ('message' in type) return decodeMessage(new Uint8Array(0), type.message, nested);
  switch (type.scalar) {
    case 'string': case 'bytes': return '';
    case 'bool': return false;
    default: return 0;
  }
}

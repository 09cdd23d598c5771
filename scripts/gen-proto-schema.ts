// Generates src/protobuf/schema.generated.json: the field table of every Kubernetes protobuf message
// (k8s.io/api/*, meta/v1, runtime, intstr, resource), read from the descriptors a kubectl binary
// embeds, so the server can decode the protobuf request bodies kubectl ≥ 1.32 sends.
//
//   npm run gen:proto -- [--kubectl <binary>]      (default: the kubectl on PATH)
//
// Output: { generatedFrom, messages: { "<proto package>": { "<Message>": { "<field number>": field } } } }
// where field is [name, type] or [name, type, flags]:
//   type   a scalar ("string", "int32", "int64", "bool", "bytes", "double", …), a message ("Pod" in the
//          same package, or "k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta"), or "map<K,V>" with K, V so.
//   flags  r: repeated;
//          o: Go value (non-pointer) field with omitempty: gogo writes it even when zero, Go's JSON drops
//             the zero, so the decoder drops it too. Pointer fields are written only when set, and their
//             zeros are kept (replicas: 0);
//          i: Go embedded struct with `json:",inline"`: its fields belong to the parent's JSON object.
// Where the flags come from: gogo's nullable=false field option (kept in the embedded descriptors)
// tells value fields from pointers; omitempty is not in the descriptor, so it is taken from the
// OpenAPI "required" mark (a Go field without omitempty is required) in src/openapi/models.generated.json,
// as are inlining (the field's name is not a JSON property, its type's fields are) and the JSON name
// where the proto name differs from it.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import protobuf from 'protobufjs';
import models from '../src/openapi/models.generated.json' with { type: 'json' };
import { canonicalProtoName, extractFileDescriptors } from './lib/go-descriptors.ts';

interface ModelInfo { properties: Record<string, { type: string; required?: boolean }> }
const MODELS = models as unknown as Record<string, ModelInfo>;

const OUTPUT = new URL('../src/protobuf/schema.generated.json', import.meta.url);

/** The descriptor files whose messages the decoder needs (canonical names). */
function wanted(name: string): boolean {
  return /^k8s\.io\/api\/[^/]+\/[^/]+\/generated\.proto$/.test(name)
    || [
      'k8s.io/apimachinery/pkg/apis/meta/v1/generated.proto',
      'k8s.io/apimachinery/pkg/runtime/generated.proto',
      'k8s.io/apimachinery/pkg/util/intstr/generated.proto',
      'k8s.io/apimachinery/pkg/api/resource/generated.proto',
    ].includes(name);
}

// The part of descriptor.proto read here, plus gogoproto's field options (extension numbers from
// gogo.proto), which protobufjs/ext/descriptor would drop as unknown fields.
const VIEW = protobuf.Root.fromJSON({
  nested: {
    File: { fields: { name: { id: 1, type: 'string' }, package: { id: 2, type: 'string' }, messageType: { id: 4, type: 'Message', rule: 'repeated' } } },
    Message: {
      fields: {
        name: { id: 1, type: 'string' },
        field: { id: 2, type: 'Field', rule: 'repeated' },
        nestedType: { id: 3, type: 'Message', rule: 'repeated' },
        options: { id: 7, type: 'MessageOptions' },
      },
    },
    MessageOptions: { fields: { mapEntry: { id: 7, type: 'bool' } } },
    Field: {
      fields: {
        name: { id: 1, type: 'string' },
        number: { id: 3, type: 'int32' },
        label: { id: 4, type: 'int32' },
        type: { id: 5, type: 'int32' },
        typeName: { id: 6, type: 'string' },
        options: { id: 8, type: 'FieldOptions' },
      },
    },
    FieldOptions: { fields: { nullable: { id: 65001, type: 'bool' }, customname: { id: 65004, type: 'string' } } },
  },
});

interface DField { name: string; number: number; label: number; type: number; typeName?: string; options?: { nullable?: boolean } }
interface DMessage { name: string; field?: DField[]; nestedType?: DMessage[]; options?: { mapEntry?: boolean } }
interface DFile { name: string; package: string; messageType?: DMessage[] }

// FieldDescriptorProto.Type numbers.
const SCALARS: Record<number, string> = {
  1: 'double', 2: 'float', 3: 'int64', 4: 'uint64', 5: 'int32', 6: 'fixed64', 7: 'fixed32', 8: 'bool', 9: 'string',
  12: 'bytes', 13: 'uint32', 15: 'sfixed32', 16: 'sfixed64', 17: 'sint32', 18: 'sint64',
};
const TYPE_MESSAGE = 11;
const TYPE_ENUM = 14;
const LABEL_REPEATED = 3;

type FieldEntry = [string, string] | [string, string, string];

function kubectlPath(): string {
  const i = process.argv.indexOf('--kubectl');
  if (i >= 0 && process.argv[i + 1]) return process.argv[i + 1]!;
  return execFileSync('sh', ['-c', 'command -v kubectl'], { encoding: 'utf8' }).trim();
}

function kubectlVersion(bin: string): string {
  const out = JSON.parse(execFileSync(bin, ['version', '--client', '-o', 'json'], { encoding: 'utf8' })) as { clientVersion: { gitVersion: string } };
  return out.clientVersion.gitVersion;
}

/**
 * client-node's model for a message: V1Pod, or CoreV1Event when the short name collides. client-node
 * has few alpha/beta types, so those fall back to the same type in another version of the group.
 */
function modelOf(pkg: string, message: string): { model: ModelInfo; exact: boolean } | undefined {
  const version = pkg.split('.').pop()!;
  const group = pkg.startsWith('k8s.io.api.') ? pkg.split('.')[3]! : '';
  const pick = (re: RegExp, short: string): ModelInfo | undefined => {
    const candidates = Object.keys(MODELS).filter((m) => re.test(m)).sort();
    if (candidates.length === 1) return MODELS[candidates[0]!];
    const hit = candidates.find((m) => m.toLowerCase().startsWith(group) && m.toLowerCase().endsWith(short.toLowerCase()))
      ?? candidates.find((m) => /^V\d+$/.test(m.slice(0, -message.length)));
    return hit ? MODELS[hit] : undefined;
  };
  const short = `V${version.slice(1)}${message}`;
  const exact = pick(new RegExp(`^([A-Z][a-z]+)?${short}$`), short);
  if (exact) return { model: exact, exact: true };
  const other = pick(new RegExp(`^([A-Z][a-z]+)?V\\d+((alpha|beta)\\d+)?${message}$`), message);
  return other ? { model: other, exact: false } : undefined;
}

/** Code-unit order, so the output does not depend on the machine's locale. */
function byString(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

const bin = kubectlPath();
const version = kubectlVersion(bin);
const files = [...extractFileDescriptors(bin, { raw: false, filter: (n) => wanted(canonicalProtoName(n)) }).values()]
  .map((f) => VIEW.lookupType('File').toObject(VIEW.lookupType('File').decode(f.bytes)) as DFile)
  .sort((a, b) => byString(a.package, b.package));

// Map entries (nested *Entry types with map_entry) become "map<K,V>"; everything else is a message.
const mapEntries = new Map<string, DMessage>();
const messageFields = new Map<string, DField[]>();
for (const file of files) {
  for (const m of file.messageType ?? []) {
    messageFields.set(`${file.package}.${m.name}`, m.field ?? []);
    for (const n of m.nestedType ?? []) {
      if (n.options?.mapEntry) mapEntries.set(`${file.package}.${m.name}.${n.name}`, n);
    }
  }
}

function typeOf(f: DField, pkg: string): string {
  if (SCALARS[f.type]) return SCALARS[f.type]!;
  if (f.type === TYPE_ENUM) throw new Error(`enum field ${f.name} (${f.typeName}) is not expected in Kubernetes protos`);
  if (f.type !== TYPE_MESSAGE || !f.typeName) throw new Error(`field ${f.name}: unsupported type ${f.type}`);
  const full = f.typeName.replace(/^\./, '');
  const entry = mapEntries.get(full);
  if (entry) {
    const [k, v] = [1, 2].map((n) => entry.field!.find((x) => x.number === n)!);
    return `map<${typeOf(k!, pkg)},${typeOf(v!, pkg)}>`;
  }
  return full.startsWith(`${pkg}.`) && !full.slice(pkg.length + 1).includes('.') ? full.slice(pkg.length + 1) : full;
}

const out: Record<string, Record<string, Record<string, FieldEntry>>> = {};
const unmatched: string[] = [];
let fieldCount = 0;
for (const file of files) {
  const pkg = file.package;
  const messages: Record<string, Record<string, FieldEntry>> = {};
  for (const m of [...(file.messageType ?? [])].sort((a, b) => byString(a.name, b.name))) {
    const found = modelOf(pkg, m.name);
    const model = found?.model;
    const fields: Record<string, FieldEntry> = {};
    for (const f of [...(m.field ?? [])].sort((a, b) => a.number - b.number)) {
      const type = typeOf(f, pkg);
      let flags = '';
      if (f.label === LABEL_REPEATED && !type.startsWith('map<')) flags += 'r';
      // A few proto names are the Go field name ("Webhooks", "uID", "aPIGroup"); JSON uses the json tag.
      const name = model && !model.properties[f.name]
        ? Object.keys(model.properties).find((k) => k.toLowerCase() === f.name.toLowerCase()) ?? f.name
        : f.name;
      const prop = model?.properties[name];
      if (SCALARS[f.type] && f.label !== LABEL_REPEATED && f.options?.nullable === false && !prop?.required) flags += 'o';
      if (model && !prop && f.type === TYPE_MESSAGE && !type.startsWith('map<')) {
        const inner = messageFields.get(f.typeName!.replace(/^\./, '')) ?? [];
        if (inner.some((x) => model.properties[x.name])) flags += 'i';
        else if (found.exact) unmatched.push(`${pkg}.${m.name}.${f.name}`);
      } else if (found?.exact && !prop) {
        unmatched.push(`${pkg}.${m.name}.${f.name}`);
      }
      fields[String(f.number)] = flags ? [name, type, flags] : [name, type];
      fieldCount++;
    }
    messages[m.name] = fields;
  }
  out[pkg] = messages;
}

const text = JSON.stringify({ generatedFrom: `kubectl ${version}`, messages: out }) + '\n';
writeFileSync(OUTPUT, text);
const messageCount = Object.values(out).reduce((n, p) => n + Object.keys(p).length, 0);
console.log(`wrote ${messageCount} messages, ${fieldCount} fields from ${files.length} files of kubectl ${version} (${text.length} bytes)`);
if (unmatched.length) console.log(`fields with no JSON property in client-node's models (newer or older than its types): ${unmatched.join(', ')}`);

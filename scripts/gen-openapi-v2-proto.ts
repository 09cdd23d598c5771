// Generates src/openapi/openapiv2.descriptor.generated.json: gnostic's OpenAPI v2 protobuf schema
// (openapiv2/OpenAPIv2.proto, message openapi.v2.Document and friends, plus google/protobuf/any.proto)
// in protobufjs JSON form. /openapi/v2 is served in that encoding to clients that ask for
// application/com.github.proto-openapi.spec.v2@v1.0+protobuf (every kubectl's OpenAPISchema()).
//
// The schema is taken from a kubectl binary, which embeds it: the field numbers are then exactly the
// ones kubectl decodes with. Options (go_package, java_*) are dropped: they differ between builds and
// mean nothing to the encoder, so every kubectl gives the same file.
//
// Usage: node --import tsx scripts/gen-openapi-v2-proto.ts [path-to-kubectl]   (default: kubectl on PATH)
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import protobuf from 'protobufjs';
import { type GoFileDescriptor, extractFileDescriptors, fileDescriptorSet } from './lib/go-descriptors.ts';

const ROOT_FILE = 'openapiv2/OpenAPIv2.proto';
const out = fileURLToPath(new URL('../src/openapi/openapiv2.descriptor.generated.json', import.meta.url));

function kubectlPath(): string {
  const given = process.argv[2];
  if (given) return given;
  return execFileSync('sh', ['-c', 'command -v kubectl'], { encoding: 'utf8' }).trim();
}

/** The root file and, transitively, the files it imports. */
function withDependencies(files: Map<string, GoFileDescriptor>, name: string, into = new Map<string, GoFileDescriptor>()): Map<string, GoFileDescriptor> {
  if (into.has(name)) return into;
  const file = files.get(name);
  if (!file) throw new Error(`${name} is not embedded in the binary`);
  into.set(name, file);
  for (const dep of file.descriptor.dependency ?? []) withDependencies(files, dep, into);
  return into;
}

/** Drops `options` everywhere, keeping types, fields, ids and oneofs. */
function withoutOptions(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutOptions);
  if (value && typeof value === 'object') {
    const outObj: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (k !== 'options') outObj[k] = withoutOptions(v);
    return outObj;
  }
  return value;
}

const bin = kubectlPath();
const files = withDependencies(extractFileDescriptors(bin), ROOT_FILE);
const root = (protobuf.Root as unknown as { fromDescriptor(d: protobuf.Message): protobuf.Root }).fromDescriptor(fileDescriptorSet(files.values()));
const json = withoutOptions(root.toJSON());
// Fail here rather than at serve time if the schema lacks what the encoder writes.
const doc = protobuf.Root.fromJSON(json as protobuf.INamespace).lookupType('openapi.v2.Document');
if (doc.fields.definitions?.id !== 9 || doc.fields.paths?.id !== 8) throw new Error(`unexpected openapi.v2.Document in ${bin}`);

writeFileSync(out, JSON.stringify(json, null, 2) + '\n');
console.log(`wrote ${out} from ${bin} (${[...files.keys()].join(', ')})`);

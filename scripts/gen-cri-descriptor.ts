// Generates src/kubelet/cri/cri-api.descriptor.generated.json: the CRI v1 schema (package runtime.v1,
// k8s.io/cri-api's api.proto) as a FileDescriptorSet in JSON, which the CRI client loads with
// @grpc/proto-loader's loadFileDescriptorSetFromObject.
//
// The schema is taken from a containerd binary, which embeds it (gogo, gzip): the field numbers are
// then exactly the ones its CRI plugin speaks. containerd registers two files named "api.proto"
// (runtime.v1alpha2 and runtime.v1), so descriptors are keyed by package. gogoproto options are
// dropped with the gogo.proto import: they shape Go code only.
//
//   npm run gen:cri -- [--containerd <binary>]      (default: /usr/bin/containerd)
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import descriptorModule from 'protobufjs/ext/descriptor/index.js';
import { extractFileDescriptors } from './lib/go-descriptors.ts';

const descriptor = descriptorModule as unknown as typeof import('protobufjs/ext/descriptor/index.js');

const PACKAGE = 'runtime.v1';
const out = fileURLToPath(new URL('../src/kubelet/cri/cri-api.descriptor.generated.json', import.meta.url));

const { values } = parseArgs({ options: { containerd: { type: 'string', default: '/usr/bin/containerd' } } });
const bin = values.containerd!;

const files = extractFileDescriptors(bin, { raw: false, keyBy: (d) => `${d.descriptor.package ?? ''}:${d.name}` });
const file = [...files.values()].find((f) => f.descriptor.package === PACKAGE && f.descriptor.service?.some((s) => s.name === 'RuntimeService'));
if (!file) throw new Error(`no ${PACKAGE} api.proto with RuntimeService embedded in ${bin}`);

/**
 * Drops `options` (go_package, deprecated; gogoproto's are already gone, unknown to the decoder) except
 * mapEntry, without which a map<string,string> would load as a list of entry messages.
 */
function withoutOptions(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutOptions);
  if (value && typeof value === 'object') {
    const o: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      if (k !== 'options') o[k] = withoutOptions(v);
      else if ((v as { mapEntry?: boolean }).mapEntry) o[k] = { mapEntry: true };
    }
    return o;
  }
  return value;
}

const fileObject = withoutOptions(descriptor.FileDescriptorProto.toObject(file.descriptor, { enums: String, longs: String })) as Record<string, unknown>;
fileObject.dependency = ((fileObject.dependency as string[] | undefined) ?? []).filter((d) => !/gogo\.proto$/.test(d));
if ((fileObject.dependency as string[]).length > 0) throw new Error(`unexpected imports in ${PACKAGE}: ${(fileObject.dependency as string[]).join(', ')}`);
delete fileObject.dependency;

const services = (fileObject.service as { name: string; method: unknown[] }[]).map((s) => `${s.name}(${s.method.length} methods)`);
writeFileSync(out, JSON.stringify({ file: [fileObject] }, null, 2) + '\n');
console.log(`wrote ${out} from ${bin} (${PACKAGE}: ${services.join(', ')})`);

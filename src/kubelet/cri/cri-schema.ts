// The CRI v1 gRPC services, loaded from the descriptor taken from containerd (scripts/gen-cri-descriptor.ts).
//
// Two quirks of loading a FileDescriptorSet with @grpc/proto-loader (protobufjs 7 underneath) are
// handled here and in cri-convert.ts:
// - field names stay as in the .proto (pod_sandbox_id) whatever keepCase says, so they are renamed to
//   their camelCase jsonName before loading; names are not on the wire, only numbers are;
// - map<string,string> fields load as repeated {key, value} entry messages (the wire form of a map),
//   so labels/annotations are converted to and from records by the caller.
import * as grpc from '@grpc/grpc-js';
import { loadFileDescriptorSetFromObject } from '@grpc/proto-loader';
import descriptorSet from './cri-api.descriptor.generated.json' with { type: 'json' };

export type CriServiceName = 'RuntimeService' | 'ImageService';

interface FieldDescriptor { name: string; jsonName?: string }
interface MessageDescriptor { field?: FieldDescriptor[]; nestedType?: MessageDescriptor[] }

function withJsonNames(message: MessageDescriptor): MessageDescriptor {
  return {
    ...message,
    field: message.field?.map((f) => ({ ...f, name: f.jsonName ?? f.name })),
    nestedType: message.nestedType?.map(withJsonNames),
  };
}

let services: Record<CriServiceName, grpc.ServiceClientConstructor> | undefined;

/** Client constructors for runtime.v1's RuntimeService and ImageService (loaded once). */
export function criServices(): Record<CriServiceName, grpc.ServiceClientConstructor> {
  if (services) return services;
  const file = descriptorSet.file[0] as unknown as { messageType: MessageDescriptor[] };
  const set = { file: [{ ...file, messageType: file.messageType.map(withJsonNames) }] };
  const definition = loadFileDescriptorSetFromObject(set, { longs: String, enums: String, defaults: true, bytes: Buffer });
  const root = grpc.loadPackageDefinition(definition) as unknown as { runtime: { v1: Record<CriServiceName, grpc.ServiceClientConstructor> } };
  services = { RuntimeService: root.runtime.v1.RuntimeService, ImageService: root.runtime.v1.ImageService };
  return services;
}

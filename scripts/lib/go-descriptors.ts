// Protobuf file descriptors embedded in a compiled Go binary (kubectl, kube-apiserver, …).
//
// Go protobuf code registers each .proto file's FileDescriptorProto at init time, so the bytes sit in
// the binary's read-only data:
// - gogo/protobuf and the old golang/protobuf (`proto.RegisterFile(name, gzippedBytes)`): a gzip
//   stream (1f 8b 08 …). All k8s.io/api and k8s.io/apimachinery generated.proto files are stored so.
// - google.golang.org/protobuf (`file_x_proto_rawDesc`): the serialized descriptor as is, e.g.
//   gnostic's openapiv2/OpenAPIv2.proto. Its end is not marked, so it is found by walking its fields.
//
// Usage:
//   const files = extractFileDescriptors(kubectlPath);
//   const core = files.get('k8s.io/api/core/v1/generated.proto');
//   core?.descriptor.messageType             // protobufjs ext/descriptor view
//   protobuf.Root.fromDescriptor(fileDescriptorSet([...files.values()]))   // a Root to decode with
import { readFileSync } from 'node:fs';
import { gunzipSync, inflateRawSync } from 'node:zlib';
import protobuf from 'protobufjs';
import descriptorModule from 'protobufjs/ext/descriptor/index.js';

const descriptor = descriptorModule as unknown as typeof import('protobufjs/ext/descriptor/index.js');

export interface GoFileDescriptor {
  /**
   * The file name it was registered under, e.g. "k8s.io/api/core/v1/generated.proto". Binaries built
   * inside the kubernetes repo before 1.28 use vendor paths ("k8s.io/kubernetes/vendor/k8s.io/api/…");
   * see canonicalProtoName.
   */
  name: string;
  /** The FileDescriptorProto, decoded with protobufjs/ext/descriptor (unknown options are dropped). */
  descriptor: protobuf.Message & import('protobufjs/ext/descriptor/index.js').IFileDescriptorProto;
  /** The serialized FileDescriptorProto, complete: decode it again to read custom options. */
  bytes: Uint8Array;
  /** How the binary stores it. */
  encoding: 'gzip' | 'raw';
  /** Byte offset of the gzip stream or raw descriptor in the binary. */
  offset: number;
}

export interface ExtractOptions {
  /** Also look for raw (protobuf-go) descriptors; default true. */
  raw?: boolean;
  /** Keep only files whose registered name passes; default all. */
  filter?: (name: string) => boolean;
  /**
   * The map key; default the registered name. Binaries that embed two files of one name (containerd:
   * CRI's runtime.v1alpha2 and runtime.v1 are both "api.proto") need another, e.g. package + name.
   */
  keyBy?: (d: GoFileDescriptor) => string;
}

/** Every FileDescriptorProto found in a Go binary, by registered file name or options.keyBy (the first one found wins). */
export function extractFileDescriptors(binaryPath: string, options: ExtractOptions = {}): Map<string, GoFileDescriptor> {
  return extractFileDescriptorsFromBuffer(readFileSync(binaryPath), options);
}

export function extractFileDescriptorsFromBuffer(bin: Buffer, options: ExtractOptions = {}): Map<string, GoFileDescriptor> {
  const found = new Map<string, GoFileDescriptor>();
  const key = options.keyBy ?? ((d: GoFileDescriptor) => d.name);
  const keep = (d: GoFileDescriptor | undefined): void => {
    if (d && !found.has(key(d)) && (!options.filter || options.filter(d.name))) found.set(key(d), d);
  };
  for (const offset of occurrences(bin, GZIP_MAGIC)) keep(fromGzip(bin, offset));
  if (options.raw ?? true) {
    for (const end of occurrences(bin, PROTO_SUFFIX)) keep(fromRaw(bin, end + PROTO_SUFFIX.length));
  }
  return found;
}

/** "k8s.io/kubernetes/vendor/k8s.io/api/core/v1/generated.proto" → "k8s.io/api/core/v1/generated.proto". */
export function canonicalProtoName(name: string): string {
  return name.replace(/^k8s\.io\/kubernetes\/vendor\//, '');
}

/** A FileDescriptorSet of the given files, e.g. for protobuf.Root.fromDescriptor. */
export function fileDescriptorSet(files: Iterable<GoFileDescriptor>): protobuf.Message {
  return descriptor.FileDescriptorSet.create({ file: [...files].map((f) => f.descriptor) });
}

// gzip header as Go's compress/gzip writes it: magic, deflate, no flags.
const GZIP_MAGIC = Buffer.from([0x1f, 0x8b, 0x08, 0x00]);
const GZIP_HEADER_LENGTH = 10;
const PROTO_SUFFIX = Buffer.from('.proto');
// A descriptor larger than this is not plausible (core/v1 is ~60 KiB uncompressed).
const MAX_DESCRIPTOR_BYTES = 4 * 1024 * 1024;

function* occurrences(bin: Buffer, needle: Buffer): Generator<number> {
  for (let i = bin.indexOf(needle); i >= 0; i = bin.indexOf(needle, i + 1)) yield i;
}

function fromGzip(bin: Buffer, offset: number): GoFileDescriptor | undefined {
  let bytes: Buffer;
  try {
    // Raw inflate stops at the end of this one deflate stream; gunzip would run on into an
    // adjacent gzip member and merge two descriptors.
    bytes = inflateRawSync(bin.subarray(offset + GZIP_HEADER_LENGTH, offset + GZIP_HEADER_LENGTH + MAX_DESCRIPTOR_BYTES), { maxOutputLength: MAX_DESCRIPTOR_BYTES });
  } catch {
    try {
      bytes = gunzipSync(bin.subarray(offset, offset + MAX_DESCRIPTOR_BYTES), { maxOutputLength: MAX_DESCRIPTOR_BYTES });
    } catch {
      return undefined;
    }
  }
  return asDescriptor(bytes, 'gzip', offset);
}

/**
 * A raw descriptor starts with field 1 (its name): 0x0a, length, "….proto". From there, fields are
 * read while they are FileDescriptorProto fields with the right wire type; the first byte that is
 * not ends it.
 */
function fromRaw(bin: Buffer, nameEnd: number): GoFileDescriptor | undefined {
  for (let len = PROTO_SUFFIX.length + 1; len < 128 && nameEnd - len - 2 >= 0; len++) {
    const start = nameEnd - len - 2;
    if (bin[start] !== 0x0a || bin[start + 1] !== len) continue;
    if (!/^[\w./-]+$/.test(bin.toString('latin1', start + 2, nameEnd))) return undefined;
    const ends = fieldEnds(bin, start);
    // Try the longest run of fields first; a trailing look-alike field that does not decode is dropped.
    for (let i = ends.length - 1; i >= 0; i--) {
      const d = asDescriptor(bin.subarray(start, ends[i]), 'raw', start);
      if (d) return d;
    }
    return undefined;
  }
  return undefined;
}

// FileDescriptorProto field number → wire types it may use (2 = length-delimited, 0 = varint).
const FILE_FIELDS: Record<number, number[]> = {
  1: [2], 2: [2], 3: [2], 4: [2], 5: [2], 6: [2], 7: [2], 8: [2], 9: [2], 10: [0, 2], 11: [0, 2], 12: [2], 14: [0],
};

function fieldEnds(bin: Buffer, start: number): number[] {
  const ends: number[] = [];
  const limit = Math.min(bin.length, start + MAX_DESCRIPTOR_BYTES);
  const reader = protobuf.Reader.create(bin.subarray(start, limit));
  try {
    while (reader.pos < reader.len) {
      const tag = reader.uint32();
      if (!FILE_FIELDS[tag >>> 3]?.includes(tag & 7)) break;
      reader.skipType(tag & 7);
      ends.push(start + reader.pos);
    }
  } catch {
    // ran past the end: the fields read so far are the candidates
  }
  return ends;
}

function asDescriptor(bytes: Uint8Array, encoding: GoFileDescriptor['encoding'], offset: number): GoFileDescriptor | undefined {
  let decoded: GoFileDescriptor['descriptor'];
  try {
    decoded = descriptor.FileDescriptorProto.decode(bytes) as GoFileDescriptor['descriptor'];
  } catch {
    return undefined;
  }
  const name = decoded.name;
  if (typeof name !== 'string' || !name.endsWith('.proto') || !/^[\w./-]+$/.test(name)) return undefined;
  // A bare name is a look-alike string, not a descriptor.
  const content = (decoded.messageType?.length ?? 0) + (decoded.enumType?.length ?? 0) + (decoded.service?.length ?? 0) + (decoded.extension?.length ?? 0);
  if (content === 0 && !decoded.package) return undefined;
  return { name, descriptor: decoded, bytes: Uint8Array.from(bytes), encoding, offset };
}

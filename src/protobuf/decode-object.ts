// A Kubernetes protobuf body ("application/vnd.kubernetes.protobuf"): the 4-byte magic "k8s\0", then a
// runtime.Unknown envelope {typeMeta{apiVersion, kind}, raw, contentEncoding, contentType} whose raw
// bytes are the object's own message. Upstream: k8s.io/apimachinery/pkg/runtime/serializer/protobuf.
import { decodeMessage, ProtobufDecodeError } from './message-decoder.ts';
import { messageForKind } from './schema.ts';

export { ProtobufDecodeError } from './message-decoder.ts';

export const PROTOBUF_MAGIC = Buffer.from([0x6b, 0x38, 0x73, 0x00]);

export interface GroupVersionKindRef {
  apiVersion: string;
  kind: string;
}

export interface DecodedProtobufObject {
  /** The object as Go's encoding/json prints it, with apiVersion and kind first. */
  object: Record<string, unknown>;
  apiVersion: string;
  kind: string;
}

/**
 * Raised once the envelope is read: the error is about the object of this apiVersion and kind
 * (upstream words it "<Kind> in version "<v>" cannot be handled as a …").
 */
export class ProtobufObjectError extends ProtobufDecodeError {
  constructor(message: string, readonly apiVersion: string, readonly kind: string) {
    super(message);
  }
}

const RUNTIME = 'k8s.io.apimachinery.pkg.runtime';

interface Envelope {
  typeMeta?: { apiVersion?: string; kind?: string };
  raw?: string;
  contentEncoding?: string;
  contentType?: string;
}

/**
 * Decodes a protobuf body. `defaults` fills an envelope's missing apiVersion or kind, as upstream
 * defaults them from the request's resource.
 */
export function decodeProtobufObject(body: Uint8Array, defaults?: GroupVersionKindRef): DecodedProtobufObject {
  if (body.length === 0) throw new ProtobufDecodeError('empty data');
  if (body.length < PROTOBUF_MAGIC.length || !PROTOBUF_MAGIC.equals(body.subarray(0, PROTOBUF_MAGIC.length))) {
    throw new ProtobufDecodeError(`provided data does not appear to be a protobuf message, expected prefix [${[...PROTOBUF_MAGIC].join(' ')}]`);
  }
  if (body.length === PROTOBUF_MAGIC.length) throw new ProtobufDecodeError('empty body');
  const unknown = decodeMessage(body.subarray(PROTOBUF_MAGIC.length), `${RUNTIME}.Unknown`, nestedObject) as Envelope;
  const apiVersion = unknown.typeMeta?.apiVersion || defaults?.apiVersion || '';
  const kind = unknown.typeMeta?.kind || defaults?.kind || '';
  if (!kind) {
    // Go's %#v of the envelope's runtime.TypeMeta, as upstream's missing-kind error prints it.
    throw new ProtobufDecodeError(`Object 'Kind' is missing in 'runtime.TypeMeta{APIVersion:${JSON.stringify(apiVersion)}, Kind:""}'`);
  }
  const fail = (message: string): never => {
    throw new ProtobufObjectError(message, apiVersion, kind);
  };
  if (unknown.contentEncoding) fail(`unsupported content encoding ${JSON.stringify(unknown.contentEncoding)}`);
  const schema = messageForKind(apiVersion, kind);
  if (!schema) fail(`no kind "${kind}" is registered for version "${apiVersion}" in scheme "pkg/api/legacyscheme/scheme.go:30"`);
  let decoded;
  try {
    decoded = decodeMessage(Buffer.from(unknown.raw ?? '', 'base64'), schema!.fullName, nestedObject);
  } catch (err) {
    if (err instanceof ProtobufDecodeError) fail(err.message);
    throw err;
  }
  return { object: { kind, apiVersion, ...(decoded as Record<string, unknown>) }, apiVersion, kind };
}

/** RawExtension bytes that are themselves a protobuf object. */
function nestedObject(bytes: Uint8Array): Record<string, never> {
  return decodeProtobufObject(bytes).object as Record<string, never>;
}

// /openapi/v2 in gnostic's protobuf encoding (openapi.v2.Document), which client-go's OpenAPISchema()
// asks for and proto-decodes: kubectl's client-side validation, `explain` and apply's strategic
// merge patch metadata before OpenAPI v3. The schema comes from kubectl itself (see
// scripts/gen-openapi-v2-proto.ts); it is loaded on first use.
import protobuf from 'protobufjs';
import descriptor from './openapiv2.descriptor.generated.json' with { type: 'json' };
import { toGnosticDocument } from './openapi-v2-gnostic.ts';

/** What kube-apiserver answers with, for either the current or the deprecated (`@v1.0`) Accept type. */
export const OPENAPI_V2_PROTOBUF_CONTENT_TYPE = 'application/com.github.proto-openapi.spec.v2.v1.0+protobuf';

let documentType: protobuf.Type | undefined;

/** The openapi.v2.Document message type (also what tests decode with). */
export function gnosticDocumentType(): protobuf.Type {
  documentType ??= protobuf.Root.fromJSON(descriptor as protobuf.INamespace).lookupType('openapi.v2.Document');
  return documentType;
}

export function encodeOpenAPIV2Protobuf(document: object): Buffer {
  const bytes = gnosticDocumentType().encode(toGnosticDocument(document)).finish();
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

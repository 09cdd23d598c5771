// Content negotiation for /openapi/v2 and /openapi/v3/*. We serve JSON only.
//  - client-go's DiscoveryClient.OpenAPISchema() (kubectl's v2 path) sends
//    `Accept: application/com.github.proto-openapi.spec.v2@v1.0+protobuf` and nothing else, then
//    proto-decodes the body: a JSON answer is a decode error, so we answer 406 and kubectl falls
//    back (apply: to its compiled-in struct patch metadata; validation: not needed, since we
//    advertise server-side fieldValidation).
//  - the OpenAPI v3 client (openapi3.Root, kubectl explain, apply's patch metadata, the
//    fieldValidation check) asks for `application/json`.
import { parseAccept } from '../apiserver/discovery/discovery-negotiation.ts';

/** 'json' when the Accept header allows JSON (or is absent), undefined for a 406. */
export function negotiateOpenAPI(accept: string | undefined): 'json' | undefined {
  const ranges = parseAccept(accept);
  if (ranges.length === 0) return 'json';
  for (const r of ranges) {
    if ((r.type === 'application' && (r.subtype === 'json' || r.subtype === '*')) || (r.type === '*' && r.subtype === '*')) return 'json';
  }
  return undefined;
}

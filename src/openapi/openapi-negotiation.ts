// Content negotiation for /openapi/v2 and /openapi/v3/*.
//  - /openapi/v2 is served as JSON or, as kube-openapi's handler does, as gnostic protobuf for either
//    `application/com.github.proto-openapi.spec.v2@v1.0+protobuf` (what client-go's
//    DiscoveryClient.OpenAPISchema() sends, alone, before proto-decoding the body) or the newer
//    `…spec.v2.v1.0+protobuf`. The first acceptable range in preference order wins; none is a 406.
//  - /openapi/v3 is JSON only: the OpenAPI v3 client (openapi3.Root, kubectl explain, apply's patch
//    metadata, the fieldValidation check) asks for `application/json`.
import { type MediaRange, parseAccept } from '../apiserver/discovery/discovery-negotiation.ts';

export type OpenAPIV2Format = 'json' | 'protobuf';

const V2_PROTOBUF_SUBTYPES = new Set(['com.github.proto-openapi.spec.v2@v1.0+protobuf', 'com.github.proto-openapi.spec.v2.v1.0+protobuf']);

const jsonish = (r: MediaRange): boolean => (r.type === 'application' || r.type === '*') && (r.subtype === 'json' || r.subtype === '*');

/** 'json' when the Accept header allows JSON (or is absent), undefined for a 406. */
export function negotiateOpenAPI(accept: string | undefined): 'json' | undefined {
  const ranges = parseAccept(accept);
  if (ranges.length === 0) return 'json';
  return ranges.some(jsonish) ? 'json' : undefined;
}

/** Wildcards rank after exact types at the same q, as goautoneg orders them. */
const specificity = (r: MediaRange): number => (r.type === '*' ? 0 : r.subtype === '*' ? 1 : 2);

/** The /openapi/v2 encoding the Accept header prefers; undefined for a 406. No header means any. */
export function negotiateOpenAPIV2(accept: string | undefined): OpenAPIV2Format | undefined {
  const ranges = parseAccept(accept);
  if (ranges.length === 0) return 'json';
  const ordered = ranges.map((r, i) => ({ r, i })).sort((a, b) => b.r.q - a.r.q || specificity(b.r) - specificity(a.r) || a.i - b.i);
  for (const { r } of ordered) {
    if (jsonish(r)) return 'json';
    if (r.type === 'application' && V2_PROTOBUF_SUBTYPES.has(r.subtype)) return 'protobuf';
  }
  return undefined;
}

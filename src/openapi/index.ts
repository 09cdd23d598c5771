// OpenAPI documents generated from the registry's ResourceDefinitions and client-node's type
// descriptions. Pure and lazy: building happens on first call and is cached.
import type { OpenAPIV2, OpenAPIV3 } from 'openapi-types';
import type { ResourceDefinition } from '../registry/types.ts';
import { type OpenAPIV3Index, cachedOpenAPIV2, cachedOpenAPIV2Protobuf, cachedOpenAPIV3, cachedOpenAPIV3Index } from './document-cache.ts';

export { negotiateOpenAPI, negotiateOpenAPIV2, type OpenAPIV2Format } from './openapi-negotiation.ts';
export { OPENAPI_V2_PROTOBUF_CONTENT_TYPE } from './openapi-v2-protobuf.ts';
export { nameResolver, modelOfDef } from './definition-names.ts';
export type { OpenAPIV3Index, SerializedDocument } from './document-cache.ts';

export function openapiV2(defs: ResourceDefinition[]): OpenAPIV2.Document {
  return cachedOpenAPIV2(defs).doc;
}

export function openapiV2Json(defs: ResourceDefinition[]): string {
  return cachedOpenAPIV2(defs).json;
}

/** /openapi/v2 in gnostic's protobuf encoding (openapi.v2.Document), for client-go's OpenAPISchema(). */
export function openapiV2Protobuf(defs: ResourceDefinition[]): Buffer {
  return cachedOpenAPIV2Protobuf(defs).bytes;
}

/** ETag of /openapi/v2, the same for JSON and protobuf (upstream sends it quoted in the ETag header). */
export function openapiV2Hash(defs: ResourceDefinition[]): string {
  return cachedOpenAPIV2(defs).hash;
}

export function openapiV3Index(defs: ResourceDefinition[]): OpenAPIV3Index {
  return cachedOpenAPIV3Index(defs);
}

/** key: "api/v1", "apis/apps/v1", "api", "apis", "apis/apps", "version". Undefined when not served. */
export function openapiV3GroupVersion(defs: ResourceDefinition[], key: string): OpenAPIV3.Document | undefined {
  return cachedOpenAPIV3(defs, key)?.doc;
}

export function openapiV3GroupVersionJson(defs: ResourceDefinition[], key: string): string | undefined {
  return cachedOpenAPIV3(defs, key)?.json;
}

/** The hash the index advertises for a document (its ETag; a matching ?hash= may be cached immutably). */
export function openapiV3GroupVersionHash(defs: ResourceDefinition[], key: string): string | undefined {
  return cachedOpenAPIV3(defs, key)?.hash;
}

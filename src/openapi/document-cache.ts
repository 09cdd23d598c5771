// Documents are built on first request and kept, keyed by a fingerprint of the served definitions
// (so a registry that rebuilds its array does not rebuild the documents). Nothing runs at import.
import { createHash } from 'node:crypto';
import type { OpenAPIV2, OpenAPIV3 } from 'openapi-types';
import type { ResourceDefinition } from '../registry/types.ts';
import { nameResolver } from './definition-names.ts';
import { buildDefinitions } from './definitions.ts';
import { v3DocumentKeys } from './document-paths.ts';
import { buildOpenAPIV2 } from './openapi-v2.ts';
import { encodeOpenAPIV2Protobuf } from './openapi-v2-protobuf.ts';
import { type DefinitionsV2, buildOpenAPIV3 } from './openapi-v3.ts';

export interface SerializedDocument<T> {
  doc: T;
  json: string;
  /** Upstream's ETag/hash: uppercase hex SHA-512 of the JSON body. */
  hash: string;
}

interface Entry {
  definitions?: DefinitionsV2;
  v2?: SerializedDocument<OpenAPIV2.Document>;
  /** The v2 document in gnostic protobuf, built on the first protobuf request. */
  v2Protobuf?: Buffer;
  v3: Map<string, SerializedDocument<OpenAPIV3.Document> | null>;
}

const MAX_ENTRIES = 8;
const entries = new Map<string, Entry>();
const fingerprints = new WeakMap<ResourceDefinition[], string>();

function fingerprint(defs: ResourceDefinition[]): string {
  let fp = fingerprints.get(defs);
  if (fp === undefined) {
    fp = JSON.stringify(defs.map((d) => [
      d.group, d.version, d.kind, d.resource, d.singularName, d.namespaced, d.verbs, d.openapiModel,
      d.subresources?.status, !!d.subresources?.scale, d.subresources?.custom, Object.keys(d.subresources?.views ?? {}), !!d.strategy.defaultGracePeriodSeconds,
    ]));
    fingerprints.set(defs, fp);
  }
  return fp;
}

function entryFor(defs: ResourceDefinition[]): Entry {
  const fp = fingerprint(defs);
  let entry = entries.get(fp);
  if (!entry) {
    if (entries.size >= MAX_ENTRIES) entries.delete(entries.keys().next().value!);
    entry = { v3: new Map() };
    entries.set(fp, entry);
  }
  return entry;
}

function serialize<T>(doc: T): SerializedDocument<T> {
  const json = JSON.stringify(doc);
  return { doc, json, hash: createHash('sha512').update(json).digest('hex').toUpperCase() };
}

function definitionsFor(defs: ResourceDefinition[], entry: Entry): DefinitionsV2 {
  entry.definitions ??= buildDefinitions(defs, nameResolver(defs));
  return entry.definitions;
}

export function cachedOpenAPIV2(defs: ResourceDefinition[]): SerializedDocument<OpenAPIV2.Document> {
  const entry = entryFor(defs);
  entry.v2 ??= serialize(buildOpenAPIV2(defs));
  return entry.v2;
}

/** /openapi/v2 as gnostic protobuf; its ETag is the JSON document's hash, as upstream (Vary: Accept). */
export function cachedOpenAPIV2Protobuf(defs: ResourceDefinition[]): { bytes: Buffer; hash: string } {
  const json = cachedOpenAPIV2(defs);
  const entry = entryFor(defs);
  entry.v2Protobuf ??= encodeOpenAPIV2Protobuf(json.doc);
  return { bytes: entry.v2Protobuf, hash: json.hash };
}

export function cachedOpenAPIV3(defs: ResourceDefinition[], key: string): SerializedDocument<OpenAPIV3.Document> | undefined {
  const entry = entryFor(defs);
  let doc = entry.v3.get(key);
  if (doc === undefined) {
    const built = buildOpenAPIV3(defs, key, definitionsFor(defs, entry));
    doc = built ? serialize(built) : null;
    entry.v3.set(key, doc);
  }
  return doc ?? undefined;
}

export interface OpenAPIV3Index {
  paths: Record<string, { serverRelativeURL: string }>;
}

/** The /openapi/v3 index; its hashes are those of the documents, so it builds them all once. */
export function cachedOpenAPIV3Index(defs: ResourceDefinition[]): OpenAPIV3Index {
  const paths: OpenAPIV3Index['paths'] = {};
  for (const key of v3DocumentKeys(defs)) {
    const doc = cachedOpenAPIV3(defs, key);
    if (doc) paths[key] = { serverRelativeURL: `/openapi/v3/${key}?hash=${doc.hash}` };
  }
  return { paths };
}

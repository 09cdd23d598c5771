// Request body decoding: size, syntax, apiVersion/kind, name/namespace against the URL, and
// the schema checks behind fieldValidation.
import type { Request } from 'express';
import { newBadRequest, newInvalid } from '../apimachinery/errors.ts';
import type { KObject } from '../apimachinery/types.ts';
import { decodeProtobufObject, ProtobufDecodeError, ProtobufObjectError, type GroupVersionKindRef } from '../protobuf/decode-object.ts';
import { apiVersionOfDef, type ResourceDefinition } from '../registry/types.ts';
import { bodyFormat, type BodyFormat } from './negotiation.ts';
import { invalidOptions } from './handlers/dry-run.ts';
import { NO_DUPLICATES, parseYamlReportingDuplicates, resolveJsonDuplicates, type DuplicateFields } from './duplicate-fields.ts';
import { checkSchema, hasModel } from './schema-check.ts';

export type FieldValidation = 'Ignore' | 'Warn' | 'Strict';

export function fieldValidationOf(req: Request): FieldValidation {
  const v = req.query.fieldValidation;
  if (v === undefined || v === '') return 'Warn';
  if (v === 'Ignore' || v === 'Warn' || v === 'Strict') return v;
  const verb = req.method === 'POST' ? 'create' : req.method === 'PATCH' ? 'patch' : 'update';
  throw invalidOptions(verb, 'fieldValidation', String(v), ['Ignore', 'Warn', 'Strict']);
}

export function rawBody(req: Request): Buffer {
  return Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
}

/**
 * Parse a JSON, YAML or protobuf body into a value; syntax errors are a 400 as upstream's decoder
 * gives. `expected` is the type the endpoint takes (protobuf envelopes may leave it out).
 */
export function parseBody(buf: Buffer, format: BodyFormat, expected?: GroupVersionKindRef): unknown {
  return parseObjectBody(buf, format, expected, false).value;
}

/** parseBody, and the duplicate fields fieldValidation reports (JSON only when asked: it takes a scan). */
function parseObjectBody(buf: Buffer, format: BodyFormat, expected: GroupVersionKindRef | undefined, jsonDuplicates: boolean): { value: unknown; duplicates: DuplicateFields } {
  if (format === 'protobuf') return { value: parseProtobuf(buf, expected), duplicates: NO_DUPLICATES };
  const text = buf.toString('utf8');
  if (text.trim() === '') throw newBadRequest('the body of the request was empty');
  let parsed: { value: unknown; duplicates: DuplicateFields };
  try {
    parsed = format === 'json' ? { value: JSON.parse(text), duplicates: NO_DUPLICATES } : parseYamlReportingDuplicates(text);
  } catch (err) {
    const msg = err instanceof Error ? err.message.split('\n')[0] : String(err);
    throw newBadRequest(`the object provided is unrecognized (${format === 'json' ? 'invalid JSON' : 'invalid YAML'}: ${msg})`);
  }
  if (format === 'json' && jsonDuplicates) parsed.duplicates = resolveJsonDuplicates(text, parsed.value);
  return parsed;
}

/**
 * Decode an object body for create/update: returns the object and the warnings to send back.
 */
export function decodeObject(req: Request, def: ResourceDefinition, validation: FieldValidation): { obj: KObject; warnings: string[] } {
  const { value, duplicates } = parseObjectBody(rawBody(req), bodyFormat(req.headers['content-type']), { apiVersion: apiVersionOfDef(def), kind: def.kind }, true);
  return checkObject(value, def, validation, duplicates);
}

/**
 * A protobuf body as the JSON object the client's Go struct stands for; it then takes the same checks
 * as JSON. Errors read as upstream's transformDecodeError words them.
 */
function parseProtobuf(buf: Buffer, expected: GroupVersionKindRef | undefined): unknown {
  try {
    return decodeProtobufObject(buf, expected).object;
  } catch (err) {
    if (!(err instanceof ProtobufDecodeError)) throw err;
    const into = expected?.kind ?? 'Object';
    if (err instanceof ProtobufObjectError) {
      const version = err.apiVersion.slice(err.apiVersion.lastIndexOf('/') + 1);
      throw newBadRequest(`${err.kind} in version ${JSON.stringify(version)} cannot be handled as a ${into}: ${err.message}`);
    }
    throw newBadRequest(`the object provided is unrecognized (must be of type ${into}): ${err.message} (${summarizeData(buf, 30)})`);
  }
}

/** The start of a body for an error message: text if it looks like JSON, else hex. */
function summarizeData(buf: Buffer, max: number): string {
  if (buf.length === 0) return '<empty>';
  const head = buf.subarray(0, max);
  const more = buf.length > max ? ' ...' : '';
  return buf[0] === 0x7b ? head.toString('utf8') + more : head.toString('hex') + more;
}

export function checkObject(value: unknown, def: ResourceDefinition, validation: FieldValidation, duplicates: DuplicateFields = NO_DUPLICATES): { obj: KObject; warnings: string[] } {
  const expected = apiVersionOfDef(def);
  const prefix = `${def.kind} in version "${def.version}" cannot be handled as a ${def.kind}`;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw newBadRequest(`${prefix}: json: cannot unmarshal ${Array.isArray(value) ? 'array' : typeof value} into Go value of type struct`);
  }
  const obj = value as KObject;
  if (obj.apiVersion !== undefined && obj.apiVersion !== expected) {
    throw newBadRequest(`the API version in the data (${String(obj.apiVersion)}) does not match the expected API version (${expected})`);
  }
  if (obj.kind !== undefined && obj.kind !== def.kind) {
    throw newBadRequest(`${prefix}: the kind in the data (${String(obj.kind)}) does not match the expected kind (${def.kind})`);
  }
  if (obj.metadata === undefined || obj.metadata === null) obj.metadata = {};
  if (typeof obj.metadata !== 'object' || Array.isArray(obj.metadata)) {
    throw newBadRequest(`${prefix}: json: cannot unmarshal ${Array.isArray(obj.metadata) ? 'array' : typeof obj.metadata} into Go struct field ${def.kind}.metadata of type v1.ObjectMeta`);
  }
  let unknown: string[] = [];
  if (hasModel(def.openapiModel)) {
    const problems = checkSchema(obj, def.openapiModel);
    if (problems.typeErrors.length) throw newBadRequest(`${prefix}: ${problems.typeErrors[0]}`);
    unknown = problems.unknownFields.filter((f) => f !== 'apiVersion' && f !== 'kind');
  }
  // Unknown and duplicate fields: refused, warned about or ignored as fieldValidation says.
  const warnings = validation === 'Warn' ? duplicates.warnings(unknown) : [];
  if (validation === 'Strict') {
    const errors = duplicates.errors(unknown);
    if (errors.length) throw newBadRequest(`${prefix}: strict decoding error: ${errors.join(', ')}`);
  }
  for (const f of unknown) dropField(obj, f);
  return { obj, warnings };
}

/** Remove an unknown field (the decoder drops what the type does not have). */
function dropField(obj: unknown, path: string): void {
  const parts = path.match(/[^.[\]]+/g) ?? [];
  let cur: unknown = obj;
  for (let i = 0; i < parts.length - 1; i++) {
    if (cur === null || typeof cur !== 'object') return;
    cur = (cur as Record<string, unknown>)[parts[i]!];
  }
  if (cur && typeof cur === 'object') delete (cur as Record<string, unknown>)[parts[parts.length - 1]!];
}

/** The body's name and namespace must agree with the URL (upstream: 400 BadRequest). */
export function checkNameAndNamespace(obj: KObject, def: ResourceDefinition, urlNamespace: string, urlName: string | undefined): void {
  const m = obj.metadata;
  if (def.namespaced && m.namespace && urlNamespace && m.namespace !== urlNamespace) {
    throw newBadRequest('the namespace of the provided object does not match the namespace sent on the request');
  }
  if (urlName !== undefined) {
    if (m.name && m.name !== urlName) throw newBadRequest('the name of the object (' + m.name + ') does not match the name on the URL (' + urlName + ')');
    if (!m.name) m.name = urlName;
  }
  if (typeof m.name === 'string' && m.name.length > 0 && /[/%]/.test(m.name)) {
    throw newInvalid({ group: def.group, kind: def.kind }, m.name, [{ type: 'FieldValueInvalid', field: 'metadata.name', badValue: m.name, detail: 'may not contain \'/\' or \'%\'' }]);
  }
}

/** Any JSON, YAML or protobuf body as a value (subresources with their own kinds). */
export function decodeBodyValue(req: Request): unknown {
  return parseBody(rawBody(req), bodyFormat(req.headers['content-type']));
}

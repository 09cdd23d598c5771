// Status errors with upstream's reasons and message texts (k8s.io/apimachinery/pkg/api/errors),
// because kubectl and client libraries print and branch on them.

export type StatusReason =
  | 'BadRequest' | 'Unauthorized' | 'Forbidden' | 'NotFound' | 'AlreadyExists' | 'Conflict'
  | 'Gone' | 'Invalid' | 'ServerTimeout' | 'Timeout' | 'TooManyRequests' | 'MethodNotAllowed'
  | 'NotAcceptable' | 'RequestEntityTooLarge' | 'UnsupportedMediaType' | 'InternalError'
  | 'Expired' | 'ServiceUnavailable' | '';

export interface StatusCause {
  reason?: string;
  message?: string;
  field?: string;
}

export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  uid?: string;
  causes?: StatusCause[];
  retryAfterSeconds?: number;
}

export interface Status {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, never>;
  status: 'Failure' | 'Success';
  message: string;
  reason: StatusReason;
  details?: StatusDetails;
  code: number;
}

export class StatusError extends Error {
  constructor(readonly status: Status) {
    super(status.message);
    this.name = 'StatusError';
  }
  get code(): number { return this.status.code; }
  get reason(): StatusReason { return this.status.reason; }
}

export interface GroupResource {
  group: string;
  resource: string;
}

/** "deployments.apps" or "pods", as upstream's schema.GroupResource.String(). */
export function qualifiedResource(gr: GroupResource): string {
  return gr.group ? `${gr.resource}.${gr.group}` : gr.resource;
}

function make(code: number, reason: StatusReason, message: string, details?: StatusDetails): StatusError {
  const status: Status = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code };
  if (details) status.details = omitEmpty(details);
  return new StatusError(status);
}

/** Upstream's StatusDetails fields are all omitempty: "" and [] never reach the wire. */
function omitEmpty(details: StatusDetails): StatusDetails {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(details)) {
    if (v === undefined || v === '' || (Array.isArray(v) && v.length === 0)) continue;
    out[k] = v;
  }
  return out as StatusDetails;
}

export function newNotFound(gr: GroupResource, name: string): StatusError {
  return make(404, 'NotFound', `${qualifiedResource(gr)} "${name}" not found`, { name, group: gr.group, kind: gr.resource });
}

export function newAlreadyExists(gr: GroupResource, name: string): StatusError {
  return make(409, 'AlreadyExists', `${qualifiedResource(gr)} "${name}" already exists`, { name, group: gr.group, kind: gr.resource });
}

export function newConflict(gr: GroupResource, name: string, detail: string): StatusError {
  return make(409, 'Conflict', `Operation cannot be fulfilled on ${qualifiedResource(gr)} "${name}": ${detail}`, {
    name, group: gr.group, kind: gr.resource,
  });
}

/** The message upstream's registry gives for a stale resourceVersion on update. */
export const OPTIMISTIC_LOCK_MESSAGE = 'the object has been modified; please apply your changes to the latest version and try again';

export interface FieldError {
  type: FieldErrorType;
  field: string;
  badValue?: unknown;
  detail?: string;
}

export type FieldErrorType =
  | 'FieldValueNotFound' | 'FieldValueRequired' | 'FieldValueDuplicate' | 'FieldValueInvalid'
  | 'FieldValueNotSupported' | 'FieldValueForbidden' | 'FieldValueTooLong' | 'FieldValueTooMany'
  | 'InternalError' | 'FieldValueTypeInvalid';

/** field.Error.Error() of upstream: "spec.replicas: Invalid value: -1: must be greater than or equal to 0". */
export function fieldErrorMessage(e: FieldError): string {
  const label: Record<FieldErrorType, string> = {
    FieldValueNotFound: 'Not found',
    FieldValueRequired: 'Required value',
    FieldValueDuplicate: 'Duplicate value',
    FieldValueInvalid: 'Invalid value',
    FieldValueNotSupported: 'Unsupported value',
    FieldValueForbidden: 'Forbidden',
    FieldValueTooLong: 'Too long',
    FieldValueTooMany: 'Too many',
    InternalError: 'Internal error',
    FieldValueTypeInvalid: 'Invalid value',
  };
  const showsValue = e.type === 'FieldValueInvalid' || e.type === 'FieldValueNotSupported'
    || e.type === 'FieldValueDuplicate' || e.type === 'FieldValueNotFound' || e.type === 'FieldValueTypeInvalid';
  let s = `${e.field}: ${label[e.type]}`;
  if (showsValue && e.badValue !== undefined) s += `: ${formatBadValue(e.badValue)}`;
  if (e.detail) s += `: ${e.detail}`;
  return s;
}

function formatBadValue(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if (v === null) return 'null';
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

export function newInvalid(gk: { group: string; kind: string }, name: string, errs: FieldError[]): StatusError {
  const causes: StatusCause[] = errs.map((e) => ({ reason: e.type, message: fieldErrorMessage(e).slice(e.field.length + 2), field: e.field }));
  const qualifiedKind = gk.group ? `${gk.kind}.${gk.group}` : gk.kind;
  let message = `${qualifiedKind} "${name}" is invalid`;
  if (errs.length === 1) message += `: ${fieldErrorMessage(errs[0]!)}`;
  else if (errs.length > 1) message += `: [${errs.map(fieldErrorMessage).join(', ')}]`;
  return make(422, 'Invalid', message, { name, group: gk.group, kind: gk.kind, causes });
}

export function newBadRequest(message: string): StatusError {
  return make(400, 'BadRequest', message);
}

export function newUnauthorized(message = 'Unauthorized'): StatusError {
  return make(401, 'Unauthorized', message);
}

export function newForbidden(gr: GroupResource, name: string, reason: string): StatusError {
  const what = name ? `${qualifiedResource(gr)} "${name}"` : qualifiedResource(gr);
  return make(403, 'Forbidden', `${what} is forbidden: ${reason}`, { name, group: gr.group, kind: gr.resource });
}

export function newMethodNotSupported(gr: GroupResource, action: string): StatusError {
  return make(405, 'MethodNotAllowed', `${action} is not supported on resources of kind "${qualifiedResource(gr)}"`, {
    group: gr.group, kind: gr.resource,
  });
}

export function newNotAcceptable(message: string): StatusError {
  return make(406, 'NotAcceptable', message);
}

export function newUnsupportedMediaType(message: string): StatusError {
  return make(415, 'UnsupportedMediaType', message);
}

export function newRequestEntityTooLarge(message: string): StatusError {
  return make(413, 'RequestEntityTooLarge', `Request entity too large: ${message}`);
}

export function newGone(message: string): StatusError {
  return make(410, 'Gone', message);
}

/** A too-old resourceVersion: 410 with reason Expired, as the watch cache and etcd3 store answer. */
export function newResourceExpired(message: string): StatusError {
  return make(410, 'Expired', message);
}

export function newTimeoutError(message: string, retryAfterSeconds = 0): StatusError {
  return make(504, 'Timeout', message, { retryAfterSeconds });
}

export function newServiceUnavailable(message: string): StatusError {
  return make(503, 'ServiceUnavailable', message);
}

export function newTooManyRequests(message: string, retryAfterSeconds: number): StatusError {
  return make(429, 'TooManyRequests', message, { retryAfterSeconds });
}

export function newInternalError(err: unknown): StatusError {
  const msg = err instanceof Error ? err.message : String(err);
  return make(500, 'InternalError', `Internal error occurred: ${msg}`, { causes: [{ message: msg }] });
}

/** A generic 404 for paths that name no resource, as the apiserver's NotFound handler writes it. */
export function newPathNotFound(): StatusError {
  return make(404, 'NotFound', 'the server could not find the requested resource', {});
}

/** A path that is served, but not with this HTTP method: go-restful's 405 as kube-apiserver writes it. */
export function newMethodNotAllowed(): StatusError {
  return make(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource', {});
}

export function successStatus(details?: StatusDetails): Record<string, unknown> {
  const s: Record<string, unknown> = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success' };
  if (details) s.details = details;
  return s;
}

export function isStatusError(e: unknown, reason?: StatusReason): e is StatusError {
  return e instanceof StatusError && (reason === undefined || e.reason === reason);
}

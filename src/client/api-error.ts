// Failed requests as a StatusError carrying the server's Status (code, reason, details), with the
// helpers controllers branch on, named as k8s.io/apimachinery/pkg/api/errors.
import { StatusError, type Status, type StatusReason } from '../apimachinery/errors.ts';

export class ApiError extends StatusError {
  constructor(status: Status, readonly method?: string, readonly url?: string) {
    super(status);
    this.name = 'ApiError';
  }

  /** A Status sent by the server (a response body or a watch ERROR event). */
  static fromStatus(status: Partial<Status>, method?: string, url?: string): ApiError {
    const code = typeof status.code === 'number' ? status.code : 500;
    return new ApiError({
      kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure',
      message: status.message ?? '', reason: (status.reason ?? '') as StatusReason, code,
      ...(status.details ? { details: status.details } : {}),
    }, method, url);
  }

  /** A response whose body is not a Status: the reason comes from the code, as client-go's newUnstructuredResponseError. */
  static fromResponse(code: number, body: string, method?: string, url?: string): ApiError {
    let parsed: unknown;
    try { parsed = JSON.parse(body); } catch { /* not JSON */ }
    const p = parsed as Partial<Status> | undefined;
    if (p && p.kind === 'Status') return ApiError.fromStatus({ ...p, code: p.code ?? code }, method, url);
    const message = body.trim() || `the server responded with the status code ${code} but did not return more information`;
    return ApiError.fromStatus({ code, reason: REASON_FOR_CODE[code] ?? '', message }, method, url);
  }
}

const REASON_FOR_CODE: Record<number, StatusReason> = {
  400: 'BadRequest', 401: 'Unauthorized', 403: 'Forbidden', 404: 'NotFound', 405: 'MethodNotAllowed',
  406: 'NotAcceptable', 409: 'Conflict', 410: 'Gone', 413: 'RequestEntityTooLarge', 415: 'UnsupportedMediaType',
  422: 'Invalid', 429: 'TooManyRequests', 500: 'InternalError', 503: 'ServiceUnavailable', 504: 'Timeout',
};

/** Upstream's reasonAndCodeForError check: the reason, or the code when the server gave no reason. */
function hasReason(err: unknown, reason: StatusReason, code: number): boolean {
  if (!(err instanceof StatusError)) return false;
  return err.reason === reason || (err.reason === '' && err.code === code);
}

export const isNotFound = (err: unknown) => hasReason(err, 'NotFound', 404);
export const isAlreadyExists = (err: unknown) => hasReason(err, 'AlreadyExists', 409);
export const isConflict = (err: unknown) => hasReason(err, 'Conflict', 409);
export const isInvalid = (err: unknown) => hasReason(err, 'Invalid', 422);
export const isForbidden = (err: unknown) => hasReason(err, 'Forbidden', 403);
export const isTooManyRequests = (err: unknown) => hasReason(err, 'TooManyRequests', 429);
/** reason Expired: a resourceVersion or continue token older than the compacted history. */
export const isResourceExpired = (err: unknown) => hasReason(err, 'Expired', 410);
/** Any 410: reason Gone or Expired. Both mean "list again" to a reflector. */
export const isGone = (err: unknown) => err instanceof StatusError && err.code === 410;

/** A connection-level failure (server down or restarting), not an answer from the server. */
export function isConnectionError(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  return code === 'ECONNREFUSED' || code === 'ECONNRESET' || code === 'EPIPE' || code === 'ETIMEDOUT'
    || code === 'EHOSTUNREACH' || code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'UND_ERR_SOCKET';
}

// Errors of talking to a kubelet, worded as kube-apiserver words them (Go's net errors inside the
// apiserver's own messages), and a kubelet's non-success answer turned into a Status as upstream's
// GenericHttpResponseChecker does.
import { newBadRequest, StatusError, type StatusReason } from '../../apimachinery/errors.ts';

/** A Status with no reason (upstream's ErrorToAPIStatus for an error that is not a Status): 500. */
export function unknownStatusError(message: string, code = 500): StatusError {
  return new StatusError({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason: '', code });
}

/** "dial tcp 10.0.0.1:10250: connect: connection refused" for a failed connection attempt. */
export function describeDialError(err: unknown, hostPort: string): string {
  const e = err as NodeJS.ErrnoException;
  switch (e.code) {
    case 'ECONNREFUSED': return `dial tcp ${hostPort}: connect: connection refused`;
    case 'EHOSTUNREACH': return `dial tcp ${hostPort}: connect: no route to host`;
    case 'ENETUNREACH': return `dial tcp ${hostPort}: connect: network is unreachable`;
    case 'ETIMEDOUT': case 'DIAL_TIMEOUT': return `dial tcp ${hostPort}: i/o timeout`;
    case 'ECONNRESET': return `read tcp ${hostPort}: read: connection reset by peer`;
    case 'ENOTFOUND': case 'EAI_AGAIN': return `dial tcp: lookup ${hostPort.replace(/:\d+$/, '')}: no such host`;
    default: return e.message ?? String(err);
  }
}

/** A kubelet's answer outside 200–206 for a resource's subresource (e.g. pods/log) of `name`. */
export function checkBackendResponse(code: number, body: string, resource: string, name: string): StatusError {
  if (code === 500) {
    return new StatusError({
      kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', reason: 'InternalError', code,
      message: `Internal error occurred: ${body}`, details: { causes: [{ message: body }] },
    });
  }
  if (code === 400) return newBadRequest(body);
  // NewGenericServerResponse with an empty verb, hence "( pods/log x)".
  let reason: StatusReason = '';
  let message = `the server responded with the status code ${code} but did not return more information`;
  switch (code) {
    case 409: reason = 'Conflict'; message = 'the server reported a conflict'; break;
    case 404: reason = 'NotFound'; message = 'the server could not find the requested resource'; break;
    case 401: reason = 'Unauthorized'; message = 'the server has asked for the client to provide credentials'; break;
    case 403: reason = 'Forbidden'; message = body; break;
    case 405: reason = 'MethodNotAllowed'; message = 'the server does not allow this method on the requested resource'; break;
    case 422: reason = 'Invalid'; message = 'the server rejected our request due to an error in our request'; break;
    case 504: reason = 'Timeout'; message = 'the server was unable to return a response in the time allotted, but may still be processing the request'; break;
    case 429: reason = 'TooManyRequests'; message = 'the server has received too many requests and has asked us to try again later'; break;
    default:
      if (code >= 500) {
        reason = 'InternalError';
        message = `an error on the server (${JSON.stringify(body)}) has prevented the request from succeeding`;
      }
  }
  return new StatusError({
    kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', reason, code,
    message: `${message} ( ${resource} ${name})`, details: { name, kind: resource },
  });
}

// The Status errors a patch can fail with, shaped as kube-apiserver answers them.
import { StatusError, newBadRequest } from '../errors.ts';

/**
 * errors.NewGenericServerResponse(422, "", GroupResource{}, "", ...): how the apiserver reports a
 * JSON patch that does not apply (failed `test`, missing path) — the detail is not passed on, so
 * kubectl prints "The request is invalid: the server rejected our request due to an error in our request".
 */
export function newPatchNotApplicable(): StatusError {
  return new StatusError({
    kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure',
    message: 'the server rejected our request due to an error in our request',
    reason: 'Invalid', details: {}, code: 422,
  });
}

/**
 * A plain Go error reaching the response writer (most strategic merge patch failures): 500 with
 * an empty reason, which kubectl prints as "Error from server: <message>".
 */
export function newUnknownServerError(message: string): StatusError {
  return new StatusError({
    kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason: '', code: 500,
  });
}

export { newBadRequest };

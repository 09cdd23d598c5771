// Assertions in the shape the e2e suite uses: a failure says what was expected and what was seen, in
// one line the table can show.
import assert from 'node:assert/strict';
import { ApiException } from '@kubernetes/client-node';

export { assert };

export interface ApiStatus {
  code: number;
  reason?: string;
  message?: string;
  details?: { causes?: { reason?: string; message?: string; field?: string }[] };
}

/** Runs fn, which must fail with an API error; returns the Status. */
export async function apiError(fn: () => Promise<unknown>, what: string): Promise<ApiStatus> {
  try {
    await fn();
  } catch (err) {
    if (err instanceof ApiException) {
      let body: any = err.body;
      if (typeof body === 'string') {
        try {
          body = JSON.parse(body);
        } catch {
          body = { message: body };
        }
      }
      return { ...(body && typeof body === 'object' ? body : {}), code: err.code };
    }
    throw err;
  }
  throw new Error(`${what}: expected the API to refuse, but it succeeded`);
}

/** The e2e suite's apierrors.IsNotFound / IsInvalid / IsAlreadyExists, by Status reason and code. */
export function expectReason(status: ApiStatus, reason: 'NotFound' | 'Invalid' | 'AlreadyExists' | 'Conflict' | 'NotAcceptable' | 'BadRequest', what: string): void {
  const codes = { NotFound: 404, Invalid: 422, AlreadyExists: 409, Conflict: 409, NotAcceptable: 406, BadRequest: 400 } as const;
  assert.ok(
    status.code === codes[reason] && (status.reason === undefined || status.reason === reason),
    `${what}: expected ${codes[reason]} ${reason}, got ${status.code} ${status.reason ?? ''} ${status.message ?? ''}`.trim(),
  );
}

/** Kubernetes resourceVersions compare as integers when both are decimal (resourceversion.CompareResourceVersion). */
export function expectNewerResourceVersion(before: string | undefined, after: string | undefined, what: string): void {
  assert.ok(before && /^\d+$/.test(before), `${what}: resourceVersion ${before} is not a valid resourceVersion`);
  assert.ok(after && /^\d+$/.test(after), `${what}: resourceVersion ${after} is not a valid resourceVersion`);
  assert.ok(BigInt(after) > BigInt(before), `${what}: resourceVersion ${after} is not larger than ${before}`);
}

/** HaveValidResourceVersion: set and a positive integer. */
export function expectValidResourceVersion(obj: { metadata?: { resourceVersion?: string } }, what: string): void {
  const rv = obj.metadata?.resourceVersion;
  assert.ok(rv && /^[1-9]\d*$/.test(rv), `${what}: resourceVersion ${JSON.stringify(rv)} is not a positive integer`);
}

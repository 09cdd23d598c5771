// client-node 1.x throws ApiException with the raw response text as body; tests look at the Status.
import { ApiException } from '@kubernetes/client-node';

export interface StatusBody {
  kind?: string;
  apiVersion?: string;
  status?: string;
  message?: string;
  reason?: string;
  code?: number;
  details?: { name?: string; group?: string; kind?: string; causes?: { reason?: string; message?: string; field?: string }[] };
}

/** Runs fn, expects an ApiException, returns its code and parsed Status body. */
export async function expectApiError(fn: () => Promise<unknown>): Promise<{ code: number; status: StatusBody }> {
  try {
    await fn();
  } catch (err) {
    if (err instanceof ApiException) {
      const body = err.body as unknown;
      let status: StatusBody = {};
      if (typeof body === 'string') {
        try {
          status = JSON.parse(body) as StatusBody;
        } catch {
          status = { message: body };
        }
      } else if (body && typeof body === 'object') {
        status = body as StatusBody;
      }
      return { code: err.code, status };
    }
    throw err;
  }
  throw new Error('expected the call to fail with an ApiException, but it succeeded');
}

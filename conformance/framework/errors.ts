// Failure messages that fit a table row: an API error as "HTTP 404 NotFound: message" (not client-node's
// dump of headers), an assertion as "what: expected X, got Y".
import { AssertionError } from 'node:assert';
import { inspect } from 'node:util';
import { ApiException } from '@kubernetes/client-node';

export function describeError(err: unknown): string {
  if (err instanceof ApiException) {
    let status: any = err.body;
    if (typeof status === 'string') {
      try {
        status = JSON.parse(status);
      } catch {
        status = { message: status };
      }
    }
    return `HTTP ${err.code}${status?.reason ? ` ${status.reason}` : ''}: ${status?.message ?? String(err.body).slice(0, 300)}`;
  }
  if (err instanceof AssertionError) {
    const what = err.message.split('\n')[0] ?? '';
    if (err.generatedMessage || !['strictEqual', 'deepStrictEqual', 'notStrictEqual'].includes(err.operator)) return what;
    const show = (v: unknown) => inspect(v, { depth: 4, breakLength: Infinity });
    return `${what}: expected ${err.operator === 'notStrictEqual' ? 'not ' : ''}${show(err.expected)}, got ${show(err.actual)}`;
  }
  if (err instanceof Error) return err.message;
  return String(err);
}

// One-line error text for controller logs: a Status's message and reason, or an Error's message.
import { StatusError } from '../../apimachinery/errors.ts';

export function describeError(err: unknown): string {
  if (err instanceof StatusError) return `${err.message} (${err.code}${err.reason ? ` ${err.reason}` : ''})`;
  if (err instanceof Error) return (err as NodeJS.ErrnoException).code ? `${err.message} (${(err as NodeJS.ErrnoException).code})` : err.message;
  return String(err);
}

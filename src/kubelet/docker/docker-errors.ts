// Error helpers shared by the runtime's parts: CRI removals and stops are idempotent, and a failure
// names what was being done before the daemon's own message, as dockershim's did.
import { RuntimeError } from '../runtime/runtime-service.ts';
import { DockerError } from './docker-client.ts';

export async function ignoreNotFound(p: Promise<unknown>): Promise<void> {
  try {
    await p;
  } catch (err) {
    if (err instanceof DockerError && err.statusCode === 404) return;
    throw err;
  }
}

/** Prefixes the message with what was being done, keeping the error's code. */
export function wrap(err: unknown, what: string): Error {
  if (err instanceof RuntimeError) return new RuntimeError(`${what}: ${err.message}`, err.code);
  return new RuntimeError(`${what}: ${err instanceof Error ? err.message : String(err)}`);
}

// wait.PollUntilContextTimeout: retry until the condition holds, so a slow real cluster and a fast
// k8ts both pass without fixed sleeps; the timeout message says what was last seen.
import { setTimeout as delay } from 'node:timers/promises';

export async function poll<T>(fn: () => T | Promise<T>, opts: { timeoutMs?: number; intervalMs?: number; what: string }): Promise<NonNullable<T>> {
  const deadline = Date.now() + (opts.timeoutMs ?? 30_000);
  let last: unknown;
  for (;;) {
    try {
      last = await fn();
      if (last) return last as NonNullable<T>;
    } catch (err) {
      last = err instanceof Error ? err.message : err;
    }
    if (Date.now() >= deadline) throw new Error(`timed out waiting for ${opts.what} (last: ${JSON.stringify(last)})`);
    await delay(opts.intervalMs ?? 100);
  }
}

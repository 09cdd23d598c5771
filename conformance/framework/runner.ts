// Runs scenarios one by one (each in its own namespace, with a time limit and clean-up afterwards) and
// collects PASS / FAIL / SKIP results. A scenario that outlives its limit is reported as FAIL and its
// clean-up runs at once (deleting its namespace ends whatever it was still waiting for).
import type { Scenario } from './scenario.ts';
import { createContext, type ContextDeps } from './context.ts';
import { describeError } from './errors.ts';

export type Status = 'PASS' | 'FAIL' | 'SKIP';

export interface ScenarioResult {
  name: string;
  upstream: string;
  release: string;
  status: Status;
  durationMs: number;
  /** Why it failed or was skipped; null when it passed. */
  error: string | null;
}

/** Thrown by a scenario that cannot run here (e2eskipper): reported as SKIP with the message. */
export class SkipError extends Error {
  override name = 'SkipError';
}

const DEFAULT_TIMEOUT_MS = 60_000;

export async function runScenario(s: Scenario, deps: ContextDeps): Promise<ScenarioResult> {
  const started = performance.now();
  const limit = s.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const base = { name: s.name, upstream: s.upstream.codename, release: s.upstream.release };
  let status: Status = 'PASS';
  let error: string | undefined;
  let ctx: Awaited<ReturnType<typeof createContext>> | undefined;
  let timer: NodeJS.Timeout | undefined;
  try {
    ctx = await createContext(deps);
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`timed out after ${limit / 1000}s`)), limit);
    });
    await Promise.race([s.run(ctx), timeout]);
  } catch (err) {
    if (err instanceof SkipError) {
      status = 'SKIP';
      error = err.message;
    } else {
      status = 'FAIL';
      error = describeError(err);
    }
  } finally {
    clearTimeout(timer);
  }
  if (ctx) {
    const cleanupErrors = await ctx.close();
    if (cleanupErrors.length > 0 && status === 'PASS') {
      status = 'FAIL';
      error = `clean-up failed: ${cleanupErrors.join('; ')}`;
    }
  }
  return { ...base, status, durationMs: Math.round(performance.now() - started), error: error ?? null };
}

export async function runAll(scenarios: Scenario[], deps: ContextDeps, onResult: (r: ScenarioResult) => void): Promise<ScenarioResult[]> {
  const results: ScenarioResult[] = [];
  for (const s of scenarios) {
    const r = await runScenario(s, deps);
    results.push(r);
    onResult(r);
  }
  return results;
}

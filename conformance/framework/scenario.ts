// What a scenario is: one upstream [Conformance] test, re-checked through the public API only, so the
// same scenario runs against k8ts or any real cluster.
import type { ScenarioContext } from './context.ts';

/** The upstream test a scenario checks, as named in test/conformance/testdata/conformance.yaml. */
export interface UpstreamTest {
  /** The Ginkgo name, exactly as in the conformance list (spacing included). */
  codename: string;
  /** The list's short `testname`. */
  testname: string;
  /** Release the test joined the conformance suite. */
  release: string;
  /** The e2e source file in kubernetes/kubernetes. */
  file: string;
}

export interface Scenario {
  /** Short unique name shown in the table: the upstream testname. */
  name: string;
  upstream: UpstreamTest;
  /** Whole-scenario time limit; the default suits API-only checks. */
  timeoutMs?: number;
  run(ctx: ScenarioContext): Promise<void>;
}

/** A scenario whose name is its upstream testname. */
export function scenario(upstream: UpstreamTest, run: Scenario['run'], opts: { timeoutMs?: number; name?: string } = {}): Scenario {
  return { name: opts.name ?? upstream.testname, upstream, timeoutMs: opts.timeoutMs, run };
}

/** The SIG a codename belongs to, e.g. "sig-node", for per-SIG counts. */
export function sigOf(codename: string): string {
  return /^\[(sig-[a-z-]+)\]/.exec(codename)?.[1] ?? 'unknown';
}

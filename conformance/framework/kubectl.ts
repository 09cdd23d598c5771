// The real kubectl, pointed at the run's kubeconfig only (a user's KUBECONFIG never leaks in) and at a
// discovery cache private to the run, so a server restarted on a recycled port is never confused with
// another one.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { runProcess, type ProcessResult } from './process.ts';

export type KubectlResult = ProcessResult;

export interface KubectlRunner {
  (args: string[], opts?: { input?: string; timeoutMs?: number }): Promise<KubectlResult>;
  /** Exits 0 or throws with kubectl's output; returns stdout. */
  ok(args: string[], opts?: { input?: string; timeoutMs?: number }): Promise<string>;
  /** A long-running kubectl (proxy, get -w): read its stdout lines as they come. */
  spawn(args: string[]): KubectlProcess;
}

export interface KubectlProcess {
  child: ChildProcessWithoutNullStreams;
  /** Resolves with the first stdout line matching, or rejects on exit or after timeoutMs. */
  waitForLine(match: RegExp, timeoutMs?: number): Promise<string>;
  stop(): Promise<void>;
}

export function kubectlRunner(bin: string, kubeconfig: string, cacheDir: string): KubectlRunner {
  const globalArgs = [`--kubeconfig=${kubeconfig}`, `--cache-dir=${cacheDir}`];
  const env = { ...process.env, KUBECONFIG: kubeconfig };

  // Generous default: `kubectl delete pod` on a real cluster waits for the container to stop.
  const run = ((args, opts = {}) =>
    runProcess(bin, [...globalArgs, ...args], { env, input: opts.input, timeoutMs: opts.timeoutMs ?? 90_000 })) as KubectlRunner;

  run.ok = async (args, opts) => {
    const r = await run(args, opts);
    if (r.code !== 0) throw new Error(`kubectl ${args.join(' ')} exited ${r.code}: ${(r.stderr || r.stdout).trim()}`);
    return r.stdout;
  };

  run.spawn = (args) => {
    const child = spawn(bin, [...globalArgs, ...args], { env, stdio: 'pipe' });
    const lines: string[] = [];
    let partial = '';
    let stderr = '';
    let exited = false;
    const listeners = new Set<() => void>();
    const notify = () => {
      for (const l of listeners) l();
    };
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      const parts = (partial + d).split('\n');
      partial = parts.pop() ?? '';
      lines.push(...parts);
      notify();
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const closed = new Promise<void>((resolve) =>
      child.on('close', () => {
        exited = true;
        notify();
        resolve();
      }),
    );
    child.on('error', () => {}); // reported through 'close'
    child.stdin.end();
    return {
      child,
      waitForLine(match, timeoutMs = 15_000) {
        return new Promise((resolve, reject) => {
          const done = () => {
            clearTimeout(timer);
            listeners.delete(check);
          };
          const check = () => {
            const hit = lines.find((l) => match.test(l));
            if (hit !== undefined) {
              done();
              resolve(hit);
            } else if (exited) {
              done();
              reject(new Error(`kubectl ${args.join(' ')} exited before printing ${match}: ${stderr.trim()}`));
            }
          };
          const timer = setTimeout(() => {
            done();
            reject(new Error(`kubectl ${args.join(' ')} printed nothing matching ${match} within ${timeoutMs}ms: ${stderr.trim()}`));
          }, timeoutMs);
          listeners.add(check);
          check();
        });
      },
      async stop() {
        if (!exited) child.kill('SIGTERM');
        await closed;
      },
    };
  };
  return run;
}

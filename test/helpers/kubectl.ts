// The real kubectl binary, driven as a user would. Each kubeconfig gets its own discovery cache dir
// so a server started on a recycled port never sees another server's cached discovery.
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync } from 'node:fs';
import { runProcess, type ProcessResult } from '../../conformance/framework/process.ts';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface KubectlOptions {
  kubeconfig?: string;
  /** Written to stdin (for `-f -`). */
  input?: string;
  env?: Record<string, string>;
  /** kubectl binary; default `kubectl` on PATH. */
  bin?: string;
  timeoutMs?: number;
}

export type KubectlResult = ProcessResult;

export interface KubectlBinary {
  /** Shown in test names. */
  label: string;
  bin: string;
}

const VERSIONED_DIR = '/usr/lib/google-cloud-sdk/bin';
/** Debian 12's kubectl (package kubernetes-client), unpacked by scripts/fetch-kubectl-debian.sh. */
const DEBIAN_KUBECTL = fileURLToPath(new URL('../../.cache/kubectl-1.20/usr/bin/kubectl', import.meta.url));
export const DEBIAN_KUBECTL_LABEL = 'kubectl 1.20 (Debian)';

/** Debian's kubectl 1.20 when scripts/fetch-kubectl-debian.sh has unpacked it, else undefined. */
export function debianKubectl(): KubectlBinary | undefined {
  return existsSync(DEBIAN_KUBECTL) ? { label: DEBIAN_KUBECTL_LABEL, bin: DEBIAN_KUBECTL } : undefined;
}

/** The PATH kubectl first, then every versioned kubectl present on this machine (dev machines have 1.27…1.33),
 * then Debian's kubectl 1.20 when it has been fetched. */
export function kubectlBinaries(): KubectlBinary[] {
  const out: KubectlBinary[] = [{ label: 'kubectl (PATH)', bin: process.env.KUBECTL ?? 'kubectl' }];
  for (let minor = 27; minor <= 40; minor++) {
    const bin = join(VERSIONED_DIR, `kubectl.1.${minor}`);
    if (existsSync(bin)) out.push({ label: `kubectl 1.${minor}`, bin });
  }
  const debian = debianKubectl();
  if (debian) out.push(debian);
  return out;
}

/** Versioned binaries that the test wanted but this machine lacks, for a printed skip reason. */
export function missingKubectlVersions(): string[] {
  const missing: string[] = [];
  for (let minor = 27; minor <= 33; minor++) {
    if (!existsSync(join(VERSIONED_DIR, `kubectl.1.${minor}`))) missing.push(`1.${minor}`);
  }
  return missing;
}

function globalArgs(opts: KubectlOptions): string[] {
  if (!opts.kubeconfig) return [];
  return [`--kubeconfig=${opts.kubeconfig}`, `--cache-dir=${join(dirname(opts.kubeconfig), 'kubectl-cache')}`];
}

function kubectlEnv(opts: KubectlOptions): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...opts.env };
  // A developer's KUBECONFIG must never leak into a test.
  if (opts.kubeconfig) env.KUBECONFIG = opts.kubeconfig;
  return env;
}

export function kubectl(args: string[], opts: KubectlOptions = {}): Promise<KubectlResult> {
  const bin = opts.bin ?? process.env.KUBECTL ?? 'kubectl';
  const timeoutMs = opts.timeoutMs ?? 60_000;
  return runProcess(bin, [...globalArgs(opts), ...args], { env: kubectlEnv(opts), input: opts.input, timeoutMs });
}

/** Runs kubectl and fails with its output when the exit code is not 0; returns stdout. */
export async function kubectlOk(args: string[], opts: KubectlOptions = {}): Promise<string> {
  const r = await kubectl(args, opts);
  if (r.code !== 0) throw new Error(`kubectl ${args.join(' ')} exited ${r.code}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);
  return r.stdout;
}

export interface KubectlStream {
  child: ChildProcessWithoutNullStreams;
  /** Complete stdout lines so far. */
  lines: string[];
  stderr(): string;
  /** Like waitForLine, on stderr (with -v=6 kubectl logs each request, e.g. when its watch is open). */
  waitForStderr(match: RegExp, timeoutMs?: number): Promise<string>;
  /** Resolves with the first line (seen before or after the call) matching, or rejects at the timeout. */
  waitForLine(match: RegExp | ((line: string) => boolean), timeoutMs?: number): Promise<string>;
  /** Resolves with the exit code once kubectl exits on its own (a `wait` that printed its result). */
  waitForExit(timeoutMs?: number): Promise<number | null>;
  stop(): Promise<void>;
}

/** Long-running kubectl (get -w): read its lines as they come, then stop it. */
export function spawnKubectl(args: string[], opts: KubectlOptions = {}): KubectlStream {
  const bin = opts.bin ?? process.env.KUBECTL ?? 'kubectl';
  const child = spawn(bin, [...globalArgs(opts), ...args], { env: kubectlEnv(opts), stdio: 'pipe' });
  const lines: string[] = [];
  let partial = '';
  let err = '';
  let exited = false;
  const listeners = new Set<() => void>();
  child.stdout.setEncoding('utf8').on('data', (d: string) => {
    partial += d;
    const parts = partial.split('\n');
    partial = parts.pop() ?? '';
    lines.push(...parts);
    for (const l of listeners) l();
  });
  child.stderr.setEncoding('utf8').on('data', (d: string) => {
    err += d;
    for (const l of listeners) l();
  });
  const closed = new Promise<void>((resolve) => child.on('close', () => {
    exited = true;
    for (const l of listeners) l();
    resolve();
  }));
  child.stdin.end();
  const stream: KubectlStream = {
    child,
    lines,
    stderr: () => err,
    waitForStderr(match, timeoutMs) {
      return waitOn(() => err.split('\n'), match, timeoutMs);
    },
    waitForLine(match, timeoutMs) {
      return waitOn(() => lines, match, timeoutMs);
    },
    async waitForExit(timeoutMs = 15_000) {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`kubectl ${args.join(' ')} did not exit within ${timeoutMs} ms\nstderr: ${err}`)), timeoutMs);
      });
      try {
        await Promise.race([closed, timeout]);
      } finally {
        clearTimeout(timer);
      }
      return child.exitCode;
    },
    async stop() {
      if (!exited) child.kill('SIGTERM');
      await closed;
    },
  };
  return stream;

  function waitOn(source: () => string[], match: RegExp | ((line: string) => boolean), timeoutMs = 15_000): Promise<string> {
    const test = typeof match === 'function' ? match : (l: string) => match.test(l);
    return new Promise((resolve, reject) => {
      const check = () => {
        const hit = source().find(test);
        if (hit !== undefined) {
          done();
          resolve(hit);
        } else if (exited) {
          done();
          reject(new Error(`kubectl ${args.join(' ')} exited before printing ${match}\nstdout: ${lines.join('\n')}\nstderr: ${err}`));
        }
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`kubectl ${args.join(' ')}: no line matching ${match} within ${timeoutMs}ms\nstdout: ${lines.join('\n')}\nstderr: ${err}`));
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        listeners.delete(check);
      };
      listeners.add(check);
      check();
    });
  }
}

export interface KubectlVersion {
  major: number;
  minor: number;
  gitVersion: string;
}

const versionCache = new Map<string, Promise<KubectlVersion>>();

/** Client version of a kubectl binary, e.g. to skip flags an old kubectl (Debian's 1.20) lacks. */
export function kubectlVersion(bin = process.env.KUBECTL ?? 'kubectl'): Promise<KubectlVersion> {
  let v = versionCache.get(bin);
  if (!v) {
    v = kubectl(['version', '--client', '-o', 'json'], { bin }).then((r) => {
      const info = JSON.parse(r.stdout).clientVersion as { major: string; minor: string; gitVersion: string };
      return { major: Number(info.major), minor: parseInt(info.minor, 10), gitVersion: info.gitVersion };
    });
    versionCache.set(bin, v);
  }
  return v;
}

/** Synchronous variant, for choosing test options while tests are declared. */
export function kubectlVersionSync(bin = process.env.KUBECTL ?? 'kubectl'): KubectlVersion {
  const r = spawnSync(bin, ['version', '--client', '-o', 'json'], { encoding: 'utf8', timeout: 30_000 });
  const info = JSON.parse(r.stdout).clientVersion as { major: string; minor: string; gitVersion: string };
  return { major: Number(info.major), minor: parseInt(info.minor, 10), gitVersion: info.gitVersion };
}

// The server as a user runs it: `node --import tsx src/main.ts --port 0 …` in a child process, so
// start-up time includes loading the code, and /proc/<pid> is the server alone.
import { spawn, type ChildProcess } from 'node:child_process';
import { request } from 'node:https';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { readKubeconfig, type KubeconfigCredentials } from '../test/helpers/kubeconfig.ts';

const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));
/** Start-up is measured, not awaited forever: a server that never answers fails the run. */
const STARTUP_LIMIT_MS = 120_000;
/** Extra node flags for the server child, e.g. K8TS_BENCH_NODE_ARGS="--cpu-prof --cpu-prof-dir=prof" to profile it. */
const EXTRA_NODE_ARGS = (process.env.K8TS_BENCH_NODE_ARGS ?? '').split(/\s+/).filter(Boolean);

export interface ServerProcess {
  pid: number;
  url: string;
  credentials: KubeconfigCredentials;
  /** Spawn → first 200 on /readyz. */
  readyMs: number;
  /** Spawn → the "listening on" line on stdout. */
  listeningMs: number;
  /** What the server printed on stderr so far (its log), for failure messages. */
  stderr(): string;
  /** SIGTERM and wait for exit; the exit code (0 = clean shutdown). */
  stop(): Promise<number | null>;
}

/** `serverArgs` are extra server flags, e.g. `--simulated-nodes 100` for the pod start-up phase. */
export async function startServerProcess(rootDir: string, serverArgs: string[] = []): Promise<ServerProcess> {
  const started = performance.now();
  const child = spawn(process.execPath, [
    ...EXTRA_NODE_ARGS, '--import', 'tsx', 'src/main.ts', '--port', '0',
    '--data-dir', join(rootDir, 'data'),
    '--certs-dir', join(rootDir, 'certs'),
    '--kubeconfig', join(rootDir, 'admin.kubeconfig'),
    // The API and control-plane phases measure no real kubelet (the kubelet phase starts its own).
    '--components=apiserver,controller-manager,scheduler,simulated-nodes',
    ...serverArgs,
  ], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (d: string) => { stderr += d; });

  try {
    const url = await waitForListening(child, exited, () => stderr);
    const listeningMs = performance.now() - started;
    const credentials = readKubeconfig(join(rootDir, 'admin.kubeconfig'));
    await waitForReady(url, credentials, exited, () => stderr);
    const readyMs = performance.now() - started;
    return {
      pid: child.pid!,
      url,
      credentials,
      readyMs,
      listeningMs,
      stderr: () => stderr,
      async stop() {
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
        return exited;
      },
    };
  } catch (err) {
    child.kill('SIGKILL');
    await exited;
    throw err;
  }
}

function waitForListening(child: ChildProcess, exited: Promise<number | null>, stderr: () => string): Promise<string> {
  return new Promise((resolve, reject) => {
    let stdout = '';
    const timer = setTimeout(() => reject(new Error(`no "listening on" line within ${STARTUP_LIMIT_MS} ms:\n${stderr()}`)), STARTUP_LIMIT_MS);
    child.stdout!.setEncoding('utf8').on('data', (d: string) => {
      stdout += d;
      const m = /listening on (https:\/\/\S+)/.exec(stdout);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`server exited ${code} during start-up:\n${stdout}${stderr()}`));
    });
  });
}

/** Polls /readyz (anonymous, as a load balancer would) until it answers 200. */
async function waitForReady(url: string, creds: KubeconfigCredentials, exited: Promise<number | null>, stderr: () => string): Promise<void> {
  let gone = false;
  void exited.then(() => { gone = true; });
  const deadline = performance.now() + STARTUP_LIMIT_MS;
  while (!gone && performance.now() < deadline) {
    const status = await new Promise<number>((resolve) => {
      const req = request(`${url}/readyz`, { ca: creds.ca, agent: false }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      });
      req.on('error', () => resolve(0));
      req.end();
    });
    if (status === 200) return;
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error(`/readyz did not answer 200${gone ? ' (server exited)' : ''}:\n${stderr()}`);
}

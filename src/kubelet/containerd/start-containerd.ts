// Starts containerd as the kubelet's child with a generated config, everything under
// `<dataDir>/containerd/`, and stops it. Its log goes to `<dataDir>/containerd/containerd.log` rather
// than a pipe: a Go program dies of SIGPIPE when it logs into a pipe whose reader is gone, and
// containerd must outlive a kubelet that crashed (its containers keep running and are found again).
//
// A containerd still running on the same directory (the kubelet was killed) is adopted when its config
// is unchanged — registry mirrors live in hosts.toml, which containerd rereads on every pull — and
// restarted otherwise; containers survive both, their shims are separate processes.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, openSync, closeSync, readFileSync } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { connectCri } from '../cri/connect-cri.ts';
import { containerdConfigToml, MIRRORED_REGISTRIES, registryHostsToml } from './containerd-config.ts';
import { runningPid, stopPid } from './containerd-process.ts';
import { pickSnapshotter } from './snapshotter-probe.ts';

export interface StartContainerdOptions {
  dataDir: string;
  /** http://127.0.0.1:PORT: where docker.io, registry.k8s.io and k8ts.local pulls go. */
  registryMirror?: string;
  sandboxImage: string;
  cniConfDir: string;
  /** Default /usr/lib/cni (Debian's containernetworking-plugins). */
  cniBinDir?: string;
  log?: (message: string) => void;
  /** Default `containerd` on PATH. */
  containerdPath?: string;
  /** How long containerd may take to answer CRI Version; default 30 s. */
  startTimeoutMs?: number;
}

export interface RunningContainerd {
  /** unix:///…/containerd.sock */
  endpoint: string;
  pid: number;
  snapshotter: 'overlayfs' | 'native';
  logFile: string;
  /** SIGTERM, then SIGKILL after graceMs (default 10 s). Safe to call twice or after containerd died. */
  stop(graceMs?: number): Promise<void>;
}

// sockaddr_un's sun_path is 108 bytes with the terminating NUL.
const MAX_SOCKET_PATH = 107;

export async function startContainerd(o: StartContainerdOptions): Promise<RunningContainerd> {
  const log = o.log ?? (() => {});
  if (process.getuid?.() !== 0) throw new Error('containerd must run as root (it mounts filesystems and creates namespaces); run the kubelet as root or give --container-runtime-endpoint of a running containerd');
  const binary = o.containerdPath ?? 'containerd';
  if (!onPath(binary)) throw new Error(`${binary} is not installed: install containerd (Debian: apt-get install containerd) or give --container-runtime-endpoint`);

  const dir = join(o.dataDir, 'containerd');
  const socketPath = join(dir, 'containerd.sock');
  if (socketPath.length > MAX_SOCKET_PATH) throw new Error(`containerd socket path ${socketPath} is longer than ${MAX_SOCKET_PATH} bytes; use a shorter data directory`);
  const endpoint = `unix://${socketPath}`;
  const configPath = join(dir, 'config.toml');
  const pidFile = join(dir, 'containerd.pid');
  const logFile = join(dir, 'containerd.log');
  await mkdir(dir, { recursive: true, mode: 0o711 });

  const registryConfigPath = join(dir, 'certs.d');
  await writeRegistryHosts(registryConfigPath, o.registryMirror);

  const snapshotter = await pickSnapshotter(dir);
  if (snapshotter === 'native') log(`containerd: overlay mounts fail under ${dir}; using the native snapshotter (slower, copies layers)`);
  const config = containerdConfigToml({
    dir, socketPath, sandboxImage: o.sandboxImage, cniConfDir: o.cniConfDir, cniBinDir: o.cniBinDir ?? '/usr/lib/cni', snapshotter, registryConfigPath,
  });

  const previous = await runningPid(pidFile, configPath);
  if (previous !== undefined) {
    if ((await readFile(configPath, 'utf8').catch(() => '')) === config && (await answers(endpoint, 5_000))) {
      log(`containerd: adopting the running containerd (pid ${previous}) on ${endpoint}`);
      return running(endpoint, previous, undefined, snapshotter, logFile, pidFile);
    }
    log(`containerd: stopping the previous containerd (pid ${previous}), its config changed`);
    await stopPid(previous, undefined, 10_000);
  }
  await writeAtomic(configPath, config);

  const out = openSync(logFile, 'a');
  let child: ChildProcess;
  try {
    child = spawn(binary, ['--config', configPath], { stdio: ['ignore', out, out] });
  } finally {
    closeSync(out);
  }
  const exited = new Promise<string>((resolve) => {
    child.once('error', (err) => resolve(err.message));
    child.once('exit', (code, signal) => resolve(`exited with ${signal ?? `code ${code}`}`));
  });
  const started = Date.now();
  const timeoutMs = o.startTimeoutMs ?? 30_000;
  const waiting = new AbortController();
  const outcome = await Promise.race([
    exited.then((why) => ({ failed: why })),
    waitUntilAnswering(endpoint, timeoutMs, waiting.signal).then((ok) => (ok ? { ok } : { failed: `did not answer CRI Version within ${timeoutMs} ms` })),
  ]);
  waiting.abort();
  if ('failed' in outcome) {
    child.kill('SIGKILL');
    throw new Error(`containerd ${outcome.failed}; its log (${logFile}) ends with:\n${tail(logFile, 15)}`);
  }
  await writeFile(pidFile, `${child.pid}\n`);
  log(`containerd: pid ${child.pid} answering on ${endpoint} after ${Date.now() - started} ms (snapshotter ${snapshotter}, log ${logFile})`);
  return running(endpoint, child.pid!, child, snapshotter, logFile, pidFile);
}

function running(endpoint: string, pid: number, child: ChildProcess | undefined, snapshotter: 'overlayfs' | 'native', logFile: string, pidFile: string): RunningContainerd {
  let stopping: Promise<void> | undefined;
  return {
    endpoint, pid, snapshotter, logFile,
    stop(graceMs = 10_000) {
      stopping ??= stopPid(pid, child, graceMs).then(() => rm(pidFile, { force: true }));
      return stopping;
    },
  };
}

async function answers(endpoint: string, timeoutMs: number): Promise<boolean> {
  try {
    const rt = await connectCri(endpoint, { connectTimeoutMs: timeoutMs });
    await rt.close();
    return true;
  } catch {
    return false;
  }
}

// The CRI plugin answers "server is not initialized yet" for a moment after the socket appears.
async function waitUntilAnswering(endpoint: string, timeoutMs: number, stop: AbortSignal): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  const socket = endpoint.replace(/^unix:\/\//, '');
  while (Date.now() < deadline && !stop.aborted) {
    if (existsSync(socket) && (await answers(endpoint, Math.min(2_000, deadline - Date.now())))) return true;
    await delay(50);
  }
  return false;
}

async function writeRegistryHosts(configPath: string, mirror: string | undefined): Promise<void> {
  if (!mirror) {
    await rm(configPath, { recursive: true, force: true });
    return;
  }
  for (const registry of MIRRORED_REGISTRIES) {
    await mkdir(join(configPath, registry), { recursive: true });
    await writeAtomic(join(configPath, registry, 'hosts.toml'), registryHostsToml(mirror));
  }
}

async function writeAtomic(path: string, content: string): Promise<void> {
  await writeFile(`${path}.tmp`, content);
  await rename(`${path}.tmp`, path);
}

function onPath(binary: string): boolean {
  if (binary.includes('/')) return existsSync(binary);
  return (process.env.PATH ?? '').split(':').some((d) => d && existsSync(join(d, binary)));
}

function tail(file: string, lines: number): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

// A Docker daemon for tests: reuses the one answering at /var/run/docker.sock, or starts Debian's
// dockerd (as root) with its own containerd, data and exec roots under <tmpdir>/k8ts-dockerd. Several test
// processes may share it: each holds a lease file, and the last one to stop a daemon this helper started
// ends it (by pid, checking the pid is still that daemon). A daemon started elsewhere is never stopped.
//
// Host facts this relies on: dockerd sets the FORWARD policy to DROP when it is the one enabling
// ip_forward, which would cut other CNI bridges on the machine off the outside, so ip_forward is enabled
// first; --bridge=none skips docker0 (pods use their own network); --oom-score-adjust=0 because these
// hosts refuse a negative oom_score_adj; its own containerd so it never picks up someone else's at
// /run/containerd/containerd.sock.
import { spawn, execFileSync } from 'node:child_process';
import { existsSync, openSync, readFileSync, closeSync } from 'node:fs';
import { mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';

export const DOCKER_SOCKET = '/var/run/docker.sock';

export interface TestDockerd {
  socket: string;
  /** True when this helper (in this or another test process) started the daemon. */
  managed: boolean;
  /** Releases this process's lease; stops the daemon when it was the last one and the helper started it. */
  stop(): Promise<void>;
}

export interface TestDockerdOptions {
  /** A registry mirror for docker.io (e.g. the local registry); applied with a reload if the daemon runs. */
  registryMirror?: string;
  log?: (line: string) => void;
}

const STATE = join(tmpdir(), 'k8ts-dockerd');
const LOCK = join(STATE, 'lock');
const LEASES = join(STATE, 'leases');
const DOCKERD_PID = join(STATE, 'dockerd.pid');
const CONTAINERD_PID = join(STATE, 'containerd.pid');
const DAEMON_JSON = join(STATE, 'daemon.json');
const CONTAINERD_SOCKET = join(STATE, 'containerd', 'containerd.sock');

export async function startTestDockerd(opts: TestDockerdOptions = {}): Promise<TestDockerd | { skip: string }> {
  const log = opts.log ?? (() => {});
  if (process.getuid?.() !== 0) return { skip: 'dockerd needs root' };
  if (await ping(DOCKER_SOCKET)) return reuse(opts, log);
  const dockerd = findBinary('dockerd');
  const containerd = findBinary('containerd');
  if (!dockerd) return { skip: 'dockerd is not installed (Debian package docker.io)' };
  if (!containerd) return { skip: 'containerd is not installed' };

  await mkdir(LEASES, { recursive: true });
  await acquireLock();
  try {
    if (await ping(DOCKER_SOCKET)) return await reuse(opts, log);
    await writeDaemonJson(opts.registryMirror);
    await startContainerd(containerd, log);
    await startDockerd(dockerd, log);
  } finally {
    await rm(LOCK, { recursive: true, force: true });
  }
  return reuse(opts, log);
}

async function reuse(opts: TestDockerdOptions, log: (line: string) => void): Promise<TestDockerd> {
  const managed = daemonPid() !== undefined;
  if (managed && opts.registryMirror !== undefined) {
    const current = await readFile(DAEMON_JSON, 'utf8').catch(() => '');
    if (current !== daemonJson(opts.registryMirror)) {
      await writeDaemonJson(opts.registryMirror);
      process.kill(daemonPid()!, 'SIGHUP'); // registry-mirrors is reloadable
      log(`dockerd: registry mirror now ${opts.registryMirror || '(none)'}`);
    }
  }
  const lease = join(LEASES, `${process.pid}.${Math.random().toString(36).slice(2)}`);
  if (managed) await writeFile(lease, '');
  let stopped = false;
  return {
    socket: DOCKER_SOCKET,
    managed,
    stop: async () => {
      if (stopped || !managed) return;
      stopped = true;
      await rm(lease, { force: true });
      if (await otherLeasesAlive()) return;
      await acquireLock();
      try {
        if (await otherLeasesAlive()) return;
        await stopDaemons(log);
      } finally {
        await rm(LOCK, { recursive: true, force: true });
      }
    },
  };
}

function daemonJson(mirror: string | undefined): string {
  return `${JSON.stringify(mirror ? { 'registry-mirrors': [mirror] } : {}, null, 2)}\n`;
}

async function writeDaemonJson(mirror: string | undefined): Promise<void> {
  await writeFile(DAEMON_JSON, daemonJson(mirror));
}

function containerdConfig(): string {
  const d = join(STATE, 'containerd');
  return [
    'version = 2',
    `root = "${d}/root"`,
    `state = "${d}/state"`,
    // Docker talks to containerd directly; the CRI plugin would only load CNI and listen for nothing.
    'disabled_plugins = ["io.containerd.grpc.v1.cri"]',
    '[grpc]',
    `  address = "${CONTAINERD_SOCKET}"`,
    '[ttrpc]',
    `  address = "${CONTAINERD_SOCKET}.ttrpc"`,
    '',
  ].join('\n');
}

async function startContainerd(bin: string, log: (line: string) => void): Promise<void> {
  await mkdir(join(STATE, 'containerd'), { recursive: true });
  await rm(CONTAINERD_SOCKET, { force: true }); // left by a daemon that was killed
  await writeFile(join(STATE, 'containerd.toml'), containerdConfig());
  const pid = spawnDetached(bin, ['--config', join(STATE, 'containerd.toml')], join(STATE, 'containerd.log'));
  await writeFile(CONTAINERD_PID, String(pid));
  await waitUntil(() => existsSync(CONTAINERD_SOCKET), 20_000, `containerd socket ${CONTAINERD_SOCKET} (see ${join(STATE, 'containerd.log')})`);
  log(`containerd for dockerd started (pid ${pid})`);
}

async function startDockerd(bin: string, log: (line: string) => void): Promise<void> {
  if (readFileSync('/proc/sys/net/ipv4/ip_forward', 'utf8').trim() !== '1') {
    await writeFile('/proc/sys/net/ipv4/ip_forward', '1');
  }
  const started = Date.now();
  const pid = spawnDetached(bin, [
    '-H', `unix://${DOCKER_SOCKET}`,
    '--data-root', join(STATE, 'root'),
    '--exec-root', join(STATE, 'exec'),
    '--pidfile', join(STATE, 'docker.pid'),
    '--containerd', CONTAINERD_SOCKET,
    '--config-file', DAEMON_JSON,
    '--bridge=none',
    '--iptables=true',
    '--oom-score-adjust=0',
  ], join(STATE, 'dockerd.log'));
  await writeFile(DOCKERD_PID, String(pid));
  await waitUntil(async () => {
    if (!isProcess(pid, 'dockerd')) throw new Error(`dockerd exited; see ${join(STATE, 'dockerd.log')}`);
    return ping(DOCKER_SOCKET);
  }, 60_000, `dockerd at ${DOCKER_SOCKET} (see ${join(STATE, 'dockerd.log')})`);
  log(`dockerd started (pid ${pid}) in ${Date.now() - started}ms`);
}

async function stopDaemons(log: (line: string) => void): Promise<void> {
  for (const [file, name] of [[DOCKERD_PID, 'dockerd'], [CONTAINERD_PID, 'containerd']] as const) {
    const pid = Number(await readFile(file, 'utf8').catch(() => ''));
    if (pid > 0 && isProcess(pid, name)) {
      process.kill(pid, 'SIGTERM');
      const gone = await waitUntil(() => !isProcess(pid, name), 30_000, `${name} to exit`).then(() => true, () => false);
      if (!gone) process.kill(pid, 'SIGKILL');
      log(`${name} (pid ${pid}) stopped`);
    }
    await rm(file, { force: true });
  }
  // Docker unmounts its layers on shutdown but leaves the bind mount of the host's netns under the
  // exec root; what is still busy after that stays for the next run to reuse.
  const mounts = readFileSync('/proc/mounts', 'utf8').split('\n').map((l) => l.split(' ')[1] ?? '').filter((m) => m.startsWith(`${STATE}/`));
  for (const m of mounts.reverse()) {
    try {
      execFileSync('umount', [m]);
    } catch {
      // busy: left in place
    }
  }
  for (const dir of ['root', 'exec', 'containerd']) await rm(join(STATE, dir), { recursive: true, force: true }).catch(() => undefined);
}

function daemonPid(): number | undefined {
  try {
    const pid = Number(readFileSync(DOCKERD_PID, 'utf8'));
    return pid > 0 && isProcess(pid, 'dockerd') ? pid : undefined;
  } catch {
    return undefined;
  }
}

/** The pid is alive and still runs the named program (pids are reused). */
function isProcess(pid: number, name: string): boolean {
  try {
    const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')[0] ?? '';
    const state = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.[0];
    return cmd.endsWith(name) && state !== 'Z';
  } catch {
    return false;
  }
}

async function otherLeasesAlive(): Promise<boolean> {
  for (const f of await readdir(LEASES).catch(() => [] as string[])) {
    const pid = Number(f.split('.')[0]);
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      await rm(join(LEASES, f), { force: true }); // its process died without stopping
    }
  }
  return false;
}

/** mkdir is atomic; a lock older than a minute was left by a crashed process. */
async function acquireLock(): Promise<void> {
  for (;;) {
    try {
      await mkdir(LOCK);
      return;
    } catch {
      const age = await stat(LOCK).then((s) => Date.now() - s.mtimeMs, () => 0);
      if (age > 60_000) await rm(LOCK, { recursive: true, force: true });
      await delay(100);
    }
  }
}

function spawnDetached(bin: string, args: string[], logFile: string): number {
  const out = openSync(logFile, 'a');
  const child = spawn(bin, args, { detached: true, stdio: ['ignore', out, out] });
  closeSync(out);
  child.unref();
  if (!child.pid) throw new Error(`could not start ${bin}`);
  return child.pid;
}

function findBinary(name: string): string | undefined {
  for (const dir of ['/usr/sbin', '/usr/bin', '/usr/local/sbin', '/usr/local/bin']) if (existsSync(join(dir, name))) return join(dir, name);
  try {
    return execFileSync('which', [name], { encoding: 'utf8' }).trim() || undefined;
  } catch {
    return undefined;
  }
}

export function ping(socket: string): Promise<boolean> {
  return new Promise((resolve) => {
    const req = http.get({ socketPath: socket, path: '/_ping', timeout: 2000 }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(false));
  });
}

async function waitUntil(fn: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await fn())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs}ms waiting for ${what}`);
    await delay(100);
  }
}

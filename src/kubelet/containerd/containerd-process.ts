// Stopping a containerd (our child, or one a previous kubelet started) and finding one still running.
import type { ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { setTimeout as delay } from 'node:timers/promises';

/** SIGTERM, SIGKILL after graceMs; resolves once the process is gone (at once if it already is). */
export async function stopPid(pid: number, child: ChildProcess | undefined, graceMs: number): Promise<void> {
  if (child && (child.exitCode !== null || child.signalCode !== null)) return;
  const gone = child ? new Promise<void>((resolve) => child.once('exit', () => resolve())) : pollUntilGone(pid, graceMs + 5_000);
  if (!signal(pid, 'SIGTERM')) return;
  const grace = new AbortController();
  const timedOut = Symbol('timeout');
  const outcome = await Promise.race([gone, delay(graceMs, timedOut, { signal: grace.signal }).catch(() => undefined)]);
  grace.abort(); // the grace timer must not keep the process alive once containerd is gone
  if (outcome === timedOut) {
    signal(pid, 'SIGKILL');
    await gone;
  }
}

function signal(pid: number, sig: NodeJS.Signals): boolean {
  try {
    process.kill(pid, sig);
    return true;
  } catch {
    return false; // already gone
  }
}

async function pollUntilGone(pid: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && alive(pid)) await delay(50);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The pid in the pid file when that process is still a containerd using our config. */
export async function runningPid(pidFile: string, configPath: string): Promise<number | undefined> {
  const pid = Number((await readFile(pidFile, 'utf8').catch(() => '')).trim());
  if (!Number.isInteger(pid) || pid <= 0) return undefined;
  const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
  return cmdline.split('\0').includes(configPath) ? pid : undefined;
}

// A terminated container's message (kuberuntime's getTerminationMessage): the kubelet mounts a
// fresh empty file at terminationMessagePath for each container instance and reads at most 4 KiB
// of it after the exit; with FallbackToLogsOnError and a failed exit, an empty file means the last
// 80 lines (at most 2 KiB) of the container's log instead.
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { readLogs } from './logs/read-logs.ts';

/** kubecontainer.MaxContainerTerminationMessageLength / …LogLength / …LogLines. */
export const MAX_TERMINATION_MESSAGE_LENGTH = 4096;
export const MAX_TERMINATION_MESSAGE_LOG_LENGTH = 2048;
export const MAX_TERMINATION_MESSAGE_LOG_LINES = 80;

/** Where the host side of a container instance's termination-log file lives. */
export function terminationLogHostPath(podsDir: string, podUID: string, containerName: string, attempt: number): string {
  return join(podsDir, podUID, 'containers', containerName, String(attempt));
}

export interface TerminationMessageInput {
  /** The host file mounted at terminationMessagePath ('' when none was mounted). */
  hostPath: string;
  policy: string;
  exitCode: number;
  /** The runtime's reason: a container that could not even start has no logs to fall back on. */
  reason: string;
  logPath: string;
}

export async function readTerminationMessage(i: TerminationMessageInput): Promise<string> {
  const fallbackToLogs = i.policy === 'FallbackToLogsOnError' && i.exitCode !== 0 && i.reason !== 'ContainerCannotRun';
  if (i.hostPath) {
    try {
      const data = await readAtMost(i.hostPath, MAX_TERMINATION_MESSAGE_LENGTH);
      if (data.length > 0 || !fallbackToLogs) return data.toString('utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') return `Error on reading termination log ${i.hostPath}: ${(err as Error).message}`;
      if (!fallbackToLogs) return '';
    }
  }
  if (!fallbackToLogs || !i.logPath) return '';
  return readLastStringFromContainerLogs(i.logPath);
}

/** The last 80 lines of the log, keeping only the last 2 KiB (upstream's circular buffer). */
async function readLastStringFromContainerLogs(logPath: string): Promise<string> {
  const chunks: Buffer[] = [];
  const sink = new Writable({ write(chunk: Buffer, _enc, cb) { chunks.push(chunk); cb(); } });
  try {
    await readLogs(logPath, { tail: MAX_TERMINATION_MESSAGE_LOG_LINES, bytes: -1, follow: false, timestamps: false }, sink, { isRunning: async () => false });
  } catch (err) {
    return `Error on reading termination message from logs: ${(err as Error).message}`;
  }
  const all = Buffer.concat(chunks);
  return all.subarray(Math.max(0, all.length - MAX_TERMINATION_MESSAGE_LOG_LENGTH)).toString('utf8');
}

/** The last `max` bytes of a file (tail.ReadAtMost). */
async function readAtMost(path: string, max: number): Promise<Buffer> {
  const fh = await open(path, 'r');
  try {
    const { size } = await fh.stat();
    const len = Math.min(size, max);
    const buf = Buffer.alloc(len);
    await fh.read(buf, 0, len, size - len);
    return buf;
  } finally {
    await fh.close();
  }
}

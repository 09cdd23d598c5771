// Reads a container's log file to a stream as the kubelet's kuberuntime ReadLogs does: from the last
// tailLines lines, skipping messages before `since`, with timestamps when asked, up to limitBytes;
// with follow it keeps reading as the file grows (fs.watch, and a check every second as a fallback)
// until the container is no longer running or the reader is aborted. Rotation is not followed.
import { watch, type FSWatcher } from 'node:fs';
import { open, realpath, type FileHandle } from 'node:fs/promises';
import type { Writable } from 'node:stream';
import { detectLogLineParser, type LogLineParser, type LogMessage } from './log-line-parser.ts';
import { formatLogTime } from './log-timestamp.ts';
import { findTailLineStartIndex } from './tail-start.ts';

export interface LogReadOptions {
  /** Last n lines; -1 = all. */
  tail: number;
  /** Byte limit of the output; -1 = none. */
  bytes: number;
  /** Skip messages older than this (Unix ns). */
  since?: bigint;
  follow: boolean;
  timestamps: boolean;
}

export interface LogReadContext {
  /** Asked when the file has no more to give while following; false ends the read at the file's end. */
  isRunning(): Promise<boolean>;
  /** The client went away. */
  signal?: AbortSignal;
}

/** upstream's logForceCheckPeriod: without a file event, look again after this long. */
const FORCE_CHECK_MS = 1000;
const READ_SIZE = 64 * 1024;
const NEWLINE = 0x0a;

export async function readLogs(path: string, opts: LogReadOptions, out: Writable, ctx: LogReadContext): Promise<void> {
  let resolved: string;
  try {
    resolved = await realpath(path);
  } catch (err) {
    throw new Error(`failed to try resolving symlinks in path "${path}": ${describe(err)}`);
  }
  let file: FileHandle;
  try {
    file = await open(resolved, 'r');
  } catch (err) {
    throw new Error(`failed to open log file "${resolved}": ${describe(err)}`);
  }
  const reader = new LogReader(file, resolved, opts, out, ctx);
  try {
    await reader.run();
  } finally {
    reader.close();
    await file.close();
  }
}

class LogReader {
  private position = 0;
  private pending = Buffer.alloc(0);
  private parse: LogLineParser | undefined;
  private remaining: number;
  private limited: number;
  private watcher: FSWatcher | undefined;
  private wake: (() => void) | undefined;

  constructor(
    private readonly file: FileHandle, private readonly path: string, private readonly opts: LogReadOptions,
    private readonly out: Writable, private readonly ctx: LogReadContext,
  ) {
    this.remaining = opts.bytes >= 0 ? opts.bytes : Infinity;
    // Without follow, tailLines also bounds how many messages are written.
    this.limited = opts.tail >= 0 && !opts.follow ? opts.tail : Infinity;
  }

  async run(): Promise<void> {
    this.position = await findTailLineStartIndex(this.file, this.opts.tail);
    let running = true;
    const buf = Buffer.alloc(READ_SIZE);
    for (;;) {
      if (this.ctx.signal?.aborted) return;
      const { bytesRead } = await this.file.read(buf, 0, buf.length, this.position);
      if (bytesRead > 0) {
        this.position += bytesRead;
        this.pending = this.pending.length ? Buffer.concat([this.pending, buf.subarray(0, bytesRead)]) : Buffer.from(buf.subarray(0, bytesRead));
        if (!(await this.writeCompleteLines())) return;
        continue;
      }
      // At the end of the file.
      if (!this.opts.follow) {
        // A last line without its newline is written too, then the read ends.
        if (this.pending.length) await this.writeLine(this.pending);
        return;
      }
      // The container had stopped when we last looked, and everything it wrote is read.
      if (!running) return;
      running = await this.ctx.isRunning().catch(() => false);
      if (running) await this.waitForChange();
    }
  }

  close(): void {
    this.watcher?.close();
    this.watcher = undefined;
    this.wake?.();
  }

  /** false when no more should be written (limits reached, client gone). */
  private async writeCompleteLines(): Promise<boolean> {
    let start = 0;
    for (let nl = this.pending.indexOf(NEWLINE); nl >= 0; nl = this.pending.indexOf(NEWLINE, start)) {
      const line = this.pending.subarray(start, nl + 1);
      start = nl + 1;
      if (!(await this.writeLine(line))) return false;
    }
    this.pending = this.pending.subarray(start);
    return true;
  }

  private async writeLine(line: Buffer): Promise<boolean> {
    if (this.limited <= 0 || this.remaining <= 0) return false;
    this.parse ??= detectLogLineParser(line);
    let msg: LogMessage;
    try {
      msg = this.parse(line);
    } catch {
      // Upstream logs and skips a line it cannot parse.
      return true;
    }
    this.limited--;
    if (this.opts.since !== undefined && msg.timestamp.ns < this.opts.since) return this.limited > 0;
    let data = this.opts.timestamps ? Buffer.concat([Buffer.from(`${formatLogTime(msg.timestamp)} `), msg.log]) : msg.log;
    if (data.length > this.remaining) data = data.subarray(0, this.remaining);
    this.remaining -= data.length;
    if (data.length > 0 && !(await write(this.out, data, this.ctx.signal))) return false;
    return this.remaining > 0 && this.limited > 0;
  }

  /** Resolves on a change to the file, after FORCE_CHECK_MS, or when aborted. */
  private waitForChange(): Promise<void> {
    if (!this.watcher) {
      try {
        this.watcher = watch(this.path, () => this.wake?.());
        this.watcher.on('error', () => { this.watcher?.close(); });
      } catch {
        // No inotify watch available: the periodic check alone keeps the read going.
      }
    }
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.ctx.signal?.removeEventListener('abort', done);
        this.wake = undefined;
        resolve();
      };
      const timer = setTimeout(done, FORCE_CHECK_MS);
      this.ctx.signal?.addEventListener('abort', done, { once: true });
      this.wake = done;
    });
  }
}

/** Writes with back-pressure; false when the stream is gone or the read was aborted. */
function write(out: Writable, data: Buffer, signal?: AbortSignal): Promise<boolean> {
  if (out.destroyed || out.writableEnded || signal?.aborted) return Promise.resolve(false);
  if (out.write(data)) return Promise.resolve(true);
  return new Promise((resolve) => {
    const finish = (ok: boolean) => () => {
      out.off('drain', onDrain);
      out.off('close', onClose);
      signal?.removeEventListener('abort', onClose);
      resolve(ok);
    };
    const onDrain = finish(true);
    const onClose = finish(false);
    out.once('drain', onDrain);
    out.once('close', onClose);
    signal?.addEventListener('abort', onClose, { once: true });
  });
}

function describe(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  if (e.code === 'ENOENT') return 'no such file or directory';
  if (e.code === 'EACCES') return 'permission denied';
  return e.message ?? String(err);
}

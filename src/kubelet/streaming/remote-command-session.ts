// What the exec/attach server needs from either transport (WebSocket channels or SPDY streams):
// the session's streams, and a way to report the outcome and hang up.
import { Writable, finished } from 'node:stream';
import type { StreamIO } from '../runtime/runtime-service.ts';
import type { RemoteCommandStatus } from './remote-command-status.ts';

export interface RemoteCommandOptions {
  stdin: boolean;
  stdout: boolean;
  stderr: boolean;
  tty: boolean;
}

export interface RemoteCommandSession {
  io: StreamIO;
  /** Flushes stdout/stderr, writes the status as the negotiated protocol wants it, and ends the connection. */
  finish(status: RemoteCommandStatus): Promise<void>;
}

/** Channel numbers of channel.k8s.io, also the stream order of the SPDY protocols. */
export const Channel = { STDIN: 0, STDOUT: 1, STDERR: 2, ERROR: 3, RESIZE: 4 } as const;

/** A Writable that forwards every chunk through `send`, waiting for it (backpressure); errors never escape. */
export function sinkWritable(send: (chunk: Buffer) => Promise<void>): Writable {
  const w = new Writable({
    write(chunk: Buffer, _enc, cb) {
      send(chunk).then(() => cb(), () => cb());
    },
  });
  w.on('error', () => {});
  return w;
}

/** Ends a writable (a duplex's writable side only) and waits until what was written has gone out, or the stream died. */
export function endWritable(w: Writable | undefined): Promise<void> {
  if (!w || w.writableFinished || w.destroyed) return Promise.resolve();
  return new Promise((resolve) => {
    finished(w, { readable: false }, () => resolve());
    if (!w.writableEnded) w.end();
  });
}

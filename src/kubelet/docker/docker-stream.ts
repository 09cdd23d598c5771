// The byte streams of a hijacked exec or attach connection. Without a TTY Docker multiplexes stdout and
// stderr on one connection, each frame headed by 8 bytes: the stream (1 stdout, 2 stderr), three zero
// bytes and the payload length (big-endian uint32). With a TTY the output is raw. The end of stdin is
// passed on as a half-close (FIN), which Docker turns into closing the process's stdin.
import type { Socket } from 'node:net';
import type { Writable } from 'node:stream';
import type { StreamIO } from '../runtime/runtime-service.ts';

export type StreamType = 0 | 1 | 2;

/** Splits Docker's multiplexed stream into frames; keeps partial frames between chunks. */
export class StreamDemuxer {
  private pending: Buffer = Buffer.alloc(0);

  constructor(private readonly onFrame: (stream: StreamType, payload: Buffer) => void) {}

  push(chunk: Buffer): void {
    let buf = this.pending.length > 0 ? Buffer.concat([this.pending, chunk]) : chunk;
    while (buf.length >= 8) {
      const size = buf.readUInt32BE(4);
      if (buf.length < 8 + size) break;
      const type = buf[0]!;
      if (size > 0) this.onFrame((type <= 2 ? type : 1) as StreamType, buf.subarray(8, 8 + size));
      buf = buf.subarray(8 + size);
    }
    this.pending = Buffer.from(buf);
  }
}

/** Builds one frame (for tests and for anything that speaks the format back). */
export function encodeFrame(stream: StreamType, payload: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head[0] = stream;
  head.writeUInt32BE(payload.length, 4);
  return Buffer.concat([head, payload]);
}

/**
 * Connects a hijacked connection to the session's streams and resolves when the daemon has sent all
 * output (its end of the connection closed). `multiplexed` is false for TTY sessions.
 */
export function pipeHijacked(conn: Socket, io: StreamIO, multiplexed: boolean): Promise<void> {
  return new Promise((resolve) => {
    const write = (target: Writable | undefined, data: Buffer) => {
      if (!target || target.destroyed || target.writableEnded) return;
      if (!target.write(data)) {
        conn.pause();
        target.once('drain', () => conn.resume());
      }
    };
    const demux = new StreamDemuxer((stream, payload) => write(stream === 2 ? io.stderr : io.stdout, payload));
    conn.on('data', (chunk: Buffer) => (multiplexed ? demux.push(chunk) : write(io.stdout, chunk)));

    const stdin = io.stdin;
    const onStdinData = (chunk: Buffer | string) => {
      if (!conn.destroyed && !conn.writableEnded) conn.write(chunk);
    };
    const onStdinEnd = () => {
      if (!conn.destroyed && !conn.writableEnded) conn.end();
    };
    if (stdin) {
      stdin.on('data', onStdinData);
      stdin.on('end', onStdinEnd);
      if (stdin.readableEnded) onStdinEnd();
    }

    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      if (stdin) {
        stdin.off('data', onStdinData);
        stdin.off('end', onStdinEnd);
      }
      io.stdout?.off('close', finish);
      io.stderr?.off('close', finish);
      conn.destroy();
      resolve();
    };
    conn.on('end', finish);
    conn.on('close', finish);
    // A reset connection ends the session the same way; the caller asks the daemon for the outcome.
    conn.on('error', finish);
    // The client went away (its output stream closed): stop streaming rather than wait for the process.
    io.stdout?.once('close', finish);
    io.stderr?.once('close', finish);
  });
}

// One SPDY stream as a Node duplex: the readable side is what the peer sends (EOF on its FIN), the
// writable side goes out as DATA frames (end() sends FIN). Frames are written by the session.
import { Duplex } from 'node:stream';
import { RstStatus } from './spdy-frames.ts';
import type { HeaderBlock } from './spdy-header-block.ts';

/** What a stream needs from its session. */
export interface SpdyStreamOwner {
  sendReply(stream: SpdyStream, headers: Record<string, string | string[]>): void;
  sendReset(stream: SpdyStream, status: number): void;
  sendFin(stream: SpdyStream): void;
  sendData(stream: SpdyStream, data: Buffer): Promise<void>;
  forget(stream: SpdyStream): void;
}

export class SpdyStream extends Duplex {
  /** Our side sent FIN (or cannot send: unidirectional). */
  localFin = false;
  /** The peer sent FIN, or the connection ended. */
  remoteFin = false;
  wasReset = false;
  replied: boolean;
  private readWaiters: (() => void)[] = [];

  constructor(
    private readonly session: SpdyStreamOwner,
    readonly id: number,
    readonly headers: HeaderBlock,
    replied: boolean,
  ) {
    super({ allowHalfOpen: true });
    this.replied = replied;
    // Writes after the peer is gone are dropped by the session; errors here must never crash the kubelet.
    this.on('error', () => {});
  }

  /** First value of a header (names are case-insensitive). */
  header(name: string): string | undefined {
    return this.headers[name.toLowerCase()]?.[0];
  }

  /** Accepts a stream the peer opened (SYN_REPLY). */
  reply(headers: Record<string, string | string[]> = {}): void {
    this.session.sendReply(this, headers);
  }

  /** Abandons the stream in both directions (RST_STREAM). */
  reset(status: number = RstStatus.CANCEL): void {
    this.session.sendReset(this, status);
    this.wasReset = true;
    this.localFin = true;
    this.endRemote();
    this.destroy();
  }

  /** The peer reset the stream: what it sent before stays readable, then EOF; writes are dropped. */
  resetByPeer(): void {
    this.wasReset = true;
    this.localFin = true;
    this.endRemote();
    this.emit('reset');
  }

  /** Resolves once the consumer wants more data (or the stream is gone): the session's backpressure. */
  waitForRead(): Promise<void> {
    if (this.destroyed) return Promise.resolve();
    return new Promise((resolve) => this.readWaiters.push(resolve));
  }

  /** Called by the session with data from the peer; false when the consumer is behind. */
  deliver(data: Buffer): boolean {
    if (this.remoteFin || this.destroyed) return true;
    return this.push(data);
  }

  /** The peer is done sending (FIN, reset, or the connection ended). */
  endRemote(): void {
    if (this.remoteFin) return;
    this.remoteFin = true;
    if (!this.destroyed) this.push(null);
    this.wakeReaders();
  }

  override _read(): void {
    this.wakeReaders();
  }

  override _write(chunk: Buffer, _enc: BufferEncoding, cb: (err?: Error | null) => void): void {
    if (this.localFin) return cb();
    this.session.sendData(this, chunk).then(() => cb(), cb);
  }

  override _final(cb: (err?: Error | null) => void): void {
    if (!this.localFin) this.session.sendFin(this);
    cb();
  }

  override _destroy(err: Error | null, cb: (err?: Error | null) => void): void {
    if (!this.wasReset && !(this.localFin && this.remoteFin)) {
      this.session.sendReset(this, RstStatus.CANCEL);
      this.wasReset = true;
    }
    this.localFin = true;
    this.remoteFin = true;
    this.session.forget(this);
    this.wakeReaders();
    cb(err);
  }

  private wakeReaders(): void {
    const waiters = this.readWaiters;
    this.readWaiters = [];
    for (const w of waiters) w();
  }
}

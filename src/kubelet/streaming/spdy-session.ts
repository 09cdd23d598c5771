// A SPDY/3.1 session over any byte stream (a TLS socket after an HTTP upgrade, or a WebSocket
// carrying tunneled SPDY), with streams as Node duplexes. Like moby/spdystream on the other side,
// there is no flow control: WINDOW_UPDATE and SETTINGS are ignored and never sent; a reader that
// falls behind pauses the whole connection instead. PINGs from the peer are echoed.
import { EventEmitter } from 'node:events';
import type { Duplex } from 'node:stream';
import {
  FLAG_FIN,
  FLAG_UNIDIRECTIONAL,
  FrameReader,
  FrameType,
  MAX_DATA_FRAME,
  RstStatus,
  encodeData,
  encodeGoAway,
  encodePing,
  encodeRstStream,
  encodeSynReply,
  encodeSynStream,
  type Frame,
} from './spdy-frames.ts';
import { HeaderCompressor, HeaderDecompressor, decodeHeaderBlock, encodeHeaderBlock, type HeaderBlock } from './spdy-header-block.ts';
import { SpdyStream, type SpdyStreamOwner } from './spdy-stream.ts';

export type SpdyRole = 'server' | 'client';

/** How long close() waits for the peer to hang up before cutting the connection. */
const CLOSE_GRACE_MS = 15 * 60_000;

interface PendingOpen {
  stream: SpdyStream;
  resolve: (s: SpdyStream) => void;
  reject: (err: Error) => void;
}

export interface SpdySession {
  on(event: 'stream', listener: (stream: SpdyStream) => void): this;
  on(event: 'close', listener: () => void): this;
  on(event: 'goaway', listener: () => void): this;
}

export class SpdySession extends EventEmitter implements SpdyStreamOwner {
  private readonly reader = new FrameReader();
  private readonly compressor = new HeaderCompressor();
  private readonly decompressor = new HeaderDecompressor();
  private readonly streams = new Map<number, SpdyStream>();
  private readonly opening = new Map<number, PendingOpen>();
  private queue: Frame[] = [];
  private pumping = false;
  private transportEnded = false;
  private nextStreamId: number;
  private lastRemoteStreamId = 0;
  private goAwaySent = false;
  closed = false;
  readonly done: Promise<void>;
  private resolveDone!: () => void;

  constructor(private readonly transport: Duplex, readonly role: SpdyRole, head?: Buffer) {
    super();
    this.nextStreamId = role === 'client' ? 1 : 2;
    this.done = new Promise((resolve) => (this.resolveDone = resolve));
    transport.on('data', (chunk: Buffer) => this.onData(chunk));
    transport.on('end', () => this.onTransportEnd());
    transport.on('close', () => this.onTransportEnd());
    transport.on('error', () => this.onTransportEnd());
    // Bytes that came with the upgrade go first, once the caller has attached its listeners.
    if (head && head.length > 0) process.nextTick(() => this.onData(head));
  }

  /** Opens a stream and resolves once the peer replied (as client-go waits for SYN_REPLY). */
  openStream(headers: Record<string, string | string[]>): Promise<SpdyStream> {
    if (this.closed) return Promise.reject(new Error('SPDY connection closed'));
    const id = this.nextStreamId;
    this.nextStreamId += 2;
    const block = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), Array.isArray(v) ? v : [v]]));
    const stream = new SpdyStream(this, id, block, false);
    this.streams.set(id, stream);
    return new Promise((resolve, reject) => {
      this.opening.set(id, { stream, resolve, reject });
      this.writeFrame(encodeSynStream(id, this.compressor.compress(encodeHeaderBlock(headers))));
    });
  }

  /** GOAWAY, then end our side and wait for the peer to hang up (bounded), so that output it has not read yet is not reset away. */
  async close(): Promise<void> {
    if (!this.closed && !this.goAwaySent) {
      this.goAwaySent = true;
      this.writeFrame(encodeGoAway(this.lastRemoteStreamId));
    }
    if (!this.transport.writableEnded) this.transport.end();
    const timer = setTimeout(() => this.transport.destroy(), CLOSE_GRACE_MS);
    timer.unref();
    await this.done;
    clearTimeout(timer);
  }

  destroy(): void {
    this.transport.destroy();
    this.onTransportEnd();
  }

  // --- used by SpdyStream ---

  sendReply(stream: SpdyStream, headers: Record<string, string | string[]>): void {
    if (stream.replied) return;
    stream.replied = true;
    this.writeFrame(encodeSynReply(stream.id, this.compressor.compress(encodeHeaderBlock(headers))));
  }

  sendReset(stream: SpdyStream, status: number): void {
    if (stream.wasReset) return;
    this.writeFrame(encodeRstStream(stream.id, status));
  }

  sendFin(stream: SpdyStream): void {
    stream.localFin = true;
    this.writeFrame(encodeData(stream.id, Buffer.alloc(0), FLAG_FIN));
    this.maybeForget(stream);
  }

  async sendData(stream: SpdyStream, data: Buffer): Promise<void> {
    for (let off = 0; off < data.length; off += MAX_DATA_FRAME) {
      if (this.closed || stream.localFin) return;
      if (!this.writeFrame(encodeData(stream.id, data.subarray(off, off + MAX_DATA_FRAME)))) await this.drained();
    }
  }

  forget(stream: SpdyStream): void {
    this.streams.delete(stream.id);
    const pending = this.opening.get(stream.id);
    if (pending) {
      this.opening.delete(stream.id);
      pending.reject(new Error(`SPDY stream ${stream.id} was reset`));
    }
  }

  // --- internals ---

  private maybeForget(stream: SpdyStream): void {
    if (stream.localFin && stream.remoteFin) this.streams.delete(stream.id);
  }

  private writeFrame(frame: Buffer): boolean {
    if (this.closed || this.transport.writableEnded || this.transport.destroyed) return true;
    return this.transport.write(frame);
  }

  private drained(): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        this.transport.off('drain', done);
        this.off('close', done);
        resolve();
      };
      this.transport.on('drain', done);
      this.on('close', done);
    });
  }

  private onData(chunk: Buffer): void {
    let frames: Frame[];
    try {
      frames = this.reader.push(chunk);
    } catch {
      this.destroy();
      return;
    }
    this.queue.push(...frames);
    if (!this.pumping) void this.pump();
  }

  /** Frames are handled strictly in order; header inflation and slow readers pause the transport. */
  private async pump(): Promise<void> {
    this.pumping = true;
    let paused = false;
    try {
      while (this.queue.length > 0 && !this.closed) {
        const frame = this.queue.shift()!;
        const pending = this.handleFrame(frame);
        if (pending) {
          if (!paused) {
            this.transport.pause();
            paused = true;
          }
          await pending;
        }
      }
    } catch {
      this.pumping = false;
      this.destroy();
      return;
    }
    this.pumping = false;
    if (paused && !this.transport.destroyed) this.transport.resume();
    if (this.transportEnded) this.finish();
  }

  private handleFrame(frame: Frame): Promise<void> | void {
    if (frame.kind === 'data') return this.handleData(frame.streamId, frame.flags, frame.data);
    const p = frame.payload;
    switch (frame.type) {
      case FrameType.SYN_STREAM:
        return this.decompressor.decompress(p.subarray(10)).then((block) => this.handleSynStream(p.readUInt32BE(0) & 0x7fffffff, frame.flags, decodeHeaderBlock(block)));
      case FrameType.SYN_REPLY:
        return this.decompressor.decompress(p.subarray(4)).then(() => this.handleSynReply(p.readUInt32BE(0) & 0x7fffffff, frame.flags));
      case FrameType.HEADERS:
        // Only inflated to keep the shared zlib stream in step; no protocol here uses them.
        return this.decompressor.decompress(p.subarray(4)).then(() => {
          if (frame.flags & FLAG_FIN) this.streams.get(p.readUInt32BE(0) & 0x7fffffff)?.endRemote();
        });
      case FrameType.RST_STREAM: {
        const stream = this.streams.get(p.readUInt32BE(0) & 0x7fffffff);
        if (stream) {
          this.forget(stream);
          stream.resetByPeer();
        }
        return;
      }
      case FrameType.PING: {
        const id = p.readUInt32BE(0);
        // Our own pings carry our parity (server even, client odd); the peer's are echoed.
        if ((id % 2 === 0) !== (this.role === 'server')) this.writeFrame(encodePing(id));
        return;
      }
      case FrameType.GOAWAY:
        this.emit('goaway');
        return;
      default:
        return; // SETTINGS, WINDOW_UPDATE, unknown: ignored as spdystream does
    }
  }

  private handleSynStream(id: number, flags: number, headers: HeaderBlock): void {
    const expectedParity = this.role === 'server' ? 1 : 0;
    if (id % 2 !== expectedParity || id <= this.lastRemoteStreamId || this.goAwaySent) {
      this.writeFrame(encodeRstStream(id, RstStatus.PROTOCOL_ERROR));
      return;
    }
    this.lastRemoteStreamId = id;
    const stream = new SpdyStream(this, id, headers, false);
    this.streams.set(id, stream);
    if (flags & FLAG_UNIDIRECTIONAL) stream.localFin = true;
    if (flags & FLAG_FIN) stream.endRemote();
    this.emit('stream', stream);
  }

  private handleSynReply(id: number, flags: number): void {
    const pending = this.opening.get(id);
    if (!pending) return;
    this.opening.delete(id);
    pending.stream.replied = true;
    if (flags & FLAG_FIN) pending.stream.endRemote();
    pending.resolve(pending.stream);
  }

  private handleData(id: number, flags: number, data: Buffer): Promise<void> | void {
    const stream = this.streams.get(id);
    if (!stream) return;
    const wantsMore = data.length === 0 || stream.deliver(data);
    if (flags & FLAG_FIN) {
      stream.endRemote();
      this.maybeForget(stream);
    }
    if (!wantsMore) return stream.waitForRead();
  }

  private onTransportEnd(): void {
    this.transportEnded = true;
    if (!this.pumping) this.finish();
  }

  /** The connection is gone: readers see EOF after what they already have, openers fail, writes are dropped. */
  private finish(): void {
    if (this.closed) return;
    this.closed = true;
    for (const pending of this.opening.values()) pending.reject(new Error('SPDY connection closed before the stream was accepted'));
    this.opening.clear();
    for (const stream of this.streams.values()) {
      stream.endRemote();
      stream.localFin = true;
    }
    this.streams.clear();
    this.decompressor.close();
    if (!this.transport.destroyed) this.transport.destroy();
    this.emit('close');
    this.resolveDone();
  }
}

// SPDY/3.1 framing as spoken by moby/spdystream (kubectl ≤1.29, client-go, containerd's streaming
// server): frame layout, encoders, and an incremental reader that cuts a byte stream into frames.
// Header blocks are compressed separately (spdy-header-block.ts).

export const SPDY_VERSION = 3;

export const FrameType = {
  SYN_STREAM: 1,
  SYN_REPLY: 2,
  RST_STREAM: 3,
  SETTINGS: 4,
  PING: 6,
  GOAWAY: 7,
  HEADERS: 8,
  WINDOW_UPDATE: 9,
} as const;

export const FLAG_FIN = 0x01;
export const FLAG_UNIDIRECTIONAL = 0x02;

/** RST_STREAM status codes. */
export const RstStatus = {
  PROTOCOL_ERROR: 1,
  INVALID_STREAM: 2,
  REFUSED_STREAM: 3,
  CANCEL: 5,
  INTERNAL_ERROR: 6,
} as const;

export const GOAWAY_OK = 0;

/** A DATA frame's payload is at most 2^24-1 bytes; smaller frames keep streams interleaved fairly. */
export const MAX_DATA_FRAME = 32 * 1024;

export type Frame =
  | { kind: 'data'; streamId: number; flags: number; data: Buffer }
  | { kind: 'control'; version: number; type: number; flags: number; payload: Buffer };

const HEADER_LEN = 8;

function controlFrame(type: number, flags: number, payload: Buffer): Buffer {
  const out = Buffer.allocUnsafe(HEADER_LEN + payload.length);
  out.writeUInt16BE(0x8000 | SPDY_VERSION, 0);
  out.writeUInt16BE(type, 2);
  out.writeUInt32BE(((flags & 0xff) << 24 | payload.length) >>> 0, 4);
  payload.copy(out, HEADER_LEN);
  return out;
}

export function encodeSynStream(streamId: number, headerBlock: Buffer, flags = 0, priority = 0): Buffer {
  const payload = Buffer.alloc(10 + headerBlock.length);
  payload.writeUInt32BE(streamId & 0x7fffffff, 0);
  payload.writeUInt32BE(0, 4); // associated-to stream
  payload[8] = (priority & 0x7) << 5;
  payload[9] = 0; // slot
  headerBlock.copy(payload, 10);
  return controlFrame(FrameType.SYN_STREAM, flags, payload);
}

export function encodeSynReply(streamId: number, headerBlock: Buffer, flags = 0): Buffer {
  const payload = Buffer.alloc(4 + headerBlock.length);
  payload.writeUInt32BE(streamId & 0x7fffffff, 0);
  headerBlock.copy(payload, 4);
  return controlFrame(FrameType.SYN_REPLY, flags, payload);
}

export function encodeRstStream(streamId: number, status: number): Buffer {
  const payload = Buffer.alloc(8);
  payload.writeUInt32BE(streamId & 0x7fffffff, 0);
  payload.writeUInt32BE(status, 4);
  return controlFrame(FrameType.RST_STREAM, 0, payload);
}

export function encodePing(id: number): Buffer {
  const payload = Buffer.alloc(4);
  payload.writeUInt32BE(id >>> 0, 0);
  return controlFrame(FrameType.PING, 0, payload);
}

export function encodeGoAway(lastGoodStreamId: number, status = GOAWAY_OK): Buffer {
  const payload = Buffer.alloc(8);
  payload.writeUInt32BE(lastGoodStreamId & 0x7fffffff, 0);
  payload.writeUInt32BE(status, 4);
  return controlFrame(FrameType.GOAWAY, 0, payload);
}

export function encodeData(streamId: number, data: Buffer, flags = 0): Buffer {
  const out = Buffer.allocUnsafe(HEADER_LEN + data.length);
  out.writeUInt32BE(streamId & 0x7fffffff, 0);
  out.writeUInt32BE(((flags & 0xff) << 24 | data.length) >>> 0, 4);
  data.copy(out, HEADER_LEN);
  return out;
}

/** Accumulates bytes and returns every complete frame; a partial frame waits for more. */
export class FrameReader {
  private buf: Buffer = Buffer.alloc(0);

  push(chunk: Buffer): Frame[] {
    this.buf = this.buf.length === 0 ? chunk : Buffer.concat([this.buf, chunk]);
    const frames: Frame[] = [];
    while (this.buf.length >= HEADER_LEN) {
      const length = this.buf.readUInt32BE(4) & 0xffffff;
      if (this.buf.length < HEADER_LEN + length) break;
      const flags = this.buf[4]!;
      const body = this.buf.subarray(HEADER_LEN, HEADER_LEN + length);
      const first = this.buf.readUInt32BE(0);
      if (first & 0x80000000) {
        frames.push({ kind: 'control', version: (first >>> 16) & 0x7fff, type: first & 0xffff, flags, payload: body });
      } else {
        frames.push({ kind: 'data', streamId: first & 0x7fffffff, flags, data: body });
      }
      this.buf = this.buf.subarray(HEADER_LEN + length);
    }
    return frames;
  }
}

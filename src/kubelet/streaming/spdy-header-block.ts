// SPDY/3 header blocks: name/value pairs, compressed with one zlib stream per direction and
// connection, primed with the SPDY/3 dictionary (the peer's decompressor checks its Adler-32).
// Outgoing blocks use stored (uncompressed) deflate blocks ended by a sync-flush marker, which any
// inflater reads and which need no asynchronous zlib round trip; incoming blocks go through a real
// inflate stream.
import { createRequire } from 'node:module';
import { constants as zlibConstants, createInflate, type Inflate } from 'node:zlib';

const require = createRequire(import.meta.url);
/** The SPDY/3 header dictionary (spec constant), as spdy-transport ships it. */
const SPDY3_DICTIONARY: Buffer = (require('spdy-transport/lib/spdy-transport/protocol/spdy/dictionary.js') as Record<number, Buffer>)[3]!;

export type HeaderBlock = Record<string, string[]>;

/** Names are lowercased on the wire (Go's reader flags anything else); repeated values are NUL-joined. */
export function encodeHeaderBlock(headers: Record<string, string | string[]>): Buffer {
  const entries = Object.entries(headers).map(([k, v]) => [Buffer.from(k.toLowerCase()), Buffer.from((Array.isArray(v) ? v : [v]).join('\0'))] as const);
  const parts: Buffer[] = [u32(entries.length)];
  for (const [name, value] of entries) parts.push(u32(name.length), name, u32(value.length), value);
  return Buffer.concat(parts);
}

export function decodeHeaderBlock(buf: Buffer): HeaderBlock {
  const out: HeaderBlock = {};
  let off = 0;
  const read = (): Buffer => {
    if (off + 4 > buf.length) throw new Error('truncated SPDY header block');
    const len = buf.readUInt32BE(off);
    off += 4;
    if (off + len > buf.length) throw new Error('truncated SPDY header block');
    const b = buf.subarray(off, off + len);
    off += len;
    return b;
  };
  if (buf.length < 4) throw new Error('truncated SPDY header block');
  const count = buf.readUInt32BE(0);
  off = 4;
  for (let i = 0; i < count; i++) {
    const name = read().toString('latin1').toLowerCase();
    const values = read().toString('latin1').split('\0');
    (out[name] ??= []).push(...values);
  }
  return out;
}

function u32(n: number): Buffer {
  const b = Buffer.allocUnsafe(4);
  b.writeUInt32BE(n >>> 0, 0);
  return b;
}

function adler32(buf: Buffer): number {
  let a = 1;
  let b = 0;
  for (const byte of buf) {
    a = (a + byte) % 65521;
    b = (b + a) % 65521;
  }
  return ((b << 16) | a) >>> 0;
}

/** zlib header: deflate with a 32K window, FDICT set (0x78 0x20 is a multiple of 31), then the dictionary id. */
const ZLIB_HEADER = Buffer.concat([Buffer.from([0x78, 0x20]), u32(adler32(SPDY3_DICTIONARY))]);
const MAX_STORED = 0xffff;
const SYNC_FLUSH_MARKER = Buffer.from([0x00, 0x00, 0x00, 0xff, 0xff]);

export class HeaderCompressor {
  private started = false;

  compress(block: Buffer): Buffer {
    const parts: Buffer[] = [];
    if (!this.started) {
      parts.push(ZLIB_HEADER);
      this.started = true;
    }
    // Non-final stored blocks; each one is byte-aligned, so the stream stays valid across frames.
    let off = 0;
    do {
      const piece = block.subarray(off, off + MAX_STORED);
      const head = Buffer.alloc(5); // BFINAL=0, BTYPE=00, then LEN and NLEN
      head.writeUInt16LE(piece.length, 1);
      head.writeUInt16LE(~piece.length & 0xffff, 3);
      parts.push(head, piece);
      off += piece.length;
    } while (off < block.length);
    // An empty stored block, as a sync flush ends: Go's inflater only releases a stored block's
    // bytes when the next block starts, and must not read past this frame to find it.
    parts.push(SYNC_FLUSH_MARKER);
    return Buffer.concat(parts);
  }
}

export class HeaderDecompressor {
  private readonly inflate: Inflate;
  private failed: Error | undefined;

  constructor() {
    this.inflate = createInflate({ dictionary: SPDY3_DICTIONARY, finishFlush: zlibConstants.Z_SYNC_FLUSH, flush: zlibConstants.Z_SYNC_FLUSH });
    this.inflate.on('error', (err) => (this.failed = err));
  }

  /** Inflates one frame's header block; blocks must be given in arrival order, one at a time. */
  decompress(block: Buffer): Promise<Buffer> {
    if (this.failed) return Promise.reject(this.failed);
    return new Promise((resolve, reject) => {
      this.inflate.write(block, (err) => {
        if (err || this.failed) return reject(err ?? this.failed);
        // Paused mode: the write callback runs once the chunk's output is buffered on the readable side.
        const out: Buffer[] = [];
        for (let c: Buffer | null; (c = this.inflate.read() as Buffer | null) !== null;) out.push(c);
        resolve(Buffer.concat(out));
      });
    });
  }

  close(): void {
    this.inflate.destroy();
  }
}

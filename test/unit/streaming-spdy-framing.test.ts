// SPDY/3.1 framing and header-block compression as moby/spdystream (kubectl, containerd) reads and
// writes them.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import zlib from 'node:zlib';
import {
  FLAG_FIN,
  FrameReader,
  FrameType,
  encodeData,
  encodeGoAway,
  encodePing,
  encodeRstStream,
  encodeSynReply,
  encodeSynStream,
} from '../../src/kubelet/streaming/spdy-frames.ts';
import { HeaderCompressor, HeaderDecompressor, decodeHeaderBlock, encodeHeaderBlock } from '../../src/kubelet/streaming/spdy-header-block.ts';

const require = createRequire(import.meta.url);
const DICTIONARY: Buffer = require('spdy-transport/lib/spdy-transport/protocol/spdy/dictionary.js')[3];

/** One zlib stream over many frames, flushed after each, as Go's spdy framer writes header blocks. */
function goLikeCompressor() {
  const deflate = zlib.createDeflate({ dictionary: DICTIONARY, level: 9 });
  const out: Buffer[] = [];
  deflate.on('data', (d: Buffer) => out.push(d));
  return (block: Buffer) =>
    new Promise<Buffer>((resolve) => {
      deflate.write(block);
      deflate.flush(zlib.constants.Z_SYNC_FLUSH, () => resolve(Buffer.concat(out.splice(0))));
    });
}

describe('SPDY header blocks', () => {
  test('names are lowercased, repeated values NUL-joined, and decode back', () => {
    const block = encodeHeaderBlock({ streamType: 'data', Port: '8080', requestID: '7', multi: ['a', 'b'] });
    assert.deepEqual(decodeHeaderBlock(block), { streamtype: ['data'], port: ['8080'], requestid: ['7'], multi: ['a', 'b'] });
    assert.equal(block.readUInt32BE(0), 4);
    assert.equal(block.subarray(8, 18).toString(), 'streamtype');
  });

  test('compressed blocks stay readable by a zlib inflater primed with the SPDY/3 dictionary, frame by frame', async () => {
    const compressor = new HeaderCompressor();
    const inflate = zlib.createInflate({ dictionary: DICTIONARY });
    const blocks = [encodeHeaderBlock({ streamtype: 'error' }), encodeHeaderBlock({ streamtype: 'stdout' }), encodeHeaderBlock({ 'x-big': 'v'.repeat(70_000) })];
    for (const block of blocks) {
      const frame = compressor.compress(block);
      // Go's inflater needs each frame to end as a sync flush does, or it reads past the frame.
      assert.deepEqual([...frame.subarray(-5)], [0x00, 0x00, 0x00, 0xff, 0xff]);
      const out = await new Promise<Buffer>((resolve, reject) => {
        const chunks: Buffer[] = [];
        const onData = (d: Buffer) => chunks.push(d);
        inflate.on('data', onData);
        inflate.write(frame);
        inflate.flush(zlib.constants.Z_SYNC_FLUSH, () => {
          inflate.off('data', onData);
          resolve(Buffer.concat(chunks));
        });
        inflate.once('error', reject);
      });
      assert.deepEqual(out, block);
    }
  });

  test('blocks compressed by a peer (one dictionary-primed zlib stream, sync-flushed) are read in order', async () => {
    const compress = goLikeCompressor();
    const decompressor = new HeaderDecompressor();
    const cases: Record<string, string>[] = [{ streamtype: 'error' }, { streamtype: 'stdin' }, { streamtype: 'stdout', port: '80' }];
    for (const headers of cases) {
      const block = await decompressor.decompress(await compress(encodeHeaderBlock(headers)));
      assert.deepEqual(decodeHeaderBlock(block), Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, [v]])));
    }
    decompressor.close();
  });
});

describe('SPDY frames', () => {
  test('control frames carry version 3, their type, flags and length', () => {
    const syn = encodeSynStream(5, Buffer.from('hdr'), FLAG_FIN);
    assert.equal(syn.readUInt16BE(0), 0x8003);
    assert.equal(syn.readUInt16BE(2), FrameType.SYN_STREAM);
    assert.equal(syn[4], FLAG_FIN);
    assert.equal(syn.readUIntBE(5, 3), 10 + 3);
    assert.equal(syn.readUInt32BE(8), 5);
    assert.equal(encodeSynReply(2, Buffer.alloc(0)).readUInt16BE(2), FrameType.SYN_REPLY);
    assert.deepEqual([...encodeRstStream(3, 5).subarray(8)], [0, 0, 0, 3, 0, 0, 0, 5]);
    assert.deepEqual([...encodePing(7).subarray(8)], [0, 0, 0, 7]);
    assert.deepEqual([...encodeGoAway(9).subarray(8)], [0, 0, 0, 9, 0, 0, 0, 0]);
  });

  test('the reader cuts frames out of arbitrary chunking', () => {
    const wire = Buffer.concat([encodeSynStream(1, Buffer.from('abc')), encodeData(1, Buffer.from('hello')), encodeData(1, Buffer.alloc(0), FLAG_FIN), encodePing(2)]);
    const reader = new FrameReader();
    const frames = [...wire].flatMap((byte) => reader.push(Buffer.from([byte])));
    assert.deepEqual(
      frames.map((f) => (f.kind === 'data' ? `data ${f.streamId} ${f.flags} ${f.data}` : `ctl ${f.version} ${f.type} ${f.payload.length}`)),
      ['ctl 3 1 13', 'data 1 0 hello', 'data 1 1 ', 'ctl 3 6 4'],
    );
  });
});

// The exec/attach outcome on the error stream (what kubectl parses into its exit code and message),
// terminal-resize decoding, and the channel.k8s.io WebSocket framing.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  RemoteCommandStatusError,
  decodeStatusV4,
  encodeStatusText,
  encodeStatusV4,
  internalErrorStatus,
  nonZeroExitStatus,
  successStatus,
} from '../../src/kubelet/streaming/remote-command-status.ts';
import { ResizeEvents } from '../../src/kubelet/streaming/resize-events.ts';
import { decodeChannelMessage, encodeChannelMessage } from '../../src/kubelet/streaming/websocket-channels.ts';

describe('remote command status', () => {
  test('v4 JSON is metav1.Status as the kubelet marshals it', () => {
    assert.equal(encodeStatusV4(successStatus()), '{"metadata":{},"status":"Success"}');
    assert.equal(
      encodeStatusV4(nonZeroExitStatus(['sh', '-c', 'exit 3'], 3)),
      '{"metadata":{},"status":"Failure","message":"command terminated with non-zero exit code: error executing command [sh -c exit 3], exit code 3",' +
        '"reason":"NonZeroExitCode","details":{"causes":[{"reason":"ExitCode","message":"3"}]}}',
    );
    assert.equal(
      encodeStatusV4(internalErrorStatus('error executing command in container: boom')),
      '{"metadata":{},"status":"Failure","message":"Internal error occurred: error executing command in container: boom","reason":"InternalError",' +
        '"details":{"causes":[{"message":"error executing command in container: boom"}]},"code":500}',
    );
  });

  test('v1–v3 carry only a failure\'s message', () => {
    assert.equal(encodeStatusText(successStatus()), '');
    assert.equal(encodeStatusText(nonZeroExitStatus(['false'], 1)), 'command terminated with non-zero exit code: error executing command [false], exit code 1');
  });

  test('decoding as client-go does: success, exit codes, other failures', () => {
    assert.deepEqual(decodeStatusV4(''), { exitCode: 0 });
    assert.deepEqual(decodeStatusV4(encodeStatusV4(successStatus())), { exitCode: 0 });
    assert.deepEqual(decodeStatusV4(encodeStatusV4(nonZeroExitStatus(['x'], 42))), { exitCode: 42 });
    assert.throws(() => decodeStatusV4(encodeStatusV4(internalErrorStatus('nope'))), (err: unknown) => {
      assert.ok(err instanceof RemoteCommandStatusError);
      assert.equal(err.message, 'Internal error occurred: nope');
      assert.equal(err.status.code, 500);
      return true;
    });
    assert.throws(() => decodeStatusV4('{"metadata":{},"status":"Failure","reason":"NonZeroExitCode"}'), /no ExitCode cause given/);
    assert.throws(() => decodeStatusV4('not json'), /error stream protocol error/);
  });
});

describe('terminal resize events', () => {
  test('concatenated and split JSON objects become sizes, in order', async () => {
    const events = new ResizeEvents();
    events.push(Buffer.from('{"Width":80,"Height":24}\n{"Width":1'));
    events.push(Buffer.from('00,"Height":30}'));
    events.push(Buffer.from('{"width":7,"height":8}'));
    events.end();
    const seen = [];
    for await (const size of events) seen.push(size);
    assert.deepEqual(seen, [{ width: 80, height: 24 }, { width: 100, height: 30 }, { width: 7, height: 8 }]);
  });

  test('a waiting reader gets sizes as they come, and the end', async () => {
    const events = new ResizeEvents();
    const it = events[Symbol.asyncIterator]();
    const first = it.next();
    events.push(Buffer.from('{"Width":1,"Height":2}'));
    assert.deepEqual(await first, { done: false, value: { width: 1, height: 2 } });
    const second = it.next();
    events.end();
    assert.equal((await second).done, true);
  });
});

describe('channel.k8s.io framing', () => {
  test('binary: a channel byte then the data; v5 also knows the CLOSE signal', () => {
    const msg = encodeChannelMessage('binary', 1, Buffer.from('out')) as Buffer;
    assert.deepEqual([...msg], [1, 111, 117, 116]);
    assert.deepEqual(decodeChannelMessage('binary', Buffer.from([0, 104, 105]), true), { kind: 'data', channel: 0, data: Buffer.from('hi') });
    assert.deepEqual(decodeChannelMessage('binary', Buffer.from([255, 0]), true), { kind: 'close', channel: 0 });
    assert.deepEqual(decodeChannelMessage('binary', Buffer.from([255, 0]), false), { kind: 'data', channel: 255, data: Buffer.from([0]) });
    assert.equal(decodeChannelMessage('binary', Buffer.alloc(0), true), undefined);
  });

  test('base64: an ASCII channel digit then base64', () => {
    assert.equal(encodeChannelMessage('base64', 1, Buffer.from('\n')), '1Cg==');
    assert.deepEqual(decodeChannelMessage('base64', Buffer.from('0Zm9vCgo='), false), { kind: 'data', channel: 0, data: Buffer.from('foo\n\n') });
  });
});

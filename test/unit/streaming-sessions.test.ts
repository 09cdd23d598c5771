// exec/attach and port-forward sessions end to end over local sockets: our SPDY client
// (spdyRemoteCommandClient, as used towards containerd) against our server, WebSocket clients of
// every channel.k8s.io flavour, and SPDY port-forward streams. kubectl itself is driven in
// test/integration/streaming-kubectl.int.test.ts.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import http from 'node:http';
import net from 'node:net';
import { PassThrough, Readable } from 'node:stream';
import { WebSocket } from 'ws';
import type { ExecResult, StreamIO } from '../../src/kubelet/runtime/runtime-service.ts';
import { RemoteCommandStatusError, servePortForward, serveRemoteCommand, spdyRemoteCommandClient } from '../../src/kubelet/streaming/index.ts';
import { encodePing, FrameReader, FrameType } from '../../src/kubelet/streaming/spdy-frames.ts';
import { SpdySession } from '../../src/kubelet/streaming/spdy-session.ts';
import type { SpdyStream } from '../../src/kubelet/streaming/spdy-stream.ts';
import { requestSpdyUpgrade } from '../../src/kubelet/streaming/spdy-upgrade.ts';
import { waitFor } from '../helpers/wait-for.ts';

type Run = (io: StreamIO) => Promise<ExecResult>;

let server: http.Server;
let echo: net.Server;
let base: string;
let nextRun: Run = async () => ({ exitCode: 0 });
/** What the last session's run was handed, for assertions about the server side. */
let lastIO: StreamIO | undefined;

function flag(q: URLSearchParams, name: string): boolean {
  return q.get(name) === '1';
}

before(async () => {
  echo = net.createServer((c) => c.pipe(c)).listen(0, '127.0.0.1');
  await once(echo, 'listening');
  const echoPort = (echo.address() as net.AddressInfo).port;
  server = http.createServer((_req, res) => res.writeHead(404).end());
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const q = url.searchParams;
    if (url.pathname === '/portforward') {
      servePortForward(req, socket, head, q.getAll('port').map(Number), async (port) => {
        const c = net.connect(port === 80 ? echoPort : 1, '127.0.0.1');
        await once(c, 'connect');
        return c;
      }, { podName: 'p', uid: 'u' });
      return;
    }
    const tty = flag(q, 'tty');
    serveRemoteCommand(req, socket, head, { stdin: flag(q, 'stdin'), stdout: flag(q, 'stdout'), stderr: flag(q, 'stderr') && !tty, tty }, (io) => {
      lastIO = io;
      return nextRun(io);
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  base = `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`;
});
after(async () => {
  server.closeAllConnections();
  server.close();
  echo.close();
});

function collect(): { stream: PassThrough; text: () => string } {
  const stream = new PassThrough();
  let text = '';
  stream.on('data', (d: Buffer) => (text += d.toString()));
  return { stream, text: () => text };
}

async function readAll(r: Readable): Promise<string> {
  let s = '';
  for await (const c of r) s += String(c);
  return s;
}

describe('exec over SPDY: our client against our server', () => {
  test('stdin EOF reaches the command (half-close); stdout and stderr stay apart; exit 0', async () => {
    nextRun = async (io) => {
      const input = await readAll(io.stdin!);
      io.stdout!.write(`got:${input}`);
      io.stderr!.write('e');
      return { exitCode: 0 };
    };
    const out = collect();
    const err = collect();
    const r = await spdyRemoteCommandClient(`${base}/exec?command=cat&stdin=1&stdout=1&stderr=1`, { stdin: Readable.from([Buffer.from('abc'), Buffer.from('def')]), stdout: out.stream, stderr: err.stream, tty: false }, { stdin: true, stdout: true, stderr: true, tty: false });
    assert.deepEqual(r, { exitCode: 0 });
    assert.equal(out.text(), 'got:abcdef');
    assert.equal(err.text(), 'e');
  });

  test('a non-zero exit code comes back as the exit code', async () => {
    nextRun = async (io) => {
      io.stdout!.end('bye\n');
      return { exitCode: 3 };
    };
    const out = collect();
    const r = await spdyRemoteCommandClient(`${base}/exec?command=sh&stdout=1`, { stdout: out.stream, tty: false }, { stdin: false, stdout: true, stderr: false, tty: false });
    assert.deepEqual(r, { exitCode: 3 });
    assert.equal(out.text(), 'bye\n');
  });

  test('a failing run is an InternalError status; a runtime\'s own status passes through unchanged', async () => {
    nextRun = async () => {
      throw new Error('boom');
    };
    const opts = { stdin: false, stdout: true, stderr: false, tty: false };
    await assert.rejects(spdyRemoteCommandClient(`${base}/exec?command=x&stdout=1`, { tty: false }, opts), (err: unknown) => {
      assert.ok(err instanceof RemoteCommandStatusError);
      assert.equal(err.message, 'Internal error occurred: error executing command in container: boom');
      assert.equal(err.status.reason, 'InternalError');
      return true;
    });
    const upstream = { metadata: {}, status: 'Failure' as const, message: 'Internal error occurred: error executing command in container: failed to exec in container: no such process', reason: 'InternalError', code: 500 };
    nextRun = async () => {
      throw new RemoteCommandStatusError(upstream);
    };
    await assert.rejects(spdyRemoteCommandClient(`${base}/exec?command=x&stdout=1`, { tty: false }, opts), (err: unknown) => {
      assert.ok(err instanceof RemoteCommandStatusError);
      assert.deepEqual(err.status, upstream);
      return true;
    });
  });

  test('with a TTY there is no stderr stream, and resizes reach the command', async () => {
    const seen: { width: number; height: number }[] = [];
    nextRun = async (io) => {
      assert.equal(io.stderr, undefined);
      assert.equal(io.tty, true);
      for await (const size of io.resize!) {
        seen.push(size);
        if (seen.length === 2) break;
      }
      io.stdout!.write('sized');
      return { exitCode: 0 };
    };
    async function* sizes() {
      yield { width: 80, height: 24 };
      yield { width: 120, height: 40 };
    }
    const out = collect();
    const r = await spdyRemoteCommandClient(`${base}/exec?command=sh&stdout=1&tty=1`, { stdout: out.stream, tty: true, resize: sizes() }, { stdin: false, stdout: true, stderr: true, tty: true });
    assert.deepEqual(r, { exitCode: 0 });
    assert.deepEqual(seen, [{ width: 80, height: 24 }, { width: 120, height: 40 }]);
    assert.equal(out.text(), 'sized');
  });

  test('attach (no command) always ends in Success, as upstream\'s attach', async () => {
    nextRun = async () => ({ exitCode: 5 });
    const r = await spdyRemoteCommandClient(`${base}/attach?stdout=1`, { tty: false }, { stdin: false, stdout: true, stderr: false, tty: false });
    assert.deepEqual(r, { exitCode: 0 });
  });

  test('an unknown stream protocol is refused with the versions the server accepts', async () => {
    const res = await new Promise<http.IncomingMessage>((resolve, reject) => {
      http.request(`${base}/exec?command=x&stdout=1`, { method: 'POST', headers: { Connection: 'Upgrade', Upgrade: 'SPDY/3.1', 'X-Stream-Protocol-Version': 'v9.channel.k8s.io' } })
        .on('response', resolve).on('upgrade', () => reject(new Error('upgraded'))).on('error', reject).end();
    });
    assert.equal(res.statusCode, 403);
    assert.deepEqual(res.headersDistinct['x-accepted-stream-protocol-versions'], ['v5.channel.k8s.io', 'v4.channel.k8s.io', 'v3.channel.k8s.io', 'v2.channel.k8s.io', 'channel.k8s.io']);
    assert.equal(await readAll(res), 'unable to upgrade: unable to negotiate protocol: client supports [v9.channel.k8s.io], server accepts [v5.channel.k8s.io v4.channel.k8s.io v3.channel.k8s.io v2.channel.k8s.io channel.k8s.io]\n');
  });

  test('PINGs from the client are echoed', async () => {
    nextRun = () => new Promise(() => {}); // never ends; the connection is dropped below
    const { socket, head } = await requestSpdyUpgrade(`${base}/exec?command=x&stdout=1`, ['v4.channel.k8s.io']);
    const reader = new FrameReader();
    const frames: ReturnType<FrameReader['push']> = [];
    socket.on('data', (c: Buffer) => frames.push(...reader.push(c)));
    if (head.length) frames.push(...reader.push(head));
    socket.write(encodePing(7));
    await waitFor(() => frames.some((f) => f.kind === 'control' && f.type === FrameType.PING && f.payload.readUInt32BE(0) === 7), { message: 'the PING echo' });
    socket.destroy();
  });
});

interface WsMessage {
  data: Buffer;
  binary: boolean;
}

async function openWs(path: string, protocols: string[]): Promise<{ ws: WebSocket; messages: WsMessage[]; closed: Promise<number> }> {
  const ws = new WebSocket(`${base.replace('http', 'ws')}${path}`, protocols);
  const messages: WsMessage[] = [];
  ws.on('message', (data: Buffer, binary) => messages.push({ data, binary }));
  const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));
  await once(ws, 'open');
  return { ws, messages, closed };
}

describe('exec over WebSocket channels', () => {
  test('v5: an empty stdout message first, the CLOSE signal ends stdin, a JSON status, a normal closure', async () => {
    nextRun = async (io) => {
      io.stdout!.write(await readAll(io.stdin!));
      return { exitCode: 0 };
    };
    const { ws, messages, closed } = await openWs('/exec?command=cat&stdin=1&stdout=1&stderr=1', ['v5.channel.k8s.io']);
    assert.equal(ws.protocol, 'v5.channel.k8s.io');
    ws.send(Buffer.from([0, ...Buffer.from('hello')]));
    ws.send(Buffer.from([255, 0]));
    assert.equal(await closed, 1000);
    assert.deepEqual(messages.map((m) => [m.data[0], m.data.subarray(1).toString()]), [
      [1, ''],
      [1, 'hello'],
      [3, '{"metadata":{},"status":"Success"}'],
    ]);
  });

  test('v4.base64: text messages with a channel digit; the exit code in the status', async () => {
    nextRun = async (io) => {
      io.stdout!.write('hi');
      return { exitCode: 2 };
    };
    const { messages, closed } = await openWs('/exec?command=sh&command=-c&command=exit%202&stdout=1', ['v4.base64.channel.k8s.io']);
    await closed;
    assert.ok(messages.every((m) => !m.binary));
    const decoded = messages.map((m) => [m.data.toString()[0], Buffer.from(m.data.toString().slice(1), 'base64').toString()]);
    assert.deepEqual(decoded.slice(0, 2), [['1', ''], ['1', 'hi']]);
    assert.equal(decoded[2]![0], '3');
    assert.deepEqual(JSON.parse(decoded[2]![1]!).details, { causes: [{ reason: 'ExitCode', message: '2' }] });
    assert.match(decoded[2]![1]!, /error executing command \[sh -c exit 2\], exit code 2/);
  });

  test('channel.k8s.io (pre-v4): only a failure\'s message, as text', async () => {
    nextRun = async () => ({ exitCode: 1 });
    const { messages, closed } = await openWs('/exec?command=false&stdout=1', ['channel.k8s.io']);
    await closed;
    assert.deepEqual(messages.map((m) => [m.data[0], m.data.subarray(1).toString()]), [
      [1, ''],
      [3, 'command terminated with non-zero exit code: error executing command [false], exit code 1'],
    ]);
  });

  test('resize messages on channel 4 reach the command (TTY)', async () => {
    let seen: unknown;
    nextRun = async (io) => {
      for await (const size of io.resize!) {
        seen = size;
        break;
      }
      return { exitCode: 0 };
    };
    const { ws, closed } = await openWs('/exec?command=sh&stdout=1&tty=1', ['v5.channel.k8s.io']);
    ws.send(Buffer.concat([Buffer.from([4]), Buffer.from('{"Width":100,"Height":50}')]));
    await closed;
    assert.deepEqual(seen, { width: 100, height: 50 });
    assert.equal(lastIO?.stderr, undefined);
  });

  test('a client offering only unknown subprotocols gets a 403 (kubectl then falls back to SPDY)', async () => {
    const ws = new WebSocket(`${base.replace('http', 'ws')}/exec?command=x&stdout=1`, ['v9.channel.k8s.io']);
    ws.on('error', () => {});
    const [, res] = (await once(ws, 'unexpected-response')) as [unknown, http.IncomingMessage];
    assert.equal(res.statusCode, 403);
  });
});

describe('port-forward', () => {
  test('WebSocket channels: the port on each channel first, data echoed, a refused port on its error channel', async () => {
    const { ws, messages } = await openWs('/portforward?port=80&port=81', ['v4.channel.k8s.io']);
    const le = (p: number) => [p & 0xff, p >> 8];
    await waitFor(() => messages.length >= 4, { message: 'the port prefixes' });
    assert.deepEqual(messages.slice(0, 4).map((m) => [...m.data]), [[0, ...le(80)], [1, ...le(80)], [2, ...le(81)], [3, ...le(81)]]);
    ws.send(Buffer.concat([Buffer.from([0]), Buffer.from('ping')]));
    await waitFor(() => messages.some((m) => m.data[0] === 0 && m.data.subarray(1).toString() === 'ping'), { message: 'the echo on channel 0' });
    const error = await waitFor(() => messages.find((m) => m.data[0] === 3 && m.data.length > 3), { message: 'the error on channel 3' });
    assert.match(error.data.subarray(1).toString(), /^error forwarding port 81 to pod p, uid u: connect ECONNREFUSED 127\.0\.0\.1:1$/);
    ws.close();
  });

  test('WebSocket channels need the port query parameter', async () => {
    const ws = new WebSocket(`${base.replace('http', 'ws')}/portforward`, ['v4.channel.k8s.io']);
    ws.on('error', () => {});
    const [, res] = (await once(ws, 'unexpected-response')) as [unknown, http.IncomingMessage];
    assert.equal(res.statusCode, 400);
    assert.equal(await readAll(res), 'query parameter "port" is required\n');
  });

  async function spdyPortForward(): Promise<SpdySession> {
    const { socket, head, protocol } = await requestSpdyUpgrade(`${base}/portforward`, ['portforward.k8s.io']);
    assert.equal(protocol, 'portforward.k8s.io');
    return new SpdySession(socket, 'client', head);
  }

  async function openPair(session: SpdySession, port: number, requestID: string): Promise<{ error: SpdyStream; data: SpdyStream }> {
    const error = await session.openStream({ streamType: 'error', port: String(port), requestID });
    error.end();
    const data = await session.openStream({ streamType: 'data', port: String(port), requestID });
    return { error, data };
  }

  test('SPDY: an error and a data stream per connection; EOF travels both ways; errors on the error stream', async () => {
    const session = await spdyPortForward();
    const first = await openPair(session, 80, '0');
    const second = await openPair(session, 80, '1');
    first.data.end('one');
    second.data.end('two');
    assert.equal(await readAll(first.data), 'one');
    assert.equal(await readAll(second.data), 'two');
    assert.equal(await readAll(first.error), '');
    const refused = await openPair(session, 81, '2');
    assert.equal(await readAll(refused.error), 'error forwarding port 81 to pod p, uid u: connect ECONNREFUSED 127.0.0.1:1');
    assert.equal(await readAll(refused.data), '');
    session.destroy();
  });
});

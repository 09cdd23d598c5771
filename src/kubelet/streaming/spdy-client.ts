// The client side of exec/attach over SPDY, for a CRI runtime's streaming server (the URL that CRI
// Exec/Attach returns; containerd serves it on 127.0.0.1 with plain HTTP). Streams are opened as
// client-go's v4 protocol does: error, stdin, stdout, stderr (not with a TTY), resize (TTY only),
// each waiting for the server's reply; stdin EOF half-closes the stdin stream.
import type { RequestOptions } from 'node:https';
import type { Readable } from 'node:stream';
import type { ExecResult, StreamIO } from '../runtime/runtime-service.ts';
import type { RemoteCommandOptions } from './remote-command-session.ts';
import { decodeStatusV4 } from './remote-command-status.ts';
import { SpdySession } from './spdy-session.ts';
import type { SpdyStream } from './spdy-stream.ts';
import { requestSpdyUpgrade } from './spdy-upgrade.ts';

const CLIENT_PROTOCOLS = ['v4.channel.k8s.io', 'v3.channel.k8s.io', 'v2.channel.k8s.io', 'channel.k8s.io'];

/**
 * Resolves with the command's exit code (Success → 0, NonZeroExitCode → its code); rejects with a
 * RemoteCommandStatusError carrying the server's status for other failures.
 */
export async function spdyRemoteCommandClient(url: string, io: StreamIO, opts: RemoteCommandOptions, tls?: RequestOptions): Promise<ExecResult> {
  const { socket, head, protocol } = await requestSpdyUpgrade(url, CLIENT_PROTOCOLS, tls);
  const session = new SpdySession(socket, 'client', head);
  try {
    const open = (streamType: string) => session.openStream({ streamType });
    const errorStream = await open('error');
    errorStream.end(); // nothing to say on it; only read
    const stdin = opts.stdin ? await open('stdin') : undefined;
    const stdout = opts.stdout ? await open('stdout') : undefined;
    const stderr = opts.stderr && !opts.tty ? await open('stderr') : undefined;
    const resize = opts.tty && protocol !== 'v2.channel.k8s.io' && protocol !== 'channel.k8s.io' ? await open('resize') : undefined;

    if (stdin) {
      if (io.stdin) io.stdin.pipe(stdin);
      else stdin.end();
    }
    if (resize && io.resize) sendResizes(io.resize, resize).catch(() => {});
    const outputs = [copyOut(stdout, io.stdout), copyOut(stderr, io.stderr)];
    const errorText = readAll(errorStream);
    await Promise.all(outputs);
    const text = await errorText;
    if (stdin && io.stdin) io.stdin.unpipe(stdin);

    if (protocol === 'v4.channel.k8s.io' || protocol === 'v5.channel.k8s.io') return decodeStatusV4(text);
    if (text.length > 0) throw new Error(text);
    return { exitCode: 0 };
  } finally {
    session.destroy();
  }
}

/** Copies a stream's data into the caller's writable (which stays open: the caller owns it), until EOF. */
function copyOut(from: SpdyStream | undefined, to: NodeJS.WritableStream | undefined): Promise<void> {
  if (!from) return Promise.resolve();
  return new Promise((resolve) => {
    if (to) from.pipe(to, { end: false });
    else from.resume();
    from.once('end', () => resolve());
    from.once('close', () => resolve());
  });
}

function readAll(stream: Readable): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    stream.on('data', (c: Buffer) => chunks.push(c));
    const done = () => resolve(Buffer.concat(chunks).toString('utf8'));
    stream.once('end', done);
    stream.once('close', done);
  });
}

async function sendResizes(sizes: AsyncIterable<{ width: number; height: number }>, stream: SpdyStream): Promise<void> {
  for await (const { width, height } of sizes) {
    if (stream.localFin || stream.destroyed) return;
    stream.write(`${JSON.stringify({ Width: width, Height: height })}\n`);
  }
}

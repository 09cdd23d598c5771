// exec/attach over SPDY/3.1 (kubectl ≤1.29, Debian's 1.20, client libraries): the client opens one
// stream per streamType (error, stdin, stdout, stderr, resize); the server replies to each and
// starts once all expected streams are there (kubelet cri/streaming/remotecommand/httpstream.go).
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { endWritable, type RemoteCommandOptions, type RemoteCommandSession } from './remote-command-session.ts';
import { encodeStatusText, encodeStatusV4 } from './remote-command-status.ts';
import { ResizeEvents } from './resize-events.ts';
import { SpdySession } from './spdy-session.ts';
import type { SpdyStream } from './spdy-stream.ts';
import { acceptSpdyUpgrade } from './spdy-upgrade.ts';

/** Newest first; v5 over SPDY is v4 (the CLOSE signal is WebSocket-only). */
export const SPDY_REMOTE_COMMAND_PROTOCOLS = ['v5.channel.k8s.io', 'v4.channel.k8s.io', 'v3.channel.k8s.io', 'v2.channel.k8s.io', 'channel.k8s.io'];

/** Upstream's DefaultStreamCreationTimeout. */
const STREAM_CREATION_TIMEOUT_MS = 30_000;

const STREAM_TYPES = new Set(['error', 'stdin', 'stdout', 'stderr', 'resize']);

export function acceptSpdyRemoteCommand(
  req: IncomingMessage,
  socket: Duplex,
  head: Buffer,
  opts: RemoteCommandOptions,
): Promise<RemoteCommandSession | undefined> {
  const protocol = acceptSpdyUpgrade(req, socket, SPDY_REMOTE_COMMAND_PROTOCOLS);
  if (!protocol) return Promise.resolve(undefined);
  const jsonStatus = protocol === 'v5.channel.k8s.io' || protocol === 'v4.channel.k8s.io';
  const resizing = jsonStatus || protocol === 'v3.channel.k8s.io';
  const stderrWanted = opts.stderr && !opts.tty;
  const expected = 1 + Number(opts.stdin) + Number(opts.stdout) + Number(stderrWanted) + Number(opts.tty && resizing);

  const session = new SpdySession(socket, 'server', head);
  const streams = new Map<string, SpdyStream>();
  return new Promise((resolve) => {
    let settled = false;
    const settle = (value: RemoteCommandSession | undefined) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (!value) session.destroy();
      resolve(value);
    };
    const timer = setTimeout(() => settle(undefined), STREAM_CREATION_TIMEOUT_MS);
    session.on('close', () => settle(undefined));
    session.on('stream', (stream) => {
      stream.reply();
      const type = stream.header('streamType') ?? '';
      if (settled || !STREAM_TYPES.has(type)) return; // replied to, but not counted (as upstream)
      streams.set(type, stream);
      if (streams.size === expected) settle(streams.has('error') ? build() : undefined);
    });
  });

  function build(): RemoteCommandSession {
    const errorStream = streams.get('error')!;
    errorStream.resume(); // the client never writes on it; drain its FIN
    const stdin = opts.stdin ? streams.get('stdin') : undefined;
    const stdout = opts.stdout ? streams.get('stdout') : undefined;
    const stderr = stderrWanted ? streams.get('stderr') : undefined;
    const resizeStream = opts.tty ? streams.get('resize') : undefined;
    const resize = resizeStream ? new ResizeEvents() : undefined;
    if (resizeStream && resize) {
      resizeStream.on('data', (c: Buffer) => resize.push(c));
      resizeStream.on('end', () => resize.end());
      resizeStream.on('close', () => resize.end());
    }
    return {
      io: { stdin, stdout, stderr, tty: opts.tty, resize },
      async finish(status) {
        await Promise.all([endWritable(stdout), endWritable(stderr)]);
        const text = jsonStatus ? encodeStatusV4(status) : encodeStatusText(status);
        if (text) errorStream.write(text);
        await endWritable(errorStream);
        resize?.end();
        if (stdin) {
          stdin.unpipe();
          stdin.resume(); // unread input must not hold the connection's reader
        }
        await session.close();
      },
    };
  }
}

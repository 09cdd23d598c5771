// exec/attach over WebSocket: kubectl ≥1.30 speaks v5.channel.k8s.io; v4 and the older
// channel.k8s.io protocols (and their base64 variants) serve other clients, as the kubelet's
// websocket server does (cri/streaming/remotecommand/websocket.go).
import type { IncomingMessage } from 'node:http';
import { PassThrough, type Duplex } from 'node:stream';
import type { RawData } from 'ws';
import { Channel, endWritable, sinkWritable, type RemoteCommandOptions, type RemoteCommandSession } from './remote-command-session.ts';
import { encodeStatusText, encodeStatusV4 } from './remote-command-status.ts';
import { ResizeEvents } from './resize-events.ts';
import { acceptWebSocket, decodeChannelMessage, sendChannel, type ChannelEncoding } from './websocket-channels.ts';

interface ProtocolTraits {
  encoding: ChannelEncoding;
  /** v4+: the status is a JSON metav1.Status, success included. */
  jsonStatus: boolean;
  /** v5: the client half-closes channels with [255, channel]. */
  closeSignal: boolean;
}

const binaryText: ProtocolTraits = { encoding: 'binary', jsonStatus: false, closeSignal: false };

export const WEBSOCKET_REMOTE_COMMAND_PROTOCOLS: Record<string, ProtocolTraits> = {
  'v5.channel.k8s.io': { encoding: 'binary', jsonStatus: true, closeSignal: true },
  'v4.channel.k8s.io': { encoding: 'binary', jsonStatus: true, closeSignal: false },
  'v4.base64.channel.k8s.io': { encoding: 'base64', jsonStatus: true, closeSignal: false },
  'v3.channel.k8s.io': binaryText,
  'v2.channel.k8s.io': binaryText,
  'channel.k8s.io': binaryText,
  'base64.channel.k8s.io': { encoding: 'base64', jsonStatus: false, closeSignal: false },
  '': binaryText,
};

function toBuffer(raw: RawData): Buffer {
  if (Buffer.isBuffer(raw)) return raw;
  if (Array.isArray(raw)) return Buffer.concat(raw);
  return Buffer.from(raw);
}

export async function acceptWebSocketRemoteCommand(
  req: IncomingMessage,
  socket: Duplex,
  head: Buffer,
  opts: RemoteCommandOptions,
): Promise<RemoteCommandSession | undefined> {
  const accepted = await acceptWebSocket(req, socket, head, Object.keys(WEBSOCKET_REMOTE_COMMAND_PROTOCOLS));
  if (!accepted) return undefined;
  const { ws, protocol } = accepted;
  const traits = WEBSOCKET_REMOTE_COMMAND_PROTOCOLS[protocol]!;
  const send = (channel: number, data: Buffer) => sendChannel(ws, traits.encoding, channel, data);
  const stderrWanted = opts.stderr && !opts.tty;

  const stdin = opts.stdin ? new PassThrough() : undefined;
  const resize = opts.tty ? new ResizeEvents() : undefined;
  let inputClosed = false;
  ws.on('message', (raw: RawData) => {
    const msg = decodeChannelMessage(traits.encoding, toBuffer(raw), traits.closeSignal);
    if (!msg || inputClosed) return;
    if (msg.kind === 'close') {
      if (msg.channel === Channel.STDIN) stdin?.end();
      else if (msg.channel === Channel.RESIZE) resize?.end();
      return;
    }
    if (msg.channel === Channel.STDIN && stdin && !stdin.writableEnded) {
      if (!stdin.write(msg.data)) {
        ws.pause();
        stdin.once('drain', () => ws.resume());
      }
    } else if (msg.channel === Channel.RESIZE) {
      resize?.push(msg.data);
    }
  });
  ws.on('error', () => {});
  const closed = new Promise<void>((resolve) => {
    ws.once('close', () => {
      stdin?.end();
      resize?.end();
      resolve();
    });
  });

  const stdout = opts.stdout ? sinkWritable((c) => send(Channel.STDOUT, c)) : undefined;
  const stderr = stderrWanted ? sinkWritable((c) => send(Channel.STDERR, c)) : undefined;
  // An empty message on the lowest writable channel tells the client the session is established.
  await send(opts.stdout ? Channel.STDOUT : stderrWanted ? Channel.STDERR : Channel.ERROR, Buffer.alloc(0));

  return {
    io: { stdin, stdout, stderr, tty: opts.tty, resize },
    async finish(status) {
      // Input after the end is discarded rather than queued (as the API server's v5 finish does).
      inputClosed = true;
      stdin?.end();
      resize?.end();
      if (ws.isPaused) ws.resume();
      await Promise.all([endWritable(stdout), endWritable(stderr)]);
      const text = traits.jsonStatus ? encodeStatusV4(status) : encodeStatusText(status);
      if (text) await send(Channel.ERROR, Buffer.from(text));
      // The client reads the error channel to EOF, which a normal closure gives it; then it closes too.
      ws.close(1000);
      await closed;
    },
  };
}

// The channel.k8s.io WebSocket framing (k8s.io/apimachinery wsstream): each message starts with its
// channel number, a byte (binary protocols) or an ASCII digit followed by base64 (base64 protocols).
// v5.channel.k8s.io adds the CLOSE signal [255, channel] from the client, half-closing that channel.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { goList, headerValues, writeUpgradeError } from './upgrade-response.ts';

export type ChannelEncoding = 'binary' | 'base64';

export const CLOSE_SIGNAL = 255;

export type ChannelMessage = { kind: 'data'; channel: number; data: Buffer } | { kind: 'close'; channel: number };

export function encodeChannelMessage(encoding: ChannelEncoding, channel: number, data: Buffer): Buffer | string {
  if (encoding === 'base64') return String.fromCharCode(48 + channel) + data.toString('base64');
  const out = Buffer.allocUnsafe(data.length + 1);
  out[0] = channel;
  data.copy(out, 1);
  return out;
}

export function decodeChannelMessage(encoding: ChannelEncoding, msg: Buffer, closeSignal: boolean): ChannelMessage | undefined {
  if (msg.length === 0) return undefined;
  if (closeSignal && msg[0] === CLOSE_SIGNAL) return msg.length >= 2 ? { kind: 'close', channel: msg[1]! } : undefined;
  if (encoding === 'base64') return { kind: 'data', channel: msg[0]! - 48, data: Buffer.from(msg.subarray(1).toString('latin1'), 'base64') };
  return { kind: 'data', channel: msg[0]!, data: msg.subarray(1) };
}

/** Sends one channel message; resolves once handed to the socket (or at once when the socket is gone). */
export function sendChannel(ws: WebSocket, encoding: ChannelEncoding, channel: number, data: Buffer): Promise<void> {
  if (ws.readyState !== ws.OPEN) return Promise.resolve();
  return new Promise((resolve) => ws.send(encodeChannelMessage(encoding, channel, data), () => resolve()));
}

// ws checks offered subprotocols against RFC 7230 token syntax, which rejects kubectl's
// "SPDY/3.1+portforward.k8s.io"; so the choice is made here and the answer header added here.
const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false });
const chosen = new WeakMap<IncomingMessage, string>();
wss.on('headers', (headers: string[], req: IncomingMessage) => {
  const protocol = chosen.get(req);
  if (protocol) headers.push(`Sec-WebSocket-Protocol: ${protocol}`);
});

export function offeredSubprotocols(req: IncomingMessage): string[] {
  return headerValues(req, 'sec-websocket-protocol');
}

/**
 * Completes the WebSocket handshake with the first offered subprotocol the server supports ('' when
 * the client offered none and '' is supported). A client whose offers all fail gets a 403, as
 * golang.org/x/net/websocket answers, which makes kubectl fall back to SPDY.
 */
export function acceptWebSocket(req: IncomingMessage, socket: Duplex, head: Buffer, supported: string[]): Promise<{ ws: WebSocket; protocol: string } | undefined> {
  const offered = offeredSubprotocols(req);
  const protocol = offered.length === 0 ? (supported.includes('') ? '' : undefined) : offered.find((p) => supported.includes(p));
  if (protocol === undefined) {
    writeUpgradeError(socket, 403, `requested protocol(s) are not supported: ${goList(offered)}; supports ${goList(supported)}`);
    return Promise.resolve(undefined);
  }
  chosen.set(req, protocol);
  delete req.headers['sec-websocket-protocol'];
  return new Promise((resolve) => {
    socket.once('close', () => resolve(undefined));
    wss.handleUpgrade(req, socket, head, (ws) => resolve({ ws, protocol }));
  });
}

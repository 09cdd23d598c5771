// port-forward over WebSocket channels (the kubelet's v4.channel.k8s.io port-forward, used by
// client libraries): the `port` query names the ports; port i gets data channel 2i and error
// channel 2i+1, each first carrying the port as two little-endian bytes. One connection per port,
// for the life of the WebSocket (cri/streaming/portforward/websocket.go).
import { PassThrough, type Duplex } from 'node:stream';
import type { RawData, WebSocket } from 'ws';
import type { PortConnector, PortForwardErrorFormatter } from './port-forward-spdy.ts';
import { decodeChannelMessage, sendChannel, type ChannelEncoding } from './websocket-channels.ts';

export const WEBSOCKET_PORT_FORWARD_PROTOCOLS: Record<string, ChannelEncoding> = {
  'v4.channel.k8s.io': 'binary',
  'v4.base64.channel.k8s.io': 'base64',
  '': 'binary',
};

export function serveWebSocketPortForward(
  ws: WebSocket,
  encoding: ChannelEncoding,
  ports: number[],
  connect: PortConnector,
  formatError: PortForwardErrorFormatter,
): void {
  const send = (channel: number, data: Buffer) => sendChannel(ws, encoding, channel, data);
  const inbound = ports.map(() => new PassThrough());
  const targets: (Duplex | undefined)[] = ports.map(() => undefined);
  let remaining = ports.length;
  const portDone = () => {
    if (--remaining === 0) ws.close(1000);
  };

  ws.on('error', () => {});
  ws.on('message', (raw: RawData) => {
    const msg = decodeChannelMessage(encoding, Buffer.isBuffer(raw) ? raw : Buffer.from(raw as ArrayBuffer), false);
    if (!msg || msg.kind !== 'data' || msg.channel % 2 !== 0) return;
    const input = inbound[msg.channel / 2];
    if (input && !input.writableEnded && !input.write(msg.data)) {
      ws.pause();
      input.once('drain', () => ws.resume());
    }
  });
  ws.once('close', () => {
    for (const input of inbound) input.end();
    for (const t of targets) t?.destroy();
  });

  ports.forEach((port, i) => {
    const portBytes = Buffer.alloc(2);
    portBytes.writeUInt16LE(port);
    void send(2 * i, portBytes);
    void send(2 * i + 1, portBytes);
    connect(port).then(
      (target) => {
        if (ws.readyState !== ws.OPEN) {
          target.destroy();
          return;
        }
        targets[i] = target;
        target.on('error', () => {});
        inbound[i]!.pipe(target);
        target.on('data', (chunk: Buffer) => {
          target.pause();
          void send(2 * i, chunk).then(() => target.resume());
        });
        target.once('close', portDone);
      },
      (err: unknown) => {
        void send(2 * i + 1, Buffer.from(formatError(port, err)));
        portDone();
      },
    );
  });
}

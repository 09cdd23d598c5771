// servePortForward: answers the HTTP upgrade of a port-forward. kubectl ≥1.31 tunnels SPDY in a
// WebSocket (subprotocol SPDY/3.1+portforward.k8s.io), older kubectl speaks SPDY directly, and
// client libraries use the kubelet's WebSocket channel protocol with `port` query parameters.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { createWebSocketStream } from 'ws';
import { PORT_FORWARD_PROTOCOL, servePortForwardSession, type PortConnector, type PortForwardErrorFormatter } from './port-forward-spdy.ts';
import { WEBSOCKET_PORT_FORWARD_PROTOCOLS, serveWebSocketPortForward } from './port-forward-websocket.ts';
import { SpdySession } from './spdy-session.ts';
import { acceptSpdyUpgrade } from './spdy-upgrade.ts';
import { isWebSocketRequest, writeUpgradeError } from './upgrade-response.ts';
import { acceptWebSocket, offeredSubprotocols } from './websocket-channels.ts';

/** client-go's WebsocketsSPDYTunnelingPrefix. */
export const SPDY_TUNNELING_PREFIX = 'SPDY/3.1+';

export interface PortForwardOptions {
  /** Named in the default error text, as the kubelet names the pod (upstream: sandbox id or pod name). */
  podName?: string;
  uid?: string;
  /** Replaces the default "error forwarding port N to pod P, uid U: <err>". */
  formatError?: PortForwardErrorFormatter;
}

export function servePortForward(
  req: IncomingMessage,
  socket: Duplex,
  head: Buffer,
  ports: number[],
  connect: PortConnector,
  options: PortForwardOptions = {},
): void {
  socket.on('error', () => {});
  const formatError: PortForwardErrorFormatter =
    options.formatError ??
    ((port, err) => `error forwarding port ${port} to pod ${options.podName ?? ''}, uid ${options.uid ?? ''}: ${err instanceof Error ? err.message : String(err)}`);

  if (!isWebSocketRequest(req)) {
    if (!acceptSpdyUpgrade(req, socket, [PORT_FORWARD_PROTOCOL])) return;
    servePortForwardSession(new SpdySession(socket, 'server', head), connect, formatError);
    return;
  }

  const tunneled = SPDY_TUNNELING_PREFIX + PORT_FORWARD_PROTOCOL;
  if (offeredSubprotocols(req).includes(tunneled)) {
    void acceptWebSocket(req, socket, head, [tunneled]).then((accepted) => {
      if (!accepted) return;
      const tunnel = createWebSocketStream(accepted.ws);
      tunnel.on('error', () => {});
      servePortForwardSession(new SpdySession(tunnel, 'server'), connect, formatError);
    }).catch(() => socket.destroy());
    return;
  }

  if (ports.length === 0) {
    writeUpgradeError(socket, 400, 'query parameter "port" is required');
    return;
  }
  void acceptWebSocket(req, socket, head, Object.keys(WEBSOCKET_PORT_FORWARD_PROTOCOLS)).then((accepted) => {
    if (accepted) serveWebSocketPortForward(accepted.ws, WEBSOCKET_PORT_FORWARD_PROTOCOLS[accepted.protocol]!, ports, connect, formatError);
  }).catch(() => socket.destroy());
}

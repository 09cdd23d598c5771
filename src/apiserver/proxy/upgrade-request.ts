// HTTP Upgrade requests (exec, attach, port-forward) go through the same Express app as every other
// request, so they are authenticated, parsed and answered with Status errors the same way: the
// upgrade's socket gets a response object of its own, and a handler that proxies the upgrade takes
// the socket over from it.
import { ServerResponse, type IncomingMessage, type RequestListener } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';

const UPGRADE = Symbol('k8ts.upgrade');

export interface UpgradeContext {
  /** Bytes the client sent after the request head. */
  head: Buffer;
  /** The raw connection, no longer written by the response object. */
  takeSocket(): Duplex;
}

type WithUpgrade = IncomingMessage & { [UPGRADE]?: UpgradeContext };

/** The upgrade of a request that arrived through the server's 'upgrade' event, if it did. */
export function upgradeOf(req: IncomingMessage): UpgradeContext | undefined {
  return (req as WithUpgrade)[UPGRADE];
}

/** Serves an upgrade request with the app; a response the app writes ends the connection. */
export function serveUpgrade(app: RequestListener, req: IncomingMessage, socket: Duplex, head: Buffer): void {
  const res = new ServerResponse(req);
  res.shouldKeepAlive = false;
  res.assignSocket(socket as Socket);
  let taken = false;
  (req as WithUpgrade)[UPGRADE] = {
    head,
    takeSocket() {
      if (!taken) {
        taken = true;
        res.detachSocket(socket as Socket);
      }
      return socket;
    },
  };
  socket.on('error', () => socket.destroy());
  res.on('finish', () => {
    if (taken) return;
    res.detachSocket(socket as Socket);
    socket.end();
  });
  app(req, res);
}

/** Connection: Upgrade with an Upgrade header (WebSocket or SPDY/3.1). */
export function isUpgradeRequest(req: IncomingMessage): boolean {
  const connection = String(req.headers.connection ?? '').toLowerCase();
  return !!req.headers.upgrade && connection.split(',').some((t) => t.trim() === 'upgrade');
}

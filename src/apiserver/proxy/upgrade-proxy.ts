// The upgrade-aware proxy to a kubelet (upstream's UpgradeAwareHandler): the client's upgrade request
// is repeated to the kubelet with the same method, headers (Upgrade, Connection, Sec-WebSocket-*,
// X-Stream-Protocol-Version) and a kubelet path; the kubelet's 101 is written back and the two
// connections are joined both ways. A kubelet that does not switch protocols has its answer relayed
// as it is, so kubectl prints the kubelet's message.
import type { Request, Response } from 'express';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { unknownStatusError } from './backend-errors.ts';
import type { KubeletClient } from './kubelet-client-config.ts';
import { dialError, readBody, startKubeletRequest } from './kubelet-request.ts';
import type { NodeConnectionInfo } from './node-connection.ts';
import { forwardedRequestHeaders, relayedResponseHeaders } from './proxy-headers.ts';
import type { UpgradeContext } from './upgrade-request.ts';

export function proxyUpgrade(
  req: Request, res: Response, upgrade: UpgradeContext, client: KubeletClient, target: NodeConnectionInfo, path: string,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const kreq = startKubeletRequest(client, target, {
      method: req.method, path, headers: forwardedRequestHeaders(req.headers, true), upgrade: true,
    });
    kreq.once('error', (err) => reject(unknownStatusError(`error dialing backend: ${dialError(err, target).message}`)));
    kreq.once('upgrade', (kres: IncomingMessage, ksocket: Duplex, khead: Buffer) => {
      const socket = upgrade.takeSocket();
      socket.write(statusLine(kres) + rawHeaderLines(kres.rawHeaders) + '\r\n');
      if (khead.length) socket.write(khead);
      if (upgrade.head.length) ksocket.write(upgrade.head);
      join(socket, ksocket);
      resolve();
    });
    kreq.once('response', (kres: IncomingMessage) => {
      readBody(kres).then((body) => {
        res.status(kres.statusCode ?? 502);
        for (const [name, value] of Object.entries(relayedResponseHeaders(kres.headers))) if (value !== undefined) res.setHeader(name, value);
        res.setHeader('Content-Length', Buffer.byteLength(body));
        res.end(body);
        resolve();
      }, reject);
    });
  });
}

/** Bytes flow both ways until either side closes; a half-close is passed on. */
function join(a: Duplex, b: Duplex): void {
  const destroyBoth = () => {
    a.destroy();
    b.destroy();
  };
  a.on('error', destroyBoth);
  b.on('error', destroyBoth);
  a.on('close', () => b.destroy());
  b.on('close', () => a.destroy());
  a.pipe(b);
  b.pipe(a);
}

function statusLine(res: IncomingMessage): string {
  return `HTTP/1.1 ${res.statusCode} ${res.statusMessage ?? ''}\r\n`;
}

function rawHeaderLines(raw: string[]): string {
  let out = '';
  for (let i = 0; i + 1 < raw.length; i += 2) out += `${raw[i]}: ${raw[i + 1]}\r\n`;
  return out;
}

// The HTTP side of a SPDY/3.1 upgrade: the server's X-Stream-Protocol-Version negotiation and 101
// answer (k8s.io/apimachinery httpstream.Handshake + spdy.UpgradeResponse), and the client's
// upgrade request (as client-go's SpdyRoundTripper sends it).
import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';
import type { Duplex } from 'node:stream';
import { goList, headerValues, writeUpgradeError } from './upgrade-response.ts';

export const HEADER_PROTOCOL_VERSION = 'X-Stream-Protocol-Version';
export const HEADER_ACCEPTED_PROTOCOL_VERSIONS = 'X-Accepted-Stream-Protocol-Versions';
export const SPDY_31 = 'SPDY/3.1';

function rawHeaderDump(req: IncomingMessage): string {
  const byName = new Map<string, string[]>();
  for (let i = 0; i < req.rawHeaders.length; i += 2) {
    const name = req.rawHeaders[i]!;
    byName.set(name, [...(byName.get(name) ?? []), req.rawHeaders[i + 1]!]);
  }
  const parts = [...byName].map(([k, v]) => `"${k}":[]string{${v.map((x) => JSON.stringify(x)).join(', ')}}`);
  return `http.Header{${parts.join(', ')}}`;
}

/**
 * Negotiates the stream protocol (the client's order wins) and answers 101; on failure writes the
 * refusal and returns undefined.
 */
export function acceptSpdyUpgrade(req: IncomingMessage, socket: Duplex, serverProtocols: string[]): string | undefined {
  const clientProtocols = headerValues(req, HEADER_PROTOCOL_VERSION);
  if (clientProtocols.length === 0) {
    writeUpgradeError(socket, 400, `unable to upgrade: ${HEADER_PROTOCOL_VERSION} is required`);
    return undefined;
  }
  const protocol = clientProtocols.find((p) => serverProtocols.includes(p));
  if (!protocol) {
    writeUpgradeError(
      socket,
      403,
      `unable to upgrade: unable to negotiate protocol: client supports ${goList(clientProtocols)}, server accepts ${goList(serverProtocols)}`,
      { [HEADER_ACCEPTED_PROTOCOL_VERSIONS]: serverProtocols },
    );
    return undefined;
  }
  const connection = (req.headers.connection ?? '').toLowerCase();
  const upgrade = (req.headers.upgrade ?? '').toLowerCase();
  if (!connection.includes('upgrade') || !upgrade.includes(SPDY_31.toLowerCase())) {
    writeUpgradeError(socket, 400, `unable to upgrade: missing upgrade headers in request: ${rawHeaderDump(req)}`);
    return undefined;
  }
  socket.write(
    ['HTTP/1.1 101 Switching Protocols', 'Connection: Upgrade', `Upgrade: ${SPDY_31}`, `${HEADER_PROTOCOL_VERSION}: ${protocol}`, '', ''].join('\r\n'),
  );
  return protocol;
}

export interface SpdyUpgradeResult {
  socket: Duplex;
  head: Buffer;
  /** The protocol the server chose ('' when it did not say). */
  protocol: string;
}

/** POSTs an upgrade to SPDY/3.1 offering `protocols` in order; rejects with the server's answer when it refuses. */
export function requestSpdyUpgrade(url: string, protocols: string[], tls?: https.RequestOptions): Promise<SpdyUpgradeResult> {
  return new Promise((resolve, reject) => {
    const target = new URL(url);
    const mod = target.protocol === 'https:' ? https : http;
    const req = mod.request(target, {
      ...tls,
      method: 'POST',
      headers: { Connection: 'Upgrade', Upgrade: SPDY_31, [HEADER_PROTOCOL_VERSION]: protocols },
    });
    req.on('upgrade', (res, socket, head) => {
      const upgrade = String(res.headers.upgrade ?? '').toLowerCase();
      if (!upgrade.includes(SPDY_31.toLowerCase())) {
        socket.destroy();
        reject(new Error(`unable to upgrade connection: server answered Upgrade: ${res.headers.upgrade ?? ''}`));
        return;
      }
      resolve({ socket, head, protocol: String(res.headers[HEADER_PROTOCOL_VERSION.toLowerCase()] ?? '') });
    });
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => reject(new Error(`unable to upgrade connection: ${Buffer.concat(chunks).toString().trim() || `${res.statusCode} ${res.statusMessage}`}`)));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

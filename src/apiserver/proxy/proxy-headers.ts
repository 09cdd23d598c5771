// Which headers cross the proxy. Hop-by-hop headers stay on their hop (except Upgrade and Connection
// for an upgrade, which must reach the kubelet), and the client's credentials never reach the kubelet:
// the API server authenticates there with its own certificate.
import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http';

const HOP_BY_HOP = ['connection', 'keep-alive', 'proxy-connection', 'proxy-authenticate', 'proxy-authorization', 'te', 'trailer', 'transfer-encoding', 'upgrade'];

export function forwardedRequestHeaders(headers: IncomingHttpHeaders, upgrade: boolean): OutgoingHttpHeaders {
  const out: OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || name === 'host' || name === 'authorization' || name.startsWith('impersonate-')) continue;
    if (HOP_BY_HOP.includes(name) && !(upgrade && (name === 'upgrade' || name === 'connection'))) continue;
    out[name] = value;
  }
  return out;
}

export function relayedResponseHeaders(headers: IncomingHttpHeaders): OutgoingHttpHeaders {
  const out: OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || HOP_BY_HOP.includes(name) || name === 'content-length') continue;
    out[name] = value;
  }
  return out;
}

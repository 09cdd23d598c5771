// One HTTPS exchange with a kubelet: plain requests over the pooled agent, upgrades over a connection
// of their own. A connection that cannot be made is reported with Go's wording ("dial tcp …"), which
// the callers put in kube-apiserver's sentences.
import { request as httpsRequest } from 'node:https';
import type { ClientRequest, IncomingHttpHeaders, IncomingMessage, OutgoingHttpHeaders } from 'node:http';
import type { Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { describeDialError } from './backend-errors.ts';
import type { KubeletClient } from './kubelet-client-config.ts';
import { joinHostPort, type NodeConnectionInfo } from './node-connection.ts';

export class KubeletDialError extends Error {
  override name = 'KubeletDialError';
}

export interface KubeletRequest {
  method: string;
  /** Path and query, already encoded. */
  path: string;
  headers?: OutgoingHttpHeaders | IncomingHttpHeaders;
  body?: Buffer;
  /** A connection of its own, not from the pool (upgrades). */
  upgrade?: boolean;
}

const DEFAULT_DIAL_TIMEOUT_MS = 10_000;

/** The started request; describe its errors with dialError. */
export function startKubeletRequest(client: KubeletClient, target: NodeConnectionInfo, r: KubeletRequest): ClientRequest {
  const hostPort = joinHostPort(target.host, target.port);
  const cfg = client.config;
  const req = httpsRequest({
    host: target.host, port: target.port, method: r.method, path: r.path,
    headers: { ...r.headers, host: hostPort } as OutgoingHttpHeaders,
    ...(r.upgrade ? { agent: false, cert: cfg.cert, key: cfg.key, rejectUnauthorized: false } : { agent: client.agent }),
  });
  // Only the connection attempt is bounded: a followed log may then stay quiet for hours.
  req.on('socket', (socket: Socket) => {
    if (!socket.connecting) return;
    const timer = setTimeout(() => socket.destroy(Object.assign(new Error('dial timeout'), { code: 'DIAL_TIMEOUT' })), cfg.dialTimeoutMs ?? DEFAULT_DIAL_TIMEOUT_MS);
    const clear = () => clearTimeout(timer);
    (socket as TLSSocket).once('secureConnect', clear);
    socket.once('close', clear);
  });
  if (r.body && r.body.length > 0) req.end(r.body);
  else req.end();
  return req;
}

/** A request error as Go words it: "dial tcp 10.0.0.1:10250: connect: connection refused". */
export function dialError(err: unknown, target: NodeConnectionInfo): KubeletDialError {
  return err instanceof KubeletDialError ? err : new KubeletDialError(describeDialError(err, joinHostPort(target.host, target.port)));
}

/** A plain request's response (any status); rejects with a KubeletDialError. */
export function kubeletRequest(client: KubeletClient, target: NodeConnectionInfo, r: KubeletRequest): Promise<{ req: ClientRequest; res: IncomingMessage }> {
  return new Promise((resolve, reject) => {
    const req = startKubeletRequest(client, target, r);
    req.once('response', (res) => resolve({ req, res }));
    req.once('error', (err) => reject(dialError(err, target)));
  });
}

/** The whole body as text, at most `limit` bytes (error answers are short). */
export async function readBody(res: IncomingMessage, limit = 64 * 1024): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of res) {
    if (size < limit) chunks.push(chunk as Buffer);
    size += (chunk as Buffer).length;
  }
  return Buffer.concat(chunks).subarray(0, limit).toString('utf8');
}

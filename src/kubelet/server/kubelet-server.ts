// The kubelet's HTTPS endpoint (port 10250): what the API server proxies pods/log, exec, attach,
// port-forward and nodes/proxy to, and where metrics come from. Clients authenticate with a
// certificate signed by the cluster CA (upstream's --client-ca-file); anonymous requests get 401.
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { authenticateClientCertificate } from '../../apiserver/authn/x509-authenticator.ts';
import { serveContainerLogs } from './container-logs-route.ts';
import type { KubeletServerHandlers } from './kubelet-server-handlers.ts';
import { writePlain, writePlainToSocket } from './plain-response.ts';
import { serveStreamingUpgrade, type StreamingKind } from './streaming-routes.ts';

export interface KubeletServerOptions {
  /** Default 0.0.0.0, as the kubelet's --address. */
  address?: string;
  /** Default 10250 (--port); 0 picks a free one. */
  port?: number;
  tls: { cert: string; key: string };
  /** PEM of the CA that signs client certificates (--client-ca-file). */
  clientCA: string;
  handlers: KubeletServerHandlers;
  log?: (message: string) => void;
  now?: () => number;
}

export interface RunningKubeletServer {
  port: number;
  close(): Promise<void>;
}

const STREAMING: Record<string, StreamingKind> = { exec: 'exec', attach: 'attach', portForward: 'portForward' };

export async function startKubeletServer(opts: KubeletServerOptions): Promise<RunningKubeletServer> {
  const log = opts.log ?? (() => {});
  const now = opts.now ?? Date.now;
  const { handlers } = opts;

  const onRequest = (req: IncomingMessage, res: ServerResponse) => {
    if (!authenticated(req)) return writePlain(res, 401, 'Unauthorized');
    route(req, res).catch((err: Error) => {
      log(`kubelet server: ${req.method} ${req.url}: ${err.message}`);
      writePlain(res, 500, err.message);
    });
  };

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'https://kubelet');
    const [first = '', ...params] = url.pathname.split('/').filter((s) => s !== '').map(decode);
    if (STREAMING[first]) return writePlain(res, 400, 'Upgrade request required');
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      if (['healthz', 'pods', 'stats', 'containerLogs'].includes(first)) return writePlain(res, 405, '405: Method Not Allowed');
      return writePlain(res, 404, '404 page not found');
    }
    if (first === 'healthz' && params.length === 0) return writePlain(res, 200, 'ok');
    if (first === 'pods' && params.length === 0) {
      return writeJson(res, { kind: 'PodList', apiVersion: 'v1', metadata: {}, items: handlers.pods() });
    }
    if (first === 'stats' && params.length === 1 && params[0] === 'summary') return writeJson(res, await handlers.summary());
    if (first === 'containerLogs') return serveContainerLogs(res, url, params, handlers, now);
    writePlain(res, 404, '404 page not found');
  }

  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    if (!authenticated(req)) return writePlainToSocket(socket, 401, 'Unauthorized');
    const url = new URL(req.url ?? '/', 'https://kubelet');
    const [first = '', ...params] = url.pathname.split('/').filter((s) => s !== '').map(decode);
    const kind = STREAMING[first];
    if (!kind) return writePlainToSocket(socket, 404, '404 page not found');
    if (req.method !== 'GET' && req.method !== 'POST') return writePlainToSocket(socket, 405, '405: Method Not Allowed');
    serveStreamingUpgrade(kind, req, socket, head, url, params, handlers).catch((err: Error) => {
      log(`kubelet server: ${req.method} ${req.url}: ${err.message}`);
      writePlainToSocket(socket, 500, err.message);
    });
  };

  const server = createServer({
    cert: opts.tls.cert, key: opts.tls.key, ca: opts.clientCA, requestCert: true, rejectUnauthorized: false,
  }, onRequest);
  server.on('upgrade', onUpgrade);
  const sockets = new Set<Socket>();
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.once('close', () => sockets.delete(s));
  });
  server.on('tlsClientError', () => {});
  await listen(server, opts.port ?? 10250, opts.address ?? '0.0.0.0');
  const port = (server.address() as AddressInfo).port;
  log(`kubelet serving on ${opts.address ?? '0.0.0.0'}:${port}`);

  let closing: Promise<void> | undefined;
  return {
    port,
    close: () => closing ??= new Promise<void>((resolve) => {
      server.close(() => resolve());
      // Following logs and open streams are cut: the kubelet is going away.
      for (const s of sockets) s.destroy();
    }),
  };
}

/** A certificate the cluster CA signed (x509 authentication, as upstream's kubelet with --client-ca-file). */
function authenticated(req: IncomingMessage): boolean {
  try {
    return authenticateClientCertificate(req) !== null;
  } catch {
    return false;
  }
}

function writeJson(res: ServerResponse, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

function decode(segment: string): string {
  try { return decodeURIComponent(segment); } catch { return segment; }
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

// Listens: wires certificates, storage, the authenticator and the API app (built by createApiServer,
// which never listens) into one HTTPS server, writes the admin kubeconfig, and stops it all in order.
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { resolveAdvertiseAddress } from './apiserver/advertise-address.ts';
import { createApiServer, type ApiServer } from './apiserver/app.ts';
import { createAuthenticator } from './apiserver/authn/create-authenticator.ts';
import { loadTokenFile, type TokenTable } from './apiserver/authn/token-file.ts';
import { ensureClusterCertificates, type ClusterCertificates } from './certs/cert-store.ts';
import { servingCertificateSANs } from './certs/serving-sans.ts';
import { preloadKubeconfigWriter, serverURL, writeAdminKubeconfig } from './kubeconfig.ts';
import type { ServerOptions } from './options.ts';
import { builtinResources } from './registry/builtin.ts';
import type { Storage } from './storage/interface.ts';
import { openLevelStorage } from './storage/level/index.ts';

export interface RunningServer {
  port: number;
  url: string;
  kubeconfigPath: string;
  /** Stop accepting, end watches, drain connections, close storage. Idempotent. */
  close(): Promise<void>;
}

/** An expected start-up failure (port in use, unreadable token file…): main prints the message alone. */
export class StartupError extends Error {
  override name = 'StartupError';
}

/** In-flight requests get this long to finish after watches end before connections are cut. */
const SHUTDOWN_GRACE_MS = 1000;

export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const log = options.log ?? ((m: string) => process.stderr.write(`k8ts: ${m}\n`));
  preloadKubeconfigWriter();

  // Storage opens while certificates load; its outcome is looked at only after listen, so a second
  // instance on the same port and data dir reports the port, which is the more useful message.
  const storageOpening = settle(openLevelStorage(options.dataDir, { compactionIntervalMs: options.compactionIntervalMs }));
  const closeStorageQuietly = async () => {
    const s = await storageOpening;
    if (s.ok) await s.value.close().catch(() => {});
  };

  let certs: ClusterCertificates;
  let tokens: TokenTable | undefined;
  try {
    [certs, tokens] = await Promise.all([
      ensureClusterCertificates(options.certsDir, {
        sans: servingCertificateSANs(options.bindAddress, options.serviceClusterIPRange), log,
      }).catch((err: Error) => { throw new StartupError(`cannot prepare certificates in ${options.certsDir}: ${err.message}`); }),
      options.tokenAuthFile === undefined ? undefined : loadTokenFile(options.tokenAuthFile, log)
        .catch((err: Error) => { throw new StartupError(`cannot load --token-auth-file: ${describeFsError(err)}`); }),
    ]);
  } catch (err) {
    await closeStorageQuietly();
    throw err;
  }

  // Requests that arrive between listen and the app being built wait for it.
  let resolveApp!: (h: RequestListener) => void;
  let rejectApp!: (err: unknown) => void;
  const appReady = new Promise<RequestListener>((res, rej) => { resolveApp = res; rejectApp = rej; });
  appReady.catch(() => {});
  let handler: RequestListener = (req, res) => {
    appReady.then((h) => h(req, res), () => serviceUnavailable(res));
  };

  const server = createServer(
    { key: certs.serving.key, cert: certs.serving.cert, ca: certs.ca.cert, requestCert: true, rejectUnauthorized: false },
    (req, res) => handler(req, res),
  );
  // Upgrades (exec, attach, port-forward) are served by the same app once it is built.
  let upgrade: ApiServer['handleUpgrade'] | undefined;
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    if (upgrade) return upgrade(req, socket, head);
    appReady.then(() => upgrade!(req, socket, head), () => socket.destroy());
  });
  // Every TCP connection, so shutdown can also end those http.Server no longer tracks (upgraded
  // streams such as exec and port-forward) once the grace period is over.
  const sockets = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  try {
    await listen(server, options.securePort, options.bindAddress);
  } catch (err) {
    await closeStorageQuietly();
    throw err;
  }

  const opened = await storageOpening;
  const abandon = async () => {
    const closed = closeServer(server);
    server.closeAllConnections();
    for (const socket of sockets) socket.destroy();
    await closed;
  };
  if (!opened.ok) {
    await abandon();
    throw new StartupError(`cannot open data dir ${options.dataDir}: ${describeStorageError(opened.error)}`);
  }
  const storage: Storage = opened.value;

  const port = (server.address() as AddressInfo).port;
  const url = serverURL(options.bindAddress, port);
  let apiServer: ApiServer;
  try {
    apiServer = await createApiServer({
      storage,
      resources: builtinResources(),
      authenticator: createAuthenticator({ tokens }),
      serverAddress: new URL(url).host,
      serviceClusterIPRange: options.serviceClusterIPRange,
      securePort: port,
      advertiseAddress: resolveAdvertiseAddress(options.advertiseAddress, options.bindAddress),
      log,
      kubeletClient: certs.kubeletClient,
    });
    await writeAdminKubeconfig(options.kubeconfigPath, { server: url, caCert: certs.ca.cert, admin: certs.admin })
      .catch((err: Error) => { throw new StartupError(`cannot write kubeconfig ${options.kubeconfigPath}: ${describeFsError(err)}`); });
  } catch (err) {
    rejectApp(err);
    await abandon();
    await storage.close().catch(() => {});
    throw err;
  }
  server.on('error', (err: Error) => log(`server error: ${err.message}`));
  handler = apiServer.app as unknown as RequestListener;
  upgrade = apiServer.handleUpgrade;
  resolveApp(handler);
  log(`serving on ${url}`);

  let closing: Promise<void> | undefined;
  const close = () => closing ??= (async () => {
    const closed = closeServer(server);
    await apiServer.shutdown().catch((err: Error) => log(`ending watches failed: ${err.message}`));
    server.closeIdleConnections();
    const cut = setTimeout(() => {
      server.closeAllConnections();
      for (const socket of sockets) socket.destroy();
    }, SHUTDOWN_GRACE_MS);
    await closed;
    clearTimeout(cut);
    await storage.close();
  })();

  return { port, url, kubeconfigPath: options.kubeconfigPath, close };
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException) => {
      const where = host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
      reject(new StartupError(`cannot listen on ${where}: ${describeListenError(err)}`));
    };
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve();
    });
  });
}

/** Stops accepting; resolves once every connection has ended. */
function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}

function describeListenError(err: NodeJS.ErrnoException): string {
  switch (err.code) {
    case 'EADDRINUSE': return 'address already in use';
    case 'EACCES': return 'permission denied';
    case 'EADDRNOTAVAIL': return 'cannot assign requested address';
    default: return err.message;
  }
}

function describeFsError(err: NodeJS.ErrnoException): string {
  switch (err.code) {
    case 'ENOENT': return `${err.path ?? 'file'}: no such file or directory`;
    case 'EACCES': return `${err.path ?? 'file'}: permission denied`;
    default: return err.message;
  }
}

function describeStorageError(err: unknown): string {
  const e = err as { code?: string; message?: string; cause?: { code?: string; message?: string } };
  if (e.code === 'LEVEL_LOCKED' || e.cause?.code === 'LEVEL_LOCKED') return 'in use by another process';
  return e.cause?.message ? `${e.message}: ${e.cause.message}` : (e.message ?? String(err));
}

function serviceUnavailable(res: ServerResponse<IncomingMessage>): void {
  res.writeHead(503, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify({
    kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure',
    message: 'the server failed to start', reason: 'ServiceUnavailable', code: 503,
  }));
}

type Settled<T> = { ok: true; value: T } | { ok: false; error: unknown };

function settle<T>(p: Promise<T>): Promise<Settled<T>> {
  return p.then((value) => ({ ok: true as const, value }), (error: unknown) => ({ ok: false as const, error }));
}

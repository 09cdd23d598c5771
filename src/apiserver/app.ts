// The API server application: build ≠ listen. createApiServer returns an Express app that serves
// discovery, OpenAPI, health and every registered resource through the generic handlers.
import express, { type NextFunction, type Request, type Response } from 'express';
import type { IncomingMessage, RequestListener } from 'node:http';
import type { Duplex } from 'node:stream';
import { newBadRequest, newPathNotFound, newRequestEntityTooLarge, newUnauthorized, StatusError } from '../apimachinery/errors.ts';
import { configureNodePortRange, configureServiceCIDR } from '../registry/core/index.ts';
import { priorityClassSource } from '../registry/groups/scheduling/priority-class-source.ts';
import { configurePriorityClassSource } from '../registry/core/pod-priority.ts';
import { Registry } from '../registry/registry.ts';
import type { ResourceDefinition } from '../registry/types.ts';
import type { Storage } from '../storage/interface.ts';
import type { Authenticator, UserInfo } from './authn/types.ts';
import { bootstrapCluster } from './bootstrap.ts';
import { installDiscovery } from './discovery-routes.ts';
import { dispatch } from './dispatch.ts';
import { healthHandler } from './health.ts';
import { metricsResources } from '../registry/metrics/index.ts';
import { metricsHandlers } from './metrics/index.ts';
import { createKubeletClient, kubeletProxyHandlers, serveUpgrade, upgradeOf, type KubeletClientConfig } from './proxy/index.ts';
import { parseRequestInfo } from './request-info.ts';
import { writeError } from './respond.ts';
import { WatchRegistry } from './watch-registry.ts';

export interface ApiServerDeps {
  storage: Storage;
  resources: ResourceDefinition[];
  authenticator: Authenticator;
  /** host:port clients reach us at, for /api serverAddressByClientCIDRs. */
  serverAddress: string;
  serviceClusterIPRange?: string;
  /** The listening port and the address advertised for it: the `kubernetes` Service's endpoints. */
  securePort?: number;
  advertiseAddress?: string;
  now?: () => Date;
  log?: (message: string) => void;
  /**
   * The API server's client certificate towards kubelets: with it, pods/log, exec, attach,
   * portforward and nodes/proxy reach the kubelets, and metrics.k8s.io is served from them.
   */
  kubeletClient?: KubeletClientConfig;
}

export interface ApiServer {
  app: express.Express;
  registry: Registry;
  /** The server's 'upgrade' event (exec, attach, port-forward): served by the same app. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void;
  /** End open watches cleanly (called on SIGTERM before the listener closes). */
  shutdown(): Promise<void>;
}

/** kube-apiserver's limit for request bodies (3 MiB). */
export const MAX_REQUEST_BODY_BYTES = 3 * 1024 * 1024;

const OPEN_PATHS = /^\/(healthz|livez|readyz|version)(\/|$)/;

export async function createApiServer(deps: ApiServerDeps): Promise<ApiServer> {
  const now = deps.now ?? (() => new Date());
  const kubelet = deps.kubeletClient && createKubeletClient(deps.kubeletClient);
  const registry = new Registry(kubelet ? [...deps.resources, ...metricsResources] : deps.resources, deps.storage, now);
  const handlers = kubelet && new Map([...kubeletProxyHandlers(kubelet), ...metricsHandlers(kubelet, deps.log)]);
  const watches = new WatchRegistry();
  let ready = false;
  // Allocators live in memory: reset, then rebuilt from what is stored.
  configureServiceCIDR(deps.serviceClusterIPRange ?? '10.96.0.0/12');
  configureNodePortRange('30000-32767');
  configurePriorityClassSource(priorityClassSource(registry, now));
  for (const served of registry.all) await served.store.restore();
  await bootstrapCluster(registry, {
    serviceClusterIPRange: deps.serviceClusterIPRange ?? '10.96.0.0/12', now,
    securePort: deps.securePort, advertiseAddress: deps.advertiseAddress, log: deps.log,
  });
  ready = true;

  const app = express();
  app.disable('x-powered-by');
  app.disable('etag');
  app.set('query parser', 'simple');

  // Authentication first: a request with bad credentials never reaches a body parser or handler.
  app.use((req: Request, res: Response, next: NextFunction) => {
    let user: UserInfo | null;
    try {
      user = deps.authenticator(req);
    } catch (err) {
      writeError(req, res, err);
      return;
    }
    if (!user && !OPEN_PATHS.test(req.path)) {
      writeError(req, res, newUnauthorized());
      return;
    }
    res.locals.user = user;
    next();
  });

  const checks = [
    { name: 'ping', check: () => true },
    { name: 'log', check: () => true },
    { name: 'etcd', check: () => deps.storage.currentRevision() >= 0 },
    { name: 'poststarthook/bootstrap-controller', check: () => ready },
  ];
  for (const kind of ['healthz', 'livez', 'readyz'] as const) {
    app.get([`/${kind}`, `/${kind}/{*rest}`], healthHandler(kind, kind === 'readyz' ? [...checks, { name: 'shutdown', check: () => ready }] : checks));
  }

  installDiscovery(app, registry, deps.serverAddress);

  // An upgrade request has no body to read: what follows its head belongs to the upgraded protocol.
  app.use(express.raw({ type: (req) => !upgradeOf(req), limit: MAX_REQUEST_BODY_BYTES }));

  app.use((req: Request, res: Response, next: NextFunction) => {
    let info;
    try {
      info = parseRequestInfo(req.method, req.path, req.query as Record<string, unknown>);
    } catch (err) {
      next(err);
      return;
    }
    if (!info) { next(); return; }
    dispatch(req, res, info, res.locals.user as UserInfo | null, { registry, watches, now, handlers }).catch(next);
  });

  app.use((req: Request, res: Response) => {
    writeError(req, res, newPathNotFound());
  });

  // The one error writer: every failure is a Status object, never an HTML page or a stack trace.
  app.use((err: unknown, req: Request, res: Response, _next: NextFunction) => {
    writeError(req, res, translateHttpError(err));
  });

  return {
    app,
    registry,
    handleUpgrade: (req, socket, head) => serveUpgrade(app as unknown as RequestListener, req, socket, head),
    async shutdown() {
      ready = false;
      watches.endAll();
      kubelet?.close();
    },
  };
}

function translateHttpError(err: unknown): unknown {
  if (err instanceof StatusError) return err;
  const e = err as { type?: string; status?: number; message?: string };
  if (e?.type === 'entity.too.large' || e?.status === 413) return newRequestEntityTooLarge(`limit is ${MAX_REQUEST_BODY_BYTES}`);
  if (e?.status && e.status >= 400 && e.status < 500) return newBadRequest(e.message ?? 'bad request');
  if (err instanceof URIError) return newBadRequest(err.message);
  return err;
}

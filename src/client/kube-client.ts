// KubeClient: the API server over HTTPS, as client-go's rest client. Components (controllers,
// scheduler, simulated nodes, kubelet) reach the cluster only through this, so every write they make
// is validated, versioned and seen by watchers, exactly as kubectl's.
import type { GroupVersionResource, KObject } from '../apimachinery/types.ts';
import { ApiError } from './api-error.ts';
import { realClock, sleep, type Clock } from './clock.ts';
import { DEFAULT_BURST, DEFAULT_QPS, DEFAULT_TIMEOUT_MS, loadKubeconfig, type ClientConfig } from './config.ts';
import { TokenBucket } from './rate-limiter.ts';
import { queryString } from './request-options.ts';
import { ResourceClient } from './resource-client.ts';
import { ResourceTable, groupResourceString } from './resources.ts';
import { Transport } from './transport.ts';
import { defaultUserAgent } from './user-agent.ts';
import { WatchStream } from './watch-stream.ts';

export interface ApiRequest {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  query?: Record<string, string | number | boolean | undefined>;
  /** Objects are sent as JSON; strings as they are. */
  body?: unknown;
  contentType?: string;
  signal?: AbortSignal;
  /** Overrides the client's timeout; 0 = none. */
  timeoutMs?: number;
}

interface Shared {
  transport: Transport;
  limiter: TokenBucket;
  resources: ResourceTable;
  clock: Clock;
}

/** How often a 429 is retried after its Retry-After, as client-go's default maxRetries. */
const MAX_THROTTLE_RETRIES = 10;

export class KubeClient {
  readonly resources: ResourceTable;
  readonly userAgent: string;
  private readonly shared: Shared;
  private readonly timeoutMs: number;

  constructor(readonly config: ClientConfig, opts: { resources?: ResourceTable; clock?: Clock; shared?: Shared } = {}) {
    this.shared = opts.shared ?? {
      transport: new Transport(config),
      limiter: new TokenBucket(config.qps ?? DEFAULT_QPS, config.burst ?? DEFAULT_BURST, opts.clock ?? realClock),
      resources: opts.resources ?? new ResourceTable(),
      clock: opts.clock ?? realClock,
    };
    this.resources = this.shared.resources;
    this.userAgent = config.userAgent ?? defaultUserAgent();
    this.timeoutMs = config.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  }

  /** A client for a kubeconfig file's current context. */
  static fromKubeconfig(path: string, overrides: Partial<ClientConfig> & { context?: string } = {}): KubeClient {
    return new KubeClient(loadKubeconfig(path, overrides));
  }

  get server(): string { return this.config.server; }

  /**
   * The same connection pool, rate limiter and resource table under another user agent, e.g.
   * `withUserAgent(defaultUserAgent('kube-controller-manager', 'deployment-controller'))`.
   */
  withUserAgent(userAgent: string): KubeClient {
    return new KubeClient({ ...this.config, userAgent }, { shared: this.shared });
  }

  /** Verbs on a resource; add `.namespace(ns)` for one namespace. */
  resource<T extends KObject = KObject>(gvr: GroupVersionResource): ResourceClient<T> {
    const info = this.resources.lookup(gvr);
    if (!info) throw new Error(`unknown resource ${groupResourceString(gvr)} (${gvr.version}); run discovery to add it`);
    return new ResourceClient<T>(this, info);
  }

  /** One request; a non-2xx answer rejects with an ApiError carrying the server's Status. */
  async request<T = unknown>(req: ApiRequest): Promise<T> {
    const path = req.path + queryString(req.query ?? {});
    const body = req.body === undefined ? undefined : typeof req.body === 'string' ? req.body : JSON.stringify(req.body);
    for (let attempt = 0; ; attempt++) {
      await this.shared.limiter.wait(req.signal);
      const res = await this.shared.transport.send({
        method: req.method, path, body, signal: req.signal, timeoutMs: req.timeoutMs ?? this.timeoutMs,
        headers: {
          Accept: 'application/json',
          'User-Agent': this.userAgent,
          ...(body !== undefined ? { 'Content-Type': req.contentType ?? 'application/json' } : {}),
        },
      });
      if (res.status >= 200 && res.status < 300) return (res.body === '' ? undefined : JSON.parse(res.body)) as T;
      const retryAfter = Number(res.headers['retry-after']);
      if (res.status === 429 && attempt < MAX_THROTTLE_RETRIES && retryAfter > 0) {
        await sleep(this.shared.clock, retryAfter * 1000, req.signal);
        continue;
      }
      throw ApiError.fromResponse(res.status, res.body, req.method, path);
    }
  }

  /** Starts a watch; resolves once the server accepted it (200), rejects with an ApiError otherwise. */
  async openWatch<T extends KObject = KObject>(path: string, query: ApiRequest['query'], signal?: AbortSignal): Promise<WatchStream<T>> {
    const abort = new AbortController();
    const onAbort = () => abort.abort();
    if (signal?.aborted) abort.abort();
    signal?.addEventListener('abort', onAbort, { once: true });
    const fullPath = path + queryString(query ?? {});
    try {
      await this.shared.limiter.wait(abort.signal);
      const res = await this.shared.transport.open({
        method: 'GET', path: fullPath, signal: abort.signal,
        headers: { Accept: 'application/json', 'User-Agent': this.userAgent },
      });
      if (res.statusCode !== 200) {
        const chunks: Buffer[] = [];
        for await (const c of res) chunks.push(c as Buffer);
        throw ApiError.fromResponse(res.statusCode ?? 0, Buffer.concat(chunks).toString('utf8'), 'GET', fullPath);
      }
      const stream = new WatchStream<T>(res, abort);
      res.once('close', () => signal?.removeEventListener('abort', onAbort));
      return stream;
    } catch (err) {
      signal?.removeEventListener('abort', onAbort);
      throw err;
    }
  }

  /** Closes pooled connections (and with them any watch) of every client sharing this pool. */
  close(): void { this.shared.transport.close(); }
}

export { defaultUserAgent };

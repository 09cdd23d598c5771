// HTTPS to the API server: one keep-alive Agent per client (connections reused across requests, as
// client-go's http.Transport does), Nagle off so small requests and watch events are not delayed, and
// the client-side token bucket in front of every request.
import { Agent, request as httpsRequest } from 'node:https';
import type { IncomingMessage, OutgoingHttpHeaders } from 'node:http';
import type { Socket } from 'node:net';
import type { ClientConfig } from './config.ts';

export interface HttpRequest {
  method: string;
  /** Path and query, e.g. /api/v1/pods?limit=500 */
  path: string;
  headers?: OutgoingHttpHeaders;
  body?: string | Buffer;
  signal?: AbortSignal;
  /** 0 = none. */
  timeoutMs?: number;
}

export interface HttpResponse {
  status: number;
  headers: IncomingMessage['headers'];
  body: string;
}

export class Transport {
  readonly agent: Agent;
  private readonly url: URL;

  constructor(private readonly config: ClientConfig) {
    this.url = new URL(config.server);
    if (this.url.protocol !== 'https:') throw new Error(`server ${config.server}: only https is supported`);
    this.agent = new Agent({
      keepAlive: true,
      // Watches hold their connection for minutes; keep enough idle ones for bursts of short requests.
      maxFreeSockets: 64,
      ca: config.ca,
      cert: config.cert,
      key: config.key,
      rejectUnauthorized: !config.insecureSkipTLSVerify,
    });
  }

  get server(): string { return this.config.server; }

  /** Sends a request and resolves once the response headers are in (the body is the caller's). */
  open(req: HttpRequest): Promise<IncomingMessage> {
    return new Promise((resolve, reject) => {
      const headers: OutgoingHttpHeaders = { ...req.headers };
      if (this.config.token) headers.Authorization = `Bearer ${this.config.token}`;
      if (req.body !== undefined) headers['Content-Length'] = Buffer.byteLength(req.body);
      const r = httpsRequest({
        agent: this.agent,
        protocol: 'https:',
        hostname: this.url.hostname.replace(/^\[|\]$/g, ''),
        port: this.url.port || 443,
        method: req.method,
        path: req.path,
        headers,
        signal: req.signal,
      }, resolve);
      r.on('socket', (s: Socket) => s.setNoDelay(true));
      r.on('error', reject);
      if (req.timeoutMs) r.setTimeout(req.timeoutMs, () => r.destroy(Object.assign(new Error(`${req.method} ${req.path}: timed out after ${req.timeoutMs}ms`), { code: 'ETIMEDOUT' })));
      r.end(req.body);
    });
  }

  /** A whole request/response exchange with the body read as text. */
  async send(req: HttpRequest): Promise<HttpResponse> {
    const res = await this.open(req);
    const chunks: Buffer[] = [];
    for await (const c of res) chunks.push(c as Buffer);
    return { status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') };
  }

  /** Closes pooled connections; in-flight requests (watches) end. */
  close(): void { this.agent.destroy(); }
}

// The GET behind httpGet probes and lifecycle hooks, shaped like the Go kubelet's client: no
// keep-alive, TLS without verification, the probe's headers (User-Agent and Accept defaulted),
// redirects followed only on the same host (another host's redirect is returned as is), a body read
// of at most 10 KiB, one deadline for the whole exchange, and Go's error texts.
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { Socket } from 'node:net';
import { goDialError, joinHostPort } from './go-net-errors.ts';

const MAX_BODY = 10 * 1024;
const MAX_REDIRECTS = 10;
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

export interface HttpGetOptions {
  scheme: string;
  host: string;
  port: number;
  /** Path and query, as in the probe's path field. */
  path: string;
  headers?: { name: string; value: string }[];
  timeoutMs: number;
  userAgent: string;
  signal?: AbortSignal;
}

export interface HttpGetResponse { status: number; body: string; url: string }

/** A failed request, its message as Go's client prints it: `Get "http://…": …`. */
export class HttpGetError extends Error {
  override name = 'HttpGetError';
}

/** Go's url.URL String() for scheme://host:port + path (a missing leading slash is added). */
export function formatURL(scheme: string, host: string, port: number, path: string): string {
  const p = path === '' || path.startsWith('/') ? path : `/${path}`;
  return `${scheme}://${joinHostPort(host, port)}${p}`;
}

function canonicalHeaderKey(name: string): string {
  return name.toLowerCase().replace(/(^|-)([a-z])/g, (_, d: string, c: string) => d + c.toUpperCase());
}

/** newProbeRequest's header rules. */
function buildHeaders(list: HttpGetOptions['headers'], userAgent: string): Record<string, string[]> {
  const h: Record<string, string[]> = {};
  for (const { name, value } of list ?? []) (h[canonicalHeaderKey(name)] ??= []).push(value);
  if (!('User-Agent' in h)) h['User-Agent'] = [userAgent];
  if (!('Accept' in h)) h.Accept = ['*/*'];
  else if (h.Accept!.every((v) => v === '')) delete h.Accept;
  h.Connection = ['close'];
  return h;
}

interface Attempt { status: number; location?: string; body: string }

function once(url: URL, display: string, headers: Record<string, string[]>, deadline: number, signal?: AbortSignal): Promise<Attempt> {
  return new Promise((resolve, reject) => {
    const https = url.protocol === 'https:';
    const host = url.hostname.replace(/^\[|\]$/g, '');
    const port = Number(url.port) || (https ? 443 : 80);
    const { Host: hostHeader, ...rest } = headers;
    let connected = false;
    let gotHeaders = false;
    let socket: Socket | undefined;
    let settled = false;
    const fail = (msg: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      req.destroy();
      reject(new HttpGetError(`Get "${display}": ${msg}`));
    };
    const req = (https ? httpsRequest : httpRequest)({
      host, port, method: 'GET', path: `${url.pathname}${url.search}`, agent: false,
      headers: { ...rest, ...(hostHeader?.[0] ? { Host: hostHeader[0] } : {}) },
      ...(https ? { rejectUnauthorized: false, servername: /^[\d.:]+$/.test(host) ? undefined : host } : {}),
    });
    const timer = setTimeout(() => fail(gotHeaders
      ? 'context deadline exceeded (Client.Timeout or context cancellation while reading body)'
      : 'context deadline exceeded (Client.Timeout exceeded while awaiting headers)'), Math.max(0, deadline - Date.now()));
    signal?.addEventListener('abort', () => fail('context canceled'), { once: true });
    req.on('socket', (s: Socket) => {
      socket = s;
      s.once('connect', () => { connected = true; });
    });
    req.on('error', (err: NodeJS.ErrnoException) => {
      if (https && (err.code === 'EPROTO' || err.code === 'ERR_SSL_WRONG_VERSION_NUMBER' || /wrong version number/.test(err.message))) {
        fail('http: server gave HTTP response to HTTPS client');
        return;
      }
      fail(goDialError(err, { host, port, connected, localAddress: socket?.localAddress, localPort: socket?.localPort }));
    });
    req.on('response', (res: IncomingMessage) => {
      gotHeaders = true;
      const chunks: Buffer[] = [];
      let size = 0;
      const finish = () => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        res.destroy();
        req.destroy();
        const location = res.headers.location;
        resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).subarray(0, MAX_BODY).toString('utf8'), location });
      };
      res.on('data', (c: Buffer) => {
        chunks.push(c);
        size += c.length;
        // Upstream reads at most 10 KiB and ignores the rest.
        if (size >= MAX_BODY) finish();
      });
      res.on('end', finish);
      res.on('error', () => finish());
      res.on('close', finish);
    });
    req.end();
  });
}

/** GETs the URL, following same-host redirects; rejects with HttpGetError. */
export async function httpGet(opts: HttpGetOptions): Promise<HttpGetResponse> {
  const deadline = Date.now() + opts.timeoutMs;
  const headers = buildHeaders(opts.headers, opts.userAgent);
  // Node's URL drops default ports; messages keep the URL as Go prints it.
  let display = formatURL(opts.scheme, opts.host, opts.port, opts.path);
  const first = new URL(display);
  let url = first;
  for (let redirects = 0; ; redirects++) {
    const res = await once(url, display, headers, deadline, opts.signal);
    if (!REDIRECT_STATUSES.has(res.status) || !res.location) return { status: res.status, body: res.body, url: display };
    const next = new URL(res.location, url);
    // Another host's redirect is not followed: the 3xx is the answer (ErrUseLastResponse).
    if (next.hostname !== first.hostname) return { status: res.status, body: res.body, url: display };
    if (redirects + 1 >= MAX_REDIRECTS) throw new HttpGetError(`Get "${next.href}": stopped after ${MAX_REDIRECTS} redirects`);
    url = next;
    display = next.href;
  }
}

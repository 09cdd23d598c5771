// A small Docker Engine API client (v1.41, as Docker 20.10 speaks it) over the daemon's unix socket
// with node:http. Errors carry the daemon's message prefixed as Docker's Go client does ("Error
// response from daemon: …"), because the kubelet copies them into events and container statuses.
import http from 'node:http';
import type { Socket } from 'node:net';
import type { Readable } from 'node:stream';
import { RuntimeError } from '../runtime/runtime-service.ts';

export const DOCKER_API_VERSION = '1.41';

export type Query = Record<string, string | number | boolean | undefined>;

export interface DockerRequest {
  method?: 'GET' | 'POST' | 'DELETE' | 'PUT' | 'HEAD';
  /** Without the /v1.41 prefix: /containers/json. */
  path: string;
  query?: Query;
  /** Sent as JSON. */
  body?: unknown;
  /** Sent as is (image tarballs). */
  stream?: Readable;
  contentType?: string;
  headers?: Record<string, string>;
  /** Idle time after which the request fails; 0 = none. */
  timeoutMs?: number;
}

/** An Engine API error; statusCode 0 when the daemon could not be reached. */
export class DockerError extends RuntimeError {
  override name = 'DockerError';
  constructor(message: string, readonly statusCode: number) {
    super(message, statusCode === 404 ? 'NotFound' : statusCode === 0 ? 'Unavailable' : 'Unknown');
  }
}

const DEFAULT_TIMEOUT_MS = 2 * 60_000;

export class DockerClient {
  private readonly agent = new http.Agent({ keepAlive: true, maxSockets: 32 });

  constructor(readonly socket: string) {}

  /** A request whose answer is JSON (or empty: undefined). */
  async json<T = any>(req: DockerRequest): Promise<T> {
    const res = await this.send(req);
    const text = (await readAll(res)).toString('utf8');
    return (text.trim() === '' ? undefined : JSON.parse(text)) as T;
  }

  /** A request whose answer is streamed (logs, pulls, loads); the caller reads it. */
  stream(req: DockerRequest): Promise<http.IncomingMessage> {
    return this.send(req);
  }

  /**
   * Hijacks the connection (Upgrade: tcp), as exec start and attach need: the socket then carries the
   * process's stdin one way and its output the other.
   */
  hijack(req: DockerRequest): Promise<Socket> {
    return new Promise((resolve, reject) => {
      const body = req.body === undefined ? undefined : Buffer.from(JSON.stringify(req.body));
      const r = http.request({
        socketPath: this.socket,
        agent: false,
        method: req.method ?? 'POST',
        path: apiPath(req.path, req.query),
        headers: {
          Connection: 'Upgrade',
          Upgrade: 'tcp',
          ...(body ? { 'Content-Type': 'application/json', 'Content-Length': String(body.length) } : {}),
          ...req.headers,
        },
      });
      r.on('upgrade', (_res, socket: Socket, head: Buffer) => {
        if (head.length > 0) socket.unshift(head);
        resolve(socket);
      });
      r.on('response', (res) => {
        readAll(res).then((buf) => reject(daemonError(res.statusCode ?? 500, buf)), reject);
      });
      r.on('error', (err) => reject(connectError(this.socket, err)));
      r.end(body);
    });
  }

  close(): void {
    this.agent.destroy();
  }

  private send(req: DockerRequest): Promise<http.IncomingMessage> {
    return new Promise((resolve, reject) => {
      const body = req.body === undefined ? undefined : Buffer.from(JSON.stringify(req.body));
      const headers: Record<string, string> = { ...req.headers };
      if (body) {
        headers['Content-Type'] = 'application/json';
        headers['Content-Length'] = String(body.length);
      } else if (req.stream) {
        headers['Content-Type'] = req.contentType ?? 'application/octet-stream';
      }
      const r = http.request({
        socketPath: this.socket,
        agent: this.agent,
        method: req.method ?? 'GET',
        path: apiPath(req.path, req.query),
        headers,
      });
      const timeoutMs = req.timeoutMs ?? DEFAULT_TIMEOUT_MS;
      if (timeoutMs > 0) {
        r.setTimeout(timeoutMs, () => r.destroy(new DockerError(`${req.method ?? 'GET'} ${req.path}: no answer from the Docker daemon within ${timeoutMs / 1000}s`, 0)));
      }
      r.on('response', (res) => {
        const status = res.statusCode ?? 500;
        if (status >= 400) readAll(res).then((buf) => reject(daemonError(status, buf)), reject);
        else resolve(res);
      });
      r.on('error', (err) => reject(err instanceof DockerError ? err : connectError(this.socket, err)));
      if (req.stream) {
        req.stream.on('error', (err) => r.destroy(err));
        req.stream.pipe(r);
      } else {
        r.end(body);
      }
    });
  }
}

export function apiPath(path: string, query?: Query): string {
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined) qs.set(k, String(v));
  const q = qs.toString();
  return `/v${DOCKER_API_VERSION}${path}${q ? `?${q}` : ''}`;
}

export function readAll(stream: Readable): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on('data', (c: Buffer) => chunks.push(c));
    stream.on('end', () => resolve(Buffer.concat(chunks)));
    stream.on('error', reject);
  });
}

/** The daemon answers errors as {"message": "..."}. */
function daemonError(status: number, body: Buffer): DockerError {
  let message = body.toString('utf8').trim();
  try {
    const parsed = JSON.parse(message) as { message?: string };
    if (parsed && typeof parsed.message === 'string') message = parsed.message;
  } catch {
    // plain text answer
  }
  return new DockerError(`Error response from daemon: ${message || http.STATUS_CODES[status] || status}`, status);
}

function connectError(socket: string, err: Error): DockerError {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOENT' || code === 'ECONNREFUSED' || code === 'EACCES') {
    return new DockerError(`Cannot connect to the Docker daemon at unix://${socket}. Is the docker daemon running?`, 0);
  }
  return new DockerError(`Docker daemon at unix://${socket}: ${err.message}`, 0);
}

/** Reads a stream of JSON messages (pull and load progress), one per line. */
export async function* jsonMessages(stream: Readable): AsyncGenerator<Record<string, any>> {
  let rest = '';
  for await (const chunk of stream) {
    rest += (chunk as Buffer).toString('utf8');
    let nl: number;
    while ((nl = rest.indexOf('\n')) !== -1) {
      const line = rest.slice(0, nl).trim();
      rest = rest.slice(nl + 1);
      if (line) yield JSON.parse(line);
    }
  }
  if (rest.trim()) yield JSON.parse(rest);
}

// Raw HTTPS against the server, for what typed clients cannot send: malformed bodies, odd content
// types, huge queries, paths that are not well formed. Uses the kubeconfig's CA and admin client cert.
import https from 'node:https';
import { readResponse, type RawResponse } from '../../conformance/framework/raw.ts';
import { readKubeconfig } from './kubeconfig.ts';

export interface RawRequestOptions {
  /** Objects are sent as JSON; strings and Buffers as they are. */
  body?: unknown;
  headers?: Record<string, string>;
  /** Content-Type; defaults to application/json when there is a body. */
  contentType?: string;
  /** 'admin' (default): the kubeconfig's client certificate; 'none': anonymous. */
  cert?: 'admin' | 'none';
  /** Bearer token instead of/in addition to the certificate. */
  token?: string;
  timeoutMs?: number;
}

export type { RawResponse };

export type RawRequester = (method: string, path: string, opts?: RawRequestOptions) => Promise<RawResponse>;

export function rawRequester(kubeconfigPath: string): RawRequester {
  return (method, path, opts = {}) => rawRequest(kubeconfigPath, method, path, opts);
}

export function rawRequest(kubeconfigPath: string, method: string, path: string, opts: RawRequestOptions = {}): Promise<RawResponse> {
  const creds = readKubeconfig(kubeconfigPath);
  const url = new URL(creds.server);
  let payload: Buffer | undefined;
  if (opts.body !== undefined) {
    payload = Buffer.isBuffer(opts.body) ? opts.body : Buffer.from(typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body));
  }
  const headers: Record<string, string> = { Accept: 'application/json', ...opts.headers };
  if (payload) {
    headers['Content-Type'] = opts.contentType ?? 'application/json';
    headers['Content-Length'] = String(payload.length);
  } else if (opts.contentType) {
    headers['Content-Type'] = opts.contentType;
  }
  if (opts.token) headers.Authorization = `Bearer ${opts.token}`;
  const useCert = (opts.cert ?? 'admin') === 'admin';
  return new Promise((resolve, reject) => {
    let responded = false;
    const req = https.request(
      {
        host: url.hostname,
        port: url.port || 443,
        method,
        path,
        headers,
        ca: creds.ca,
        cert: useCert ? creds.cert : undefined,
        key: useCert ? creds.key : undefined,
        rejectUnauthorized: !creds.insecureSkipTLSVerify,
        agent: false,
        timeout: opts.timeoutMs ?? 30_000,
      },
      (res) => {
        responded = true;
        readResponse(res).then(resolve, reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`${method} ${path}: timed out`)));
    // A server may answer (413) and close before it read the whole body; the answer is what counts.
    req.on('error', (err) => {
      if (!responded) reject(err);
    });
    req.end(payload);
  });
}

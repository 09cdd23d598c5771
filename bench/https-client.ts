// Keep-alive HTTPS with the admin client certificate from the kubeconfig: one pooled connection per
// concurrent worker, as a client-go program with its default transport would hold.
import { Agent, request } from 'node:https';
import type { IncomingMessage } from 'node:http';
import type { KubeconfigCredentials } from '../test/helpers/kubeconfig.ts';

export interface ApiResponse {
  status: number;
  body: Buffer;
}

export class ApiClient {
  private readonly agent: Agent;
  private readonly base: URL;

  constructor(server: string, private readonly creds: KubeconfigCredentials, maxSockets: number) {
    this.base = new URL(server);
    this.agent = new Agent({ keepAlive: true, maxSockets, ca: creds.ca, cert: creds.cert, key: creds.key });
  }

  request(method: string, path: string, body?: string, contentType = 'application/json'): Promise<ApiResponse> {
    const headers: Record<string, string | number> = { Accept: 'application/json' };
    if (body !== undefined) {
      headers['Content-Type'] = contentType;
      headers['Content-Length'] = Buffer.byteLength(body);
    }
    return new Promise((resolve, reject) => {
      const req = request({
        host: this.base.hostname, port: this.base.port, method, path, headers, agent: this.agent,
      }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) }));
      });
      req.on('error', reject);
      req.end(body);
    });
  }

  /** A long-lived GET on its own connection (a watch); resolves with the response once headers arrive. */
  stream(path: string): Promise<IncomingMessage> {
    return new Promise((resolve, reject) => {
      const req = request({
        host: this.base.hostname, port: this.base.port, path, agent: false,
        ca: this.creds.ca, cert: this.creds.cert, key: this.creds.key,
        headers: { Accept: 'application/json' },
      }, resolve);
      req.on('error', reject);
      req.end();
    });
  }

  close(): void {
    this.agent.destroy();
  }
}

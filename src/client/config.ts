// Where and how to reach the API (client-go's rest.Config): a server URL and TLS credentials, from
// a kubeconfig file or given in-process, plus client-side QPS/burst and the user agent.
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parse } from 'yaml';

export interface ClientConfig {
  /** https://host:port */
  server: string;
  /** PEM CA bundle to verify the server with. */
  ca?: string | Buffer;
  /** PEM client certificate and key (x509 authentication). */
  cert?: string | Buffer;
  key?: string | Buffer;
  /** Bearer token. */
  token?: string;
  insecureSkipTLSVerify?: boolean;
  /** Client-side rate limit (requests per second) and burst, as client-go's QPS/Burst. */
  qps?: number;
  burst?: number;
  userAgent?: string;
  /** Per-request timeout for non-watch requests; 0 = none. */
  timeoutMs?: number;
}

export const DEFAULT_QPS = 50;
export const DEFAULT_BURST = 100;
export const DEFAULT_TIMEOUT_MS = 60_000;

type Entry = Record<string, unknown>;
interface Named { name?: string; cluster?: Entry; user?: Entry; context?: Entry }
interface KubeconfigDoc {
  'current-context'?: string;
  clusters?: Named[];
  users?: Named[];
  contexts?: Named[];
}

/** A kubeconfig's current context (or `context`) as a ClientConfig; relative file paths resolve against the kubeconfig's folder. */
export function loadKubeconfig(path: string, opts: { context?: string } & Partial<ClientConfig> = {}): ClientConfig {
  const { context: contextName, ...overrides } = opts;
  const doc = (parse(readFileSync(path, 'utf8')) ?? {}) as KubeconfigDoc;
  const ctxName = contextName ?? doc['current-context'];
  if (!ctxName) throw new Error(`kubeconfig ${path}: no current-context`);
  const ctx = doc.contexts?.find((c) => c.name === ctxName)?.context;
  if (!ctx) throw new Error(`kubeconfig ${path}: context "${ctxName}" not found`);
  const cluster = doc.clusters?.find((c) => c.name === ctx.cluster)?.cluster;
  if (!cluster || typeof cluster.server !== 'string') throw new Error(`kubeconfig ${path}: cluster "${String(ctx.cluster)}" has no server`);
  const user = doc.users?.find((u) => u.name === ctx.user)?.user ?? {};
  const base = dirname(resolve(path));
  const token = typeof user.token === 'string' ? user.token
    : typeof user.tokenFile === 'string' ? readFileSync(resolve(base, user.tokenFile), 'utf8').trim() : undefined;
  return {
    server: cluster.server,
    ca: dataOrFile(base, cluster, 'certificate-authority'),
    cert: dataOrFile(base, user, 'client-certificate'),
    key: dataOrFile(base, user, 'client-key'),
    token,
    insecureSkipTLSVerify: cluster['insecure-skip-tls-verify'] === true || cluster['insecure-skip-tls-verify'] === 'true',
    ...overrides,
  };
}

function dataOrFile(base: string, entry: Entry, field: string): Buffer | undefined {
  const data = entry[`${field}-data`];
  if (typeof data === 'string' && data) return Buffer.from(data, 'base64');
  const file = entry[field];
  if (typeof file === 'string' && file) return readFileSync(resolve(base, file));
  return undefined;
}

// Reads the admin kubeconfig the server writes, so raw HTTPS requests use exactly the credentials
// kubectl uses (client certificate, CA, server URL).
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parse } from 'yaml';

export interface KubeconfigCredentials {
  server: string;
  ca?: Buffer;
  cert?: Buffer;
  key?: Buffer;
  token?: string;
  insecureSkipTLSVerify: boolean;
}

interface Named<T> {
  name: string;
  [k: string]: unknown;
  cluster?: T;
  user?: T;
  context?: T;
}

function dataOrFile(base: string, obj: Record<string, string | undefined>, field: string): Buffer | undefined {
  const data = obj[`${field}-data`];
  if (data) return Buffer.from(data, 'base64');
  const file = obj[field];
  if (file) return readFileSync(resolve(base, file));
  return undefined;
}

export function readKubeconfig(path: string): KubeconfigCredentials {
  const doc = parse(readFileSync(path, 'utf8')) as {
    'current-context'?: string;
    contexts?: Named<{ cluster: string; user: string }>[];
    clusters?: Named<Record<string, string | undefined>>[];
    users?: Named<Record<string, string | undefined>>[];
  };
  const ctxName = doc['current-context'] ?? doc.contexts?.[0]?.name;
  const ctx = doc.contexts?.find((c) => c.name === ctxName)?.context;
  const cluster = (doc.clusters?.find((c) => c.name === ctx?.cluster) ?? doc.clusters?.[0])?.cluster;
  const user = (doc.users?.find((u) => u.name === ctx?.user) ?? doc.users?.[0])?.user ?? {};
  if (!cluster?.server) throw new Error(`kubeconfig ${path} has no cluster server`);
  const base = dirname(path);
  return {
    server: cluster.server,
    ca: dataOrFile(base, cluster, 'certificate-authority'),
    cert: dataOrFile(base, user, 'client-certificate'),
    key: dataOrFile(base, user, 'client-key'),
    token: user.token,
    insecureSkipTLSVerify: String(cluster['insecure-skip-tls-verify']) === 'true',
  };
}

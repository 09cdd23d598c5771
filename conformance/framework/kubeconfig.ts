// The kubeconfig as client-node loads it, with one change: client-node 1.x builds a new HTTPS agent
// (a new TLS connection and handshake) for every request, which made a create cost ~60 ms on a busy
// machine. Reusing one keep-alive agent per set of TLS options is what client-go and kubectl do; the
// requests themselves are unchanged.
import http from 'node:http';
import https from 'node:https';
import { KubeConfig } from '@kubernetes/client-node';

export function loadKubeConfig(path: string): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromFile(path);
  const original = (kc as any).createAgent as ((cluster: unknown, options: Record<string, unknown>) => http.Agent) | undefined;
  if (typeof original !== 'function') return kc; // another client-node version: keep its behaviour
  const agents = new Map<string, http.Agent>();
  (kc as any).createAgent = function (cluster: { proxyUrl?: string; server?: string } | null, options: Record<string, unknown>): http.Agent {
    if (cluster?.proxyUrl || !cluster?.server?.startsWith('https:')) return original.call(this, cluster, options);
    const key = JSON.stringify(options); // CA, certificate and key included: one agent per identity
    let agent = agents.get(key);
    if (!agent) {
      agent = new https.Agent({ ...options, keepAlive: true });
      agents.set(key, agent);
    }
    return agent;
  };
  return kc;
}

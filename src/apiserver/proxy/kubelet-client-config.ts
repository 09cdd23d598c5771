// How the API server reaches kubelets (upstream's KubeletClientConfig): HTTPS with the API server's
// kubelet client certificate (--kubelet-client-certificate/-key, CN kube-apiserver-kubelet-client).
// The kubelet's serving certificate is not verified, as upstream without --kubelet-certificate-authority:
// kubelets usually serve a self-signed certificate.
import { Agent } from 'node:https';

export interface KubeletClientConfig {
  cert: string;
  key: string;
  /** How long a connection attempt may take (upstream's dial timeout is 30 s; ours is shorter). */
  dialTimeoutMs?: number;
}

export interface KubeletClient {
  config: KubeletClientConfig;
  /** Pooled connections for plain requests (logs, nodes/proxy, stats). */
  agent: Agent;
  close(): void;
}

export function createKubeletClient(config: KubeletClientConfig): KubeletClient {
  const agent = new Agent({ keepAlive: true, cert: config.cert, key: config.key, rejectUnauthorized: false, maxFreeSockets: 16 });
  return { config, agent, close: () => agent.destroy() };
}

// The set-up most client and controller tests share: a real API server on port 0 and a KubeClient
// made from the admin kubeconfig it wrote, closed together.
import { KubeClient } from '../../src/client/kube-client.ts';
import { startTestServer, type TestServer, type TestServerOptions } from './test-server.ts';

export interface ServerWithClient {
  server: TestServer;
  client: KubeClient;
}

export async function startServerWithClient(opts: TestServerOptions = {}): Promise<ServerWithClient> {
  const server = await startTestServer(opts);
  return { server, client: KubeClient.fromKubeconfig(server.kubeconfigPath) };
}

/** Closes what was started; safe when before() failed half-way. */
export async function closeServerWithClient(s: Partial<ServerWithClient>): Promise<void> {
  s.client?.close();
  await s.server?.close();
}

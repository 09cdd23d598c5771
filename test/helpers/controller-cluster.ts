// A real server plus a controller manager running only the controllers a test is about, with leader
// election off (one instance) — the set-up every controller integration test needs.
import { KubeClient } from '../../src/client/index.ts';
import type { ControllerDescriptor } from '../../src/components/controller-manager/controller-context.ts';
import { startControllerManager } from '../../src/components/controller-manager/controller-manager.ts';
import type { RunningComponent } from '../../src/components/names.ts';
import { startTestServer, type TestServer } from './test-server.ts';

export interface ControllerCluster {
  server: TestServer;
  client: KubeClient;
  manager: RunningComponent;
  close(): Promise<void>;
}

/** K8TS_TEST_LOG=1 shows the controller manager's log on stderr. */
export async function startControllerCluster(controllers: ControllerDescriptor[]): Promise<ControllerCluster> {
  const server = await startTestServer();
  const client = KubeClient.fromKubeconfig(server.kubeconfigPath);
  const manager = startControllerManager({
    client, controllers, leaderElect: false,
    leaderElection: { leaseDurationMs: 15_000, renewDeadlineMs: 10_000, retryPeriodMs: 2_000 },
    log: process.env.K8TS_TEST_LOG ? (m) => process.stderr.write(`${m}\n`) : () => {},
  });
  return {
    server, client, manager,
    async close() {
      await manager.stop();
      client.close();
      await server.close();
    },
  };
}

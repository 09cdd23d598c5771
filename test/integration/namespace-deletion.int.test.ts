// Deleting many namespaces at once, as the conformance suite's clean-up does: the namespace
// controller has its own high-QPS client (upstream's startNamespaceController) and empties every
// resource type at once, so namespaces holding only ConfigMaps go in seconds, not minutes.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { GVR, KubeClient } from '../../src/client/index.ts';
import { startControllerManager } from '../../src/components/controller-manager/controller-manager.ts';
import type { RunningComponent } from '../../src/components/names.ts';
import { namespaceController } from '../../src/controllers/namespace/namespace-controller.ts';
import { isNotFound } from '../../src/client/api-error.ts';
import { startTestServer, waitFor, type TestServer } from '../helpers/index.ts';

let server: TestServer;
let client: KubeClient;
let manager: RunningComponent | undefined;

before(async () => {
  server = await startTestServer();
  client = KubeClient.fromKubeconfig(server.kubeconfigPath);
  manager = startControllerManager({
    client, leaderElect: false, leaderElection: { leaseDurationMs: 15_000, renewDeadlineMs: 10_000, retryPeriodMs: 2000 },
    controllers: [namespaceController], log: () => {},
  });
});
after(async () => {
  await manager?.stop();
  client?.close();
  await server?.close();
});

test('20 namespaces holding ConfigMaps, deleted together, are all gone within seconds', { timeout: 60_000 }, async () => {
  const names = Array.from({ length: 20 }, (_, i) => `nsdel-${i}`);
  for (const name of names) {
    await client.resource(GVR.namespaces).create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
    await client.resource(GVR.configmaps).namespace(name).create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm' }, data: { a: 'b' } });
  }
  await Promise.all(names.map((n) => client.resource(GVR.namespaces).delete(n)));
  const exists = async (n: string) => client.resource(GVR.namespaces).get(n).then(() => true, (err) => { if (isNotFound(err)) return false; throw err; });
  // Before the controller had its own client, the 20 took over two minutes at the shared 20 QPS.
  await waitFor(async () => ((await Promise.all(names.map(exists))).some(Boolean) ? undefined : true), { timeoutMs: 15_000, message: 'all 20 namespaces gone' });
  assert.equal((await client.resource(GVR.configmaps).list()).items.filter((c) => names.includes(c.metadata.namespace!)).length, 0);
});

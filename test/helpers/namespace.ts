// Every test owns a namespace, so tests sharing a server never see each other's objects.
import { uniqueName } from './names.ts';
import type { TestServer } from './test-server.ts';

export async function createNamespace(server: TestServer, prefix = 'test'): Promise<string> {
  const name = uniqueName(prefix);
  const res = await server.request('POST', '/api/v1/namespaces', { body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name } } });
  if (res.status !== 201) throw new Error(`creating namespace ${name}: ${res.status} ${res.body}`);
  return name;
}

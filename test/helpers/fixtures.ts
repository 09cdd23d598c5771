// Set-up through the API directly (JSON over HTTPS), so a test of `kubectl edit` or `get -w` fails
// only for the feature it is about, not for how kubectl happens to create its fixtures.
import type { TestServer } from './test-server.ts';

export async function createObject(server: TestServer, collectionPath: string, body: Record<string, unknown>): Promise<any> {
  const res = await server.request('POST', collectionPath, { body });
  if (res.status !== 201) throw new Error(`POST ${collectionPath}: ${res.status} ${res.body}`);
  return res.json;
}

export function createConfigMap(server: TestServer, namespace: string, name: string, data: Record<string, string> = {}, labels?: Record<string, string>): Promise<any> {
  return createObject(server, `/api/v1/namespaces/${namespace}/configmaps`, {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name, labels },
    data,
  });
}

/** The Deployment `kubectl create deployment NAME --image=IMAGE` would send. */
export function createDeployment(server: TestServer, namespace: string, name: string, image: string, replicas = 1): Promise<any> {
  const container = image.split('/').pop()!.split(/[:@]/)[0]!;
  return createObject(server, `/apis/apps/v1/namespaces/${namespace}/deployments`, {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, labels: { app: name } },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: container, image }] } },
    },
  });
}

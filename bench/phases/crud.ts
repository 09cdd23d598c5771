// create, get, update (PUT with the last seen resourceVersion) and merge-patch of ConfigMaps, each
// from `concurrency` keep-alive clients.
import type { ApiClient } from '../https-client.ts';
import { configMap, configMapsPath, resourceVersionOf, shuffledIndexes, value, type ObjectRef } from '../configmaps.ts';
import { runClosedLoop, type LoadResult } from '../load.ts';

export async function createNamespace(client: ApiClient, name: string): Promise<void> {
  const res = await client.request('POST', '/api/v1/namespaces', JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } }));
  if (res.status !== 201) throw new Error(`create namespace ${name}: ${res.status} ${res.body.toString('utf8')}`);
}

/** Creates `count` ConfigMaps per namespace; the refs (with resourceVersions) of those created go to `into`. */
export function createConfigMaps(
  client: ApiClient, namespaces: { name: string; count: number }[], concurrency: number, into: ObjectRef[],
): Promise<LoadResult> {
  const plan: { namespace: string; name: string }[] = [];
  for (const ns of namespaces) {
    for (let i = 0; i < ns.count; i++) plan.push({ namespace: ns.name, name: `cm-${i}` });
  }
  return runClosedLoop(plan.length, concurrency, async (i) => {
    const { namespace, name } = plan[i]!;
    const res = await client.request('POST', configMapsPath(namespace), configMap(namespace, name));
    const resourceVersion = res.status === 201 ? resourceVersionOf(res.body) : undefined;
    if (resourceVersion !== undefined) into.push({ namespace, name, resourceVersion });
    return res.status;
  });
}

export function getConfigMaps(client: ApiClient, objects: ObjectRef[], count: number, concurrency: number): Promise<LoadResult> {
  return runClosedLoop(count, concurrency, async () => {
    const o = objects[Math.floor(Math.random() * objects.length)]!;
    return (await client.request('GET', configMapsPath(o.namespace, o.name))).status;
  });
}

/**
 * PUTs each of `count` distinct objects once with the resourceVersion from its last write, so no two
 * requests in flight race for one object: a 409 here is a server defect, not contention.
 */
export function updateConfigMaps(client: ApiClient, objects: ObjectRef[], count: number, concurrency: number): Promise<LoadResult> {
  const order = shuffledIndexes(objects.length).slice(0, count);
  return runClosedLoop(order.length, concurrency, async (i) => {
    const o = objects[order[i]!]!;
    const res = await client.request('PUT', configMapsPath(o.namespace, o.name),
      configMap(o.namespace, o.name, { key0: value(`update-${i}`) }, o.resourceVersion));
    if (res.status === 200) o.resourceVersion = resourceVersionOf(res.body) ?? o.resourceVersion;
    return res.status;
  });
}

/** JSON merge patches that each change one key (a no-op patch would skip the write). */
export function mergePatchConfigMaps(client: ApiClient, objects: ObjectRef[], count: number, concurrency: number): Promise<LoadResult> {
  const order = shuffledIndexes(objects.length);
  return runClosedLoop(count, concurrency, async (i) => {
    const o = objects[order[i % order.length]!]!;
    const res = await client.request('PATCH', configMapsPath(o.namespace, o.name),
      JSON.stringify({ data: { key1: value(`patch-${i}`) } }), 'application/merge-patch+json');
    if (res.status === 200) o.resourceVersion = resourceVersionOf(res.body) ?? o.resourceVersion;
    return res.status;
  });
}

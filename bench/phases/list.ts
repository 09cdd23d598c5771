// Full lists of one namespace, one at a time (a list's latency is the figure, as for `kubectl get`):
// a first untimed list checks the item count, then `runs` timed ones each read the whole body.
import type { ApiClient } from '../https-client.ts';
import { configMapsPath } from '../configmaps.ts';
import { runClosedLoop, type LoadResult } from '../load.ts';

export async function listConfigMaps(client: ApiClient, namespace: string, expected: number, runs: number): Promise<LoadResult & { note?: string }> {
  const first = await client.request('GET', configMapsPath(namespace));
  // Every namespace also holds the kube-root-ca.crt ConfigMap the root CA publisher keeps there.
  const items = first.status === 200
    ? (JSON.parse(first.body.toString('utf8')) as { items: { metadata: { name: string } }[] }).items.filter((i) => i.metadata.name !== 'kube-root-ca.crt').length
    : -1;
  let bytes = first.body.length;
  const result = await runClosedLoop(runs, 1, async () => {
    const res = await client.request('GET', configMapsPath(namespace));
    bytes = res.body.length;
    return res.status;
  });
  if (items !== expected) {
    result.errors[`${items} items, not ${expected}`] = 1;
  }
  return { ...result, note: `${(bytes / 1024 / 1024).toFixed(1)} MiB per list` };
}

// Pods and nodes as the pod start-up phases see them (simulated nodes and the real kubelet alike):
// a pod watch decoded into events, the Ready test, and waiting for Ready nodes so registration is not timed.
import type { IncomingMessage } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { ApiClient } from './https-client.ts';
import { onWatchEvents } from './watch-events.ts';

type Obj = Record<string, any>;

export type PodEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

/** The Ready condition of a pod or node is True. */
export function readyConditionTrue(obj: Obj): boolean {
  return (obj.status?.conditions ?? []).some((c: Obj) => c.type === 'Ready' && c.status === 'True');
}

export function isRunningAndReady(pod: Obj): boolean {
  return pod.status?.phase === 'Running' && readyConditionTrue(pod);
}

/** The resourceVersion of a list, from which a watch sees every later change and nothing before. */
export async function listResourceVersion(client: ApiClient, path: string): Promise<string> {
  const listed = await client.request('GET', `${path}?limit=1`);
  if (listed.status !== 200) throw new Error(`list ${path}: ${listed.status} ${listed.body.toString('utf8')}`);
  return (JSON.parse(listed.body.toString('utf8')) as Obj).metadata.resourceVersion as string;
}

/** Opens a watch on a pods path from `fromRevision`; an ERROR event or a bad line goes to fail. */
export async function watchPods(
  client: ApiClient, podsPath: string, fromRevision: string,
  onEvent: (type: PodEventType, pod: Obj) => void, fail: (code: string) => void,
): Promise<IncomingMessage> {
  const res = await client.stream(`${podsPath}?watch=1&resourceVersion=${fromRevision}`);
  if (res.statusCode !== 200) {
    res.destroy();
    throw new Error(`watch pods: ${res.statusCode}`);
  }
  onWatchEvents<Obj>(res, (event) => {
    if (event.type === 'ADDED' || event.type === 'MODIFIED' || event.type === 'DELETED') onEvent(event.type, event.object);
    else if (event.type === 'ERROR') fail(`watch ERROR ${event.object?.reason ?? ''}`.trim());
  }, fail);
  return res;
}

/** Polls the Node list until `count` nodes report Ready=True; the names of the Ready nodes. */
export async function waitForReadyNodes(client: ApiClient, count: number, limitMs: number): Promise<string[]> {
  const deadline = performance.now() + limitMs;
  let ready: string[] = [];
  while (performance.now() < deadline) {
    const res = await client.request('GET', '/api/v1/nodes');
    if (res.status === 200) {
      const items = (JSON.parse(res.body.toString('utf8')) as Obj).items as Obj[];
      ready = items.filter(readyConditionTrue).map((n) => n.metadata.name as string);
      if (ready.length >= count) return ready;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${ready.length} of ${count} nodes Ready after ${limitMs} ms`);
}

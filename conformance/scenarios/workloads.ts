// What the e2e suite's workload helpers wait for (e2epod.WaitForPodsRunningReady, e2edeployment
// .WaitForDeploymentComplete, …), read through the API only, so they hold on any cluster whose nodes
// run pods: a real one or k8ts with simulated nodes.
import { CoreV1Api, type V1Pod } from '@kubernetes/client-node';
import { poll } from '../framework/poll.ts';

/** podutil.IsPodReady. */
export function isPodReady(pod: V1Pod): boolean {
  return pod.status?.phase === 'Running' && (pod.status.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');
}

/** The pods matching selector that are not being deleted. */
export async function livePods(core: CoreV1Api, namespace: string, labelSelector: string): Promise<V1Pod[]> {
  const list = await core.listNamespacedPod({ namespace, labelSelector });
  return list.items.filter((p) => !p.metadata?.deletionTimestamp);
}

/** e2epod.VerifyPodsRunning: exactly n live pods match, all Running and Ready. */
export function waitForRunningPods(core: CoreV1Api, namespace: string, labelSelector: string, n: number, timeoutMs = 60_000): Promise<V1Pod[]> {
  return poll(async () => {
    const pods = await livePods(core, namespace, labelSelector);
    return pods.length === n && pods.every(isPodReady) ? pods : undefined;
  }, { timeoutMs, what: `${n} running and ready pods matching ${labelSelector} in ${namespace}` });
}

/** e2epod.WaitForPodNameRunningInNamespace. */
export function waitForPodRunning(core: CoreV1Api, namespace: string, name: string, timeoutMs = 60_000): Promise<V1Pod> {
  return poll(async () => {
    const pod = await core.readNamespacedPod({ name, namespace });
    return isPodReady(pod) ? pod : undefined;
  }, { timeoutMs, what: `pod ${namespace}/${name} running and ready` });
}

/** Resolves once reading the object answers 404. */
export function waitForGone(read: () => Promise<unknown>, what: string, timeoutMs = 60_000): Promise<boolean> {
  return poll(async () => {
    try {
      await read();
      return false;
    } catch (err) {
      if ((err as { code?: number }).code === 404) return true;
      throw err;
    }
  }, { timeoutMs, what: `${what} to be gone` });
}

/** metav1.GetControllerOf. */
export function controllerOf(obj: { metadata?: { ownerReferences?: { controller?: boolean; uid: string; kind: string; name: string }[] } }) {
  return obj.metadata?.ownerReferences?.find((r) => r.controller === true);
}

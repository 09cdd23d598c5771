// Finding what a request names: the pod among the kubelet's, its running container and its sandbox
// in the runtime (by the labels every runtime object carries), as upstream's GetPodByName,
// findContainer and the runtime pod cache do.
import type { KObject } from '../../apimachinery/types.ts';
import { CONTAINER_NAME_LABEL, POD_UID_LABEL } from '../runtime-labels.ts';
import type { RuntimeService } from '../runtime/runtime-service.ts';

type Obj = Record<string, any>;

/** The pod by namespace and name (and UID when the path gives one); the newest when a name was reused. */
export function findPod(pods: KObject[], namespace: string, name: string, uid?: string): KObject | undefined {
  const matches = pods.filter((p) => p.metadata.namespace === namespace && p.metadata.name === name && (!uid || p.metadata.uid === uid));
  return matches[matches.length - 1];
}

/** Whether the pod's spec has a container (init, regular or ephemeral) of this name. */
export function hasContainerSpec(pod: KObject, name: string): boolean {
  const spec = (pod.spec ?? {}) as Obj;
  return [spec.initContainers, spec.containers, spec.ephemeralContainers]
    .some((list) => Array.isArray(list) && (list as Obj[]).some((c) => c?.name === name));
}

/** The ID of the pod's running container of this name, or undefined. */
export async function findRunningContainer(runtime: RuntimeService, pod: KObject, name: string): Promise<string | undefined> {
  const labels = { [POD_UID_LABEL]: pod.metadata.uid ?? '', [CONTAINER_NAME_LABEL]: name };
  const found = (await runtime.listContainers({ state: 'CONTAINER_RUNNING', labelSelector: labels }))
    .filter((c) => c.state === 'CONTAINER_RUNNING' && c.labels[POD_UID_LABEL] === labels[POD_UID_LABEL] && c.labels[CONTAINER_NAME_LABEL] === name)
    .sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : 0));
  return found[0]?.id;
}

/** The pod's ready sandbox, or undefined. */
export async function findReadySandbox(runtime: RuntimeService, pod: KObject): Promise<string | undefined> {
  const uid = pod.metadata.uid ?? '';
  const found = (await runtime.listPodSandbox({ state: 'SANDBOX_READY', labelSelector: { [POD_UID_LABEL]: uid } }))
    .filter((s) => s.state === 'SANDBOX_READY' && (s.metadata.uid === uid || s.labels[POD_UID_LABEL] === uid))
    .sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : 0));
  return found[0]?.id;
}

/** kubecontainer.GetPodFullName: "name_namespace". */
export function podFullName(pod: KObject): string {
  return `${pod.metadata.name}_${pod.metadata.namespace}`;
}

// Event reasons the kubelet records (pkg/kubelet/events) and the reference a container event points
// at: the pod with fieldPath spec.containers{name}, which `kubectl describe` shows as "From kubelet".
import type { ObjectReference } from '../controllers/framework/events/types.ts';

type Obj = Record<string, any>;

export const EVENTS = {
  CreatedContainer: 'Created',
  StartedContainer: 'Started',
  FailedToCreateContainer: 'Failed',
  FailedToStartContainer: 'Failed',
  KillingContainer: 'Killing',
  BackOffStartContainer: 'BackOff',
  PullingImage: 'Pulling',
  PulledImage: 'Pulled',
  FailedToPullImage: 'Failed',
  FailedToInspectImage: 'InspectFailed',
  ErrImageNeverPullPolicy: 'ErrImageNeverPull',
  BackOffPullImage: 'BackOff',
  StartingKubelet: 'Starting',
  NodeReady: 'NodeReady',
  NodeNotReady: 'NodeNotReady',
  FailedCreatePodSandBox: 'FailedCreatePodSandBox',
  FailedStatusPodSandBox: 'FailedStatusPodSandBox',
  SandboxChanged: 'SandboxChanged',
  FailedPostStartHook: 'FailedPostStartHook',
  FailedPreStopHook: 'FailedPreStopHook',
  FailedKillPod: 'FailedKillPod',
  FailedMountVolume: 'FailedMount',
  NodeAllocatableEnforced: 'NodeAllocatableEnforced',
} as const;

/** kubecontainer.GenerateContainerRef: the pod, narrowed to one container by fieldPath. */
export function containerRef(pod: Obj, containerName: string): ObjectReference {
  const spec = pod.spec ?? {};
  const has = (list: unknown) => Array.isArray(list) && list.some((c: Obj) => c?.name === containerName);
  const field = has(spec.containers) ? 'spec.containers' : has(spec.initContainers) ? 'spec.initContainers'
    : has(spec.ephemeralContainers) ? 'spec.ephemeralContainers' : 'spec.containers';
  return {
    kind: 'Pod', namespace: pod.metadata.namespace, name: pod.metadata.name, uid: pod.metadata.uid,
    apiVersion: 'v1', ...(pod.metadata.resourceVersion ? { resourceVersion: pod.metadata.resourceVersion } : {}),
    fieldPath: `${field}{${containerName}}`,
  };
}

/** The pod as an event target. */
export function podRef(pod: Obj): ObjectReference {
  return {
    kind: 'Pod', namespace: pod.metadata.namespace, name: pod.metadata.name, uid: pod.metadata.uid, apiVersion: 'v1',
    ...(pod.metadata.resourceVersion ? { resourceVersion: pod.metadata.resourceVersion } : {}),
  };
}

/** The node as an event target (upstream sets uid to the node name). */
export function nodeRef(nodeName: string): ObjectReference {
  return { kind: 'Node', name: nodeName, uid: nodeName, apiVersion: 'v1' };
}

/** format.Pod: name_namespace(uid). */
export function formatPod(pod: Obj): string {
  return `${pod.metadata.name}_${pod.metadata.namespace}(${pod.metadata.uid})`;
}

// The labels and annotations the kubelet puts on runtime objects (kuberuntime's labels.go): labels
// identify the pod and container, so a restarted kubelet finds its sandboxes and containers again;
// annotations carry what it needs later without the pod spec — the restart count, the spec hash,
// the termination message path and policy, the grace periods and the preStop handler (to kill an
// orphan properly).
import { createHash } from 'node:crypto';

type Obj = Record<string, any>;

export const POD_NAME_LABEL = 'io.kubernetes.pod.name';
export const POD_NAMESPACE_LABEL = 'io.kubernetes.pod.namespace';
export const POD_UID_LABEL = 'io.kubernetes.pod.uid';
export const CONTAINER_NAME_LABEL = 'io.kubernetes.container.name';

export const CONTAINER_HASH_ANNOTATION = 'io.kubernetes.container.hash';
export const RESTART_COUNT_ANNOTATION = 'io.kubernetes.container.restartCount';
export const TERMINATION_MESSAGE_PATH_ANNOTATION = 'io.kubernetes.container.terminationMessagePath';
export const TERMINATION_MESSAGE_POLICY_ANNOTATION = 'io.kubernetes.container.terminationMessagePolicy';
export const PRESTOP_HANDLER_ANNOTATION = 'io.kubernetes.container.preStopHandler';
export const CONTAINER_PORTS_ANNOTATION = 'io.kubernetes.container.ports';
export const POD_DELETION_GRACE_ANNOTATION = 'io.kubernetes.pod.deletionGracePeriod';
export const POD_TERMINATION_GRACE_ANNOTATION = 'io.kubernetes.pod.terminationGracePeriod';

/** Sandbox labels: the pod's own labels plus the three that name it. */
export function newPodLabels(pod: Obj): Record<string, string> {
  return {
    ...(pod.metadata?.labels ?? {}),
    [POD_NAME_LABEL]: pod.metadata.name,
    [POD_NAMESPACE_LABEL]: pod.metadata.namespace,
    [POD_UID_LABEL]: pod.metadata.uid,
  };
}

/** Sandbox annotations: the pod's annotations. */
export function newPodAnnotations(pod: Obj): Record<string, string> {
  return { ...(pod.metadata?.annotations ?? {}) };
}

export function newContainerLabels(container: Obj, pod: Obj): Record<string, string> {
  return {
    [POD_NAME_LABEL]: pod.metadata.name,
    [POD_NAMESPACE_LABEL]: pod.metadata.namespace,
    [POD_UID_LABEL]: pod.metadata.uid,
    [CONTAINER_NAME_LABEL]: container.name,
  };
}

export function newContainerAnnotations(container: Obj, pod: Obj, restartCount: number): Record<string, string> {
  const a: Record<string, string> = {
    [CONTAINER_HASH_ANNOTATION]: hashContainer(container),
    [RESTART_COUNT_ANNOTATION]: String(restartCount),
    [TERMINATION_MESSAGE_PATH_ANNOTATION]: container.terminationMessagePath ?? '',
    [TERMINATION_MESSAGE_POLICY_ANNOTATION]: container.terminationMessagePolicy ?? 'File',
  };
  if (typeof pod.metadata?.deletionGracePeriodSeconds === 'number') a[POD_DELETION_GRACE_ANNOTATION] = String(pod.metadata.deletionGracePeriodSeconds);
  if (typeof pod.spec?.terminationGracePeriodSeconds === 'number') a[POD_TERMINATION_GRACE_ANNOTATION] = String(pod.spec.terminationGracePeriodSeconds);
  if (container.lifecycle?.preStop) a[PRESTOP_HANDLER_ANNOTATION] = JSON.stringify(container.lifecycle.preStop);
  if (Array.isArray(container.ports) && container.ports.length > 0) a[CONTAINER_PORTS_ANNOTATION] = JSON.stringify(container.ports);
  return a;
}

export interface LabeledContainerInfo {
  podName: string;
  podNamespace: string;
  podUID: string;
  containerName: string;
}

export function containerInfoFromLabels(labels: Record<string, string>): LabeledContainerInfo {
  return {
    podName: labels[POD_NAME_LABEL] ?? '',
    podNamespace: labels[POD_NAMESPACE_LABEL] ?? '',
    podUID: labels[POD_UID_LABEL] ?? '',
    containerName: labels[CONTAINER_NAME_LABEL] ?? '',
  };
}

export interface AnnotatedContainerInfo {
  hash: string;
  restartCount: number;
  terminationMessagePath: string;
  terminationMessagePolicy: string;
  podDeletionGracePeriod?: number;
  podTerminationGracePeriod?: number;
  preStopHandler?: Obj;
}

export function containerInfoFromAnnotations(a: Record<string, string>): AnnotatedContainerInfo {
  const num = (k: string) => (a[k] !== undefined && /^-?\d+$/.test(a[k]!) ? Number(a[k]) : undefined);
  let preStopHandler: Obj | undefined;
  try { if (a[PRESTOP_HANDLER_ANNOTATION]) preStopHandler = JSON.parse(a[PRESTOP_HANDLER_ANNOTATION]!); } catch { /* unreadable: no hook */ }
  return {
    hash: a[CONTAINER_HASH_ANNOTATION] ?? '',
    restartCount: num(RESTART_COUNT_ANNOTATION) ?? 0,
    terminationMessagePath: a[TERMINATION_MESSAGE_PATH_ANNOTATION] ?? '',
    terminationMessagePolicy: a[TERMINATION_MESSAGE_POLICY_ANNOTATION] ?? 'File',
    podDeletionGracePeriod: num(POD_DELETION_GRACE_ANNOTATION),
    podTerminationGracePeriod: num(POD_TERMINATION_GRACE_ANNOTATION),
    preStopHandler,
  };
}

/**
 * The container's spec hash (kubecontainer.HashContainer): a changed definition (a new image)
 * restarts the container. Resources are left out, as upstream, so a resize does not.
 */
export function hashContainer(container: Obj): string {
  const { resources: _r, resizePolicy: _p, ...rest } = container;
  return createHash('sha256').update(canonicalJSON(rest)).digest('hex').slice(0, 16);
}

function canonicalJSON(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJSON).join(',')}]`;
  if (v && typeof v === 'object') {
    const o = v as Obj;
    return `{${Object.keys(o).sort().filter((k) => o[k] !== undefined).map((k) => `${JSON.stringify(k)}:${canonicalJSON(o[k])}`).join(',')}}`;
  }
  return JSON.stringify(v) ?? 'null';
}

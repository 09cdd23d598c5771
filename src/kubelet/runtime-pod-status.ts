// What the runtime holds for one pod (kubecontainer.PodStatus): its sandboxes and every container
// instance (running and exited, newest first), found by the io.kubernetes.pod.uid label — so the
// same call serves a pod the kubelet just created and one it finds after a restart.
import type { ContainerStatus, PodSandboxStatus, RuntimeService } from './runtime/runtime-service.ts';
import { RuntimeError } from './runtime/runtime-service.ts';
import { POD_UID_LABEL, containerInfoFromAnnotations, containerInfoFromLabels } from './runtime-labels.ts';
import { readTerminationMessage, terminationLogHostPath } from './termination-message.ts';

export type RuntimeContainerState = 'created' | 'running' | 'exited' | 'unknown';

/** One container instance as the kubelet reasons about it (kubecontainer.Status); times in ms. */
export interface RuntimeContainerStatus {
  id: string;
  /** "<runtime>://<id>", as containerStatuses[].containerID shows it. */
  containerID: string;
  name: string;
  podSandboxId: string;
  state: RuntimeContainerState;
  createdAt: number;
  startedAt: number;
  finishedAt: number;
  exitCode: number;
  reason: string;
  message: string;
  image: string;
  imageRef: string;
  hash: string;
  restartCount: number;
  attempt: number;
  logPath: string;
  logFormat: 'cri' | 'docker-json';
}

export interface PodRuntimeStatus {
  uid: string;
  name: string;
  namespace: string;
  /** The latest ready sandbox's IPs (primary first). */
  ips: string[];
  /** Newest first. */
  sandboxes: PodSandboxStatus[];
  /** Newest first. */
  containers: RuntimeContainerStatus[];
}

export function nsToMs(ns: bigint): number {
  return Number(ns / 1_000_000n);
}

function stateOf(s: ContainerStatus['state']): RuntimeContainerState {
  switch (s) {
    case 'CONTAINER_CREATED': return 'created';
    case 'CONTAINER_RUNNING': return 'running';
    case 'CONTAINER_EXITED': return 'exited';
    default: return 'unknown';
  }
}

export function isNotFound(err: unknown): boolean {
  return err instanceof RuntimeError && err.code === 'NotFound';
}

/** kuberuntime's toKubeContainerStatus, plus the termination message of an exited container. */
export async function toRuntimeContainerStatus(s: ContainerStatus, runtimeName: string, podsDir: string): Promise<RuntimeContainerStatus> {
  const labeled = containerInfoFromLabels(s.labels);
  const annotated = containerInfoFromAnnotations(s.annotations);
  const state = stateOf(s.state);
  const out: RuntimeContainerStatus = {
    id: s.id, containerID: `${runtimeName}://${s.id}`, name: labeled.containerName || s.metadata.name, podSandboxId: s.podSandboxId,
    state, createdAt: nsToMs(s.createdAt), startedAt: state === 'created' ? 0 : nsToMs(s.startedAt), finishedAt: 0,
    exitCode: 0, reason: '', message: '', image: s.image, imageRef: s.imageRef, hash: annotated.hash,
    restartCount: annotated.restartCount, attempt: s.metadata.attempt, logPath: s.logPath, logFormat: s.logFormat,
  };
  if (state === 'exited') {
    out.exitCode = s.exitCode;
    out.reason = s.reason;
    out.message = s.message;
    out.finishedAt = nsToMs(s.finishedAt);
    const hostPath = annotated.terminationMessagePath && labeled.podUID
      ? terminationLogHostPath(podsDir, labeled.podUID, out.name, out.attempt) : '';
    const tMessage = await readTerminationMessage({
      hostPath, policy: annotated.terminationMessagePolicy, exitCode: out.exitCode, reason: out.reason,
      logPath: s.logPath,
    });
    if (tMessage) out.message = out.message ? `${out.message}: ${tMessage}` : tMessage;
  }
  return out;
}

/** GetPodStatus: sandboxes and containers labelled with the pod's UID. */
export async function getPodRuntimeStatus(runtime: RuntimeService, runtimeName: string, podsDir: string, pod: { uid: string; name: string; namespace: string }): Promise<PodRuntimeStatus> {
  const selector = { [POD_UID_LABEL]: pod.uid };
  const sandboxList = (await runtime.listPodSandbox({ labelSelector: selector })).sort((a, b) => Number(b.createdAt - a.createdAt));
  const sandboxes: PodSandboxStatus[] = [];
  for (const sb of sandboxList) {
    try {
      sandboxes.push(await runtime.podSandboxStatus(sb.id));
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }
  let ips: string[] = [];
  const latest = sandboxes[0];
  if (latest && latest.state === 'SANDBOX_READY' && latest.network.ip) ips = [latest.network.ip, ...latest.network.additionalIps];
  const containers: RuntimeContainerStatus[] = [];
  for (const c of await runtime.listContainers({ labelSelector: selector })) {
    try {
      containers.push(await toRuntimeContainerStatus(await runtime.containerStatus(c.id), runtimeName, podsDir));
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }
  containers.sort((a, b) => b.createdAt - a.createdAt || b.restartCount - a.restartCount);
  return { ...pod, ips, sandboxes, containers };
}

/** The newest instance of a container (FindContainerStatusByName). */
export function findContainerStatusByName(status: PodRuntimeStatus, name: string): RuntimeContainerStatus | undefined {
  return status.containers.find((c) => c.name === name);
}

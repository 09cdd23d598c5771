// The kubelet's Node status (pkg/kubelet/nodestatus setters): capacity from the machine (cores,
// MemTotal, the data dir's filesystem, maxPods), allocatable minus the default hard eviction
// thresholds (memory.available<100Mi, nodefs.available<10%), InternalIP and Hostname addresses,
// the kubelet endpoint, nodeInfo, and the four conditions with upstream's reasons and messages;
// a condition's lastTransitionTime moves only when its status changes.
import { K8TS_CLIENT_VERSION } from '../client/user-agent.ts';
import { rfc3339 } from '../nodes/node-status.ts';
import { semanticEqual } from '../nodes/semantic-equal.ts';
import type { MachineInfo } from './machine-info.ts';

type Obj = Record<string, any>;

/** evictionHard defaults. */
export const EVICTION_MEMORY_AVAILABLE_BYTES = 100 * 1024 * 1024;
export const EVICTION_NODEFS_AVAILABLE_FRACTION = 0.1;

export interface NodeStatusInput {
  machine: MachineInfo;
  /** Currently available memory (MemAvailable) and the data dir's filesystem. */
  memoryAvailable: number;
  fsCapacity: number;
  fsAvailable: number;
  maxPods: number;
  nodeIP: string;
  kubeletPort: number;
  /** "containerd://1.6.20"; '' before the runtime answered. */
  containerRuntimeVersion: string;
  /** Why the node cannot run pods yet; undefined when it can. */
  notReadyMessage?: string;
  now: number;
}

/** A byte count as resource.Quantity prints it in BinarySI: the largest exact suffix, else plain. */
export function formatBinaryQuantity(bytes: number): string {
  bytes = Math.max(0, Math.trunc(bytes));
  if (bytes === 0) return '0';
  const suffixes = ['Ei', 'Pi', 'Ti', 'Gi', 'Mi', 'Ki'];
  for (let i = 0; i < suffixes.length; i++) {
    const unit = 1024 ** (6 - i);
    if (bytes % unit === 0) return `${bytes / unit}${suffixes[i]}`;
  }
  return String(bytes);
}

export interface ConditionSpec { type: string; status: 'True' | 'False' | 'Unknown'; reason: string; message: string }

export function nodeConditions(i: NodeStatusInput): ConditionSpec[] {
  const memPressure = i.memoryAvailable > 0 && i.memoryAvailable < EVICTION_MEMORY_AVAILABLE_BYTES;
  const diskPressure = i.fsCapacity > 0 && i.fsAvailable < i.fsCapacity * EVICTION_NODEFS_AVAILABLE_FRACTION;
  return [
    memPressure
      ? { type: 'MemoryPressure', status: 'True', reason: 'KubeletHasInsufficientMemory', message: 'kubelet has insufficient memory available' }
      : { type: 'MemoryPressure', status: 'False', reason: 'KubeletHasSufficientMemory', message: 'kubelet has sufficient memory available' },
    diskPressure
      ? { type: 'DiskPressure', status: 'True', reason: 'KubeletHasDiskPressure', message: 'kubelet has disk pressure' }
      : { type: 'DiskPressure', status: 'False', reason: 'KubeletHasNoDiskPressure', message: 'kubelet has no disk pressure' },
    { type: 'PIDPressure', status: 'False', reason: 'KubeletHasSufficientPID', message: 'kubelet has sufficient PID available' },
    i.notReadyMessage
      ? { type: 'Ready', status: 'False', reason: 'KubeletNotReady', message: i.notReadyMessage }
      : { type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status' },
  ];
}

export function nodeCapacity(i: NodeStatusInput): { capacity: Record<string, string>; allocatable: Record<string, string> } {
  const capacity = {
    cpu: String(i.machine.numCores),
    'ephemeral-storage': formatBinaryQuantity(i.fsCapacity),
    'hugepages-1Gi': '0',
    'hugepages-2Mi': '0',
    memory: formatBinaryQuantity(i.machine.memoryCapacity),
    pods: String(i.maxPods),
  };
  const allocatable = {
    ...capacity,
    'ephemeral-storage': formatBinaryQuantity(i.fsCapacity - Math.trunc(i.fsCapacity * EVICTION_NODEFS_AVAILABLE_FRACTION)),
    memory: formatBinaryQuantity(i.machine.memoryCapacity - EVICTION_MEMORY_AVAILABLE_BYTES),
  };
  return { capacity, allocatable };
}

/** The status to post, given the Node as the API has it. */
export function kubeletNodeStatus(node: Obj, nodeName: string, i: NodeStatusInput): Obj {
  const old: Obj = node.status ?? {};
  const oldConditions: Obj[] = Array.isArray(old.conditions) ? old.conditions : [];
  const stamp = rfc3339(i.now);
  const conditions = nodeConditions(i).map((c) => {
    const prev = oldConditions.find((x) => x?.type === c.type);
    return {
      type: c.type, status: c.status, lastHeartbeatTime: stamp,
      lastTransitionTime: prev?.status === c.status && prev.lastTransitionTime ? prev.lastTransitionTime : stamp,
      reason: c.reason, message: c.message,
    };
  });
  const { capacity, allocatable } = nodeCapacity(i);
  const m = i.machine;
  return {
    ...old,
    capacity,
    allocatable,
    conditions,
    addresses: [{ type: 'InternalIP', address: i.nodeIP }, { type: 'Hostname', address: nodeName }],
    daemonEndpoints: { kubeletEndpoint: { Port: i.kubeletPort } },
    nodeInfo: {
      machineID: m.machineID, systemUUID: m.systemUUID, bootID: m.bootID, kernelVersion: m.kernelVersion, osImage: m.osImage,
      containerRuntimeVersion: i.containerRuntimeVersion, kubeletVersion: K8TS_CLIENT_VERSION, kubeProxyVersion: K8TS_CLIENT_VERSION,
      operatingSystem: 'linux', architecture: m.architecture,
    },
  };
}

/** Whether the new status says something the old did not (heartbeat times aside). */
export function nodeStatusChanged(oldStatus: Obj | undefined, next: Obj): boolean {
  const strip = (s: Obj | undefined) => {
    if (!s) return {};
    const conditions = (Array.isArray(s.conditions) ? s.conditions : []).map((c: Obj) => {
      const { lastHeartbeatTime: _h, ...rest } = c ?? {};
      return rest;
    });
    return { ...s, conditions };
  };
  return !semanticEqual(strip(oldStatus), strip(next));
}

/** The node's images for status.images (the scheduler's ImageLocality reads them). */
export function nodeImages(images: Array<{ repoTags: string[]; repoDigests: string[]; size: bigint }>, max = 50): Obj[] {
  return [...images]
    .sort((a, b) => Number(b.size - a.size))
    .slice(0, max)
    .map((img) => ({ names: [...img.repoDigests, ...img.repoTags], sizeBytes: Number(img.size) }))
    .filter((img) => img.names.length > 0);
}

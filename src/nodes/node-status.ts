// What a simulated kubelet registers and posts for its Node: labels, capacity, the four conditions
// with the kubelet's reasons and messages, addresses, daemon endpoints and node info. Conditions keep
// their lastTransitionTime while their status stays the same, as the kubelet's setters do.
import { createHash } from 'node:crypto';
import type { KObject } from '../apimachinery/types.ts';
import { K8TS_CLIENT_VERSION } from '../client/user-agent.ts';
import { semanticEqual } from './semantic-equal.ts';
import { SIMULATED_NODE_LABEL } from './simulation-annotations.ts';

type Obj = Record<string, any>;

export interface NodeCapacity {
  cpu: string;
  memory: string;
  pods: string;
  ephemeralStorage: string;
}

export const DEFAULT_NODE_CAPACITY: NodeCapacity = { cpu: '4', memory: '16Gi', pods: '110', ephemeralStorage: '100Gi' };

/** The kubelet's healthy conditions (pkg/kubelet/nodestatus setters). */
const HEALTHY_CONDITIONS = [
  { type: 'MemoryPressure', status: 'False', reason: 'KubeletHasSufficientMemory', message: 'kubelet has sufficient memory available' },
  { type: 'DiskPressure', status: 'False', reason: 'KubeletHasNoDiskPressure', message: 'kubelet has no disk pressure' },
  { type: 'PIDPressure', status: 'False', reason: 'KubeletHasSufficientPID', message: 'kubelet has sufficient PID available' },
  { type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status' },
] as const;

export function rfc3339(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** metav1.MicroTime, as Leases carry it. */
export function microTime(ms: number): string {
  return new Date(ms).toISOString().replace(/Z$/, '000Z');
}

function capacityOf(c: NodeCapacity): Record<string, string> {
  return { cpu: c.cpu, 'ephemeral-storage': c.ephemeralStorage, 'hugepages-1Gi': '0', 'hugepages-2Mi': '0', memory: c.memory, pods: c.pods };
}

function hexId(seed: string, len = 32): string {
  return createHash('sha256').update(seed).digest('hex').slice(0, len);
}

/** A new Node as `--simulated-nodes` registers it (the kubelet's initialNode plus our marker label). */
export function newSimulatedNode(name: string, podCIDR: string, internalIP: string, capacity: NodeCapacity, now: number): KObject {
  const node: KObject = {
    apiVersion: 'v1', kind: 'Node',
    metadata: {
      name,
      labels: {
        'beta.kubernetes.io/arch': 'amd64', 'beta.kubernetes.io/os': 'linux',
        'kubernetes.io/arch': 'amd64', 'kubernetes.io/hostname': name, 'kubernetes.io/os': 'linux',
        'node.kubernetes.io/instance-type': 'simulated', [SIMULATED_NODE_LABEL]: 'true',
      },
      annotations: { 'node.alpha.kubernetes.io/ttl': '0', 'volumes.kubernetes.io/controller-managed-attach-detach': 'true' },
    },
    spec: { podCIDR, podCIDRs: [podCIDR] },
  };
  node.status = desiredNodeStatus(node, internalIP, capacity, now, 0).status;
  return node;
}

/**
 * The status the simulated kubelet posts: capacity the node already declares is kept (a user may
 * apply a Node with its own), the rest is filled in. `changed` is false when only heartbeat times
 * would differ and the last heartbeat is younger than reportEveryMs (nodeStatusReportFrequency).
 */
export function desiredNodeStatus(node: KObject, internalIP: string, capacity: NodeCapacity, now: number, reportEveryMs: number): { status: Obj; changed: boolean } {
  const old: Obj = (node.status as Obj) ?? {};
  const name = node.metadata.name!;
  const oldConditions: Obj[] = Array.isArray(old.conditions) ? old.conditions : [];
  const stamp = rfc3339(now);
  let changed = false;
  const conditions = HEALTHY_CONDITIONS.map((c) => {
    const prev = oldConditions.find((x) => x?.type === c.type);
    const same = prev?.status === c.status && prev?.reason === c.reason && prev?.message === c.message;
    if (!same) changed = true;
    return {
      type: c.type, status: c.status,
      lastHeartbeatTime: stamp,
      lastTransitionTime: prev?.status === c.status && prev.lastTransitionTime ? prev.lastTransitionTime : stamp,
      reason: c.reason, message: c.message,
    };
  });
  const lastBeat = Math.max(0, ...oldConditions.map((c) => Date.parse(c?.lastHeartbeatTime ?? '') || 0));
  if (now - lastBeat >= reportEveryMs) changed = true;

  const cap = old.capacity && Object.keys(old.capacity).length > 0 ? old.capacity : capacityOf(capacity);
  const addresses = Array.isArray(old.addresses) && old.addresses.length > 0 ? old.addresses
    : [{ type: 'InternalIP', address: internalIP }, { type: 'Hostname', address: name }];
  const uid = node.metadata.uid ?? name;
  const status: Obj = {
    ...old,
    capacity: cap,
    allocatable: old.allocatable && Object.keys(old.allocatable).length > 0 ? old.allocatable : { ...cap },
    conditions,
    addresses,
    daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
    nodeInfo: {
      machineID: hexId(`machine/${name}`), systemUUID: hexId(`system/${name}`).replace(/^(.{8})(.{4})(.{4})(.{4})(.{12})$/, '$1-$2-$3-$4-$5'),
      bootID: hexId(`boot/${uid}`).replace(/^(.{8})(.{4})(.{4})(.{4})(.{12})$/, '$1-$2-$3-$4-$5'),
      kernelVersion: '', osImage: 'k8ts simulated node', containerRuntimeVersion: 'simulated://0.1.0',
      kubeletVersion: K8TS_CLIENT_VERSION, kubeProxyVersion: K8TS_CLIENT_VERSION, operatingSystem: 'linux', architecture: 'amd64',
    },
  };
  if (!changed) {
    for (const k of ['capacity', 'allocatable', 'addresses', 'daemonEndpoints', 'nodeInfo']) {
      if (!semanticEqual(old[k], status[k])) { changed = true; break; }
    }
  }
  return { status, changed };
}

export function internalIPOf(node: KObject): string | undefined {
  const addrs: Obj[] = Array.isArray((node.status as Obj)?.addresses) ? (node.status as Obj).addresses : [];
  return addrs.find((a) => a?.type === 'InternalIP')?.address;
}

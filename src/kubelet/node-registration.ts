// Registering the Node (kubelet_node_status.go's initialNode and tryRegisterWithAPIServer): create
// it with the kubelet's default labels and annotations; when it exists already (a kubelet restart,
// or a Node applied ahead), adopt it and put back default labels that went missing. Retries with a
// growing delay until the API answers.
import type { KObject } from '../apimachinery/types.ts';
import { isAlreadyExists } from '../client/api-error.ts';
import { sleep, type Clock } from '../client/clock.ts';
import type { KubeClient } from '../client/kube-client.ts';
import { GVR } from '../client/resources.ts';
import type { MachineInfo } from './machine-info.ts';

type Obj = Record<string, any>;

export interface InitialNodeOptions {
  nodeName: string;
  machine: MachineInfo;
  /** --pod-cidr: written to spec.podCIDR of a new Node (else the controller manager allocates one). */
  podCIDR?: string;
  /** --node-labels. */
  labels?: Record<string, string>;
  /** --register-with-taints. */
  taints?: Obj[];
}

export function defaultNodeLabels(nodeName: string, architecture: string): Record<string, string> {
  return {
    'beta.kubernetes.io/arch': architecture,
    'beta.kubernetes.io/os': 'linux',
    'kubernetes.io/arch': architecture,
    'kubernetes.io/hostname': nodeName,
    'kubernetes.io/os': 'linux',
  };
}

export function initialNode(o: InitialNodeOptions): KObject {
  const spec: Obj = {};
  if (o.podCIDR) {
    spec.podCIDR = o.podCIDR;
    spec.podCIDRs = [o.podCIDR];
  }
  if (o.taints?.length) spec.taints = o.taints;
  return {
    apiVersion: 'v1', kind: 'Node',
    metadata: {
      name: o.nodeName,
      labels: { ...defaultNodeLabels(o.nodeName, o.machine.architecture), ...(o.labels ?? {}) },
      annotations: { 'node.alpha.kubernetes.io/ttl': '0', 'volumes.kubernetes.io/controller-managed-attach-detach': 'true' },
    },
    spec,
  };
}

/** Creates the Node, or adopts the existing one; resolves with the Node as the API has it. */
export async function registerWithAPIServer(client: KubeClient, node: KObject, clock: Clock, log: (m: string) => void, signal?: AbortSignal): Promise<KObject> {
  const nodes = client.resource(GVR.nodes);
  let delay = 100;
  for (;;) {
    try {
      try {
        const created = await nodes.create(node);
        log(`Successfully registered node ${node.metadata.name}`);
        return created;
      } catch (err) {
        if (!isAlreadyExists(err)) throw err;
      }
      const existing = await nodes.get(node.metadata.name!);
      const labels: Record<string, string> = { ...(existing.metadata.labels ?? {}) };
      const missing = Object.entries(node.metadata.labels ?? {}).filter(([k, v]) => k.startsWith('kubernetes.io/') || k.startsWith('beta.kubernetes.io/') ? labels[k] !== v : false);
      if (missing.length === 0) return existing;
      for (const [k, v] of missing) labels[k] = v;
      return await nodes.patch(node.metadata.name!, { metadata: { labels } }, 'merge');
    } catch (err) {
      if (signal?.aborted) throw err;
      log(`Unable to register node ${node.metadata.name} with API server: ${(err as Error).message}`);
      await sleep(clock, delay, signal);
      delay = Math.min(delay * 2, 7000);
    }
  }
}

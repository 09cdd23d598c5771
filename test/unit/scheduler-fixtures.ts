// Pods, nodes and a handle for the scheduler's unit tests (plain objects, as the API returns them).
import { CycleState, Framework, type Handle, type Profile } from '../../src/scheduler/framework.ts';
import { NodeInfo, newPodInfo, type PodInfo } from '../../src/scheduler/node-info.ts';
import type { Node, Pod, PodSpec } from '../../src/scheduler/types.ts';

export function mkNode(name: string, o: { labels?: Record<string, string>; cpu?: string; memory?: string; pods?: string; taints?: Node['spec'] extends infer S ? S extends { taints?: infer T } ? T : never : never; unschedulable?: boolean } = {}): Node {
  const alloc = { cpu: o.cpu ?? '4', memory: o.memory ?? '8Gi', pods: o.pods ?? '110' };
  return {
    metadata: { name, labels: { 'kubernetes.io/hostname': name, ...(o.labels ?? {}) } },
    spec: { taints: o.taints ?? undefined, unschedulable: o.unschedulable },
    status: { capacity: alloc, allocatable: alloc },
  };
}

export function mkPod(name: string, o: { ns?: string; labels?: Record<string, string>; cpu?: string; memory?: string; priority?: number; spec?: Partial<PodSpec>; node?: string } = {}): Pod {
  const requests: Record<string, string> = {};
  if (o.cpu) requests.cpu = o.cpu;
  if (o.memory) requests.memory = o.memory;
  return {
    metadata: { name, namespace: o.ns ?? 'default', uid: `uid-${name}`, labels: o.labels ?? {} },
    spec: {
      containers: [{ name: 'c', image: 'nginx', resources: { requests } }],
      priority: o.priority ?? 0,
      ...(o.node ? { nodeName: o.node } : {}),
      ...(o.spec ?? {}),
    },
  };
}

/** NodeInfos from nodes and the pods placed on them (by spec.nodeName). */
export function cluster(nodes: Node[], pods: Pod[] = []): { handle: Handle; infos: NodeInfo[] } {
  const infos = nodes.map((n) => new NodeInfo(n));
  for (const p of pods) infos.find((i) => i.name === p.spec.nodeName)!.addPod(newPodInfo(p));
  const handle: Handle = {
    nodeInfos: () => infos,
    getNodeInfo: (n) => infos.find((i) => i.name === n),
    namespaceLabels: () => undefined,
  };
  return { handle, infos };
}

/** Filter verdicts per node for a pod through a profile: reasons joined, '' for a fit. */
export function filterAll(profile: Profile, handle: Handle, pod: PodInfo): Record<string, string> {
  const fwk = new Framework(profile, handle);
  const state = new CycleState();
  fwk.runPreFilter(state, pod);
  const out: Record<string, string> = {};
  for (const n of handle.nodeInfos()) out[n.name] = fwk.runFilter(state, pod, n)?.reasons.join(', ') ?? '';
  return out;
}

export { newPodInfo };

// Admission of a pod bound to this node (lifecycle's predicate admit handler running the
// scheduler's GeneralPredicates): room for one more pod, cpu/memory/ephemeral-storage requests
// within allocatable minus the admitted pods' requests, node selector/affinity, free host ports.
// A rejected pod gets phase Failed with reason OutOfcpu/OutOfpods/NodeAffinity/… and upstream's
// message, and its containers never start.
import type { KObject } from '../apimachinery/types.ts';
import { NodeInfo, newPodInfo } from '../scheduler/node-info.ts';
import { podMatchesNodeSelectorAndAffinity } from '../scheduler/node-selector.ts';
import { ERR_REASON_NODE_AFFINITY } from '../scheduler/plugins/node-affinity.ts';
import { ERR_REASON_NODE_NAME } from '../scheduler/plugins/node-name.ts';
import { ERR_REASON_NODE_PORTS } from '../scheduler/plugins/node-ports.ts';
import type { Node, Pod } from '../scheduler/types.ts';

export interface AdmitResult {
  admit: boolean;
  reason?: string;
  message?: string;
}

function insufficient(resource: string, requested: number, used: number, capacity: number): AdmitResult {
  return {
    admit: false, reason: `OutOf${resource}`,
    message: `Node didn't have enough resource: ${resource}, requested: ${requested}, used: ${used}, capacity: ${capacity}`,
  };
}

function predicateFailed(name: string, desc: string): AdmitResult {
  return { admit: false, reason: name, message: `Predicate ${name} failed: ${desc}` };
}

/** canAdmitPod: `others` are the pods already admitted and not terminated on this node. */
export function canAdmitPod(pod: KObject, node: KObject, others: readonly KObject[]): AdmitResult {
  const info = new NodeInfo(node as Node);
  for (const p of others) info.addPod(newPodInfo(p as Pod));
  const pi = newPodInfo(pod as Pod);
  const alloc = info.allocatable;
  const used = info.requested;
  const req = pi.requests;

  if (info.pods.size + 1 > alloc.allowedPodNumber) return insufficient('pods', 1, info.pods.size, alloc.allowedPodNumber);
  if (req.milliCPU > 0 && req.milliCPU > alloc.milliCPU - used.milliCPU) return insufficient('cpu', req.milliCPU, used.milliCPU, alloc.milliCPU);
  if (req.memory > 0 && req.memory > alloc.memory - used.memory) return insufficient('memory', req.memory, used.memory, alloc.memory);
  if (req.ephemeralStorage > 0 && req.ephemeralStorage > alloc.ephemeralStorage - used.ephemeralStorage) {
    return insufficient('ephemeral-storage', req.ephemeralStorage, used.ephemeralStorage, alloc.ephemeralStorage);
  }
  for (const [name, q] of req.scalar) {
    const have = alloc.scalar.get(name) ?? 0;
    const u = used.scalar.get(name) ?? 0;
    if (q > 0 && q > have - u) return insufficient(name, q, u, have);
  }
  const spec = (pod.spec ?? {}) as Pod['spec'] & { nodeName?: string };
  if (spec?.nodeName && spec.nodeName !== node.metadata.name) return predicateFailed('NodeName', ERR_REASON_NODE_NAME);
  if (!podMatchesNodeSelectorAndAffinity(spec ?? {}, node as Node)) return predicateFailed('NodeAffinity', ERR_REASON_NODE_AFFINITY);
  for (const p of pi.hostPorts) if (info.usedPorts.conflicts(p)) return predicateFailed('NodePorts', ERR_REASON_NODE_PORTS);
  return { admit: true };
}

// Which nodes a DaemonSet runs on (NodeShouldRunDaemonPod): the node must match the template's
// nodeName, nodeSelector and required node affinity, and the daemon pod (with its default
// tolerations) must tolerate the node's NoSchedule and NoExecute taints. A pod already running may
// stay on a node whose only untolerated taints are NoSchedule.
import { deepCopy } from '../../apimachinery/types.ts';
import { podMatchesNodeSelectorAndAffinity } from '../../scheduler/node-selector.ts';
import { findUntoleratedTaint } from '../../scheduler/tolerations.ts';
import type { Node, Taint } from '../../scheduler/types.ts';
import { addOrUpdateDaemonPodTolerations, type DaemonSet } from './daemon-pod.ts';

type Obj = Record<string, any>;

export interface NodeVerdict {
  /** A daemon pod should be created on the node. */
  shouldRun: boolean;
  /** A daemon pod already there may stay. */
  shouldContinueRunning: boolean;
}

export function nodeShouldRunDaemonPod(node: Node, ds: DaemonSet): NodeVerdict {
  const spec: Obj = deepCopy(ds.spec.template?.spec ?? {});
  addOrUpdateDaemonPodTolerations(spec);
  const name = node.metadata.name;
  if (spec.nodeName && spec.nodeName !== name) return { shouldRun: false, shouldContinueRunning: false };
  if (!podMatchesNodeSelectorAndAffinity(spec, node)) return { shouldRun: false, shouldContinueRunning: false };
  const taints = ((node.spec as Obj | undefined)?.taints ?? []) as Taint[];
  const blocking = findUntoleratedTaint(taints, spec.tolerations, (t) => t.effect === 'NoSchedule' || t.effect === 'NoExecute');
  if (!blocking) return { shouldRun: true, shouldContinueRunning: true };
  const evicting = findUntoleratedTaint(taints, spec.tolerations, (t) => t.effect === 'NoExecute');
  return { shouldRun: false, shouldContinueRunning: !evicting };
}

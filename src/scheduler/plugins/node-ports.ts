// NodePorts: the pod's host ports must be free on the node (0.0.0.0 clashes with every address).
import type { FilterPlugin } from '../framework.ts';
import { unschedulable } from '../status.ts';

export const ERR_REASON_NODE_PORTS = "node(s) didn't have free ports for the requested pod ports";

export const nodePorts: FilterPlugin = {
  name: 'NodePorts',
  filter(_state, pod, node) {
    for (const p of pod.hostPorts) if (node.usedPorts.conflicts(p)) return unschedulable(ERR_REASON_NODE_PORTS);
    return undefined;
  },
};

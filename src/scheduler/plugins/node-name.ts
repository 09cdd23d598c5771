// NodeName: a pod naming a node in spec.nodeName fits only that node.
import type { FilterPlugin } from '../framework.ts';
import { unresolvable } from '../status.ts';

export const ERR_REASON_NODE_NAME = "node(s) didn't match the requested node name";

export const nodeName: FilterPlugin = {
  name: 'NodeName',
  filter(_state, pod, node) {
    const want = pod.pod.spec.nodeName;
    if (!want || want === node.name) return undefined;
    return unresolvable(ERR_REASON_NODE_NAME);
  },
};

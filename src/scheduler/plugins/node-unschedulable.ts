// NodeUnschedulable: a cordoned node (spec.unschedulable) takes only pods tolerating the
// node.kubernetes.io/unschedulable:NoSchedule taint.
import type { FilterPlugin } from '../framework.ts';
import { unresolvable } from '../status.ts';
import { tolerationsTolerateTaint } from '../tolerations.ts';

export const ERR_REASON_UNSCHEDULABLE = 'node(s) were unschedulable';
const UNSCHEDULABLE_TAINT = { key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' };

export const nodeUnschedulable: FilterPlugin = {
  name: 'NodeUnschedulable',
  filter(_state, pod, node) {
    if (!node.node?.spec?.unschedulable) return undefined;
    if (tolerationsTolerateTaint(pod.pod.spec.tolerations, UNSCHEDULABLE_TAINT)) return undefined;
    return unresolvable(ERR_REASON_UNSCHEDULABLE);
  },
};

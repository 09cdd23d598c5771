// The node lifecycle controller's verdicts as pure functions: a node whose kubelet has not renewed
// its Lease (or posted status) within the grace period gets its conditions set to Unknown with the
// controller's reasons, and a node whose Ready condition is False or Unknown carries the not-ready /
// unreachable taints with both effects (NoSchedule for the scheduler, NoExecute for eviction).
import type { KObject } from '../../apimachinery/types.ts';
import { TAINT_NODE_NOT_READY, TAINT_NODE_UNREACHABLE, sameTaint, taintsOf, type Taint } from './taints.ts';

type Obj = Record<string, any>;

const MONITORED_CONDITIONS = ['Ready', 'MemoryPressure', 'DiskPressure', 'PIDPressure'];

export function rfc3339(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function readyCondition(node: KObject): Obj | undefined {
  const conditions: Obj[] = Array.isArray((node.status as Obj)?.conditions) ? (node.status as Obj).conditions : [];
  return conditions.find((c) => c?.type === 'Ready');
}

/** The conditions after the kubelet went silent; undefined when they already say Unknown. */
export function unknownConditions(node: KObject, now: number): Obj[] | undefined {
  const conditions: Obj[] = Array.isArray((node.status as Obj)?.conditions) ? (node.status as Obj).conditions.map((c: Obj) => ({ ...c })) : [];
  let changed = false;
  for (const type of MONITORED_CONDITIONS) {
    const c = conditions.find((x) => x.type === type);
    if (!c) {
      conditions.push({
        type, status: 'Unknown', reason: 'NodeStatusNeverUpdated', message: 'Kubelet never posted node status.',
        lastHeartbeatTime: node.metadata.creationTimestamp, lastTransitionTime: rfc3339(now),
      });
      changed = true;
    } else if (c.status !== 'Unknown') {
      Object.assign(c, { status: 'Unknown', reason: 'NodeStatusUnknown', message: 'Kubelet stopped posting node status.', lastTransitionTime: rfc3339(now) });
      changed = true;
    }
  }
  return changed ? conditions : undefined;
}

/** The node's taints with the not-ready/unreachable ones matching its Ready condition; undefined when unchanged. */
export function reconcileReadinessTaints(node: KObject, now: number): Taint[] | undefined {
  const ready = readyCondition(node)?.status;
  const key = ready === 'False' ? TAINT_NODE_NOT_READY : ready === 'Unknown' ? TAINT_NODE_UNREACHABLE : undefined;
  const wanted: Taint[] = key
    ? [{ key, effect: 'NoSchedule' }, { key, effect: 'NoExecute', timeAdded: rfc3339(now) }]
    : [];
  const current = taintsOf(node);
  const managed = (t: Taint) => (t.key === TAINT_NODE_NOT_READY || t.key === TAINT_NODE_UNREACHABLE) && (t.effect === 'NoSchedule' || t.effect === 'NoExecute');
  const kept = current.filter((t) => !managed(t) || wanted.some((w) => sameTaint(w, t)));
  const added = wanted.filter((w) => !current.some((t) => sameTaint(w, t)));
  if (added.length === 0 && kept.length === current.length) return undefined;
  return [...kept, ...added];
}

// DefaultPreemption (PostFilter): when no node fits, find nodes where removing lower-priority pods
// would let the pod fit, keep as many of those pods as possible (most important first), and pick the
// node whose victims matter least. The scheduler then evicts the victims and nominates the node.
// PodDisruptionBudgets are not consulted (every victim counts as non-violating).
import { CycleState, type Framework } from './framework.ts';
import { fitErrorMessage } from './fit-error.ts';
import type { NodeInfo, PodInfo } from './node-info.ts';
import { errorStatus, isSuccess, unresolvable, type Status } from './status.ts';
import type { Pod } from './types.ts';

export const MSG_NOT_HELPFUL = 'Preemption is not helpful for scheduling';
export const MSG_NO_VICTIMS = 'No preemption victims found for incoming pod';
export const MSG_POLICY_NEVER = 'not eligible due to preemptionPolicy=Never.';
export const MSG_TERMINATING_ON_NOMINATED = 'not eligible due to a terminating pod on the nominated node.';

export interface PreemptionResult {
  /** The node made room on (to become the pod's nominatedNodeName). */
  nominatedNode?: string;
  /** Why preemption did not help (becomes "preemption: <message>" in the FitError). */
  message?: string;
  victims: PodInfo[];
}

export type Nominated = (node: string) => readonly PodInfo[];

/** The victim was deleted by an earlier preemption and is still terminating. */
export function terminatingByPreemption(pod: Pod): boolean {
  return !!pod.metadata.deletionTimestamp && (pod.status?.conditions ?? []).some(
    (c) => c.type === 'DisruptionTarget' && c.status === 'True' && c.reason === 'PreemptionByScheduler');
}

function startTime(p: Pod): number {
  const t = p.status?.startTime;
  return t ? Date.parse(t) : Date.now();
}

/** util.MoreImportantPod: higher priority, then the one started earlier. */
export function moreImportant(a: PodInfo, b: PodInfo): boolean {
  if (a.priority !== b.priority) return a.priority > b.priority;
  return startTime(a.pod) < startTime(b.pod);
}

export function eligibleToPreempt(pod: PodInfo, nodeToStatus: Map<string, Status>, getNode: (n: string) => NodeInfo | undefined): string | undefined {
  if (pod.pod.spec.preemptionPolicy === 'Never') return MSG_POLICY_NEVER;
  const nom = pod.pod.status?.nominatedNodeName;
  if (nom) {
    if (nodeToStatus.get(nom)?.code === 'UnschedulableAndUnresolvable') return undefined;
    const ni = getNode(nom);
    for (const p of ni?.pods.values() ?? []) {
      if (p.priority < pod.priority && terminatingByPreemption(p.pod)) return MSG_TERMINATING_ON_NOMINATED;
    }
  }
  return undefined;
}

interface Candidate { node: string; victims: PodInfo[] }

function selectVictimsOnNode(fwk: Framework, state: CycleState, pod: PodInfo, node: NodeInfo, nominated: Nominated): { victims?: PodInfo[]; status?: Status } {
  const potential = [...node.pods.values()].filter((p) => p.priority < pod.priority);
  if (potential.length === 0) return { status: unresolvable(MSG_NO_VICTIMS) };
  for (const p of potential) fwk.removePod(state, pod, p, node);
  const noms = nominated(node.name);
  const st = fwk.runFilterWithNominatedPods(state, pod, node, noms);
  if (!isSuccess(st)) return { status: st };
  potential.sort((a, b) => (moreImportant(a, b) ? -1 : moreImportant(b, a) ? 1 : 0));
  const victims: PodInfo[] = [];
  for (const p of potential) {
    fwk.addPod(state, pod, p, node);
    if (!isSuccess(fwk.runFilterWithNominatedPods(state, pod, node, noms))) {
      fwk.removePod(state, pod, p, node);
      victims.push(p);
    }
  }
  return { victims };
}

/** pickOneNodeForPreemption, without the PDB criterion. */
export function pickCandidate(candidates: Candidate[]): Candidate | undefined {
  const highest = (c: Candidate) => Math.max(...c.victims.map((v) => v.priority));
  const criteria: ((c: Candidate) => number)[] = [
    highest,
    (c) => c.victims.reduce((s, v) => s + v.priority + 2 ** 31, 0),
    (c) => c.victims.length,
    // The latest "earliest start" among the highest-priority victims wins: negate to minimise.
    (c) => {
      const top = highest(c);
      return -Math.min(...c.victims.filter((v) => v.priority === top).map((v) => startTime(v.pod)));
    },
  ];
  let pool = candidates;
  for (const f of criteria) {
    if (pool.length <= 1) break;
    const best = Math.min(...pool.map(f));
    pool = pool.filter((c) => f(c) === best);
  }
  return pool[0];
}

export function preempt(
  fwk: Framework, state: CycleState, pod: PodInfo, nodeToStatus: Map<string, Status>, nominated: Nominated,
): PreemptionResult {
  const notEligible = eligibleToPreempt(pod, nodeToStatus, (n) => fwk.handle.getNodeInfo(n));
  if (notEligible) return { message: notEligible, victims: [] };

  const statuses = new Map<string, Status>();
  const potential: NodeInfo[] = [];
  for (const node of fwk.handle.nodeInfos()) {
    if (nodeToStatus.get(node.name)?.code === 'UnschedulableAndUnresolvable') statuses.set(node.name, unresolvable(MSG_NOT_HELPFUL));
    else potential.push(node);
  }
  const candidates: Candidate[] = [];
  for (const node of potential) {
    const r = selectVictimsOnNode(fwk, state.clone(), pod, node.clone(), nominated);
    if (r.victims?.length) candidates.push({ node: node.name, victims: r.victims });
    else statuses.set(node.name, r.status ?? errorStatus(`expected at least one victim pod on node "${node.name}"`));
  }
  const best = pickCandidate(candidates);
  if (!best) return { message: fitErrorMessage(statuses.size, { nodeToStatus: statuses }), victims: [] };
  return { nominatedNode: best.node, victims: best.victims };
}

export { CycleState };

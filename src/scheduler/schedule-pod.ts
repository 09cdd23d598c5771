// One scheduling decision (upstream's schedulePod): PreFilter, the pod's nominated node first, Filter
// over the nodes (all of them in clusters under 100 nodes, an adaptive share above), Score, and the
// highest total wins (ties broken at random). Synchronous: it reads the cache as it is right now.
import { CycleState, type Framework } from './framework.ts';
import type { Diagnosis } from './fit-error.ts';
import type { NodeInfo, PodInfo } from './node-info.ts';
import type { Nominated } from './preemption.ts';
import { isSuccess, statusMessage, type Status } from './status.ts';

export type ScheduleResult =
  | { kind: 'scheduled'; node: string; evaluated: number; feasible: number; state: CycleState }
  | { kind: 'noNodes' }
  | { kind: 'unschedulable'; numAllNodes: number; diagnosis: Diagnosis; state: CycleState };

const MIN_FEASIBLE_NODES_TO_FIND = 100;
const MIN_FEASIBLE_NODES_PERCENTAGE = 5;

/** numFeasibleNodesToFind: every node below 100; above, 50% shrinking by 1% per 125 nodes (≥ 5%, ≥ 100). */
export function numFeasibleNodesToFind(numAllNodes: number): number {
  if (numAllNodes < MIN_FEASIBLE_NODES_TO_FIND) return numAllNodes;
  const pct = Math.max(MIN_FEASIBLE_NODES_PERCENTAGE, 50 - Math.trunc(numAllNodes / 125));
  return Math.max(MIN_FEASIBLE_NODES_TO_FIND, Math.trunc((numAllNodes * pct) / 100));
}

export class PodScheduler {
  /** Where the next search starts, so large clusters are searched round-robin. */
  private nextStartNodeIndex = 0;

  constructor(private readonly fwk: Framework, private readonly random: () => number = Math.random) {}

  schedule(pod: PodInfo, nominated: Nominated): ScheduleResult {
    const nodes = this.fwk.handle.nodeInfos();
    if (nodes.length === 0) return { kind: 'noNodes' };
    const state = new CycleState();
    const pre = this.fwk.runPreFilter(state, pod);
    if (pre) {
      const nodeToStatus = new Map(nodes.map((n) => [n.name, pre] as const));
      return { kind: 'unschedulable', numAllNodes: nodes.length, diagnosis: { nodeToStatus, preFilterMsg: statusMessage(pre) }, state };
    }

    // A pod that preempted gets its nominated node if it now fits there.
    const nom = pod.pod.status?.nominatedNodeName;
    if (nom) {
      const ni = this.fwk.handle.getNodeInfo(nom);
      if (ni && isSuccess(this.fwk.runFilterWithNominatedPods(state, pod, ni, nominated(nom)))) {
        return { kind: 'scheduled', node: nom, evaluated: 1, feasible: 1, state };
      }
    }

    const want = numFeasibleNodesToFind(nodes.length);
    const feasible: NodeInfo[] = [];
    const nodeToStatus = new Map<string, Status>();
    let evaluated = 0;
    for (let i = 0; i < nodes.length && feasible.length < want; i++) {
      const node = nodes[(this.nextStartNodeIndex + i) % nodes.length]!;
      evaluated++;
      const st = this.fwk.runFilterWithNominatedPods(state, pod, node, nominated(node.name));
      if (isSuccess(st)) feasible.push(node);
      else nodeToStatus.set(node.name, st!);
    }
    this.nextStartNodeIndex = (this.nextStartNodeIndex + evaluated) % nodes.length;
    if (feasible.length === 0) return { kind: 'unschedulable', numAllNodes: nodes.length, diagnosis: { nodeToStatus }, state };
    if (feasible.length === 1) return { kind: 'scheduled', node: feasible[0]!.name, evaluated, feasible: 1, state };

    const totals = this.fwk.runScore(state, pod, feasible);
    return { kind: 'scheduled', node: this.selectHost(feasible, totals), evaluated, feasible: feasible.length, state };
  }

  /** The highest score; among equals, each is equally likely (reservoir sampling). */
  private selectHost(nodes: readonly NodeInfo[], totals: readonly number[]): string {
    let best = 0;
    let ties = 1;
    for (let i = 1; i < nodes.length; i++) {
      if (totals[i]! > totals[best]!) {
        best = i;
        ties = 1;
      } else if (totals[i] === totals[best]) {
        ties++;
        if (this.random() * ties < 1) best = i;
      }
    }
    return nodes[best]!.name;
  }
}

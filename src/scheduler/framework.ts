// The scheduling framework: plugins at the PreFilter, Filter, PreScore and Score extension points,
// a per-cycle state, and the runners that apply them to a pod and the nodes. Filters run in the
// configured order and stop at the first rejection for a node, as upstream's RunFilterPlugins.
import type { NamespaceLabels } from './affinity-term.ts';
import type { NodeInfo, PodInfo } from './node-info.ts';
import { isSuccess, type Status } from './status.ts';

/** Plugin data for one scheduling cycle; preemption clones it to try removing pods. */
export interface StateData { clone(): StateData }

export class CycleState {
  private readonly data = new Map<string, StateData>();

  read<T extends StateData>(key: string): T | undefined { return this.data.get(key) as T | undefined; }
  write(key: string, value: StateData): void { this.data.set(key, value); }

  clone(): CycleState {
    const c = new CycleState();
    for (const [k, v] of this.data) c.data.set(k, v.clone());
    return c;
  }
}

/** What plugins may read beyond the pod and node at hand (upstream's framework.Handle). */
export interface Handle {
  /** Every node the scheduler knows, in a stable order. */
  nodeInfos(): readonly NodeInfo[];
  getNodeInfo(name: string): NodeInfo | undefined;
  namespaceLabels: NamespaceLabels;
}

export interface Plugin { readonly name: string }

export interface PreFilterPlugin extends Plugin {
  /** Computes cycle state; a rejection here rejects the pod on every node. */
  preFilter(state: CycleState, pod: PodInfo, h: Handle): Status | undefined;
  /** Keep the state right when preemption adds or removes a pod on a node (PreFilterExtensions). */
  addPod?(state: CycleState, pod: PodInfo, added: PodInfo, node: NodeInfo, h: Handle): void;
  removePod?(state: CycleState, pod: PodInfo, removed: PodInfo, node: NodeInfo, h: Handle): void;
}

export interface FilterPlugin extends Plugin {
  filter(state: CycleState, pod: PodInfo, node: NodeInfo, h: Handle): Status | undefined;
}

export interface PreScorePlugin extends Plugin {
  preScore(state: CycleState, pod: PodInfo, nodes: readonly NodeInfo[], h: Handle): void;
}

export const MAX_NODE_SCORE = 100;

export interface ScorePlugin extends Plugin {
  readonly weight: number;
  score(state: CycleState, pod: PodInfo, node: NodeInfo, h: Handle): number;
  /** Rescale the raw scores (one per node, same order) to 0…MAX_NODE_SCORE in place. */
  normalize?(scores: number[], state: CycleState, pod: PodInfo): void;
}

export interface Profile {
  preFilter: PreFilterPlugin[];
  filter: FilterPlugin[];
  preScore: PreScorePlugin[];
  score: ScorePlugin[];
}

export class Framework {
  constructor(readonly profile: Profile, readonly handle: Handle) {}

  runPreFilter(state: CycleState, pod: PodInfo): Status | undefined {
    for (const p of this.profile.preFilter) {
      const s = p.preFilter(state, pod, this.handle);
      if (!isSuccess(s)) return { ...s!, plugin: p.name };
    }
    return undefined;
  }

  runFilter(state: CycleState, pod: PodInfo, node: NodeInfo): Status | undefined {
    for (const p of this.profile.filter) {
      const s = p.filter(state, pod, node, this.handle);
      if (!isSuccess(s)) return { ...s!, plugin: p.name };
    }
    return undefined;
  }

  addPod(state: CycleState, pod: PodInfo, added: PodInfo, node: NodeInfo): void {
    node.addPod(added);
    for (const p of this.profile.preFilter) p.addPod?.(state, pod, added, node, this.handle);
  }

  removePod(state: CycleState, pod: PodInfo, removed: PodInfo, node: NodeInfo): void {
    node.removePod(removed.key);
    for (const p of this.profile.preFilter) p.removePod?.(state, pod, removed, node, this.handle);
  }

  /**
   * RunFilterPluginsWithNominatedPods: pods nominated to this node with at least the pod's priority
   * count as if they ran there (so the room preemption made is kept for them); the pod must fit
   * both with and without them.
   */
  runFilterWithNominatedPods(state: CycleState, pod: PodInfo, node: NodeInfo, nominated: readonly PodInfo[]): Status | undefined {
    const ahead = nominated.filter((n) => n.key !== pod.key && n.priority >= pod.priority && !node.pods.has(n.key));
    if (ahead.length > 0) {
      const s2 = state.clone();
      const n2 = node.clone();
      for (const n of ahead) this.addPod(s2, pod, n, n2);
      const st = this.runFilter(s2, pod, n2);
      if (!isSuccess(st)) return st;
    }
    return this.runFilter(state, pod, node);
  }

  /** Weighted sum of every score plugin's normalised score, per node (same order as nodes). */
  runScore(state: CycleState, pod: PodInfo, nodes: readonly NodeInfo[]): number[] {
    for (const p of this.profile.preScore) p.preScore(state, pod, nodes, this.handle);
    const totals = new Array<number>(nodes.length).fill(0);
    const scores = new Array<number>(nodes.length);
    for (const p of this.profile.score) {
      for (let i = 0; i < nodes.length; i++) scores[i] = p.score(state, pod, nodes[i]!, this.handle);
      p.normalize?.(scores, state, pod);
      for (let i = 0; i < nodes.length; i++) totals[i]! += scores[i]! * p.weight;
    }
    return totals;
  }
}

/** helper.DefaultNormalizeScore: scale to 0…max by the highest score; reverse flips it. */
export function defaultNormalizeScore(scores: number[], reverse: boolean, max = MAX_NODE_SCORE): void {
  let highest = 0;
  for (const s of scores) highest = Math.max(highest, s);
  if (highest === 0) {
    if (reverse) scores.fill(max);
    return;
  }
  for (let i = 0; i < scores.length; i++) {
    let s = Math.trunc((max * scores[i]!) / highest);
    if (reverse) s = max - s;
    scores[i] = s;
  }
}

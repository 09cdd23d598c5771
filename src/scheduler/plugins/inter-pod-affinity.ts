// InterPodAffinity: required pod affinity / anti-affinity of the incoming pod, and the required
// anti-affinity of pods already running, counted per topology pair ("zone=a") once per cycle in
// PreFilter so each node is checked in O(its labels). The score sums preferred terms both ways.
import { termMatches, type AffinityTerm, type NamespaceLabels } from '../affinity-term.ts';
import { CycleState, type FilterPlugin, type Handle, type PreFilterPlugin, type PreScorePlugin, type ScorePlugin, type StateData } from '../framework.ts';
import type { NodeInfo, PodInfo } from '../node-info.ts';
import { unresolvable, unschedulable } from '../status.ts';
import type { Pod } from '../types.ts';

export const ERR_REASON_EXISTING_ANTI_AFFINITY = "node(s) didn't satisfy existing pods anti-affinity rules";
export const ERR_REASON_AFFINITY = "node(s) didn't match pod affinity rules";
export const ERR_REASON_ANTI_AFFINITY = "node(s) didn't match pod anti-affinity rules";

const PRE_FILTER_KEY = 'PreFilterInterPodAffinity';
const PRE_SCORE_KEY = 'PreScoreInterPodAffinity';

type Counts = Map<string, number>;
const pair = (key: string, value: string) => `${key}\u0000${value}`;

function bump(counts: Counts, k: string, by: number): void {
  const n = (counts.get(k) ?? 0) + by;
  if (n === 0) counts.delete(k);
  else counts.set(k, n);
}

class PreFilterState implements StateData {
  constructor(
    readonly existingAntiAffinity: Counts,
    readonly affinity: Counts,
    readonly antiAffinity: Counts,
  ) {}
  clone(): PreFilterState { return new PreFilterState(new Map(this.existingAntiAffinity), new Map(this.affinity), new Map(this.antiAffinity)); }
}

function allTermsMatch(terms: readonly AffinityTerm[], pod: Pod, ns: NamespaceLabels): boolean {
  return terms.length > 0 && terms.every((t) => termMatches(t, pod, ns));
}

/** What one existing pod on a node adds to the counts (sign −1 removes it). */
function countPod(s: PreFilterState, pod: PodInfo, existing: PodInfo, node: NodeInfo, ns: NamespaceLabels, sign: number): void {
  const labels = node.node?.metadata.labels;
  if (!labels) return;
  for (const t of existing.requiredAntiAffinity) {
    const v = labels[t.topologyKey];
    if (v !== undefined && termMatches(t, pod.pod, ns)) bump(s.existingAntiAffinity, pair(t.topologyKey, v), sign);
  }
  if (pod.requiredAffinity.length > 0 && allTermsMatch(pod.requiredAffinity, existing.pod, ns)) {
    for (const t of pod.requiredAffinity) {
      const v = labels[t.topologyKey];
      if (v !== undefined) bump(s.affinity, pair(t.topologyKey, v), sign);
    }
  }
  for (const t of pod.requiredAntiAffinity) {
    const v = labels[t.topologyKey];
    if (v !== undefined && termMatches(t, existing.pod, ns)) bump(s.antiAffinity, pair(t.topologyKey, v), sign);
  }
}

export const interPodAffinityPreFilter: PreFilterPlugin = {
  name: 'InterPodAffinity',
  preFilter(state, pod, h) {
    const s = new PreFilterState(new Map(), new Map(), new Map());
    const ownTerms = pod.requiredAffinity.length + pod.requiredAntiAffinity.length > 0;
    for (const node of h.nodeInfos()) {
      // Only nodes with pods carrying required anti-affinity matter unless the pod has terms itself.
      if (!ownTerms && node.podsWithRequiredAntiAffinity === 0) continue;
      for (const existing of node.pods.values()) {
        if (!ownTerms && existing.requiredAntiAffinity.length === 0) continue;
        countPod(s, pod, existing, node, h.namespaceLabels, 1);
      }
    }
    state.write(PRE_FILTER_KEY, s);
    return undefined;
  },
  addPod(state, pod, added, node, h) {
    const s = state.read<PreFilterState>(PRE_FILTER_KEY);
    if (s) countPod(s, pod, added, node, h.namespaceLabels, 1);
  },
  removePod(state, pod, removed, node, h) {
    const s = state.read<PreFilterState>(PRE_FILTER_KEY);
    if (s) countPod(s, pod, removed, node, h.namespaceLabels, -1);
  },
};

export const interPodAffinityFilter: FilterPlugin = {
  name: 'InterPodAffinity',
  filter(state, pod, node, h) {
    const s = state.read<PreFilterState>(PRE_FILTER_KEY);
    if (!s) return undefined;
    const labels = node.node?.metadata.labels ?? {};
    if (pod.requiredAffinity.length > 0) {
      let podsExist = true;
      for (const t of pod.requiredAffinity) {
        const v = labels[t.topologyKey];
        if (v === undefined) return unresolvable(ERR_REASON_AFFINITY);
        if ((s.affinity.get(pair(t.topologyKey, v)) ?? 0) <= 0) podsExist = false;
      }
      // The first pod of a group with affinity to itself may go anywhere the topology exists.
      if (!podsExist && !(s.affinity.size === 0 && allTermsMatch(pod.requiredAffinity, pod.pod, h.namespaceLabels))) {
        return unresolvable(ERR_REASON_AFFINITY);
      }
    }
    for (const t of pod.requiredAntiAffinity) {
      const v = labels[t.topologyKey];
      if (v !== undefined && (s.antiAffinity.get(pair(t.topologyKey, v)) ?? 0) > 0) return unschedulable(ERR_REASON_ANTI_AFFINITY);
    }
    if (s.existingAntiAffinity.size > 0) {
      for (const [k, v] of Object.entries(labels)) {
        if ((s.existingAntiAffinity.get(pair(k, v)) ?? 0) > 0) return unschedulable(ERR_REASON_EXISTING_ANTI_AFFINITY);
      }
    }
    return undefined;
  },
};

/** HardPodAffinityWeight default: an existing pod's required affinity to the incoming pod counts 1. */
const HARD_POD_AFFINITY_WEIGHT = 1;

class PreScoreState implements StateData {
  constructor(readonly scores: Map<string, number>, readonly active: boolean) {}
  clone(): PreScoreState { return this; }
}

function addTermScores(scores: Map<string, number>, terms: readonly { weight?: number; topologyKey: string }[] & readonly AffinityTerm[],
  target: Pod, labels: Record<string, string>, ns: NamespaceLabels, sign: number, fixedWeight?: number): void {
  for (const t of terms) {
    const v = labels[t.topologyKey];
    if (v === undefined || !termMatches(t, target, ns)) continue;
    const w = fixedWeight ?? (t as { weight?: number }).weight ?? 0;
    bump(scores, pair(t.topologyKey, v), sign * w);
  }
}

export const interPodAffinityPreScore: PreScorePlugin = {
  name: 'InterPodAffinity',
  preScore(state: CycleState, pod: PodInfo, _nodes, h: Handle) {
    const hasPreferred = pod.preferredAffinity.length + pod.preferredAntiAffinity.length > 0;
    const scores = new Map<string, number>();
    let any = false;
    for (const node of h.nodeInfos()) {
      if (!hasPreferred && node.podsWithAffinity === 0) continue;
      const labels = node.node?.metadata.labels;
      if (!labels) continue;
      for (const existing of node.pods.values()) {
        any = true;
        const ns = h.namespaceLabels;
        addTermScores(scores, pod.preferredAffinity, existing.pod, labels, ns, 1);
        addTermScores(scores, pod.preferredAntiAffinity, existing.pod, labels, ns, -1);
        addTermScores(scores, existing.requiredAffinity, pod.pod, labels, ns, 1, HARD_POD_AFFINITY_WEIGHT);
        addTermScores(scores, existing.preferredAffinity, pod.pod, labels, ns, 1);
        addTermScores(scores, existing.preferredAntiAffinity, pod.pod, labels, ns, -1);
      }
    }
    state.write(PRE_SCORE_KEY, new PreScoreState(scores, any && scores.size > 0));
  },
};

export const interPodAffinityScore: ScorePlugin = {
  name: 'InterPodAffinity',
  weight: 2,
  score(state, _pod, node) {
    const s = state.read<PreScoreState>(PRE_SCORE_KEY);
    if (!s?.active) return 0;
    let total = 0;
    for (const [k, v] of Object.entries(node.node?.metadata.labels ?? {})) total += s.scores.get(pair(k, v)) ?? 0;
    return total;
  },
  normalize(scores, state) {
    const s = state.read<PreScoreState>(PRE_SCORE_KEY);
    if (!s?.active) return;
    let min = Infinity;
    let max = -Infinity;
    for (const v of scores) { min = Math.min(min, v); max = Math.max(max, v); }
    const diff = max - min;
    for (let i = 0; i < scores.length; i++) scores[i] = diff > 0 ? Math.trunc((100 * (scores[i]! - min)) / diff) : 0;
  },
};

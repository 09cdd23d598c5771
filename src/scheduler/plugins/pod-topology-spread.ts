// PodTopologySpread: for DoNotSchedule constraints, placing the pod in a domain must not make that
// domain's matching-pod count exceed the least populated domain's by more than maxSkew (the
// filter); ScheduleAnyway constraints prefer emptier domains (the score). Counts per domain are
// taken once per cycle over the nodes that pass the constraint's node-affinity/taint policies.
import { labelSelectorAsMatcher, type LabelSelectorMatcher } from '../../apimachinery/labels.ts';
import type { FilterPlugin, Handle, PreFilterPlugin, PreScorePlugin, ScorePlugin, StateData } from '../framework.ts';
import type { NodeInfo, PodInfo } from '../node-info.ts';
import { podMatchesNodeSelectorAndAffinity } from '../node-selector.ts';
import { unresolvable, unschedulable } from '../status.ts';
import { doNotScheduleTaints, findUntoleratedTaint } from '../tolerations.ts';
import type { Pod, TopologySpreadConstraint } from '../types.ts';

export const ERR_REASON_CONSTRAINTS_NOT_MATCH = "node(s) didn't match pod topology spread constraints";
export const ERR_REASON_NODE_LABEL_NOT_MATCH = `${ERR_REASON_CONSTRAINTS_NOT_MATCH} (missing required label)`;

const PRE_FILTER_KEY = 'PreFilterPodTopologySpread';
const PRE_SCORE_KEY = 'PreScorePodTopologySpread';

interface Constraint {
  maxSkew: number;
  topologyKey: string;
  minDomains: number;
  selector: LabelSelectorMatcher;
  honorNodeAffinity: boolean;
  honorTaints: boolean;
}

/** The pod's constraints of one kind, matchLabelKeys folded into the selector as upstream does. */
export function constraintsOf(pod: Pod, when: 'DoNotSchedule' | 'ScheduleAnyway'): Constraint[] {
  const out: Constraint[] = [];
  for (const c of (pod.spec.topologySpreadConstraints ?? []) as TopologySpreadConstraint[]) {
    if (c.whenUnsatisfiable !== when) continue;
    const sel = { matchLabels: { ...(c.labelSelector?.matchLabels ?? {}) }, matchExpressions: [...(c.labelSelector?.matchExpressions ?? [])] };
    for (const k of c.matchLabelKeys ?? []) {
      const v = pod.metadata.labels?.[k];
      if (v !== undefined) sel.matchExpressions.push({ key: k, operator: 'In', values: [v] });
    }
    let selector: LabelSelectorMatcher;
    try {
      selector = labelSelectorAsMatcher(c.labelSelector ? sel : null);
    } catch {
      selector = labelSelectorAsMatcher(null);
    }
    out.push({
      maxSkew: c.maxSkew, topologyKey: c.topologyKey, minDomains: c.minDomains ?? 1, selector,
      honorNodeAffinity: (c.nodeAffinityPolicy ?? 'Honor') === 'Honor',
      honorTaints: (c.nodeTaintsPolicy ?? 'Ignore') === 'Honor',
    });
  }
  return out;
}

function nodeCounts(pod: Pod, c: Constraint, node: NodeInfo): boolean {
  const n = node.node;
  if (!n) return false;
  if (c.honorNodeAffinity && !podMatchesNodeSelectorAndAffinity(pod.spec, n)) return false;
  if (c.honorTaints && findUntoleratedTaint(n.spec?.taints, pod.spec.tolerations, doNotScheduleTaints)) return false;
  return true;
}

function hasAllKeys(node: NodeInfo, cs: readonly Constraint[]): boolean {
  const labels = node.node?.metadata.labels ?? {};
  return cs.every((c) => labels[c.topologyKey] !== undefined);
}

/** Pods on the node in the pod's namespace matching the selector, not being deleted. */
function countMatching(node: NodeInfo, selector: LabelSelectorMatcher, namespace: string | undefined): number {
  let n = 0;
  for (const p of node.pods.values()) {
    if (p.pod.metadata.namespace !== namespace || p.pod.metadata.deletionTimestamp) continue;
    if (selector.matches(p.pod.metadata.labels ?? {})) n++;
  }
  return n;
}

class PreFilterState implements StateData {
  constructor(readonly constraints: Constraint[], readonly counts: Map<string, number>[]) {}
  clone(): PreFilterState { return new PreFilterState(this.constraints, this.counts.map((m) => new Map(m))); }

  minMatch(i: number): number {
    const m = this.counts[i]!;
    if (m.size < this.constraints[i]!.minDomains) return 0;
    let min = Infinity;
    for (const v of m.values()) min = Math.min(min, v);
    return min === Infinity ? 0 : min;
  }
}

function update(s: PreFilterState, pod: PodInfo, other: PodInfo, node: NodeInfo, sign: number): void {
  if (!hasAllKeys(node, s.constraints) || other.pod.metadata.namespace !== pod.pod.metadata.namespace) return;
  s.constraints.forEach((c, i) => {
    if (!nodeCounts(pod.pod, c, node) || !c.selector.matches(other.pod.metadata.labels ?? {})) return;
    const v = node.node!.metadata.labels![c.topologyKey]!;
    const m = s.counts[i]!;
    m.set(v, (m.get(v) ?? 0) + sign);
  });
}

export const podTopologySpreadPreFilter: PreFilterPlugin = {
  name: 'PodTopologySpread',
  preFilter(state, pod, h) {
    const constraints = constraintsOf(pod.pod, 'DoNotSchedule');
    if (constraints.length === 0) return undefined;
    const counts = constraints.map(() => new Map<string, number>());
    for (const node of h.nodeInfos()) {
      if (!hasAllKeys(node, constraints)) continue;
      constraints.forEach((c, i) => {
        if (!nodeCounts(pod.pod, c, node)) return;
        const v = node.node!.metadata.labels![c.topologyKey]!;
        counts[i]!.set(v, (counts[i]!.get(v) ?? 0) + countMatching(node, c.selector, pod.pod.metadata.namespace));
      });
    }
    state.write(PRE_FILTER_KEY, new PreFilterState(constraints, counts));
    return undefined;
  },
  addPod(state, pod, added, node) {
    const s = state.read<PreFilterState>(PRE_FILTER_KEY);
    if (s) update(s, pod, added, node, 1);
  },
  removePod(state, pod, removed, node) {
    const s = state.read<PreFilterState>(PRE_FILTER_KEY);
    if (s) update(s, pod, removed, node, -1);
  },
};

export const podTopologySpreadFilter: FilterPlugin = {
  name: 'PodTopologySpread',
  filter(state, pod, node) {
    const s = state.read<PreFilterState>(PRE_FILTER_KEY);
    if (!s) return undefined;
    const labels = node.node?.metadata.labels ?? {};
    for (let i = 0; i < s.constraints.length; i++) {
      const c = s.constraints[i]!;
      const v = labels[c.topologyKey];
      if (v === undefined) return unresolvable(ERR_REASON_NODE_LABEL_NOT_MATCH);
      const self = c.selector.matches(pod.pod.metadata.labels ?? {}) ? 1 : 0;
      const skew = (s.counts[i]!.get(v) ?? 0) + self - s.minMatch(i);
      if (skew > c.maxSkew) return unschedulable(ERR_REASON_CONSTRAINTS_NOT_MATCH);
    }
    return undefined;
  },
};

class PreScoreState implements StateData {
  constructor(readonly constraints: Constraint[], readonly counts: Map<string, number>[], readonly weights: number[]) {}
  clone(): PreScoreState { return this; }
}

export const podTopologySpreadPreScore: PreScorePlugin = {
  name: 'PodTopologySpread',
  preScore(state, pod, nodes, h: Handle) {
    const constraints = constraintsOf(pod.pod, 'ScheduleAnyway');
    if (constraints.length === 0) return;
    const counts = constraints.map(() => new Map<string, number>());
    const domains = constraints.map(() => new Set<string>());
    for (const node of nodes) {
      if (!hasAllKeys(node, constraints)) continue;
      constraints.forEach((c, i) => domains[i]!.add(node.node!.metadata.labels![c.topologyKey]!));
    }
    for (const node of h.nodeInfos()) {
      if (!hasAllKeys(node, constraints)) continue;
      constraints.forEach((c, i) => {
        const v = node.node!.metadata.labels![c.topologyKey]!;
        if (!domains[i]!.has(v) || !nodeCounts(pod.pod, c, node)) return;
        counts[i]!.set(v, (counts[i]!.get(v) ?? 0) + countMatching(node, c.selector, pod.pod.metadata.namespace));
      });
    }
    state.write(PRE_SCORE_KEY, new PreScoreState(constraints, counts, domains.map((d) => Math.log(d.size + 2))));
  },
};

/** Nodes lacking a constraint's key are scored -1 and end at 0 after normalising. */
export const podTopologySpreadScore: ScorePlugin = {
  name: 'PodTopologySpread',
  weight: 2,
  score(state, _pod, node) {
    const s = state.read<PreScoreState>(PRE_SCORE_KEY);
    if (!s) return 0;
    if (!hasAllKeys(node, s.constraints)) return -1;
    let score = 0;
    s.constraints.forEach((c, i) => {
      const v = node.node!.metadata.labels![c.topologyKey]!;
      score += (s.counts[i]!.get(v) ?? 0) * s.weights[i]! + (c.maxSkew - 1);
    });
    return Math.round(score);
  },
  normalize(scores, state) {
    if (!state.read<PreScoreState>(PRE_SCORE_KEY)) return;
    let min = Infinity;
    let max = 0;
    for (const v of scores) {
      if (v < 0) continue;
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
    for (let i = 0; i < scores.length; i++) {
      const v = scores[i]!;
      if (v < 0) scores[i] = 0;
      else if (max === 0) scores[i] = 100;
      else scores[i] = Math.trunc((100 * (max + min - v)) / max);
    }
  },
};

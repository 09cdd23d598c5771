// NodeAffinity: the filter enforces spec.nodeSelector and required node affinity; the score adds
// the weights of the preferred terms a node matches (normalised to 0…100).
import { defaultNormalizeScore, type FilterPlugin, type ScorePlugin } from '../framework.ts';
import { nodeSelectorTermsMatch, podMatchesNodeSelectorAndAffinity, termMatches } from '../node-selector.ts';
import { unresolvable } from '../status.ts';

export const ERR_REASON_NODE_AFFINITY = "node(s) didn't match Pod's node affinity/selector";

export const nodeAffinityFilter: FilterPlugin = {
  name: 'NodeAffinity',
  filter(_state, pod, node) {
    if (!node.node || !podMatchesNodeSelectorAndAffinity(pod.pod.spec, node.node)) return unresolvable(ERR_REASON_NODE_AFFINITY);
    return undefined;
  },
};

export const nodeAffinityScore: ScorePlugin = {
  name: 'NodeAffinity',
  weight: 2,
  score(_state, pod, node) {
    const preferred = pod.pod.spec.affinity?.nodeAffinity?.preferredDuringSchedulingIgnoredDuringExecution;
    if (!preferred || !node.node) return 0;
    let total = 0;
    for (const t of preferred) if (t.weight && termMatches(t.preference, node.node)) total += t.weight;
    return total;
  },
  normalize: (scores) => defaultNormalizeScore(scores, false),
};

export { nodeSelectorTermsMatch };

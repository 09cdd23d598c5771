// TaintToleration: NoSchedule/NoExecute taints must be tolerated; among feasible nodes, fewer
// untolerated PreferNoSchedule taints score higher.
import { defaultNormalizeScore, type FilterPlugin, type ScorePlugin } from '../framework.ts';
import { unresolvable } from '../status.ts';
import { doNotScheduleTaints, findUntoleratedTaint, tolerationsTolerateTaint } from '../tolerations.ts';

/** Upstream's text: `node(s) had untolerated taint {key: value}`. */
export function errReasonUntoleratedTaint(key: string, value: string | undefined): string {
  return `node(s) had untolerated taint {${key}: ${value ?? ''}}`;
}

export const taintTolerationFilter: FilterPlugin = {
  name: 'TaintToleration',
  filter(_state, pod, node) {
    const taint = findUntoleratedTaint(node.node?.spec?.taints, pod.pod.spec.tolerations, doNotScheduleTaints);
    return taint ? unresolvable(errReasonUntoleratedTaint(taint.key, taint.value)) : undefined;
  },
};

export const taintTolerationScore: ScorePlugin = {
  name: 'TaintToleration',
  weight: 3,
  score(_state, pod, node) {
    const tolerations = (pod.pod.spec.tolerations ?? []).filter((t) => !t.effect || t.effect === 'PreferNoSchedule');
    let n = 0;
    for (const taint of node.node?.spec?.taints ?? []) {
      if (taint.effect === 'PreferNoSchedule' && !tolerationsTolerateTaint(tolerations, taint)) n++;
    }
    return n;
  },
  normalize: (scores) => defaultNormalizeScore(scores, true),
};

// The default profile: upstream's default plugins in their default order and score weights (the
// volume plugins are left out: nothing here binds volumes to nodes).
import type { Profile } from '../framework.ts';
import { balancedAllocation } from './balanced-allocation.ts';
import { imageLocality, imageLocalityPreScore } from './image-locality.ts';
import { interPodAffinityFilter, interPodAffinityPreFilter, interPodAffinityPreScore, interPodAffinityScore } from './inter-pod-affinity.ts';
import { nodeAffinityFilter, nodeAffinityScore } from './node-affinity.ts';
import { nodeName } from './node-name.ts';
import { nodePorts } from './node-ports.ts';
import { nodeResourcesFitFilter, nodeResourcesFitScore } from './node-resources-fit.ts';
import { nodeUnschedulable } from './node-unschedulable.ts';
import { podTopologySpreadFilter, podTopologySpreadPreFilter, podTopologySpreadPreScore, podTopologySpreadScore } from './pod-topology-spread.ts';
import { taintTolerationFilter, taintTolerationScore } from './taint-toleration.ts';

export function defaultProfile(): Profile {
  return {
    preFilter: [podTopologySpreadPreFilter, interPodAffinityPreFilter],
    filter: [
      nodeUnschedulable, nodeName, taintTolerationFilter, nodeAffinityFilter, nodePorts, nodeResourcesFitFilter,
      podTopologySpreadFilter, interPodAffinityFilter,
    ],
    preScore: [interPodAffinityPreScore, podTopologySpreadPreScore, imageLocalityPreScore],
    score: [
      taintTolerationScore, nodeAffinityScore, nodeResourcesFitScore, podTopologySpreadScore, interPodAffinityScore,
      balancedAllocation, imageLocality,
    ],
  };
}

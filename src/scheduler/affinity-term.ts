// Inter-pod affinity terms pre-parsed once per pod (framework.AffinityTerm): the label selector as a
// matcher and the namespaces it applies to (its own when none are named).
import { labelSelectorAsMatcher, type LabelSelectorMatcher } from '../apimachinery/labels.ts';
import type { Pod, PodAffinityTerm, WeightedPodAffinityTerm } from './types.ts';

export interface AffinityTerm {
  selector: LabelSelectorMatcher;
  namespaces: Set<string>;
  /** Set when the term has a namespaceSelector (matched against namespace labels). */
  namespaceSelector?: LabelSelectorMatcher;
  topologyKey: string;
}

export interface WeightedAffinityTerm extends AffinityTerm { weight: number }

/** Namespace labels by name, for namespaceSelector. */
export type NamespaceLabels = (namespace: string) => Record<string, string> | undefined;

export function newAffinityTerm(pod: Pod, t: PodAffinityTerm): AffinityTerm {
  const namespaces = new Set(t.namespaces ?? []);
  const term: AffinityTerm = { selector: safeMatcher(t.labelSelector), namespaces, topologyKey: t.topologyKey };
  if (t.namespaceSelector) term.namespaceSelector = safeMatcher(t.namespaceSelector);
  else if (namespaces.size === 0) namespaces.add(pod.metadata.namespace ?? '');
  return term;
}

function safeMatcher(sel: PodAffinityTerm['labelSelector']): LabelSelectorMatcher {
  try {
    return labelSelectorAsMatcher(sel);
  } catch {
    return labelSelectorAsMatcher(null);
  }
}

export function parseTerms(pod: Pod, terms: PodAffinityTerm[] | null | undefined): AffinityTerm[] {
  return (terms ?? []).map((t) => newAffinityTerm(pod, t));
}

export function parseWeightedTerms(pod: Pod, terms: WeightedPodAffinityTerm[] | null | undefined): WeightedAffinityTerm[] {
  return (terms ?? []).filter((t) => t.weight !== 0 && t.podAffinityTerm)
    .map((t) => ({ ...newAffinityTerm(pod, t.podAffinityTerm), weight: t.weight }));
}

/** AffinityTerm.Matches: the pod is in one of the term's namespaces and its labels match. */
export function termMatches(term: AffinityTerm, pod: Pod, nsLabels: NamespaceLabels): boolean {
  const ns = pod.metadata.namespace ?? '';
  if (!term.namespaces.has(ns)) {
    if (!term.namespaceSelector || !term.namespaceSelector.matches(nsLabels(ns) ?? {})) return false;
  }
  return term.selector.matches(pod.metadata.labels ?? {});
}

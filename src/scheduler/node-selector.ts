// Node selector terms (v1.NodeSelector) as component-helpers' nodeaffinity evaluates them: terms
// are ORed, a term's requirements ANDed; matchFields supports metadata.name only; a term with no
// requirements matches nothing; Gt/Lt compare integers.
import type { Node, NodeSelectorRequirement, NodeSelectorTerm } from './types.ts';

function requirementMatches(r: NodeSelectorRequirement, labels: Record<string, string>): boolean {
  const has = Object.prototype.hasOwnProperty.call(labels, r.key);
  const value = labels[r.key];
  const values = r.values ?? [];
  switch (r.operator) {
    case 'In': return has && values.includes(value!);
    case 'NotIn': return !has || !values.includes(value!);
    case 'Exists': return has;
    case 'DoesNotExist': return !has;
    case 'Gt':
    case 'Lt': {
      if (!has || values.length !== 1 || !/^-?\d+$/.test(values[0]!) || !/^-?\d+$/.test(value!)) return false;
      const a = Number(value);
      const b = Number(values[0]);
      return r.operator === 'Gt' ? a > b : a < b;
    }
    default: return false;
  }
}

function fieldMatches(r: NodeSelectorRequirement, node: Node): boolean {
  if (r.key !== 'metadata.name') return false;
  const values = r.values ?? [];
  if (values.length !== 1 && r.operator === 'In') return false;
  return requirementMatches(r, { 'metadata.name': node.metadata.name ?? '' });
}

export function termMatches(term: NodeSelectorTerm, node: Node): boolean {
  const exprs = term.matchExpressions ?? [];
  const fields = term.matchFields ?? [];
  if (exprs.length === 0 && fields.length === 0) return false;
  const labels = node.metadata.labels ?? {};
  return exprs.every((r) => requirementMatches(r, labels)) && fields.every((r) => fieldMatches(r, node));
}

/** Any of the terms matches the node. */
export function nodeSelectorTermsMatch(terms: readonly NodeSelectorTerm[] | null | undefined, node: Node): boolean {
  return (terms ?? []).some((t) => termMatches(t, node));
}

/** The pod's nodeSelector map and required node affinity both match (GetRequiredNodeAffinity.Match). */
export function podMatchesNodeSelectorAndAffinity(
  spec: { nodeSelector?: Record<string, string> | null; affinity?: { nodeAffinity?: { requiredDuringSchedulingIgnoredDuringExecution?: { nodeSelectorTerms?: NodeSelectorTerm[] } | null } | null } | null },
  node: Node,
): boolean {
  const labels = node.metadata.labels ?? {};
  for (const [k, v] of Object.entries(spec.nodeSelector ?? {})) if (labels[k] !== v) return false;
  const required = spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
  if (required) return nodeSelectorTermsMatch(required.nodeSelectorTerms, node);
  return true;
}

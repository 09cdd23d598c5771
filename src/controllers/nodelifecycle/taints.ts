// Taints and tolerations as the scheduler and taint manager read them (k8s.io/api/core/v1's
// ToleratesTaint and the taint manager's getMinTolerationTime).

type Obj = Record<string, any>;

export interface Taint {
  key: string;
  value?: string;
  effect: 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';
  timeAdded?: string;
}

export interface Toleration {
  key?: string;
  operator?: 'Exists' | 'Equal';
  value?: string;
  effect?: string;
  tolerationSeconds?: number;
}

export const TAINT_NODE_NOT_READY = 'node.kubernetes.io/not-ready';
export const TAINT_NODE_UNREACHABLE = 'node.kubernetes.io/unreachable';

export function taintsOf(node: object): Taint[] {
  const t = ((node as Obj).spec as Obj | undefined)?.taints;
  return Array.isArray(t) ? t : [];
}

export function tolerationsOf(pod: object): Toleration[] {
  const t = ((pod as Obj).spec as Obj | undefined)?.tolerations;
  return Array.isArray(t) ? t : [];
}

/** Toleration.ToleratesTaint: an empty key with Exists matches every key; an empty effect every effect. */
export function toleratesTaint(t: Toleration, taint: Taint): boolean {
  if (t.effect && t.effect !== taint.effect) return false;
  if (t.key && t.key !== taint.key) return false;
  if (!t.key && t.operator !== 'Exists') return false;
  switch (t.operator ?? 'Equal') {
    case 'Exists': return true;
    case 'Equal': return (t.value ?? '') === (taint.value ?? '');
    default: return false;
  }
}

/**
 * For NoExecute taints: undefined when some taint is not tolerated (evict now); otherwise the
 * tolerations used, for the shortest tolerationSeconds.
 */
export function usedTolerations(tolerations: Toleration[], taints: Taint[]): Toleration[] | undefined {
  const used: Toleration[] = [];
  for (const taint of taints) {
    const matching = tolerations.filter((t) => toleratesTaint(t, taint));
    if (matching.length === 0) return undefined;
    used.push(...matching);
  }
  return used;
}

/** getMinTolerationTime: -1 = tolerated forever; 0 or less in a toleration means at once. */
export function minTolerationSeconds(used: Toleration[]): number {
  let min = -1;
  for (const t of used) {
    if (typeof t.tolerationSeconds !== 'number') continue;
    const s = Math.max(0, t.tolerationSeconds);
    if (min < 0 || s < min) min = s;
  }
  return min;
}

export function sameTaint(a: Taint, b: Taint): boolean {
  return a.key === b.key && a.effect === b.effect;
}

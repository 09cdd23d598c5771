// ImageLocality: prefer nodes that already have the pod's images (node.status.images), weighted by
// image size and by the share of nodes that have the image, between 23 MB and 1000 MB per container.
import type { PreScorePlugin, ScorePlugin, StateData } from '../framework.ts';

const MB = 1024 * 1024;
const MIN_THRESHOLD = 23 * MB;
const MAX_CONTAINER_THRESHOLD = 1000 * MB;
const PRE_SCORE_KEY = 'PreScoreImageLocality';

/** "nginx" and "docker.io/library/nginx:latest" name the same image (normalizedImageName). */
export function normalizedImageName(name: string): string {
  let n = name;
  if (n.lastIndexOf(':') <= n.lastIndexOf('/') && !n.includes('@')) n += ':latest';
  if (!n.includes('/')) n = `docker.io/library/${n}`;
  else if (!/^[^/]*[.:]|^localhost\//.test(n)) n = `docker.io/${n}`;
  return n;
}

class State implements StateData {
  /** Image → share of nodes having it; images: the pod's containers' images, normalised. */
  constructor(readonly images: string[], readonly spread: Map<string, number>) {}
  clone(): State { return this; }
}

export const imageLocalityPreScore: PreScorePlugin = {
  name: 'ImageLocality',
  preScore(state, pod, _nodes, h) {
    const images = [...(pod.pod.spec.initContainers ?? []), ...(pod.pod.spec.containers ?? [])]
      .filter((c) => c.image).map((c) => normalizedImageName(c.image!));
    const wanted = new Set(images);
    const holders = new Map<string, number>();
    const all = h.nodeInfos();
    for (const ni of all) {
      for (const img of ni.node?.status?.images ?? []) {
        for (const n of new Set((img.names ?? []).map(normalizedImageName))) if (wanted.has(n)) holders.set(n, (holders.get(n) ?? 0) + 1);
      }
    }
    const spread = new Map([...holders].map(([k, v]) => [k, v / (all.length || 1)]));
    state.write(PRE_SCORE_KEY, new State(images, spread));
  },
};

export const imageLocality: ScorePlugin = {
  name: 'ImageLocality',
  weight: 1,
  score(state, _pod, node) {
    const s = state.read<State>(PRE_SCORE_KEY);
    const nodeImages = node.node?.status?.images;
    if (!s || s.spread.size === 0 || !nodeImages?.length) return 0;
    let sum = 0;
    for (const want of s.images) {
      const img = nodeImages.find((i) => (i.names ?? []).some((n) => normalizedImageName(n) === want));
      if (img) sum += Math.trunc((img.sizeBytes ?? 0) * (s.spread.get(want) ?? 0));
    }
    const maxThreshold = MAX_CONTAINER_THRESHOLD * s.images.length;
    const clamped = Math.min(Math.max(sum, MIN_THRESHOLD), maxThreshold);
    return maxThreshold <= MIN_THRESHOLD ? 0 : Math.trunc((100 * (clamped - MIN_THRESHOLD)) / (maxThreshold - MIN_THRESHOLD));
  },
};

// What the ClusterIP and NodePort allocators share (upstream both are an allocation bitmap with a
// static band, since 1.26): a dynamic allocation picks at random from the upper part of the range and
// only falls back to the lower "static band", which is left for the values users ask for.

export class AllocationError extends Error {}

/**
 * Marks a free value of [first, first + count) used and returns it. The static band is count/16,
 * at least 16 and at most maxStaticBand.
 */
export function allocateDynamic(used: Set<number>, first: number, count: number, maxStaticBand: number, random: () => number): number {
  if (used.size >= count) throw new AllocationError('range is full');
  const staticBand = Math.min(Math.max(16, Math.floor(count / 16)), maxStaticBand);
  const pick = (lo: number, len: number): number | undefined => {
    if (len <= 0) return undefined;
    const start = Math.floor(random() * len);
    for (let i = 0; i < len; i++) {
      const n = lo + ((start + i) % len);
      if (!used.has(n)) return n;
    }
    return undefined;
  };
  const n = pick(first + staticBand, count - staticBand) ?? pick(first, Math.min(staticBand, count));
  if (n === undefined) throw new AllocationError('range is full');
  used.add(n);
  return n;
}

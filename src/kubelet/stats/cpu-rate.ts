// CPU usage rates from cumulative counters: the last two samples at least MIN_WINDOW_MS apart give
// usageNanoCores, as cAdvisor derives it between housekeeping passes. A sample taken sooner than that
// after the previous one updates nothing, so frequent requests do not shrink the window to noise.

const MIN_WINDOW_MS = 1000;

interface Sample { atNs: bigint; usageNs: number }

export class CpuRates {
  private readonly samples = new Map<string, { prev?: Sample; cur: Sample }>();

  record(key: string, atNs: bigint, usageNs: number): void {
    const s = this.samples.get(key);
    if (!s) {
      this.samples.set(key, { cur: { atNs, usageNs } });
      return;
    }
    if (atNs - s.cur.atNs < BigInt(MIN_WINDOW_MS) * 1_000_000n) return;
    this.samples.set(key, { prev: s.cur, cur: { atNs, usageNs } });
  }

  /** Billionths of a core over the last window; undefined until two samples exist. */
  nanoCores(key: string): number | undefined {
    const s = this.samples.get(key);
    if (!s?.prev) return undefined;
    const elapsedNs = Number(s.cur.atNs - s.prev.atNs);
    const used = s.cur.usageNs - s.prev.usageNs;
    // A counter that went backwards belongs to a restarted container: no rate until the next window.
    if (elapsedNs <= 0 || used < 0) return undefined;
    return Math.round((used / elapsedNs) * 1e9);
  }

  /** Forget keys not seen in the last pass (removed containers). */
  retain(keys: Set<string>): void {
    for (const key of this.samples.keys()) if (!keys.has(key)) this.samples.delete(key);
  }
}

// The HPA works in thousandths (Quantity.MilliValue) and reports values back as
// resource.NewMilliQuantity(v, DecimalSI), whose canonical text kubectl prints: 250 → "250m",
// 2000 → "2", 12641280000 → "12641280", 2000000000 → "2M".

const SUFFIXES = ['', 'k', 'M', 'G', 'T', 'P', 'E'];

export function formatMilliQuantity(milli: number): string {
  const v = Math.trunc(milli);
  if (v === 0) return '0';
  if (v % 1000 !== 0) return `${v}m`;
  let n = BigInt(v / 1000);
  let i = 0;
  while (i < SUFFIXES.length - 1 && n % 1000n === 0n) {
    n /= 1000n;
    i++;
  }
  return `${n}${SUFFIXES[i]}`;
}

/** A Go duration as metrics-server writes a window ("30s", "1m0s", "1.5s", "500ms") in milliseconds. */
export function parseGoDuration(text: string | undefined): number {
  if (!text) return 0;
  const units: Record<string, number> = { h: 3_600_000, m: 60_000, s: 1000, ms: 1, us: 0.001, µs: 0.001, ns: 0.000001 };
  let total = 0;
  for (const [, num, unit] of text.matchAll(/(\d+(?:\.\d+)?)(h|ms|m|s|us|µs|ns)/g)) total += Number(num) * units[unit!]!;
  return total;
}

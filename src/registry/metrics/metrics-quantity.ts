// Usage figures as metrics-server writes them: CPU with NewScaledQuantity(nanocores, -9), memory with
// NewQuantity(bytes, BinarySI), both in canonical form ("250m", "123456n", "12345Ki", "1Gi").

const DECIMAL_SUFFIXES: [bigint, string][] = [[1_000_000_000n, ''], [1_000_000n, 'm'], [1_000n, 'u'], [1n, 'n']];
const BINARY_SUFFIXES: [bigint, string][] = [[1n << 60n, 'Ei'], [1n << 50n, 'Pi'], [1n << 40n, 'Ti'], [1n << 30n, 'Gi'], [1n << 20n, 'Mi'], [1n << 10n, 'Ki']];

/** Billionths of a core → the largest decimal unit that is exact: 1500000000 → "1500m", 5000 → "5u". */
export function formatNanoCores(nanoCores: number): string {
  const n = BigInt(Math.max(0, Math.round(nanoCores)));
  if (n === 0n) return '0';
  for (const [scale, suffix] of DECIMAL_SUFFIXES) if (n % scale === 0n) return `${n / scale}${suffix}`;
  return `${n}n`;
}

/** Bytes → the largest binary unit that divides exactly ("12345Ki"), or plain bytes. */
export function formatBytes(bytes: number): string {
  const n = BigInt(Math.max(0, Math.round(bytes)));
  if (n === 0n) return '0';
  for (const [scale, suffix] of BINARY_SUFFIXES) if (n % scale === 0n) return `${n / scale}${suffix}`;
  return `${n}`;
}

// Resource quantities ("100m", "1Gi", "1e3") parsed as upstream's resource.ParseQuantity does,
// with its error texts, because validation of requests/limits reports them verbatim.

export const QUANTITY_FORMAT_MESSAGE =
  "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";
export const QUANTITY_NUMERIC_MESSAGE = 'unable to parse numeric part of quantity';
export const QUANTITY_SUFFIX_MESSAGE = "unable to parse quantity's suffix";

export class QuantityError extends Error {
  override name = 'QuantityError';
}

const DECIMAL_SUFFIX: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const BINARY_SUFFIX: Record<string, number> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };
const SUFFIX_CHARS = 'eEinumkKMGTP';
const isDigit = (c: string | undefined) => c !== undefined && c >= '0' && c <= '9';

interface Parsed { negative: boolean; num: string; denom: string; suffix: string }

/** parseQuantityString of upstream: sign, digits, optional fraction, then a suffix. */
function splitQuantity(str: string): Parsed {
  let pos = 0;
  let negative = false;
  if (str[0] === '-') { negative = true; pos++; } else if (str[0] === '+') pos++;
  const numStart = pos;
  while (isDigit(str[pos])) pos++;
  const num = str.slice(numStart, pos) || '0';
  let denom = '';
  if (str[pos] === '.') {
    const d = ++pos;
    while (isDigit(str[pos])) pos++;
    denom = str.slice(d, pos);
  }
  const suffixStart = pos;
  while (pos < str.length && SUFFIX_CHARS.includes(str[pos]!)) pos++;
  if (str[pos] === '-' || str[pos] === '+') pos++;
  while (isDigit(str[pos])) pos++;
  if (pos < str.length) throw new QuantityError(QUANTITY_FORMAT_MESSAGE);
  return { negative, num, denom, suffix: str.slice(suffixStart) };
}

/** quantitySuffixer.interpret: base and exponent of a suffix. */
function interpretSuffix(s: string): { base: 2 | 10; exponent: number } | undefined {
  if (s in DECIMAL_SUFFIX) return { base: 10, exponent: DECIMAL_SUFFIX[s]! };
  if (s in BINARY_SUFFIX) return { base: 2, exponent: BINARY_SUFFIX[s]! };
  if (s.length > 1 && (s[0] === 'e' || s[0] === 'E') && /^[+-]?\d+$/.test(s.slice(1))) {
    return { base: 10, exponent: Number(s.slice(1)) };
  }
  return undefined;
}

/**
 * The quantity's value in base units as a float: "100m" → 0.1, "1Gi" → 1073741824, "1e3" → 1000.
 * Throws QuantityError with upstream's message when invalid.
 */
export function parseQuantity(str: string): number {
  if (str.length === 0) throw new QuantityError(QUANTITY_FORMAT_MESSAGE);
  const p = splitQuantity(str);
  const suf = interpretSuffix(p.suffix);
  if (!suf) throw new QuantityError(QUANTITY_SUFFIX_MESSAGE);
  const mantissa = Number(`${p.num}.${p.denom || '0'}`);
  if (!Number.isFinite(mantissa)) throw new QuantityError(QUANTITY_NUMERIC_MESSAGE);
  const v = suf.base === 2
    ? mantissa * 2 ** suf.exponent
    // Scale through the decimal string so "100m" is exactly 0.1, not 100 * 0.001.
    : Number(`${p.num}.${p.denom || '0'}e${suf.exponent}`);
  return p.negative && v !== 0 ? -v : v;
}

/**
 * Quantity.ScaledValue: the value in units of 10^scale, rounded away from zero, computed exactly
 * on the decimal digits so "1.0001m" is 2 milli-units, as upstream, not 1.
 */
function scaledValue(str: string, scale: number): number {
  if (str.length === 0) throw new QuantityError(QUANTITY_FORMAT_MESSAGE);
  const p = splitQuantity(str);
  const suf = interpretSuffix(p.suffix);
  if (!suf) throw new QuantityError(QUANTITY_SUFFIX_MESSAGE);
  let num = BigInt(p.num + p.denom);
  let den = 1n;
  const pow10 = (suf.base === 10 ? suf.exponent : 0) - p.denom.length - scale;
  if (suf.base === 2) num *= 2n ** BigInt(suf.exponent);
  if (pow10 >= 0) num *= 10n ** BigInt(pow10);
  else den = 10n ** BigInt(-pow10);
  const q = num / den + (num % den === 0n ? 0n : 1n);
  return Number(p.negative ? -q : q);
}

/** Quantity.MilliValue(): thousandths, rounded up (cpu "250m" → 250, "0.1" → 100). */
export function parseQuantityMilli(str: string): number {
  return scaledValue(str, -3);
}

/** Quantity.Value(): whole units, rounded up (memory "1Gi" → 1073741824, cpu "100m" → 1). */
export function quantityValue(str: string): number {
  return scaledValue(str, 0);
}

/** The problem with a quantity string as validation reports it, or undefined when valid. */
export function quantityError(str: string): string | undefined {
  try { parseQuantity(str); return undefined; } catch (e) { return (e as Error).message; }
}

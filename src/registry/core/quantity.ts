// Lenient access to the shared quantity parser for strategies, which must never throw.
import { parseQuantity as parseStrict, quantityError } from '../../apimachinery/quantity.ts';

/** The value of a quantity (string or number), or undefined when it is not a valid quantity. */
export function parseQuantity(q: unknown): number | undefined {
  if (typeof q === 'number') return Number.isFinite(q) ? q : undefined;
  if (typeof q !== 'string') return undefined;
  try { return parseStrict(q); } catch { return undefined; }
}

export function isValidQuantity(q: unknown): boolean {
  return parseQuantity(q) !== undefined;
}

/** Upstream's parse error text for an invalid quantity. */
export function quantityProblem(q: unknown): string {
  return typeof q === 'string' ? (quantityError(q) ?? '') : "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";
}

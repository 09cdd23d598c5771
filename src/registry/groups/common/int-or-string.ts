// IntOrString checks of pkg/apis/apps/validation (ValidatePositiveIntOrPercent, IsNotMoreThan100Percent).
import type { FieldError } from '../../../apimachinery/errors.ts';

const PERCENT = /^[0-9]+%$/;

export function isPercent(v: unknown): v is string {
  return typeof v === 'string' && v.endsWith('%');
}

export function percentValue(v: string): number {
  return Number.parseInt(v.slice(0, -1), 10);
}

/** ValidatePositiveIntOrPercent: a non-negative integer or a string "N%". */
export function validatePositiveIntOrPercent(v: unknown, field: string): FieldError[] {
  if (typeof v === 'string') {
    if (!PERCENT.test(v)) {
      return [{ type: 'FieldValueInvalid', field, badValue: v, detail: "a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')" }];
    }
    return [];
  }
  if (typeof v === 'number' && v < 0) {
    return [{ type: 'FieldValueInvalid', field, badValue: v, detail: 'must be greater than or equal to 0' }];
  }
  return [];
}

/** IsNotMoreThan100Percent. */
export function notMoreThan100Percent(v: unknown, field: string): FieldError[] {
  if (!isPercent(v) || percentValue(v) <= 100) return [];
  return [{ type: 'FieldValueInvalid', field, badValue: v, detail: 'must not be greater than 100%' }];
}

/** getIntOrPercentValue: the integer, or the number before '%' (0 when unset). */
export function intOrPercentValue(v: unknown): number {
  if (isPercent(v)) return percentValue(v);
  return typeof v === 'number' ? v : 0;
}

// Upstream prints structured bad values with Go's %#v (field.Error.ErrorBody), e.g.
// `map[string]string{"app":"x"}`; kubectl shows that text, so we reproduce it.
import type { FieldError } from '../../../apimachinery/errors.ts';

/** %#v of a map[string]string: keys sorted as Go's fmt does. */
export function goStringMap(m: Record<string, string> | undefined | null): string {
  if (!m) return 'map[string]string(nil)';
  const entries = Object.keys(m).sort().map((k) => `${JSON.stringify(k)}:${JSON.stringify(m[k])}`);
  return `map[string]string{${entries.join(', ')}}`;
}

function goStringSlice(v: unknown[] | undefined, type: string): string {
  if (!v) return `[]${type}(nil)`;
  return `[]${type}{${v.map((s) => JSON.stringify(s)).join(', ')}}`;
}

/** %#v of a metav1.LabelSelector as ValidateImmutableField prints spec.selector. */
export function goLabelSelector(sel: unknown): string {
  if (!sel || typeof sel !== 'object') return '(*v1.LabelSelector)(nil)';
  const s = sel as { matchLabels?: Record<string, string>; matchExpressions?: { key: string; operator: string; values?: string[] }[] };
  const exprs = s.matchExpressions
    ? `[]v1.LabelSelectorRequirement{${s.matchExpressions.map((e) => `v1.LabelSelectorRequirement{Key:${JSON.stringify(e.key)}, Operator:${JSON.stringify(e.operator)}, Values:${goStringSlice(e.values, 'string')}}`).join(', ')}}`
    : '[]v1.LabelSelectorRequirement(nil)';
  return `v1.LabelSelector{MatchLabels:${goStringMap(s.matchLabels)}, MatchExpressions:${exprs}}`;
}

/**
 * field.Invalid with a value already rendered as Go prints it. The rendering goes into detail
 * (badValue left unset) so that fieldErrorMessage prints it unquoted, exactly as upstream does.
 */
export function invalidGoValue(field: string, goValue: string, detail: string): FieldError {
  return { type: 'FieldValueInvalid', field, detail: `${goValue}: ${detail}` };
}

// metav1.LabelSelectorAsSelector as the workload validations and printers use it: a nil selector
// selects nothing, an empty one everything; an invalid one is reported, never thrown.
import { formatLabelSelector as formatSel, labelSelectorAsMatcher, type LabelSelector, type LabelSelectorMatcher } from '../../../apimachinery/labels.ts';

function matcher(sel: unknown): LabelSelectorMatcher | undefined {
  try {
    return labelSelectorAsMatcher(sel as LabelSelector | null | undefined);
  } catch {
    return undefined;
  }
}

/** False when LabelSelectorAsSelector would fail (bad operator, In without values…). */
export function isValidSelector(sel: unknown): boolean {
  return matcher(sel) !== undefined;
}

/** labels.Selector.Matches of LabelSelectorAsSelector(sel); false for invalid selectors. */
export function selectorMatches(sel: unknown, labels: Record<string, string> | undefined): boolean {
  return matcher(sel)?.matches(labels) ?? false;
}

/** Whether the selector is the empty one (labels.Everything()). */
export function selectorIsEverything(sel: unknown): boolean {
  return matcher(sel)?.empty ?? false;
}

/** labels.Selector.String(): "a=b,c in (d,e),!f"; '' for nil and empty selectors. */
export function selectorString(sel: unknown): string {
  return matcher(sel)?.toString() ?? '';
}

/** metav1.FormatLabelSelector: "<none>" when empty, "<error>" when invalid. */
export function formatLabelSelector(sel: unknown): string {
  return formatSel(sel as LabelSelector | null | undefined);
}

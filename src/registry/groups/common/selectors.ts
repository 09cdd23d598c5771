// metav1.LabelSelectorAsSelector / FormatLabelSelector as the workload validations and printers use
// them: a nil selector selects nothing, an empty one everything.
// TODO(labels): switch to src/apimachinery/labels.ts once it is written, keeping these semantics.

interface Requirement { key: string; operator: string; values?: string[] }
interface LabelSelector { matchLabels?: Record<string, string>; matchExpressions?: Requirement[] }

function requirements(sel: LabelSelector): Requirement[] {
  const reqs: Requirement[] = [];
  for (const [k, v] of Object.entries(sel.matchLabels ?? {})) reqs.push({ key: k, operator: '=', values: [v] });
  for (const e of sel.matchExpressions ?? []) reqs.push(e);
  return reqs.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

const OPERATORS = new Set(['In', 'NotIn', 'Exists', 'DoesNotExist']);

/** False when LabelSelectorAsSelector would fail (bad operator, In without values…). */
export function isValidSelector(sel: unknown): boolean {
  if (sel === undefined || sel === null) return true;
  for (const e of (sel as LabelSelector).matchExpressions ?? []) {
    if (!OPERATORS.has(e?.operator)) return false;
    const n = e.values?.length ?? 0;
    if ((e.operator === 'In' || e.operator === 'NotIn') && n === 0) return false;
    if ((e.operator === 'Exists' || e.operator === 'DoesNotExist') && n > 0) return false;
  }
  return true;
}

/** labels.Selector.Matches of LabelSelectorAsSelector(sel). */
export function selectorMatches(sel: unknown, labels: Record<string, string> | undefined): boolean {
  if (sel === undefined || sel === null) return false;
  const l = labels ?? {};
  return requirements(sel as LabelSelector).every((r) => {
    const has = Object.hasOwn(l, r.key);
    switch (r.operator) {
      case '=':
      case 'In': return has && (r.values ?? []).includes(l[r.key]!);
      case 'NotIn': return !has || !(r.values ?? []).includes(l[r.key]!);
      case 'Exists': return has;
      case 'DoesNotExist': return !has;
      default: return false;
    }
  });
}

/** Whether the selector is the empty one (labels.Everything()). */
export function selectorIsEverything(sel: unknown): boolean {
  if (sel === undefined || sel === null) return false;
  return requirements(sel as LabelSelector).length === 0;
}

/** labels.Selector.String(): "a=b,c in (d,e),!f"; '' for nil and empty selectors. */
export function selectorString(sel: unknown): string {
  if (sel === undefined || sel === null) return '';
  return requirements(sel as LabelSelector).map((r) => {
    const vals = [...(r.values ?? [])].sort();
    switch (r.operator) {
      case '=': return `${r.key}=${vals[0] ?? ''}`;
      case 'In': return `${r.key} in (${vals.join(',')})`;
      case 'NotIn': return `${r.key} notin (${vals.join(',')})`;
      case 'Exists': return r.key;
      case 'DoesNotExist': return `!${r.key}`;
      default: return '';
    }
  }).join(',');
}

/** metav1.FormatLabelSelector: "<none>" when empty, "<error>" when invalid. */
export function formatLabelSelector(sel: unknown): string {
  if (!isValidSelector(sel)) return '<error>';
  return selectorString(sel) || '<none>';
}

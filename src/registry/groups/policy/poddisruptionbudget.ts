// policy/v1 PodDisruptionBudget: ValidatePodDisruptionBudgetSpec and printPodDisruptionBudget.
import type { FieldError } from '../../../apimachinery/errors.ts';
import type { KObject } from '../../../apimachinery/types.ts';
import { notSupported } from '../../../apimachinery/validation.ts';
import { defineResource } from '../../define-resource.ts';
import { notMoreThan100Percent, validatePositiveIntOrPercent } from '../common/int-or-string.ts';
import { validateLabelSelector } from '../common/label-selector-validation.ts';
import { column, defineTable, int, spec, status } from '../common/printers.ts';
import { statusReset } from '../common/status-reset.ts';

const EVICTION_POLICIES = ['AlwaysAllow', 'IfHealthyBudget'];

export function validatePDBSpec(obj: KObject): FieldError[] {
  const s = spec(obj);
  const errs: FieldError[] = [];
  if (s.minAvailable != null && s.maxUnavailable != null) {
    errs.push({ type: 'FieldValueInvalid', field: 'spec', badValue: s, detail: 'minAvailable and maxUnavailable cannot be both set' });
  }
  for (const f of ['minAvailable', 'maxUnavailable']) {
    if (s[f] == null) continue;
    errs.push(...validatePositiveIntOrPercent(s[f], `spec.${f}`), ...notMoreThan100Percent(s[f], `spec.${f}`));
  }
  errs.push(...validateLabelSelector(s.selector, 'spec.selector'));
  if (s.unhealthyPodEvictionPolicy != null && !EVICTION_POLICIES.includes(s.unhealthyPodEvictionPolicy)) {
    errs.push(notSupported('spec.unhealthyPodEvictionPolicy', s.unhealthyPodEvictionPolicy, EVICTION_POLICIES));
  }
  return errs;
}

export const pdbTable = defineTable({
  columns: [
    column('Min Available', 'string', 'The minimum number of pods that must be available.'),
    column('Max Unavailable', 'string', 'The maximum number of pods that may be unavailable.'),
    column('Allowed Disruptions', 'integer', 'Calculated number of pods that may be disrupted at this time.'),
  ],
  cells(obj) {
    const s = spec(obj);
    const fmt = (v: unknown) => (v == null ? 'N/A' : String(v));
    return [fmt(s.minAvailable), fmt(s.maxUnavailable), int(status(obj).disruptionsAllowed)];
  },
});

export const poddisruptionbudgets = defineResource({
  apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', namespaced: true, shortNames: ['pdb'],
  subresources: { status: true },
  strategy: {
    // PodDisruptionBudgetStatus's counters have no omitempty upstream.
    ...statusReset({ disruptionsAllowed: 0, currentHealthy: 0, desiredHealthy: 0, expectedPods: 0 }),
    validate: (obj) => validatePDBSpec(obj),
  },
  table: pdbTable,
});

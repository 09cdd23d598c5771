// policy/v1 PodDisruptionBudget: ValidatePodDisruptionBudgetSpec and printPodDisruptionBudget.
import type { FieldError } from '../../../apimachinery/errors.ts';
import type { KObject } from '../../../apimachinery/types.ts';
import { notSupported } from '../../../apimachinery/validation.ts';
import type { ResourceDefinition, TableConvertor } from '../../types.ts';
import { notMoreThan100Percent, validatePositiveIntOrPercent } from '../common/int-or-string.ts';
import { validateLabelSelector } from '../common/label-selector-validation.ts';
import { age, ageColumn, column, int, nameColumn, spec, status } from '../common/printers.ts';
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

export const pdbTable: TableConvertor = {
  columns: [
    nameColumn,
    column('Min Available', 'string', 'The minimum number of pods that must be available.'),
    column('Max Unavailable', 'string', 'The maximum number of pods that may be unavailable.'),
    column('Allowed Disruptions', 'integer', 'Calculated number of pods that may be disrupted at this time.'),
    ageColumn,
  ],
  cells(obj, now) {
    const s = spec(obj);
    const fmt = (v: unknown) => (v == null ? 'N/A' : String(v));
    return [obj.metadata.name, fmt(s.minAvailable), fmt(s.maxUnavailable), int(status(obj).disruptionsAllowed), age(obj, now)];
  },
};

export const poddisruptionbudgets: ResourceDefinition = {
  group: 'policy',
  version: 'v1',
  kind: 'PodDisruptionBudget',
  resource: 'poddisruptionbudgets',
  singularName: 'poddisruptionbudget',
  namespaced: true,
  shortNames: ['pdb'],
  subresources: { status: true },
  strategy: {
    // PodDisruptionBudgetStatus's counters have no omitempty upstream.
    ...statusReset({ disruptionsAllowed: 0, currentHealthy: 0, desiredHealthy: 0, expectedPods: 0 }),
    validate: (obj) => validatePDBSpec(obj),
  },
  table: pdbTable,
  openapiModel: 'V1PodDisruptionBudget',
};

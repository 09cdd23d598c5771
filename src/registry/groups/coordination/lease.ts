// coordination.k8s.io/v1 Lease: leader election and node heartbeats (ValidateLeaseSpec, printLease).
import type { FieldError } from '../../../apimachinery/errors.ts';
import { notSupported } from '../../../apimachinery/validation.ts';
import { defineResource } from '../../define-resource.ts';
import { column, defineTable, spec } from '../common/printers.ts';
import { swaggerDoc } from '../common/swagger-doc.ts';

const STRATEGIES = ['OldestEmulationVersion'];

function validateLeaseSpec(s: Record<string, any>): FieldError[] {
  const errs: FieldError[] = [];
  if (typeof s.leaseDurationSeconds === 'number' && s.leaseDurationSeconds <= 0) {
    errs.push({ type: 'FieldValueInvalid', field: 'spec.leaseDurationSeconds', badValue: s.leaseDurationSeconds, detail: 'must be greater than 0' });
  }
  if (typeof s.leaseTransitions === 'number' && s.leaseTransitions < 0) {
    errs.push({ type: 'FieldValueInvalid', field: 'spec.leaseTransitions', badValue: s.leaseTransitions, detail: 'must be greater than or equal to 0' });
  }
  if (s.strategy !== undefined && !STRATEGIES.includes(s.strategy)) errs.push(notSupported('spec.strategy', s.strategy, STRATEGIES));
  return errs;
}

export const leases = defineResource({
  apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', namespaced: true,
  strategy: { validate: (obj) => validateLeaseSpec(spec(obj)) },
  table: defineTable({
    columns: [column('Holder', 'string', swaggerDoc('V1LeaseSpec', 'holderIdentity'))],
    cells: (obj) => [spec(obj).holderIdentity ?? ''],
  }),
});

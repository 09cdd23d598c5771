// resourcequotas: per-namespace limits; the quota controller keeps status.hard/used current.
import type { FieldError } from '../../apimachinery/errors.ts';
import type { KObject } from '../../apimachinery/types.ts';
import { invalid, notSupported } from '../../apimachinery/validation.ts';
import { defineResource } from '../define-resource.ts';
import { isValidQuantity, parseQuantity } from './quantity.ts';
import { keepStatus, statusStrategyOf } from './status-helpers.ts';
import { column, defineTable } from '../groups/common/printers.ts';

type Obj = Record<string, any>;

const SCOPES = ['BestEffort', 'CrossNamespacePodAffinity', 'NotBestEffort', 'NotTerminating', 'PriorityClass', 'Terminating', 'VolumeAttributesClass'];

function validateResourceList(list: unknown, field: string): FieldError[] {
  if (!list || typeof list !== 'object') return [];
  const errs: FieldError[] = [];
  for (const [name, q] of Object.entries(list as Obj)) {
    if (!isValidQuantity(q)) errs.push(...invalid(`${field}[${name}]`, q, ['must be a valid quantity']));
    else if ((parseQuantity(q) ?? 0) < 0) errs.push(...invalid(`${field}[${name}]`, q, ['must be greater than or equal to 0']));
  }
  return errs;
}

function validateResourceQuota(rq: KObject): FieldError[] {
  const spec: Obj = (rq.spec as Obj) ?? {};
  const errs = validateResourceList(spec.hard, 'spec.hard');
  if (Array.isArray(spec.scopes)) {
    spec.scopes.forEach((s: unknown) => { if (!SCOPES.includes(s as string)) errs.push(notSupported('spec.scopes', s, SCOPES)); });
  }
  return errs;
}

/** The REQUEST and LIMIT cells: "name: used/hard" sorted by resource name; limits.* go to LIMIT. */
export function quotaCells(rq: KObject): [string, string] {
  const status: Obj = (rq.status as Obj) ?? {};
  const hard: Obj = status.hard ?? {};
  const used: Obj = status.used ?? {};
  const request: string[] = [];
  const limit: string[] = [];
  for (const name of Object.keys(hard).sort()) {
    const cell = `${name}: ${used[name] ?? '0'}/${hard[name]}`;
    const pieces = name.split('.');
    (pieces.length > 1 && pieces[0] === 'limits' ? limit : request).push(cell);
  }
  return [request.join(', '), limit.join(', ')];
}

export const resourceQuotaResource = defineResource({
  apiVersion: 'v1', kind: 'ResourceQuota', namespaced: true, shortNames: ['quota'],
  subresources: { status: true },
  strategy: {
    prepareForCreate(rq) { delete rq.status; },
    prepareForUpdate(rq, old) { keepStatus(rq, old); },
    validate: validateResourceQuota,
    allowCreateOnUpdate: false,
  },
  statusStrategy: statusStrategyOf({
    validateUpdate: (rq) => [
      ...validateResourceList((rq.status as Obj)?.hard, 'status.hard'),
      ...validateResourceList((rq.status as Obj)?.used, 'status.used'),
    ],
  }),
  table: defineTable({
    columns: [
      column('Request', 'string', 'Request represents a minimum amount of cpu/memory that a container may consume.'),
      column('Limit', 'string', 'Limits control the maximum amount of cpu/memory that a container may use independent of contention on the node.'),
    ],
    cells: (rq) => quotaCells(rq),
  }),
});

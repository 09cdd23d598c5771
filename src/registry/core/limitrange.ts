// limitranges: per-namespace defaults and bounds for container resources. No upstream printer,
// so kubectl shows the default NAME / CREATED AT table.
import type { FieldError } from '../../apimachinery/errors.ts';
import type { KObject } from '../../apimachinery/types.ts';
import { invalid, notSupported, required } from '../../apimachinery/validation.ts';
import { defineResource } from '../define-resource.ts';
import { isValidQuantity, parseQuantity } from './quantity.ts';
import { defaultTableConvertor } from '../groups/common/default-table.ts';

type Obj = Record<string, any>;
const LIMIT_TYPES = ['Container', 'PersistentVolumeClaim', 'Pod'];

/** SetDefaults_LimitRangeItem: for containers, default ← max, defaultRequest ← default, then min. */
function defaultLimitRange(lr: KObject): void {
  const limits: Obj[] = Array.isArray((lr.spec as Obj)?.limits) ? (lr.spec as Obj).limits : [];
  for (const item of limits) {
    if (!item || item.type !== 'Container') continue;
    const def: Obj = { ...(item.default ?? {}) };
    const defReq: Obj = { ...(item.defaultRequest ?? {}) };
    for (const [k, v] of Object.entries(item.max ?? {})) if (!(k in def)) def[k] = v;
    for (const [k, v] of Object.entries(def)) if (!(k in defReq)) defReq[k] = v;
    for (const [k, v] of Object.entries(item.min ?? {})) if (!(k in defReq)) defReq[k] = v;
    if (Object.keys(def).length > 0) item.default = def;
    if (Object.keys(defReq).length > 0) item.defaultRequest = defReq;
  }
}

function validateLimitRange(lr: KObject): FieldError[] {
  const limits: Obj[] = Array.isArray((lr.spec as Obj)?.limits) ? (lr.spec as Obj).limits : [];
  const errs: FieldError[] = [];
  const seenTypes = new Set<string>();
  limits.forEach((item, i) => {
    const p = `spec.limits[${i}]`;
    if (!item?.type) errs.push(required(`${p}.type`));
    else if (!LIMIT_TYPES.includes(item.type)) errs.push(notSupported(`${p}.type`, item.type, LIMIT_TYPES));
    else if (seenTypes.has(item.type)) errs.push({ type: 'FieldValueDuplicate', field: `${p}.type`, badValue: item.type });
    seenTypes.add(item?.type);
    for (const k of ['max', 'min', 'default', 'defaultRequest', 'maxLimitRequestRatio']) {
      for (const [name, q] of Object.entries((item?.[k] ?? {}) as Obj)) {
        if (!isValidQuantity(q)) errs.push(...invalid(`${p}.${k}[${name}]`, q, ['must be a valid quantity']));
      }
    }
    for (const [name, min] of Object.entries((item?.min ?? {}) as Obj)) {
      const max = item?.max?.[name];
      if (max !== undefined && (parseQuantity(min) ?? 0) > (parseQuantity(max) ?? 0)) {
        errs.push(...invalid(`${p}.min[${name}]`, min, [`min value ${min} is greater than max value ${max}`]));
      }
    }
    for (const [name, def] of Object.entries((item?.default ?? {}) as Obj)) {
      const max = item?.max?.[name];
      if (max !== undefined && (parseQuantity(def) ?? 0) > (parseQuantity(max) ?? 0)) {
        errs.push(...invalid(`${p}.default[${name}]`, def, [`default value ${def} is greater than max value ${max}`]));
      }
    }
  });
  return errs;
}

export const limitRangeResource = defineResource({
  apiVersion: 'v1', kind: 'LimitRange', namespaced: true, shortNames: ['limits'],
  strategy: { defaults: defaultLimitRange, validate: validateLimitRange, allowCreateOnUpdate: true },
  table: defaultTableConvertor,
});

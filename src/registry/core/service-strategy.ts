import { markServiceAllocations, releaseServiceAllocations } from './service-allocation.ts';
// svcStrategy / serviceStatusStrategy of pkg/registry/core/service/strategy.go, with the allocation
// the Service REST does around them.
import type { KObject } from '../../apimachinery/types.ts';
import type { ResourceStrategy } from '../types.ts';
import { allocateForCreate, allocateForUpdate, dropTypeDependentFields, patchAllocatedValues } from './service-allocation.ts';
import { defaultService } from './service-defaults.ts';
import { validateService, validateServiceUpdate } from './service-validation.ts';
import { keepStatus, statusStrategyOf } from './status-helpers.ts';

type Obj = Record<string, any>;

export const serviceStrategy: ResourceStrategy = {
  abortCreate: releaseServiceAllocations,
  afterDelete: releaseServiceAllocations,
  restore: markServiceAllocations,
  defaults: defaultService,
  prepareForCreate(svc, ctx) {
    svc.status = { loadBalancer: {} };
    // Allocate only for a valid object: validation runs after prepare, and would otherwise leak addresses.
    if (validateService(svc).length > 0) return;
    allocateForCreate(svc, ctx.dryRun);
  },
  prepareForUpdate(svc: KObject, old: KObject, ctx) {
    keepStatus(svc, old);
    const spec = svc.spec as Obj;
    const oldSpec = (old.spec as Obj) ?? {};
    patchAllocatedValues(spec, oldSpec);
    dropTypeDependentFields(spec, oldSpec);
    if (validateService(svc).length > 0 || validateServiceUpdate(svc, old).length > 0) return;
    allocateForUpdate(svc, old, ctx.dryRun);
  },
  validate: (svc) => validateService(svc),
  validateUpdate: (svc, old) => validateServiceUpdate(svc, old),
  allowCreateOnUpdate: true,
};

export const serviceStatusStrategy: ResourceStrategy = statusStrategyOf();

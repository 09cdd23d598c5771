// The set of served resources and their stores, looked up by group/version/resource.
import type { Storage } from '../storage/interface.ts';
import { GenericStore } from './generic/store.ts';
import type { ResourceDefinition } from './types.ts';

export interface ServedResource {
  def: ResourceDefinition;
  store: GenericStore;
}

export class Registry {
  private readonly byGVR = new Map<string, ServedResource>();
  readonly all: ServedResource[] = [];

  constructor(defs: ResourceDefinition[], readonly storage: Storage, now?: () => Date) {
    for (const def of defs) {
      const served = { def, store: new GenericStore(def, storage, now) };
      this.byGVR.set(`${def.group}/${def.version}/${def.resource}`, served);
      this.all.push(served);
    }
  }

  get defs(): ResourceDefinition[] { return this.all.map((s) => s.def); }

  lookup(group: string, version: string, resource: string): ServedResource | undefined {
    return this.byGVR.get(`${group}/${version}/${resource}`);
  }

  /** The preferred (first registered) version's store for a group/resource. */
  preferred(group: string, resource: string): ServedResource | undefined {
    return this.all.find((s) => s.def.group === group && s.def.resource === resource);
  }

  hasGroupVersion(group: string, version: string): boolean {
    return this.all.some((s) => s.def.group === group && s.def.version === version);
  }
}

// PriorityClasses as the pod Priority admission reads them, straight from the registry's store.
import type { KObject } from '../../../apimachinery/types.ts';
import type { PriorityClassSource } from '../../core/pod-priority.ts';
import type { Registry } from '../../registry.ts';
import type { RequestContext } from '../../types.ts';

export function priorityClassSource(registry: Registry, now: () => Date): PriorityClassSource {
  const ctx: RequestContext = { namespace: '', dryRun: false, now };
  const store = () => registry.lookup('scheduling.k8s.io', 'v1', 'priorityclasses')?.store;
  return {
    async get(name) {
      try {
        return await store()?.get(ctx, name);
      } catch {
        return undefined;
      }
    },
    async list() {
      return ((await store()?.list(ctx))?.items ?? []) as KObject[];
    },
  };
}

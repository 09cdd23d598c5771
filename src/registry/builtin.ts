// Every built-in resource the server serves. A resource is added by describing it in its group's
// folder; nothing else needs to change.
import type { ResourceDefinition } from './types.ts';
import { resources as core } from './core/index.ts';
import { resources as apps } from './apps/index.ts';
import { resources as others } from './groups/index.ts';

export function builtinResources(): ResourceDefinition[] {
  return [...core, ...apps, ...others];
}

import type { ResourceDefinition } from '../types.ts';

export const resources: ResourceDefinition[] = [];

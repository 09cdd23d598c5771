// /api/v1 and /apis/{group}/{version}: the APIResourceList kubectl's legacy discovery reads, one
// entry per resource and one per subresource ("pods/status", "deployments/scale").
import type { ResourceDefinition } from '../../registry/types.ts';
import { apiVersionOfDef } from '../../registry/types.ts';
import { storageVersionHash } from './storage-version-hash.ts';
import { describeSubresource, subresourcesOf } from './subresource-catalog.ts';
import type { APIResource, APIResourceList } from './types.ts';

export const STANDARD_VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

export function verbsOf(def: ResourceDefinition): string[] {
  return [...(def.verbs ?? STANDARD_VERBS)].sort();
}

/** Resources backed by the generic store have a storage version; bindings, reviews etc. do not. */
function hasStorage(def: ResourceDefinition): boolean {
  const verbs = verbsOf(def);
  return verbs.includes('create') && verbs.includes('list');
}

export function defsInGroupVersion(defs: ResourceDefinition[], group: string, version: string): ResourceDefinition[] {
  return defs.filter((d) => d.group === group && d.version === version);
}

export function apiResources(defs: ResourceDefinition[], group: string, version: string): APIResource[] {
  const out: APIResource[] = [];
  for (const def of defsInGroupVersion(defs, group, version)) {
    const r: APIResource = {
      name: def.resource,
      singularName: def.singularName,
      namespaced: def.namespaced,
      kind: def.kind,
      verbs: verbsOf(def),
    };
    if (def.shortNames?.length) r.shortNames = [...def.shortNames];
    if (def.categories?.length) r.categories = [...def.categories];
    if (hasStorage(def)) r.storageVersionHash = storageVersionHash(def.storageGroup ?? def.group, def.storageVersion ?? def.version, def.kind);
    out.push(r);
    for (const sub of subresourcesOf(def)) {
      const info = describeSubresource(def, sub);
      const s: APIResource = {
        name: `${def.resource}/${sub}`,
        singularName: '',
        namespaced: def.namespaced,
        ...(info.group !== undefined ? { group: info.group } : {}),
        ...(info.version !== undefined ? { version: info.version } : {}),
        kind: info.kind,
        verbs: [...info.verbs],
      };
      out.push(s);
    }
  }
  return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

export function apiResourceList(defs: ResourceDefinition[], group: string, version: string): APIResourceList {
  const groupVersion = group === '' ? version : `${group}/${version}`;
  const resources = apiResources(defs, group, version);
  return group === ''
    ? { kind: 'APIResourceList', groupVersion, resources }
    : { kind: 'APIResourceList', apiVersion: 'v1', groupVersion, resources };
}

/** The group versions served, e.g. ["v1", "apps/v1", "autoscaling/v2", ...] (kubectl api-versions). */
export function servedGroupVersions(defs: ResourceDefinition[]): string[] {
  return [...new Set(defs.map(apiVersionOfDef))];
}

// Which paths each document holds. /openapi/v2 has them all; /openapi/v3 splits them into one
// document per group version ("api/v1", "apis/apps/v1") plus small ones for "api", "apis",
// "apis/{group}" and "version", as kube-apiserver's OpenAPI v3 index lists them.
import type { ResourceDefinition } from '../registry/types.ts';
import { groupVersionsOf, servedGroups } from '../apiserver/discovery/api-groups.ts';
import { defsInGroupVersion } from '../apiserver/discovery/api-resources.ts';
import type { NameResolver } from './definition-names.ts';
import { type PathSpec, resourceListPath, resourcePaths, rootPaths } from './path-builder.ts';

export function v3DocumentKeys(defs: ResourceDefinition[]): string[] {
  const keys = ['api', 'apis', 'version'];
  for (const v of groupVersionsOf(defs, '')) keys.push(`api/${v}`);
  for (const g of servedGroups(defs)) {
    keys.push(`apis/${g}`);
    for (const v of groupVersionsOf(defs, g)) keys.push(`apis/${g}/${v}`);
  }
  return keys.sort();
}

function parseKey(key: string): { group: string; version: string } | undefined {
  const core = /^api\/([^/]+)$/.exec(key);
  if (core) return { group: '', version: core[1]! };
  const named = /^apis\/([^/]+)\/([^/]+)$/.exec(key);
  return named ? { group: named[1]!, version: named[2]! } : undefined;
}

/** Undefined when the key is not served. */
export function pathsForKey(defs: ResourceDefinition[], key: string, resolve: NameResolver): PathSpec[] | undefined {
  if (!v3DocumentKeys(defs).includes(key)) return undefined;
  const gv = parseKey(key);
  if (!gv) return rootPaths(key);
  const paths = [resourceListPath(gv.group, gv.version)];
  for (const def of defsInGroupVersion(defs, gv.group, gv.version)) paths.push(...resourcePaths(def, resolve));
  return paths;
}

export function allPaths(defs: ResourceDefinition[], resolve: NameResolver): PathSpec[] {
  return v3DocumentKeys(defs).flatMap((key) => pathsForKey(defs, key, resolve) ?? []);
}

export function sortPaths(paths: PathSpec[]): PathSpec[] {
  return [...paths].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

// Aggregated discovery (apidiscovery.k8s.io/v2, and v2beta1 for kubectl 1.27–1.29): every group,
// version and resource of /api or /apis in one document, so kubectl needs one request, not one per
// group version. Built from the same APIResource list as legacy discovery, like upstream's
// ConvertGroupVersionIntoToDiscovery.
import type { ResourceDefinition } from '../../registry/types.ts';
import { apiResources } from './api-resources.ts';
import { groupVersionsOf, servedGroups } from './api-groups.ts';
import type { APIGroupDiscovery, APIGroupDiscoveryList, APIResource, APIResourceDiscovery, APIVersionDiscovery } from './types.ts';

export type DiscoveryVersion = 'v2' | 'v2beta1';

export function convertToDiscovery(list: APIResource[]): APIResourceDiscovery[] {
  const out: APIResourceDiscovery[] = [];
  const parents = new Map<string, APIResourceDiscovery>();
  for (const r of list) {
    if (r.name.includes('/')) continue;
    const d: APIResourceDiscovery = {
      resource: r.name,
      responseKind: { group: r.group ?? '', version: r.version ?? '', kind: r.kind },
      scope: r.namespaced ? 'Namespaced' : 'Cluster',
      singularResource: r.singularName,
      verbs: r.verbs,
    };
    if (r.shortNames) d.shortNames = r.shortNames;
    if (r.categories) d.categories = r.categories;
    out.push(d);
    parents.set(r.name, d);
  }
  for (const r of list) {
    const slash = r.name.indexOf('/');
    if (slash < 0) continue;
    const parent = parents.get(r.name.slice(0, slash));
    if (!parent) continue;
    (parent.subresources ??= []).push({
      subresource: r.name.slice(slash + 1),
      responseKind: { group: r.group ?? '', version: r.version ?? '', kind: r.kind },
      verbs: r.verbs,
    });
  }
  return out;
}

function versionDiscovery(defs: ResourceDefinition[], group: string, version: string): APIVersionDiscovery {
  return { version, resources: convertToDiscovery(apiResources(defs, group, version)), freshness: 'Current' };
}

export function aggregatedDiscovery(
  defs: ResourceDefinition[],
  root: 'core' | 'apis',
  version: DiscoveryVersion = 'v2',
): APIGroupDiscoveryList {
  const items: APIGroupDiscovery[] = [];
  if (root === 'core') {
    const versions = groupVersionsOf(defs, '').map((v) => versionDiscovery(defs, '', v));
    if (versions.length) items.push({ metadata: { creationTimestamp: null }, versions });
  } else {
    for (const group of servedGroups(defs)) {
      items.push({
        metadata: { name: group, creationTimestamp: null },
        versions: groupVersionsOf(defs, group).map((v) => versionDiscovery(defs, group, v)),
      });
    }
  }
  return { kind: 'APIGroupDiscoveryList', apiVersion: `apidiscovery.k8s.io/${version}`, metadata: {}, items };
}

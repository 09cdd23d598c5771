// Discovery documents, built from the registry's ResourceDefinitions. Pure functions; the HTTP
// layer wires them to /api, /apis, /apis/{g}, /api/v1, /apis/{g}/{v} and /version.
export { coreApiVersions, apiGroupList, apiGroup, groupVersionsOf, servedGroups } from './api-groups.ts';
export { apiResourceList, apiResources, servedGroupVersions, verbsOf, STANDARD_VERBS } from './api-resources.ts';
export { aggregatedDiscovery, convertToDiscovery, type DiscoveryVersion } from './aggregated-discovery.ts';
export { negotiateDiscovery, parseAccept, aggregatedDiscoveryContentType, type DiscoveryFormat } from './discovery-negotiation.ts';
export { versionInfo, KUBERNETES_GIT_VERSION, KUBERNETES_MAJOR, KUBERNETES_MINOR } from './version-info.ts';
export { storageVersionHash } from './storage-version-hash.ts';
export { describeSubresource, subresourcesOf } from './subresource-catalog.ts';
export type * from './types.ts';

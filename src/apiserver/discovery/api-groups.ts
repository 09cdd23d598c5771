// /api (APIVersions), /apis (APIGroupList) and /apis/{group} (APIGroup).
import type { ResourceDefinition } from '../../registry/types.ts';
import { compareGroups, compareKubeAwareVersions } from './version-priority.ts';
import type { APIGroup, APIGroupList, APIVersions, GroupVersionForDiscovery } from './types.ts';

export function coreApiVersions(serverAddress: string): APIVersions {
  return {
    kind: 'APIVersions',
    versions: ['v1'],
    serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }],
  };
}

/** Served versions of a group, preferred first. */
export function groupVersionsOf(defs: ResourceDefinition[], group: string): string[] {
  return [...new Set(defs.filter((d) => d.group === group).map((d) => d.version))].sort(compareKubeAwareVersions);
}

/** Named groups (not the core group) in the order a real cluster lists them. */
export function servedGroups(defs: ResourceDefinition[]): string[] {
  return [...new Set(defs.map((d) => d.group).filter((g) => g !== ''))].sort(compareGroups);
}

function groupEntry(defs: ResourceDefinition[], group: string): APIGroup | undefined {
  const versions: GroupVersionForDiscovery[] = groupVersionsOf(defs, group).map((version) => ({
    groupVersion: `${group}/${version}`,
    version,
  }));
  if (versions.length === 0) return undefined;
  return { name: group, versions, preferredVersion: versions[0]! };
}

export function apiGroupList(defs: ResourceDefinition[]): APIGroupList {
  const groups = servedGroups(defs).map((g) => groupEntry(defs, g)!);
  return { kind: 'APIGroupList', apiVersion: 'v1', groups };
}

/** Undefined when the group is not served (the caller answers 404). */
export function apiGroup(defs: ResourceDefinition[], group: string): APIGroup | undefined {
  const entry = groupEntry(defs, group);
  return entry && { kind: 'APIGroup', apiVersion: 'v1', ...entry };
}

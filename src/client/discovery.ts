// Discovery through /api and /apis: the served resources with scope, kind, verbs and subresources,
// for what is not in the built-in table (custom resources) and for controllers that act on
// "every resource" (namespace deletion, garbage collection).
import type { KubeClient } from './kube-client.ts';
import type { ResourceInfo } from './resources.ts';

interface APIResource { name: string; kind: string; namespaced: boolean; verbs?: string[] }
interface APIResourceList { groupVersion: string; resources: APIResource[] }
interface APIGroupList { groups: { name: string; versions: { groupVersion: string; version: string }[]; preferredVersion?: { version: string } }[] }

/** Every group version's resources (preferred versions first), registered into client.resources. */
export async function discoverResources(client: KubeClient, opts: { preferredOnly?: boolean } = {}): Promise<ResourceInfo[]> {
  const core = await client.request<{ versions: string[] }>({ method: 'GET', path: '/api' });
  const groups = await client.request<APIGroupList>({ method: 'GET', path: '/apis' });
  const groupVersions: { group: string; version: string }[] = core.versions.map((version) => ({ group: '', version }));
  for (const g of groups.groups) {
    const preferred = g.preferredVersion?.version ?? g.versions[0]?.version;
    const versions = opts.preferredOnly ? g.versions.filter((v) => v.version === preferred) : g.versions;
    // Preferred version first, so ResourceTable.forKind answers with it.
    versions.sort((a, b) => Number(b.version === preferred) - Number(a.version === preferred));
    for (const v of versions) groupVersions.push({ group: g.name, version: v.version });
  }
  const lists = await Promise.all(groupVersions.map(({ group, version }) =>
    client.request<APIResourceList>({ method: 'GET', path: group ? `/apis/${group}/${version}` : `/api/${version}` })
      .then((list) => ({ group, version, list }))));
  const infos: ResourceInfo[] = [];
  for (const { group, version, list } of lists) {
    const byName = new Map<string, ResourceInfo>();
    for (const r of list.resources) {
      const [name, sub] = r.name.split('/') as [string, string | undefined];
      if (sub === undefined) {
        const info: ResourceInfo = { group, version, resource: name, kind: r.kind, namespaced: r.namespaced, verbs: r.verbs ?? [], subresources: byName.get(name)?.subresources ?? [] };
        byName.set(name, info);
      } else {
        const parent = byName.get(name);
        if (parent) parent.subresources!.push(sub);
        else byName.set(name, { group, version, resource: name, kind: '', namespaced: r.namespaced, subresources: [sub] });
      }
    }
    for (const info of byName.values()) {
      if (!info.kind) continue;
      client.resources.register(info);
      infos.push(info);
    }
  }
  return infos;
}

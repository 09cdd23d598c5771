// What discovery says about each subresource: the kind it takes/returns (with group and version when
// they differ from the parent's, like upstream's GroupVersionKindProvider) and its verbs, as
// kube-apiserver lists them (e.g. pods/exec is "create, get" because it is served by GET and POST).
import type { ResourceDefinition } from '../../registry/types.ts';

export interface SubresourceInfo {
  kind: string;
  /** Only set when the kind lives in another group/version (Scale, Eviction, TokenRequest). */
  group?: string;
  version?: string;
  verbs: string[];
}

type Describe = (parent: ResourceDefinition) => SubresourceInfo;

const sameKind = (verbs: string[]): Describe => (p) => ({ kind: p.kind, verbs });
const fixed = (info: SubresourceInfo): Describe => () => info;

const CATALOG: Record<string, Describe> = {
  status: sameKind(['get', 'patch', 'update']),
  scale: fixed({ group: 'autoscaling', version: 'v1', kind: 'Scale', verbs: ['get', 'patch', 'update'] }),
  attach: fixed({ kind: 'PodAttachOptions', verbs: ['create', 'get'] }),
  binding: fixed({ kind: 'Binding', verbs: ['create'] }),
  ephemeralcontainers: sameKind(['get', 'patch', 'update']),
  eviction: fixed({ group: 'policy', version: 'v1', kind: 'Eviction', verbs: ['create'] }),
  exec: fixed({ kind: 'PodExecOptions', verbs: ['create', 'get'] }),
  log: sameKind(['get']),
  portforward: fixed({ kind: 'PodPortForwardOptions', verbs: ['create', 'get'] }),
  proxy: (p) => ({ kind: `${p.kind}ProxyOptions`, verbs: ['create', 'delete', 'get', 'patch', 'update'] }),
  resize: sameKind(['get', 'patch', 'update']),
  finalize: sameKind(['update']),
  approval: sameKind(['get', 'patch', 'update']),
  token: fixed({ group: 'authentication.k8s.io', version: 'v1', kind: 'TokenRequest', verbs: ['create'] }),
};

export function describeSubresource(parent: ResourceDefinition, subresource: string): SubresourceInfo {
  const describe = CATALOG[subresource] ?? sameKind(['get']);
  return describe(parent);
}

/** Every subresource of a definition, sorted by name as upstream's installer registers them. */
export function subresourcesOf(def: ResourceDefinition): string[] {
  const names = new Set<string>([...(def.subresources?.custom ?? []), ...Object.keys(def.subresources?.views ?? {})]);
  if (def.subresources?.status) names.add('status');
  if (def.subresources?.scale) names.add('scale');
  return [...names].sort();
}

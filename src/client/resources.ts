// Resource addressing without asking the server: the built-in resources' GVR, kind and scope (what
// client-go's typed clients compile in). Custom resources are added from discovery (discovery.ts).
import type { GroupVersionResource } from '../apimachinery/types.ts';

export interface ResourceInfo extends GroupVersionResource {
  kind: string;
  namespaced: boolean;
  /** Subresource names served (status, scale, binding, eviction, …), when known. */
  subresources?: string[];
  /** Verbs served, when known from discovery. */
  verbs?: string[];
}

const core = (resource: string, kind: string, namespaced = true, subresources?: string[]): ResourceInfo =>
  ({ group: '', version: 'v1', resource, kind, namespaced, ...(subresources ? { subresources } : {}) });
const grouped = (group: string, version: string, resource: string, kind: string, namespaced = true, subresources?: string[]): ResourceInfo =>
  ({ group, version, resource, kind, namespaced, ...(subresources ? { subresources } : {}) });

/** The well-known resources by a short handle: `client.resource(GVR.pods)`. */
export const BUILTIN = {
  bindings: core('bindings', 'Binding'),
  configmaps: core('configmaps', 'ConfigMap'),
  endpoints: core('endpoints', 'Endpoints'),
  events: core('events', 'Event'),
  limitranges: core('limitranges', 'LimitRange'),
  namespaces: core('namespaces', 'Namespace', false, ['status', 'finalize']),
  nodes: core('nodes', 'Node', false, ['status']),
  persistentvolumeclaims: core('persistentvolumeclaims', 'PersistentVolumeClaim', true, ['status']),
  persistentvolumes: core('persistentvolumes', 'PersistentVolume', false, ['status']),
  pods: core('pods', 'Pod', true, ['status', 'binding', 'eviction', 'ephemeralcontainers', 'resize', 'log']),
  podtemplates: core('podtemplates', 'PodTemplate'),
  replicationcontrollers: core('replicationcontrollers', 'ReplicationController', true, ['status', 'scale']),
  resourcequotas: core('resourcequotas', 'ResourceQuota', true, ['status']),
  secrets: core('secrets', 'Secret'),
  serviceaccounts: core('serviceaccounts', 'ServiceAccount', true, ['token']),
  services: core('services', 'Service', true, ['status']),
  deployments: grouped('apps', 'v1', 'deployments', 'Deployment', true, ['status', 'scale']),
  replicasets: grouped('apps', 'v1', 'replicasets', 'ReplicaSet', true, ['status', 'scale']),
  statefulsets: grouped('apps', 'v1', 'statefulsets', 'StatefulSet', true, ['status', 'scale']),
  daemonsets: grouped('apps', 'v1', 'daemonsets', 'DaemonSet', true, ['status']),
  controllerrevisions: grouped('apps', 'v1', 'controllerrevisions', 'ControllerRevision'),
  jobs: grouped('batch', 'v1', 'jobs', 'Job', true, ['status']),
  cronjobs: grouped('batch', 'v1', 'cronjobs', 'CronJob', true, ['status']),
  leases: grouped('coordination.k8s.io', 'v1', 'leases', 'Lease'),
  eventsV1: grouped('events.k8s.io', 'v1', 'events', 'Event'),
  endpointslices: grouped('discovery.k8s.io', 'v1', 'endpointslices', 'EndpointSlice'),
  ingresses: grouped('networking.k8s.io', 'v1', 'ingresses', 'Ingress', true, ['status']),
  ingressclasses: grouped('networking.k8s.io', 'v1', 'ingressclasses', 'IngressClass', false),
  networkpolicies: grouped('networking.k8s.io', 'v1', 'networkpolicies', 'NetworkPolicy'),
  roles: grouped('rbac.authorization.k8s.io', 'v1', 'roles', 'Role'),
  rolebindings: grouped('rbac.authorization.k8s.io', 'v1', 'rolebindings', 'RoleBinding'),
  clusterroles: grouped('rbac.authorization.k8s.io', 'v1', 'clusterroles', 'ClusterRole', false),
  clusterrolebindings: grouped('rbac.authorization.k8s.io', 'v1', 'clusterrolebindings', 'ClusterRoleBinding', false),
  poddisruptionbudgets: grouped('policy', 'v1', 'poddisruptionbudgets', 'PodDisruptionBudget', true, ['status']),
  horizontalpodautoscalers: grouped('autoscaling', 'v2', 'horizontalpodautoscalers', 'HorizontalPodAutoscaler', true, ['status']),
  storageclasses: grouped('storage.k8s.io', 'v1', 'storageclasses', 'StorageClass', false),
  csidrivers: grouped('storage.k8s.io', 'v1', 'csidrivers', 'CSIDriver', false),
  csinodes: grouped('storage.k8s.io', 'v1', 'csinodes', 'CSINode', false),
  volumeattachments: grouped('storage.k8s.io', 'v1', 'volumeattachments', 'VolumeAttachment', false, ['status']),
  priorityclasses: grouped('scheduling.k8s.io', 'v1', 'priorityclasses', 'PriorityClass', false),
} as const satisfies Record<string, ResourceInfo>;

/** GVRs of the built-ins, for `client.resource(GVR.deployments)`. */
export const GVR: { readonly [K in keyof typeof BUILTIN]: GroupVersionResource } = BUILTIN;

export function gvrKey(gvr: GroupVersionResource): string {
  return `${gvr.group}/${gvr.version}/${gvr.resource}`;
}

/** "deployments.apps" / "pods", as kubectl and upstream's GroupResource.String() name them. */
export function groupResourceString(gvr: GroupVersionResource): string {
  return gvr.group ? `${gvr.resource}.${gvr.group}` : gvr.resource;
}

/** GVR → ResourceInfo, preloaded with the built-ins; discovery adds the rest. */
export class ResourceTable {
  private readonly byGVR = new Map<string, ResourceInfo>();

  constructor(infos: Iterable<ResourceInfo> = Object.values(BUILTIN)) {
    for (const info of infos) this.register(info);
  }

  register(info: ResourceInfo): void { this.byGVR.set(gvrKey(info), info); }

  lookup(gvr: GroupVersionResource): ResourceInfo | undefined { return this.byGVR.get(gvrKey(gvr)); }

  /** The GVR serving a kind in a group (the first registered version wins). */
  forKind(group: string, kind: string): ResourceInfo | undefined {
    for (const info of this.byGVR.values()) if (info.group === group && info.kind === kind) return info;
    return undefined;
  }

  all(): ResourceInfo[] { return [...this.byGVR.values()]; }
}

/** /api/v1/namespaces/ns/pods/name/status style path. */
export function resourcePath(info: ResourceInfo, namespace?: string, name?: string, subresource?: string): string {
  let p = info.group === '' ? `/api/${info.version}` : `/apis/${info.group}/${info.version}`;
  if (info.namespaced && namespace) p += `/namespaces/${encodeURIComponent(namespace)}`;
  p += `/${info.resource}`;
  if (name !== undefined) p += `/${encodeURIComponent(name)}`;
  if (subresource) p += `/${subresource}`;
  return p;
}
